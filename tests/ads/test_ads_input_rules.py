"""How ad dumps are read: number cells, broken text, encodings, delimiters, skipped records.

Every dump here is synthetic, written by the test itself: the ads, names, cities and numbers
(06 1234 xxxx) are invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from ads_fixtures import SCREENER

from signaal.cli import main
from signaal.ingest.ads import SkipReport, read_ads
from signaal.settings import Settings


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
    assert "Advertentie x\ufffd" in html and "\ufffd</strong>" in html


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


def _csv_rows(n: int, start: int = 1) -> list[str]:
    return [f'{i},"Ik ben Anna {i}, nieuw in de stad",Utrecht,06 1234 {i % 10000:04d}' for i in range(start, start + n)]


def test_a_csv_line_in_another_encoding_stops_the_screen_with_its_line_and_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _csv_rows(300)
    rows[199] = '200,"Ik ben Zoë, nieuw",Utrecht,06 1234 0200'
    body = ("id,body,city,phones\n" + "\n".join(rows[:199])).encode() + b"\n"
    body += (rows[199] + "\n").encode("cp1252") + ("\n".join(rows[200:]) + "\n").encode()
    dump = tmp_path / "ads.csv"
    dump.write_bytes(body)
    out = tmp_path / "out"
    assert main(["ads", "screen", str(dump), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "ads.csv: line 201 is not UTF-8 text (byte 15 of the line is 0xeb)" in err
    assert "--encoding cp1252" in err and "Traceback" not in err
    assert not out.exists()  # nothing written
    assert main(["ads", "screen", str(dump), "--out", str(out), "--encoding", "cp1252", "--no-report"]) == 0
    assert len((out / "ads.jsonl").read_text(encoding="utf-8").splitlines()) == 300
    assert (out / "skipped.jsonl").read_text() == ""


def test_an_excel_export_with_semicolons_in_cp1252_reads_every_ad(tmp_path: Path) -> None:
    dump = tmp_path / "ads.csv"
    dump.write_bytes(
        "id;body;city;phones\r\n1;Café Zoë, nieuw in de stad;Utrecht;0612340001\r\n2;Hé, ik ben Bo;Breda;0612340001\r\n".encode(
            "cp1252"
        )
    )
    ads = list(read_ads(dump, encoding="cp1252"))
    assert [(a.id, a.body, a.city, a.phones) for a in ads] == [
        ("1", "Café Zoë, nieuw in de stad", "Utrecht", ("0612340001",)),
        ("2", "Hé, ik ben Bo", "Breda", ("0612340001",)),
    ]
    tabs = tmp_path / "ads.tsv"
    tabs.write_text("id\tbody\tcity\n1\tIk ben Anna, nieuw\tUtrecht\n", encoding="utf-8")
    assert [(a.id, a.body, a.city) for a in read_ads(tabs)] == [("1", "Ik ben Anna, nieuw", "Utrecht")]


def test_a_file_without_a_text_column_names_its_columns_and_the_map_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "ads.csv"
    dump.write_text("advertentie_id,tekst,plaats\n1,Ik ben Anna,Utrecht\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ads", "screen", str(dump), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no title or body column" in err and "'advertentie_id', 'tekst', 'plaats'" in err
    assert "--map body=COLUMN" in err and not out.exists()
    assert main(["ads", "screen", str(dump), "--out", str(out), "--map", "body=text"]) == 2
    assert "--map body=text: no such column" in capsys.readouterr().err
    assert main(["ads", "screen", str(dump), "--out", str(out), "--map", "body=tekst", "--no-report"]) == 0
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["advertentie_id", "tekst"])
    ws.append([1, "Ik ben Anna"])
    wb.save(tmp_path / "ads.xlsx")
    assert main(["ads", "screen", str(tmp_path / "ads.xlsx"), "--out", str(tmp_path / "o2")]) == 2
    assert "no title or body column" in capsys.readouterr().err


def test_a_dump_with_no_readable_ad_fails_and_lists_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = _write_jsonl(tmp_path / "ads.jsonl", [{"id": str(i), "tekst": f"Ik ben Anna {i}"} for i in range(30)])
    out = tmp_path / "out"
    assert main(["ads", "screen", str(dump), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no ad could be read: all 30 records were skipped" in err and "--map body=FIELD" in err
    assert "no title or body field (fields: 'id', 'tekst')" in err
    assert not (out / "ads.jsonl").exists()
    assert len((out / "skipped.jsonl").read_text().splitlines()) == 30
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert main(["ads", "screen", str(empty), "--out", str(tmp_path / "o2")]) == 2
    assert "no ads in the file" in capsys.readouterr().err and not (tmp_path / "o2").exists()


def test_every_skipped_record_is_listed_in_line_order_without_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """More skipped records than the report keeps in memory, from the reader (a CSV record with
    too many fields) and from the workers (empty ads), over several batches."""
    from signaal.ads.batch import BATCH

    rows = _csv_rows(3 * BATCH)
    bad_lines = []
    for k in range(0, len(rows), 2):  # every other record is bad, alternately of each kind
        rows[k] = f'{k + 1},"Ik ben Geheim {k}",Utrecht,0612340001,extra' if k % 4 else f"{k + 1},,Utrecht,"
        bad_lines.append(k + 2)
    extra = [f'{n},"",Utrecht,' for n in range(3 * BATCH + 1, 3 * BATCH + 700)]  # empty ads at the end
    dump = tmp_path / "ads.csv"
    dump.write_text("id,body,city,phones\n" + "\n".join(rows + extra) + "\n", encoding="utf-8")
    bad_lines += list(range(3 * BATCH + 2, 3 * BATCH + 701))
    out = tmp_path / "out"
    assert main(["ads", "screen", str(dump), "--out", str(out), "--workers", "2", "--no-report"]) == 0
    listed = [json.loads(x) for x in (out / "skipped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(bad_lines) > SkipReport.KEPT
    assert [x["line"] for x in listed] == bad_lines
    assert all(set(x) == {"line", "field", "reason"} for x in listed)
    assert {x["reason"] for x in listed} == {"5 fields where the header has 4", "empty ad (no title and no body)"}
    assert "Geheim" not in (out / "skipped.jsonl").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert f"skipped {len(bad_lines)} records (all listed in {out / 'skipped.jsonl'})" in err
    assert f"... and {len(bad_lines) - 5} more" in err and len(err.splitlines()) < 15


def test_a_later_ad_with_a_known_id_is_skipped_as_a_duplicate(tmp_path: Path) -> None:
    dump = _write_jsonl(
        tmp_path / "ads.jsonl",
        [
            {"id": "g1", "title": "Nieuw", "body": "Ik ben Anna, bel 06 1234 0001", "city": "Utrecht"},
            {"id": "g2", "title": "Nieuw", "body": "Ik ben Bo, bel 06 1234 0001", "city": "Breda"},
            {"id": "g1", "title": "Anders", "body": "Ik ben Cleo, bel 06 1234 0099", "city": "Zwolle"},
        ],
    )
    report = SkipReport()
    assert [a.line for a in read_ads(dump, report=report)] == [1, 2]
    assert [str(p) for p in report.problems] == [
        "ads.jsonl:3, field 'id': duplicate id 'g1', first on line 1; this later ad is skipped"
    ]
    out = tmp_path / "out"
    assert main(["ads", "screen", str(dump), "--out", str(out)]) == 0
    written = [json.loads(x) for x in (out / "ads.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(a["id"], a["contacts"]) for a in written] == [
        ("g1", ["phone:+31612340001"]),
        ("g2", ["phone:+31612340001"]),
    ]
    skipped = [json.loads(x) for x in (out / "skipped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert skipped == [
        {"line": 3, "field": "id", "reason": "duplicate id 'g1', first on line 1; this later ad is skipped"}
    ]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Anna" in html and "Cleo" not in html  # the group shows the first ad with the id


def test_duplicates_across_batches_leave_the_screen_as_without_them(tmp_path: Path) -> None:
    """Workers and several batches: a dump with later copies of earlier ids (other texts and
    numbers) screens exactly like the same dump without them (synthetic ads)."""
    from signaal.ads.batch import BATCH
    from signaal.ads.synthetic import generate_ads
    from signaal.services.ads import screen_dump

    good = list(generate_ads(3 * BATCH + 30, seed=11))
    clean = _write_jsonl(tmp_path / "clean.jsonl", good)
    mixed = list(good)
    positions = [5, BATCH - 1, BATCH, 2 * BATCH + 7, len(mixed)]
    for k, at in enumerate(sorted(positions, reverse=True)):
        copy = {**good[k], "body": f"Heel anders, bel 06 1234 9{k:03d}", "city": "Zwolle"}
        mixed.insert(at, copy)
    dump = _write_jsonl(tmp_path / "mixed.jsonl", mixed)
    a = screen_dump(SCREENER, clean, tmp_path / "a", Settings(), html=False, workers=2)
    b = screen_dump(SCREENER, dump, tmp_path / "b", Settings(), html=False, workers=2)
    assert (a.ads, a.clusters, a.hubs) == (b.ads, b.clusters, b.hubs)
    for name in ("ads.jsonl", "clusters.jsonl", "index.json"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name
    assert b.skipped.skipped == len(positions)
    assert all(p.field == "id" and "duplicate id" in p.reason for p in b.skipped.problems)
