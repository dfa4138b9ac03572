"""Synthetic workbooks for the spreadsheet-bomb tests: a valid small one, then parts rewritten."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

__all__ = ["HEADER", "replace_part", "signal_workbook"]

HEADER = ["received_at", "reporter_org", "reporter_sector", "region", "narrative"]


def signal_workbook(path: Path, rows: int = 3, extra_column: int | None = None) -> Path:
    """A small XLSX of synthetic signals; ``extra_column`` puts one more cell that far to the right."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append(["2026-01-05", "org-a", "youth", "Utrecht", f"synthetic narrative {i}"])
    if extra_column is not None:
        sheet.cell(row=2, column=extra_column, value="far")
    book.save(path)
    return path


def replace_part(path: Path, name: str, data: bytes) -> Path:
    """Rewrite one part of a workbook (deflated), keeping the others."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, content in parts.items():
            target.writestr(part, content)
    return path


def sheet_part(path: Path) -> bytes:
    """The first worksheet's XML."""
    with zipfile.ZipFile(path) as source:
        return source.read("xl/worksheets/sheet1.xml")


def add_shared_strings(path: Path, count: int) -> Path:
    """Give a workbook a shared-string table of ``count`` distinct random strings (linked and typed)."""
    import secrets

    with zipfile.ZipFile(path) as source:
        rels = source.read("xl/_rels/workbook.xml.rels")
        types = source.read("[Content_Types].xml")
    items = b"".join(b"<si><t>" + secrets.token_hex(20).encode() + b"</t></si>" for _ in range(count))
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + items
        + b"</sst>"
    )
    rel = (
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    replace_part(path, "xl/_rels/workbook.xml.rels", rels.replace(b"</Relationships>", rel + b"</Relationships>"))
    replace_part(path, "[Content_Types].xml", types.replace(b"</Types>", override + b"</Types>"))
    return replace_part(path, "xl/sharedStrings.xml", table)
