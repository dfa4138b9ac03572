"""How ad dumps are read: number cells, broken text, encodings, delimiters, skipped records.

Every dump here is synthetic, written by the test itself: the ads, names, cities and numbers
(06 1234 xxxx) are invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from signaal.cli import main
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


def _surrogate_dump(path: Path) -> Path:
    # json.dumps writes a lone surrogate as the escape "\udxxx", as a scraper that cut an emoji does
    records = [
        {
            "id": "x\udc00",
            "title": "Nieuw in de stad \ud83d",
            "body": "Ik ben Anna, bel 06 1234 0001",
            "city": "Utrecht",
        },
        {"id": "y", "name": "An\ud83dna", "body": "Ik ben Bo, bel 06 1234 0001", "city": "Bre\udc00da"},
        {"id": "z", "body": "Ik ben Cleo, bel 06 1234 0001", "phones": ["06 1234 0001\ud83d"], "url": "u\udfff"},
    ]
    return _write_jsonl(path, records)


def test_lone_surrogates_are_replaced_at_the_reader(tmp_path: Path) -> None:
    report = SkipReport()
    ads = list(read_ads(_surrogate_dump(tmp_path / "ads.jsonl"), report=report))
    assert report.skipped == 0 and len(ads) == 3
    assert [a.id for a in ads] == ["x\ufffd", "y", "z"]
    assert ads[0].title == "Nieuw in de stad \ufffd" and ads[1].name == "An\ufffdna"
    assert ads[1].city == "Bre\ufffdda" and ads[2].phones == ("06 1234 0001\ufffd",) and ads[2].url == "u\ufffd"
    for ad in ads:
        for value in (ad.id, ad.title, ad.body, ad.city, ad.name, ad.url, *ad.phones):
            value.encode("utf-8")  # raises on a lone surrogate


def test_lone_surrogates_neither_stop_the_screen_nor_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["ads", "screen", str(_surrogate_dump(tmp_path / "ads.jsonl")), "--out", str(out)])
    assert code == 0
    written = [json.loads(x) for x in (out / "ads.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [a["id"] for a in written] == ["x\ufffd", "y", "z"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "ad x\ufffd" in html and "\ufffd</strong>" in html


def test_a_broken_workbook_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "ads.xlsx"
    junk.write_bytes(b"not a zip at all")
    assert main(["ads", "screen", str(junk), "--out", str(tmp_path / "o1")]) == 2
    err = capsys.readouterr().err
    assert "ads.xlsx: not a readable .xlsx workbook" in err and "Traceback" not in err
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "body"])
    for i in range(40):
        ws.append([i, f"Ik ben Anna {i}"])
    wb.save(tmp_path / "good.xlsx")
    half = (tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(half[: len(half) // 2])
    assert main(["ads", "screen", str(tmp_path / "cut.xlsx"), "--out", str(tmp_path / "o2")]) == 2
    assert "cut.xlsx: not a readable .xlsx workbook" in capsys.readouterr().err
    assert not (tmp_path / "o1" / "ads.jsonl").exists() and not (tmp_path / "o2" / "ads.jsonl").exists()


def test_a_folder_is_not_a_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dump.jsonl").mkdir()
    assert main(["ads", "screen", str(tmp_path / "dump.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "is a folder, not a file" in capsys.readouterr().err
