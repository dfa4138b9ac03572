"""Hole 3: spreadsheet bombs are refused before they are read, on the CLI and in ad screening;
a refused file writes nothing (synthetic workbooks, both databases)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from workbooks import add_shared_strings, replace_part, sheet_part, signal_workbook

from signaal.cli import main
from signaal.domain.actor import Actor
from signaal.services import signals as service
from signaal.store import Store

pytestmark = pytest.mark.storage


def _import(path: Path) -> int:
    return main(["signals", "import", str(path)])


def _count(store: Store, actor: Actor) -> int:
    return service.list_signals(store, actor).total


def _padded_sheet(path: Path, megabytes: int) -> Path:
    """The sheet's XML with many megabytes of whitespace: valid, tiny packed, huge unpacked."""
    xml = sheet_part(path)
    padded = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes * 1024 * 1024), 1)
    assert padded != xml
    return replace_part(path, "xl/worksheets/sheet1.xml", padded)


def test_a_compression_bomb_is_refused_and_nothing_written(
    tmp_path: Path, store: Store, actor: Actor, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = _padded_sheet(signal_workbook(tmp_path / "bomb.xlsx"), 40)
    assert bomb.stat().st_size < 200_000
    assert _import(bomb) == 2
    err = capsys.readouterr().err
    assert "bomb.xlsx" in err and "compression bomb" in err
    assert _count(store, actor) == 0


def test_a_workbook_over_the_unpacked_limit_is_refused(
    tmp_path: Path, store: Store, actor: Actor, cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAAL_IMPORT_MAX_UNPACKED_BYTES", str(2 * 1024 * 1024))
    # 3 MB of incompressible text in a cell-free part: big unpacked, not a high ratio
    path = replace_part(signal_workbook(tmp_path / "big.xlsx"), "docProps/custom.bin", secrets.token_bytes(3_000_000))
    assert _import(path) == 2
    assert _count(store, actor) == 0


def test_a_large_shared_string_table_is_refused(
    tmp_path: Path,
    store: Store,
    actor: Actor,
    cli_env: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SIGNAAL_IMPORT_MAX_SHARED_STRINGS_BYTES", str(1024 * 1024))
    path = add_shared_strings(signal_workbook(tmp_path / "strings.xlsx"), 40_000)
    assert _import(path) == 2
    assert "shared-string table" in capsys.readouterr().err
    assert _count(store, actor) == 0


def test_rows_over_the_limit_are_refused_in_every_format(
    tmp_path: Path, store: Store, actor: Actor, cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAAL_IMPORT_MAX_ROWS", "20")
    xlsx = signal_workbook(tmp_path / "rows.xlsx", rows=30)
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text(
        "received_at,reporter_org,reporter_sector,region\n" + "2026-01-05,org-a,youth,Utrecht\n" * 30, encoding="utf-8"
    )
    jsonl = tmp_path / "rows.jsonl"
    line = '{"received_at": "2026-01-05", "reporter_org": "org-a", "reporter_sector": "youth", "region": "Utrecht"}\n'
    jsonl.write_text(line * 30, encoding="utf-8")
    for path in (xlsx, csv_file, jsonl):
        assert _import(path) == 2, path
    assert _count(store, actor) == 0
    monkeypatch.setenv("SIGNAAL_IMPORT_MAX_ROWS", "40")
    assert _import(xlsx) == 0
    assert _count(store, actor) == 30


def test_a_far_column_is_refused_declared_or_not(
    tmp_path: Path, store: Store, actor: Actor, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = signal_workbook(tmp_path / "wide.xlsx", extra_column=16_000)
    assert _import(wide) == 2
    assert "columns" in capsys.readouterr().err
    # the same sheet declaring a small extent (a lie) is caught while it is read
    lying = wide.read_bytes()
    path = tmp_path / "lying.xlsx"
    path.write_bytes(lying)
    xml = sheet_part(path)
    start = xml.index(b'<dimension ref="')
    end = xml.index(b'"', start + len(b'<dimension ref="'))
    replace_part(path, "xl/worksheets/sheet1.xml", xml[:start] + b'<dimension ref="A1:E4' + xml[end:])
    assert _import(path) == 2
    assert _count(store, actor) == 0


def test_a_workbook_with_a_dtd_is_refused(
    tmp_path: Path, store: Store, actor: Actor, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signal_workbook(tmp_path / "dtd.xlsx")
    xml = sheet_part(path)
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "synthetic"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    head_end = xml.index(b"?>") + 2 if b"?>" in xml else 0
    replace_part(path, "xl/worksheets/sheet1.xml", xml[:head_end] + laughs + xml[head_end:])
    assert _import(path) == 2
    assert "DTD" in capsys.readouterr().err
    assert _count(store, actor) == 0


def test_ad_screening_refuses_a_spreadsheet_bomb(
    tmp_path: Path, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "title", "body", "city"])
    sheet.append(["a1", "synthetic", "synthetic ad text", "Utrecht"])
    path = tmp_path / "ads.xlsx"
    book.save(path)
    _padded_sheet(path, 40)
    out = tmp_path / "out"
    assert main(["ads", "screen", str(path), "--out", str(out)]) == 2
    assert "compression bomb" in capsys.readouterr().err
    assert not (out / "ads.jsonl").exists()
