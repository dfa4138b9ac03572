"""Stream rows from CSV, JSONL and XLSX files as ``(line, dict)`` pairs, never the whole file in memory.

A row that cannot be read at all (broken JSON, a line in the wrong encoding) comes out as a
:class:`BadRow` with its line number, so the caller decides whether to stop or skip.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signaal.errors import InvalidInput, Problem

__all__ = ["FORMULA_STARTS", "BadRow", "Row", "detect_format", "read_rows", "safe_cell"]

FORMATS = ("csv", "jsonl", "xlsx")

#: First characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A value for a CSV cell a spreadsheet will open: text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


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


def _text_lines(path: Path, encoding: str) -> Iterator[tuple[int, str | None]]:
    """Lines decoded one at a time; a line that does not decode yields None instead of stopping the file."""
    decoder_factory = codecs.getincrementaldecoder(encoding)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield number, decoder_factory().decode(raw, final=True)
            except UnicodeDecodeError:
                yield number, None


def _jsonl(path: Path, encoding: str) -> Iterator[Row | BadRow]:
    for number, text in _text_lines(path, encoding):
        if text is None:
            yield BadRow(number, f"not valid {encoding} text")
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield BadRow(number, f"broken JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(value, dict):
            yield BadRow(number, "a line must hold a JSON object")
            continue
        yield Row(number, value)


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
    header = [h.strip() for h in next(csv.reader([header_line], dialect))]
    if len(set(header)) != len(header):
        raise InvalidInput(f"{path}:1: duplicate column names in the header")
    # Records may span lines (quoted newlines), so feed the csv reader a line iterator and track
    # the physical line where each record starts.
    pending: list[str] = []
    start = 0
    for number, text in lines:
        if text is None:
            yield BadRow(number, f"not valid {encoding} text")
            continue
        if not pending:
            start = number
        pending.append(text)
        joined = "".join(pending)
        if joined.count('"') % 2 == 1:  # an open quoted field continues on the next line
            continue
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


def _xlsx(path: Path) -> Iterator[Row | BadRow]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            return
        header = [str(h).strip() if h is not None else "" for h in header_row]
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield Row(number, {h: v for h, v in zip(header, values, strict=False) if h})
    finally:
        workbook.close()


def read_rows(path: Path, fmt: str | None = None, encoding: str = "utf-8") -> Iterator[Row | BadRow]:
    """Stream the records of a CSV, JSONL or XLSX file."""
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
        return _jsonl(path, encoding)
    if kind == "csv":
        return _csv(path, encoding)
    return _xlsx(path)


def problem(path: Path, bad: BadRow) -> Problem:
    """A BadRow as a Problem naming the file."""
    return Problem(bad.reason, file=str(path), line=bad.line)
