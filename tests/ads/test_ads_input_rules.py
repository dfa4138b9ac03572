"""How ad dumps are read: number cells, broken text, encodings, delimiters, skipped records.

Every dump here is synthetic, written by the test itself: the ads, names, cities and numbers
(06 1234 xxxx) are invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from signaal.ingest.ads import SkipReport, read_ads


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_number_cells_of_a_workbook_read_as_digits(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "body", "phones", "age"])
    ws.append([1, "Ik ben Anna, nieuw in de stad", 612340001, 22.0])
    ws.append([2.0, "Ik ben Bo", 31612340001, 23])
    ws.append([3, "Ik ben Cleo", "06 1234 0001", "19"])
    wb.save(tmp_path / "ads.xlsx")
    ads = list(read_ads(tmp_path / "ads.xlsx"))
    assert [(a.id, a.phones, a.age) for a in ads] == [
        ("1", ("612340001",), "22"),
        ("2", ("31612340001",), "23"),
        ("3", ("06 1234 0001",), "19"),
    ]


def test_json_numbers_read_as_digits(tmp_path: Path) -> None:
    dump = _write_jsonl(
        tmp_path / "ads.jsonl",
        [
            {"id": 7, "body": "bel mij", "phones": 612340003, "age": 21.0},
            {"id": "8", "body": "bel mij", "phones": [612340004.0, "", None, "06 1234 0005"], "age": float("nan")},
        ],
    )
    ads = list(read_ads(dump))
    assert [(a.id, a.phones, a.age) for a in ads] == [
        ("7", ("612340003",), "21"),
        ("8", ("612340004", "06 1234 0005"), ""),
    ]


def test_a_report_is_empty_for_a_clean_dump(tmp_path: Path) -> None:
    report = SkipReport()
    dump = _write_jsonl(tmp_path / "ads.jsonl", [{"id": "1", "body": "hallo"}])
    assert len(list(read_ads(dump, report=report))) == 1 and report.skipped == 0
