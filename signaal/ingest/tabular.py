"""Stream rows from CSV, JSONL and XLSX files as ``(line, dict)`` pairs, never the whole file in memory.

A row that cannot be read at all (broken JSON, a line in the wrong encoding) comes out as a
:class:`BadRow` with its line number, so the caller decides whether to stop or skip.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from signaal.errors import InvalidInput, Problem

__all__ = [
    "FORMULA_STARTS",
    "BadRow",
    "Limits",
    "Row",
    "check_workbook",
    "detect_format",
    "jsonl_record",
    "problem",
    "read_rows",
    "safe_cell",
]

FORMATS = ("csv", "jsonl", "xlsx")

#: First characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A value for a CSV cell a spreadsheet will open: text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class Limits:
    """How much one file may make a reader do; checked before and while reading (spreadsheet bombs)."""

    max_rows: int = 1_000_000
    max_columns: int = 512
    max_unpacked_bytes: int = 512 * 1024 * 1024  # all parts of a workbook, uncompressed
    max_shared_strings_bytes: int = 64 * 1024 * 1024  # the shared-string table, read whole by openpyxl
    max_ratio: int = 200  # uncompressed / compressed size of a large part; office files stay far below

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        """The limits set by SIGNAAL_IMPORT_MAX_* (see docs/settings.md)."""
        return cls(
            max_rows=settings.import_max_rows,
            max_columns=settings.import_max_columns,
            max_unpacked_bytes=settings.import_max_unpacked_bytes,
            max_shared_strings_bytes=settings.import_max_shared_strings_bytes,
        )


@dataclass(frozen=True)
class Row:
    """One record of a file with the line (CSV/JSONL) or sheet row (XLSX) it came from."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class BadRow:
    """A record that could not be read, with the reason."""

    line: int
    reason: str


def detect_format(path: Path, explicit: str | None = None) -> str:
    """The file format from an explicit choice or the file extension."""
    fmt = (explicit or path.suffix.lstrip(".")).lower()
    fmt = {"json": "jsonl", "ndjson": "jsonl", "xlsm": "xlsx", "tsv": "csv", "txt": "csv"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise InvalidInput(f"{path}: unknown file format {fmt or '(no extension)'!r}; use one of {', '.join(FORMATS)}")
    return fmt


#: The most text one CSV record may span while a quoted field is open (an unclosed quote stops there).
MAX_RECORD_CHARS = 1024 * 1024


def _raw_lines(handle: IO[bytes]) -> Iterator[bytes]:
    """The file's lines, ending at LF or CRLF, or at CR alone in a file that has no LF at all (old Mac)."""
    head = handle.read(65536)
    if b"\n" in head or b"\r" not in head:
        handle.seek(0)
        yield from handle
        return
    rest = head
    while True:
        *complete, rest = rest.split(b"\r")
        for line in complete:
            yield line + b"\r"
        chunk = handle.read(65536)
        if not chunk:
            break
        rest += chunk
    if rest:
        yield rest


def _decoded(number: int, raw: bytes, encoding: str) -> str | None:
    """One line's text (a UTF-8 BOM on line 1 dropped), or None when it does not decode."""
    if number == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return codecs.getincrementaldecoder(encoding)().decode(raw, final=True)
    except UnicodeDecodeError:
        return None


def _text_lines(path: Path, encoding: str) -> Iterator[tuple[int, str | None]]:
    """Lines decoded one at a time; a line that does not decode yields None instead of stopping the file."""
    with path.open("rb") as handle:
        for number, raw in enumerate(_raw_lines(handle), start=1):
            yield number, _decoded(number, raw, encoding)


def jsonl_record(number: int, raw: bytes, encoding: str) -> Row | BadRow | None:
    """Line ``number`` of a JSONL file as the JSONL reader reads it: a Row, a BadRow with the reason,
    or None for a blank line. The Spark engine reads each line it is handed with this too."""
    return _jsonl_text(number, _decoded(number, raw, encoding), encoding)


def _jsonl_text(number: int, text: str | None, encoding: str) -> Row | BadRow | None:
    if text is None:
        return BadRow(number, f"not valid {encoding} text")
    if not text.strip():
        return None
    try:
        # without its line break: an error's column is on the line, and a reader handed lines
        # without their breaks (Spark) gives the same reason
        value = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return BadRow(number, f"broken JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return BadRow(number, "JSON nested too deeply")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return BadRow(number, f"unreadable JSON: {str(exc).split(';')[0]}")
    if not isinstance(value, dict):
        return BadRow(number, "a line must hold a JSON object")
    return Row(number, value)


def _jsonl(path: Path, encoding: str) -> Iterator[Row | BadRow]:
    for number, text in _text_lines(path, encoding):
        record = _jsonl_text(number, text, encoding)
        if record is not None:
            yield record


def _csv(path: Path, encoding: str) -> Iterator[Row | BadRow]:
    lines = _text_lines(path, encoding)
    header_line: str | None = None
    for number, text in lines:
        if text is None:
            raise InvalidInput(f"{path}:{number}: the header is not valid {encoding} text")
        if text.strip():
            header_line = text
            break
    if header_line is None:
        return
    # The header decides the delimiter (comma, semicolon or tab); quoting follows Excel's rules.
    delimiter = max(",;\t", key=header_line.count)

    class dialect(csv.excel):
        pass

    dialect.delimiter = delimiter
    try:
        header = [h.strip() for h in next(csv.reader([header_line], dialect))]
    except csv.Error as exc:
        raise InvalidInput(f"{path}:1: the header is not a readable CSV line ({exc})") from None
    if len(set(header)) != len(header):
        raise InvalidInput(f"{path}:1: duplicate column names in the header")
    # Records may span lines (quoted newlines), so feed the csv reader a line iterator and track
    # the physical line where each record starts.
    pending: list[str] = []
    quotes = size = start = 0
    for number, text in lines:
        if text is None:
            yield BadRow(number, f"not valid {encoding} text")
            continue
        if not pending:
            start, quotes, size = number, 0, 0
        pending.append(text)
        quotes += text.count('"')
        size += len(text)
        if quotes % 2 == 1:  # an open quoted field continues on the next line (counted once per line)
            if size > MAX_RECORD_CHARS:
                yield BadRow(start, f"a quoted field opened here is not closed within {MAX_RECORD_CHARS:,} characters")
                return
            continue
        joined = "".join(pending)
        pending = []
        if not joined.strip():
            continue
        try:
            record = next(csv.reader(io.StringIO(joined), dialect))
        except csv.Error as exc:
            yield BadRow(start, f"unreadable CSV record: {exc}")
            continue
        if len(record) != len(header):
            yield BadRow(start, f"{len(record)} fields where the header has {len(header)}")
            continue
        yield Row(start, dict(zip(header, record, strict=True)))
    if pending:
        yield BadRow(start, "unterminated quoted field at the end of the file")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def check_workbook(path: Path, limits: Limits | None = None) -> None:
    """Refuse a workbook that would take too much to read, before reading it (InvalidInput naming why).

    Checked from the zip directory and the first bytes of each part: the number of parts, their
    total uncompressed size, the compression ratio of large parts, the size of the shared-string
    table, a declared sheet extent over the row or column limit, and any DTD (entities).
    """
    limits = limits or Limits()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a workbook at all: the reader says so in its own words
    with archive:
        parts = archive.infolist()
        if len(parts) > 10_000:
            raise InvalidInput(f"{path}: a workbook of {len(parts)} parts is refused (at most 10,000)")
        unpacked = sum(p.file_size for p in parts)
        if unpacked > limits.max_unpacked_bytes:
            raise InvalidInput(
                f"{path}: unpacks to {unpacked:,} bytes; at most {limits.max_unpacked_bytes:,} "
                "(SIGNAAL_IMPORT_MAX_UNPACKED_BYTES)"
            )
        for part in parts:
            _check_part(archive, part, path, limits)


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, path: Path, limits: Limits) -> None:
    name = part.filename
    if part.file_size > 1_000_000 and part.file_size > limits.max_ratio * max(part.compress_size, 1):
        raise InvalidInput(
            f"{path}: part {name} unpacks {part.file_size // max(part.compress_size, 1)} times its packed size "
            f"(at most {limits.max_ratio}); a compression bomb is refused"
        )
    if name.lower().endswith("sharedstrings.xml") and part.file_size > limits.max_shared_strings_bytes:
        raise InvalidInput(
            f"{path}: the shared-string table holds {part.file_size:,} bytes; at most "
            f"{limits.max_shared_strings_bytes:,} (SIGNAAL_IMPORT_MAX_SHARED_STRINGS_BYTES)"
        )
    if not name.lower().endswith((".xml", ".rels")):
        return
    try:
        with archive.open(part) as handle:
            head = handle.read(65536)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise InvalidInput(f"{path}: part {name} cannot be read ({exc})") from None
    if _DTD.search(head):
        raise InvalidInput(f"{path}: part {name} declares a DTD or entities; such workbooks are refused")
    extent = _DIMENSION.search(head) if name.lower().startswith("xl/worksheets/") else None
    if extent:
        columns, rows = _column_number(extent.group(1)), int(extent.group(2))
        if rows > limits.max_rows + 1 or columns > limits.max_columns:
            raise InvalidInput(
                f"{path}: sheet {name} declares {rows:,} rows and {columns:,} columns; at most "
                f"{limits.max_rows:,} rows (SIGNAAL_IMPORT_MAX_ROWS) and {limits.max_columns} columns "
                "(SIGNAAL_IMPORT_MAX_COLUMNS)"
            )


def _too_wide(path: Path, line: int, width: int, limits: Limits) -> InvalidInput:
    return InvalidInput(f"{path}:{line}: {width} columns; at most {limits.max_columns} (SIGNAAL_IMPORT_MAX_COLUMNS)")


def _xlsx(path: Path, limits: Limits) -> Iterator[Row | BadRow]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook(path, limits)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError) as exc:
        raise InvalidInput(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # rows as stored, not padded to a declared extent
        rows = sheet.iter_rows(values_only=True)
        try:
            header_row = next(rows, None)
            if header_row is None:
                return
            header = [str(h).strip() if h is not None else "" for h in header_row]
            if len(header) > limits.max_columns:
                raise _too_wide(path, 1, len(header), limits)
            for number, values in enumerate(rows, start=2):
                if len(values) > limits.max_columns:
                    raise _too_wide(path, number, len(values), limits)
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield Row(number, {h: v for h, v in zip(header, values, strict=False) if h})
        except InvalidInput:
            raise
        except Exception as exc:  # the parser's error is about the file, never a traceback
            raise InvalidInput(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    finally:
        workbook.close()


def _limited(rows: Iterator[Row | BadRow], path: Path, limits: Limits) -> Iterator[Row | BadRow]:
    """Stop a file with more records than the row limit (InvalidInput: nothing of it is imported)."""
    for count, row in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise InvalidInput(
                f"{path}: more than {limits.max_rows:,} records; split the file or raise SIGNAAL_IMPORT_MAX_ROWS"
            )
        if isinstance(row, Row) and len(row.values) > limits.max_columns:
            raise _too_wide(path, row.line, len(row.values), limits)
        yield row


def read_rows(
    path: Path, fmt: str | None = None, encoding: str = "utf-8", limits: Limits | None = None
) -> Iterator[Row | BadRow]:
    """Stream the records of a CSV, JSONL or XLSX file, within ``limits`` (InvalidInput past them)."""
    limits = limits or Limits()
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file")
    kind = detect_format(path, fmt)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidInput(f"unknown encoding {encoding!r}") from None
    if kind == "jsonl":
        return _limited(_jsonl(path, encoding), path, limits)
    if kind == "csv":
        return _limited(_csv(path, encoding), path, limits)
    return _limited(_xlsx(path, limits), path, limits)


def problem(path: Path, bad: BadRow) -> Problem:
    """A BadRow as a Problem naming the file."""
    return Problem(bad.reason, file=str(path), line=bad.line)
