"""Stream ad dumps (JSONL, CSV, XLSX) into :class:`Ad` objects, with line numbers and a skip report.

Nothing is read whole into memory. Broken lines, missing ids, empty or oversized ads, binary junk
and wrong encodings are counted, reported with their line numbers and skipped.
"""

from __future__ import annotations

import csv
import json
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signaal.ads.model import Ad
from signaal.errors import InvalidInput, Problem

__all__ = ["DEFAULT_FIELDS", "Payload", "RecordParser", "SkipReport", "open_records", "read_ads"]

DEFAULT_FIELDS = ("id", "title", "body", "city", "posted", "url", "name", "age", "phones")


@dataclass
class SkipReport:
    """What a read skipped and why, with line numbers (first 1000 kept)."""

    read: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    def skip(self, problem: Problem) -> None:
        """Count one skipped record."""
        self.skipped += 1
        if len(self.problems) < 1000:
            self.problems.append(problem)


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


def _scalar(value: Any) -> str:
    """One cell or JSON value as text; a whole number stays a whole number.

    Excel stores every number as a float and JSON may write ``612340001.0``: a phone number, an
    age or an id in a number cell reads as its digits, never with a ".0" or an exponent.
    """
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return _valid(value if isinstance(value, str) else str(value))


def _text(value: Any) -> str:
    if isinstance(value, list):
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

    def __call__(self, line: int, payload: Payload) -> Ad | Problem:
        """The ad of one record, or why it is skipped."""
        if isinstance(payload, bytes):
            try:
                text = payload.decode("utf-8")
            except UnicodeDecodeError:
                return Problem("not UTF-8", self.name, line)
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                return Problem(f"broken JSON ({exc.msg})", self.name, line)
            if not isinstance(record, dict):
                return Problem("not a JSON object", self.name, line)
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
            return Problem("empty ad (no title and no body)", self.name, line, "body")
        size = len(title.encode("utf-8", "replace")) + len(body.encode("utf-8", "replace"))
        if size > self.max_bytes:
            return Problem(f"ad of {size} bytes exceeds the limit of {self.max_bytes}", self.name, line, "body")
        if "\x00" in title or "\x00" in body:
            return Problem("binary content", self.name, line, "body")
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


def _csv(path: Path, report: SkipReport) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("r", encoding="utf-8", errors="strict", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            for row in reader:
                yield reader.line_num, dict(row)
        except UnicodeDecodeError:
            report.skip(Problem("not UTF-8; the rest of the file is skipped", path.name, reader.line_num))
        except csv.Error as exc:
            report.skip(Problem(f"broken CSV ({exc})", path.name, reader.line_num))


def _xlsx(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def unreadable(exc: Exception) -> InvalidInput:
        return InvalidInput(f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})")

    # A broken workbook fails as it opens (not a zip, no workbook part) or, read lazily, as its
    # sheet is parsed; any error of the parser there is the file's, never a traceback.
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
        row_no = 1
        while True:
            try:
                row = next(rows, None)
            except Exception as exc:  # the parser's error is about the file
                raise unreadable(exc) from None
            if row is None:
                return
            row_no += 1
            yield row_no, {h: v for h, v in zip(header, row, strict=False) if h}
    finally:
        wb.close()


def open_records(
    path: Path, mapping: dict[str, str] | None = None, max_bytes: int = 65536, report: SkipReport | None = None
) -> tuple[Iterator[tuple[int, Payload]], RecordParser]:
    """The raw records of a JSONL, CSV or XLSX file, and the parser that makes them ads.

    Problems of the file itself (a CSV that breaks off) go to ``report``; the parser returns the
    problems of single records.
    """
    mapping = mapping or {}
    unknown = set(mapping) - set(DEFAULT_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field(s) in the mapping: {', '.join(sorted(unknown))}")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    report = report if report is not None else SkipReport()
    suffix = path.suffix.lower()
    records: Iterator[tuple[int, Payload]]
    if suffix in (".jsonl", ".ndjson", ".json"):
        records = _jsonl(path)
    elif suffix in (".csv", ".tsv"):
        records = _csv(path, report)
    elif suffix == ".xlsx":
        records = _xlsx(path)
    else:
        raise InvalidInput(f"{path.name}: unsupported file type {suffix!r} (use .jsonl, .csv or .xlsx)")
    return records, RecordParser(path.name, dict(mapping), max_bytes)


def read_ads(
    path: Path, mapping: dict[str, str] | None = None, max_bytes: int = 65536, report: SkipReport | None = None
) -> Iterator[Ad]:
    """Stream the ads of a JSONL, CSV or XLSX file; problems go to ``report`` and are skipped."""
    report = report if report is not None else SkipReport()
    records, parser = open_records(path, mapping, max_bytes, report)
    for line, payload in records:
        ad = parser(line, payload)
        if isinstance(ad, Problem):
            report.skip(ad)
        else:
            report.read += 1
            yield ad
