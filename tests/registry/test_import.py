"""Importing signals: everything is checked first; all rows or none are written."""

from __future__ import annotations

import csv
import json
import os
import signal as os_signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from signaal.demo import SIGNAL_COLUMNS, generate_signals
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput
from signaal.services import signals as service
from signaal.services.intake import import_signals
from signaal.store import Store

HEADER = [
    "source_id",
    "received_at",
    "reporter_org",
    "reporter_sector",
    "region",
    "indicators",
    "forms",
    "victim_age",
    "phones",
]
GOOD = [
    [
        "S-1",
        "2025-01-10",
        "org-a",
        "care",
        "Utrecht",
        "documents_retained;debt_bondage:certain",
        "labour",
        "34",
        "06 1234 0001",
    ],
    ["S-2", "11-01-2025", "org-a", "police", "Rotterdam", "drug_running", "criminal", "16", ""],
    ["S-3", "2025-01-12", "org-a", "ngo", "", "", "", "", "0612340001"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def count(store: Store, actor: Actor) -> int:
    return service.list_signals(store, actor).total


def test_a_valid_csv_is_imported_with_identifiers_normalised(store: Store, actor: Actor, tmp_path: Path) -> None:
    report = import_signals(store, actor, write_csv(tmp_path / "signals.csv", GOOD))
    assert (report.read, report.imported, report.invalid_skipped) == (3, 3, 0)
    signals = list(service.export_signals(store, actor))
    phones = sorted(i.value for s in signals for i in s.identifiers)
    assert phones == ["+31612340001", "+31612340001"]
    first = next(s for s in signals if s.source_id == "S-1")
    assert [(i.indicator_id, i.certainty.value) for i in first.indicators] == [
        ("documents_retained", "probable"),
        ("debt_bondage", "certain"),
    ]


def test_semicolon_separated_csv_is_read_too(store: Store, actor: Actor, tmp_path: Path) -> None:
    rows = [[c.replace(";", "|") for c in r] for r in GOOD]
    report = import_signals(store, actor, write_csv(tmp_path / "s.csv", rows, delimiter=";"))
    assert report.imported == 3


def test_each_bad_row_is_named_and_nothing_is_written(store: Store, actor: Actor, tmp_path: Path) -> None:
    bad = [
        *GOOD,
        ["S-4", "2025-02-30", "org-a", "care", "Utrecht", "", "", "", ""],
        ["S-5", "2025-02-01", "org-a", "care", "Utrecht", "no_such_indicator", "", "", ""],
        ["S-6", "2025-02-01", "org-a", "care", "Utrecht", "", "", "abc", "12"],
        ["S-1", "2025-02-01", "org-a", "care", "Utrecht", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "signals.csv", bad)
    with pytest.raises(InvalidInput) as raised:
        import_signals(store, actor, path)
    found = {(p.line, p.field) for p in raised.value.problems}
    assert found == {(5, "received_at"), (6, "indicators"), (7, "victim_age"), (7, "phones"), (8, "source_id")}
    assert all(p.file == str(path) for p in raised.value.problems)
    assert "nothing was imported" in raised.value.message
    assert count(store, actor) == 0


def test_skip_invalid_imports_the_valid_rows_and_counts_the_rest(store: Store, actor: Actor, tmp_path: Path) -> None:
    rows = [*GOOD, ["S-9", "not a date", "org-a", "care", "", "", "", "", ""]]
    report = import_signals(store, actor, write_csv(tmp_path / "s.csv", rows), skip_invalid=True)
    assert (report.imported, report.invalid_skipped) == (3, 1)
    assert count(store, actor) == 3


def test_reimporting_the_same_source_ids_creates_no_duplicates(store: Store, actor: Actor, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", GOOD)
    import_signals(store, actor, path)
    again = import_signals(store, actor, path)
    assert (again.imported, again.already_present) == (0, 3)
    assert count(store, actor) == 3


def test_jsonl_with_broken_lines_is_refused_with_line_numbers(store: Store, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    good = {"source_id": "J-1", "received_at": "2025-01-01", "reporter_org": "org-a", "reporter_sector": "care"}
    path.write_text(json.dumps(good) + "\n{broken\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        import_signals(store, actor, path)
    assert [(p.line, p.reason.split(":")[0]) for p in raised.value.problems] == [
        (2, "broken JSON"),
        (3, "a line must hold a JSON object"),
    ]
    assert count(store, actor) == 0


def test_nested_jsonl_records_are_accepted(store: Store, actor: Actor, tmp_path: Path) -> None:
    record = {
        "source_id": "J-2",
        "received_at": "2025-01-01",
        "reporter_org": "org-a",
        "reporter_sector": "care",
        "persons": [{"role": "victim", "age": 15}, {"role": "suspect", "age": 31}],
        "identifiers": [{"kind": "iban", "value": "NL91ABNA0417164300"}],
        "facts": {"needs_shelter": True},
    }
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_signals(store, actor, path)
    (signal,) = service.export_signals(store, actor)
    assert [p.role.value for p in signal.persons] == ["victim", "suspect"]
    assert signal.facts == {"needs_shelter": True}


def test_a_file_in_the_wrong_encoding_is_reported_per_line(store: Store, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    text = "source_id,received_at,reporter_org,reporter_sector,region\nL-1,2025-01-01,org-a,care,Súdwest-Fryslân\n"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InvalidInput) as raised:
        import_signals(store, actor, path)
    assert raised.value.problems[0].line == 2
    assert "not valid utf-8" in raised.value.problems[0].reason
    report = import_signals(store, actor, path, encoding="latin-1")
    assert report.imported == 1


def test_xlsx_with_a_column_mapping(store: Store, actor: Actor, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kenmerk", "datum", "organisatie", "sector", "gemeente"])
    sheet.append(["X-1", "2025-03-01", "org-a", "municipality", "Tilburg"])
    path = tmp_path / "signalen.xlsx"
    book.save(path)
    mapping = {
        "source_id": "kenmerk",
        "received_at": "datum",
        "reporter_org": "organisatie",
        "reporter_sector": "sector",
        "region": "gemeente",
    }
    report = import_signals(store, actor, path, mapping=mapping)
    assert report.imported == 1
    (signal,) = service.export_signals(store, actor)
    assert signal.police_unit == "zeeland-west-brabant"


def test_a_file_named_xlsx_that_is_no_workbook_is_a_clear_error(store: Store, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "signalen.xlsx"
    path.write_bytes(b"id;datum\n1;2025-03-01\n")  # a CSV saved under the wrong name
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        import_signals(store, actor, path)


def test_a_missing_file_and_an_unknown_format_are_clear_errors(store: Store, actor: Actor, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        import_signals(store, actor, tmp_path / "absent.csv")
    other = tmp_path / "signals.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(InvalidInput, match="unknown file format"):
        import_signals(store, actor, other)


def test_generated_demo_signals_all_import(store: Store, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "demo.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_signals(120, seed=3))
    report = import_signals(store, actor, path)
    assert report.imported == 120


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_killed_import_leaves_all_or_nothing(tmp_path: Path, db_url: str) -> None:
    """Kill the importer while it writes; the registry then holds the whole batch or none of it."""
    path = tmp_path / "big.csv"
    total = 12000
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_signals(total, seed=5))
    env = {**os.environ, "SIGNAAL_DATABASE_URL": db_url, "SIGNAAL_ORG": "org-a", "SIGNAAL_ROLE": "coordinator"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from signaal.cli import main; sys.exit(main(sys.argv[1:]))",
            "signals",
            "import",
            str(path),
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # wait until at least one batch has been written inside the transaction
        if line.startswith("written"):
            break
        assert time.monotonic() < deadline
    proc.send_signal(os_signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -os_signal.SIGKILL
    from signaal.settings import Settings
    from signaal.store import open_store

    store = open_store(Settings(database_url=db_url))
    try:
        from signaal.domain.actor import Role

        seen = service.list_signals(store, Actor("t", "org-a", Role.ADMIN)).total
    finally:
        store.close()
    assert seen in (0, total)
