"""Stream ad dumps (JSONL, CSV, XLSX) into :class:`Ad` objects, with line numbers and a skip report.

Nothing is read whole into memory. Broken lines, missing ids, empty or oversized ads, binary junk
and JSONL lines in a wrong encoding are counted, reported with their line numbers and skipped.

A CSV is read as the signal import reads it (:mod:`signaal.ingest.tabular`: delimiter from the
header, records that span lines, a line at a time). A CSV line that is not text in the chosen
encoding stops the read with its line and byte: in a CSV that means the whole file was saved in
another encoding (an Excel export in cp1252), and skipping its lines would drop every ad with an
accent. A CSV or workbook without a title or body column, or without a column that ``mapping``
names, stops before its first record with the columns it does have.
"""

from __future__ import annotations

import codecs
import itertools
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from signaal.ads.model import Ad
from signaal.errors import InvalidInput, Problem
from signaal.ingest.tabular import BadRow, Limits, check_workbook, read_rows

__all__ = [
    "DEFAULT_FIELDS",
    "FirstIds",
    "Payload",
    "RecordParser",
    "SkipReport",
    "ad_from_record",
    "open_records",
    "read_ads",
]

DEFAULT_FIELDS = ("id", "title", "body", "city", "posted", "url", "name", "age", "phones")


@dataclass
class SkipReport:
    """What a read skipped and why, with line numbers (first 1000 kept; ``sink`` receives all)."""

    read: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    sink: Callable[[Problem], None] | None = field(default=None, repr=False, compare=False)

    KEPT = 1000

    def skip(self, problem: Problem) -> None:
        """Count one skipped record."""
        self.skipped += 1
        if len(self.problems) < self.KEPT:
            self.problems.append(problem)
        if self.sink is not None:
            self.sink(problem)


# Lone halves of a surrogate pair: JSON may escape them ("\ud83d" when a scraper cut an emoji in
# two), but no UTF-8 file, report or database can hold them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def _valid(text: str) -> str:
    """``text`` as valid Unicode: a lone surrogate becomes U+FFFD; the rest of the text is kept."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text


class FirstIds:
    """The line on which each ad id was first read: a later ad with an id read before is a duplicate.

    The later ad is skipped and reported with both lines. An id is how a moderation team finds an
    ad on the platform, and a second ad under it is most often the same ad crawled twice: kept, it
    would make a group with itself (same contact, same text). Under an invented id it would be an
    ad the platform does not know. Ads of several sites in one dump need ids made distinct first.
    """

    def __init__(self) -> None:
        self._first: dict[str, int] = {}

    def duplicate(self, ad_id: str, line: int, file: str) -> Problem | None:
        """None for the first ad with this id, else the problem that skips this one."""
        first = self._first.setdefault(ad_id, line)
        if first == line:
            return None
        shown = ad_id if len(ad_id) <= 60 else ad_id[:57] + "..."
        reason = f"duplicate id {shown!r}, first on line {first}; this later ad is skipped"
        return Problem(reason, file, line, "id", "skip_duplicate_id", (("id", shown), ("first", str(first))))


def _scalar(value: Any) -> str:
    """One cell or JSON value as text; a whole number stays a whole number.

    Excel stores every number as a float and JSON may write ``612340001.0``: a phone number, an
    age or an id in a number cell reads as its digits, never with a ".0" or an exponent.
    """
    if type(value) is str:  # nearly every value: the short way
        return _valid(value)
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return _valid(str(value))


def _text(value: Any) -> str:
    if type(value) is list:
        return " ".join(_scalar(v) for v in value)
    return _scalar(value)


def _phones(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        return tuple(t for t in (_scalar(v).strip() for v in value) if t)
    return tuple(p.strip() for p in _scalar(value).replace(";", ",").split(",") if p.strip())


Payload = bytes | dict[str, Any]  # a JSONL line as read, or a CSV/XLSX row


@dataclass(frozen=True, slots=True)
class RecordParser:
    """Turns the raw records of one dump into ads, or into the problem that skips them.

    Plain data, so that it can travel to worker processes: the main process then only reads lines,
    and decoding, JSON parsing and checks run in parallel with the rest of the per-ad step.
    """

    name: str
    mapping: dict[str, str]
    max_bytes: int
    encoding: str = "utf-8"

    def __call__(self, line: int, payload: Payload) -> Ad | Problem:
        """The ad of one record, or why it is skipped."""
        if isinstance(payload, bytes):
            try:
                text = payload.decode(self.encoding)
            except UnicodeDecodeError as exc:
                where = f"byte 0x{payload[exc.start]:02x} at column {exc.start + 1}"
                reason = f"not {_encoding_name(self.encoding)} ({where})"
                return Problem(reason, self.name, line, code="skip_not_text")
            text = text.lstrip("\ufeff")
            try:
                record = orjson.loads(text)
            except orjson.JSONDecodeError:
                # what orjson refuses and the standard reader takes (a lone surrogate escape,
                # NaN, a huge integer) is read by the latter, whose message says what is broken
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    return Problem(f"broken JSON ({exc.msg})", self.name, line, code="skip_broken_json")
            if not isinstance(record, dict):
                return Problem("not a JSON object", self.name, line, code="skip_not_object")
        else:
            record = payload
        return self._to_ad(record, line)

    def _to_ad(self, record: dict[str, Any], line: int) -> Ad | Problem:
        mapping = self.mapping

        def get(key: str) -> Any:
            return record.get(mapping.get(key, key))

        ad_id = _text(get("id")).strip() or f"line-{line}"
        title, body = _text(get("title")), _text(get("body"))
        if not title.strip() and not body.strip():
            text_keys = {mapping.get("title", "title"), mapping.get("body", "body")}
            if text_keys.isdisjoint(record):
                found = ", ".join(repr(_valid(str(k))) for k in list(record)[:12]) or "none"
                reason = f"no title or body field (fields: {found})"
                return Problem(reason, self.name, line, "body", "skip_no_text_field", (("fields", found),))
            return Problem("empty ad (no title and no body)", self.name, line, "body", "skip_empty")
        size = len(title.encode("utf-8", "replace")) + len(body.encode("utf-8", "replace"))
        if size > self.max_bytes:
            reason = f"ad of {size} bytes exceeds the limit of {self.max_bytes}"
            values = (("size", str(size)), ("limit", str(self.max_bytes)))
            return Problem(reason, self.name, line, "body", "skip_too_large", values)
        if "\x00" in title or "\x00" in body:
            return Problem("binary content", self.name, line, "body", "skip_binary")
        return Ad(
            id=ad_id,
            title=title,
            body=body,
            city=_text(get("city")),
            posted=_text(get("posted")),
            url=_text(get("url")),
            name=_text(get("name")),
            age=_text(get("age")),
            phones=_phones(get("phones")),
            line=line,
        )


def _jsonl(path: Path) -> Iterator[tuple[int, Payload]]:
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if raw.strip():
                yield line_no, raw


def _encoding_name(encoding: str) -> str:
    return "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding


def _not_text(path: Path, line: int, encoding: str) -> InvalidInput:
    """The error for a CSV line that does not decode: its line and first bad byte, and what to do."""
    with path.open("rb") as fh:
        raw = next(itertools.islice(fh, line - 1, None), b"")
    if line == 1:
        raw = raw.removeprefix(codecs.BOM_UTF8)
    detail = ""
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        detail = f" (byte {exc.start + 1} of the line is 0x{raw[exc.start]:02x})"
    hint = (
        "a file saved by Excel or Windows is often cp1252: try --encoding cp1252"
        if codecs.lookup(encoding).name == "utf-8"
        else "name the file's encoding with --encoding"
    )
    return InvalidInput(
        f"{path.name}: line {line} is not {_encoding_name(encoding)} text{detail}, so reading stopped there; {hint}",
        code="ads_not_text",
        values={"file": path.name, "line": str(line)},
    )


def _check_columns(name: str, header: list[str], mapping: dict[str, str]) -> None:
    """Stop before the first record when no ad can be read: no title or body column, or a mapped
    column that is not there. The message lists the columns the file has and how to map them."""
    columns = [h for h in header if h]
    found = ", ".join(repr(h) for h in columns) or "none"
    missing = [f"{f}={c}" for f, c in mapping.items() if c not in columns]
    if missing:
        raise InvalidInput(
            f"{name}: --map {', '.join(missing)}: no such column; the columns are: {found}",
            code="ads_no_such_column",
            values={
                "file": name,
                "missing": ", ".join(repr(mapping[f]) for f in mapping if mapping[f] not in columns),
                "columns": found,
            },
        )
    if not {mapping.get("title", "title"), mapping.get("body", "body")} & set(columns):
        raise InvalidInput(
            f"{name}: no title or body column, so no ad can be read; the columns are: {found}. "
            "Name the ad text column with --map body=COLUMN (and the title with --map title=COLUMN)",
            code="ads_no_text_column",
            values={"file": name, "columns": found},
        )


def _csv(
    path: Path, encoding: str, mapping: dict[str, str], report: SkipReport
) -> Iterator[tuple[int, dict[str, Any]]]:
    # the header line is checked here first: tabular's own message has no byte and no advice
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                try:
                    raw.removeprefix(codecs.BOM_UTF8 if number == 1 else b"").decode(encoding)
                except UnicodeDecodeError:
                    raise _not_text(path, number, encoding) from None
                break
    checked = False
    for row in read_rows(path, "csv", encoding):
        if isinstance(row, BadRow):
            # tabular names a line that does not decode so, and reads on: here it stops the read
            if row.reason == f"not valid {encoding} text":
                raise _not_text(path, row.line, encoding)
            report.skip(Problem(row.reason, path.name, row.line, code="skip_unreadable_row"))
            continue
        if not checked:
            _check_columns(path.name, list(row.values), mapping)
            checked = True
        yield row.line, row.values


def _xlsx(path: Path, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def unreadable(exc: Exception) -> InvalidInput:
        return InvalidInput(
            f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
            code="ads_bad_workbook",
            values={"file": path.name},
        )

    # A broken workbook fails as it opens (not a zip, no workbook part) or, read lazily, as its
    # sheet is parsed; any error of the parser there is the file's, never a traceback.
    limits = Limits()
    check_workbook(path, limits)  # a spreadsheet bomb is refused before openpyxl reads it
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise unreadable(exc) from None
    try:
        try:
            rows = wb.active.iter_rows(values_only=True) if wb.active is not None else iter(())
            first = next(rows, ())
        except Exception as exc:  # the parser's error is about the file
            raise unreadable(exc) from None
        header = [str(c) if c is not None else "" for c in first]
        _check_columns(path.name, header, mapping)
        row_no = 1
        while True:
            try:
                row = next(rows, None)
            except Exception as exc:  # the parser's error is about the file
                raise unreadable(exc) from None
            if row is None:
                return
            row_no += 1
            if row_no > limits.max_rows + 1 or len(row) > limits.max_columns:
                raise InvalidInput(
                    f"{path.name}:{row_no}: past the limit of {limits.max_rows:,} rows of {limits.max_columns} columns"
                )
            yield row_no, {h: v for h, v in zip(header, row, strict=False) if h}
    finally:
        wb.close()


def open_records(
    path: Path,
    mapping: dict[str, str] | None = None,
    max_bytes: int = 65536,
    report: SkipReport | None = None,
    encoding: str = "utf-8",
) -> tuple[Iterator[tuple[int, Payload]], RecordParser]:
    """The raw records of a JSONL, CSV or XLSX file, and the parser that makes them ads.

    Problems of the file itself (a CSV record with too many fields) go to ``report``; the parser
    returns the problems of single records. ``encoding`` is that of a CSV or JSONL file. A file
    that cannot be read as a whole raises InvalidInput, also while its records are read.
    """
    mapping = mapping or {}
    unknown = set(mapping) - set(DEFAULT_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field(s) in the mapping: {', '.join(sorted(unknown))}")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidInput(f"unknown encoding {encoding!r} (e.g. utf-8, cp1252, latin-1)") from None
    report = report if report is not None else SkipReport()
    suffix = path.suffix.lower()
    records: Iterator[tuple[int, Payload]]
    if suffix in (".jsonl", ".ndjson", ".json"):
        records = _jsonl(path)
    elif suffix in (".csv", ".tsv"):
        records = _csv(path, encoding, mapping, report)
    elif suffix == ".xlsx":
        records = _xlsx(path, mapping)
    else:
        raise InvalidInput(f"{path.name}: unsupported file type {suffix!r} (use .jsonl, .csv or .xlsx)")
    return records, RecordParser(path.name, dict(mapping), max_bytes, encoding)


def read_ads(
    path: Path,
    mapping: dict[str, str] | None = None,
    max_bytes: int = 65536,
    report: SkipReport | None = None,
    encoding: str = "utf-8",
) -> Iterator[Ad]:
    """Stream the ads of a JSONL, CSV or XLSX file; problems go to ``report`` and are skipped.

    A later ad with an id read before is skipped too (see :class:`FirstIds`).
    """
    report = report if report is not None else SkipReport()
    records, parser = open_records(path, mapping, max_bytes, report, encoding)
    ids = FirstIds()
    for line, payload in records:
        ad = parser(line, payload)
        if isinstance(ad, Ad) and (duplicate := ids.duplicate(ad.id, line, parser.name)):
            ad = duplicate
        if isinstance(ad, Problem):
            report.skip(ad)
        else:
            report.read += 1
            yield ad


# The fields of an ad as a caller writes them; ``id`` and ``age`` may also be numbers.
_AD_TEXT_FIELDS = ("title", "body", "city", "posted", "url", "name", "age")


def ad_from_record(record: object, *, max_bytes: int | None = None) -> Ad:
    """One ad from a JSON object with the fields of an ad dump (others are ignored).

    Text fields are strings (or null); ``id`` and ``age`` may be numbers; ``phones`` is a list of
    strings or one string (numbers separated by commas). A non-object, a wrong type, an ad with
    neither text nor phones, or title + body above ``max_bytes`` (UTF-8) raise InvalidInput naming
    the field.
    """
    if not isinstance(record, dict):
        kind = "a list" if isinstance(record, list) else type(record).__name__
        raise InvalidInput(f"the ad must be a JSON object with fields such as id, title and body, not {kind}")
    problems: list[Problem] = []

    def text(name: str, numbers: bool = False) -> str:
        value = record.get(name)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if numbers and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        problems.append(Problem(f"must be a string{' or a number' if numbers else ''}", field=name))
        return ""

    ad_id = text("id", numbers=True).strip() or "new"
    fields = {name: text(name, numbers=name == "age") for name in _AD_TEXT_FIELDS}
    raw = record.get("phones")
    phones: tuple[str, ...] = ()
    if isinstance(raw, str):
        phones = tuple(p.strip() for p in raw.replace(";", ",").split(",") if p.strip())
    elif isinstance(raw, list) and all(isinstance(p, str) for p in raw):
        phones = tuple(p.strip() for p in raw if p.strip())
    elif raw is not None:
        problems.append(Problem("must be a list of strings (write each number as a string)", field="phones"))
    if not problems and not (fields["title"].strip() or fields["body"].strip() or phones):
        problems.append(Problem("the ad has no title, body or phones: nothing to check", field="body"))
    size = len(fields["title"].encode("utf-8", "replace")) + len(fields["body"].encode("utf-8", "replace"))
    if max_bytes is not None and size > max_bytes:
        problems.append(Problem(f"title and body are {size} bytes, above the limit of {max_bytes}", field="body"))
    if problems:
        names = list(dict.fromkeys(repr(p.field) for p in problems))
        raise InvalidInput(f"the ad is not valid: field{'s' if len(names) > 1 else ''} {', '.join(names)}", problems)
    return Ad(
        id=ad_id,
        title=fields["title"],
        body=fields["body"],
        city=fields["city"],
        posted=fields["posted"],
        url=fields["url"],
        name=fields["name"],
        age=fields["age"],
        phones=phones,
    )
