"""The registry's own overlap: linked possible victims of a year become a capture-pattern table (both databases)."""

from __future__ import annotations

import csv
import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput
from signaal.mse import estimate, table_from_histories
from signaal.services.link import import_registrations, run_linking
from signaal.services.mse import estimate_registry, registry_table
from signaal.store import Store

ADMIN = Actor("root", "riec-synth", Role.ADMIN)
ANALYST = Actor("ana", "riec-synth", Role.ANALYST)
ORGS = ("politie-synth", "kmar-synth", "zorg-synth")
#: SYNTHETIC capture histories: how many invented victims each combination of organisations recorded.
HISTORIES = {(0,): 14, (1,): 9, (2,): 11, (0, 1): 5, (0, 2): 6, (1, 2): 3, (0, 1, 2): 2}
SYLLABLES = ["ka", "lo", "mi", "re", "su", "ta", "vo", "ne", "di", "ra", "pe", "go", "zu", "fi", "ba", "xe"]


def invented_people(count: int) -> list[dict[str, str]]:
    """Invented, clearly distinct people (SYNTHETIC names and birth dates)."""
    rng = np.random.default_rng(42)
    people, seen = [], set()
    while len(people) < count:
        first = "".join(rng.choice(SYLLABLES, 2)).capitalize()
        last = "".join(rng.choice(SYLLABLES, 3)).capitalize()
        if first in seen or last in seen:
            continue
        seen |= {first, last}
        n = len(people)
        people.append(
            {
                "name": f"{first} {last}",
                "birth_date": f"{1965 + n:04d}-{1 + n % 12:02d}-{1 + (n * 7) % 28:02d}",
                "sex": "f" if n % 3 else "m",
                "nationality": ["RO", "NG", "BG", "PL", "NL"][n % 5],
                "city": ["Eindhoven", "Tilburg", "Breda", "Utrecht"][n % 4],
            }
        )
    return people


def registrations(tmp_path: Path) -> list[Path]:
    """One SYNTHETIC registration file per organisation, victims in 2025, plus one 2024 case."""
    people = invented_people(sum(HISTORIES.values()) + 1)
    rows: dict[int, list[dict[str, str]]] = {i: [] for i in range(len(ORGS))}
    n = 0
    for orgs, count in HISTORIES.items():
        for _ in range(count):
            for org in orgs:
                rows[org].append({**people[n], "case_id": f"C{n}", "person_id": f"p{n}", "record_date": "2025-05-01"})
            n += 1
    rows[0].append({**people[n], "case_id": "OLD", "person_id": "old", "record_date": "2024-03-01"})
    paths = []
    for org, items in rows.items():
        path = tmp_path / f"{ORGS[org]}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=["source", "case_id", "record_date", "role", "person_id", *people[0]]
            )
            writer.writeheader()
            writer.writerows({"source": ORGS[org], "role": "victim", **r} for r in items)
        paths.append(path)
    return paths


def known_table():  # type: ignore[no-untyped-def]
    histories = [[ORGS[i] for i in orgs] for orgs, count in HISTORIES.items() for _ in range(count)]
    return table_from_histories(sorted(ORGS), histories)


@pytest.fixture
def linked(store: Store, tmp_path: Path) -> Store:
    for path in registrations(tmp_path):
        import_registrations(store, ADMIN, path)
    run_linking(store, ANALYST)
    return store


def test_linked_victims_of_a_year_make_the_capture_table(linked: Store) -> None:
    table = registry_table(linked, ANALYST, 2025)
    expected = known_table()
    assert table.lists == expected.lists == tuple(sorted(ORGS))
    assert np.array_equal(table.counts, expected.counts)
    total, _ = estimate_registry(linked, ANALYST, 2025, "independence", "wald")
    assert total.estimate == pytest.approx(estimate(expected, "independence", "wald").estimate)
    assert total.observed == sum(HISTORIES.values())


def test_other_years_and_roles_are_kept_out(linked: Store) -> None:
    with pytest.raises(InvalidInput, match="only politie-synth recorded"):
        registry_table(linked, ANALYST, 2024)
    with pytest.raises(InvalidInput, match="no linked possible victims in 2023"):
        registry_table(linked, ANALYST, 2023)
    with pytest.raises(Forbidden):
        registry_table(linked, Actor("rep", "zorg-synth", Role.REPORTER), 2025)


def test_cli_from_registry(
    linked: Store, cli_env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAAL_ROLE", "analyst")
    code = main(
        ["mse", "estimate", "--from-registry", "--year", "2025", "--method", "independence", "--format", "json"]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    result = json.loads(out.out)
    assert result["observed"] == sum(HISTORIES.values())
    assert result["lists"] == sorted(ORGS)
    assert main(["mse", "estimate", "--from-registry", "--method", "independence"]) == 2
    assert "--year" in capsys.readouterr().err


def test_pairs_of_lists_are_all_present_in_the_synthetic_histories() -> None:
    # guard on the fixture itself: every pair of organisations overlaps, so the estimate exists
    for a, b in combinations(range(3), 2):
        assert any(a in orgs and b in orgs for orgs in HISTORIES)


def test_strata_by_nationality_group_partition_the_persons(linked: Store) -> None:
    from signaal.services.mse import registry_tables

    tables = registry_tables(linked, ANALYST, 2025, by="nationality")
    assert {t.stratum for t in tables} <= {"nl", "eu", "non_eu", "unknown"}
    assert len(tables) > 1
    assert np.array_equal(sum(t.counts for t in tables), known_table().counts)
    total, parts = estimate_registry(linked, ANALYST, 2025, "independence", "wald", by="nationality")
    assert total.observed == sum(HISTORIES.values())
    assert total.estimate == pytest.approx(sum(p.estimate for p in parts))
    assert any("merged because too small" in w for w in total.warnings)  # 49 persons: every group is below 30
    with pytest.raises(InvalidInput, match="unknown stratum 'region'"):
        registry_tables(linked, ANALYST, 2025, by="region")
