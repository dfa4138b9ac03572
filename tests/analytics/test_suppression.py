"""Small-cell suppression: an attacker with every published table of one report cannot recover a small cell."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog

from signaal.analytics.suppression import suppress_report, suppress_table
from signaal.analytics.synthetic import synthetic_signals
from signaal.analytics.tables import CountTable, PublishedTable
from signaal.domain.actor import Actor, Role
from signaal.services.monitor import build_monitor
from signaal.settings import Settings
from signaal.store import open_store


def _attack(published: list[PublishedTable]) -> list[tuple[str, tuple[int, int], float, float, int]]:
    """For every primary cell: its range given ALL published tables of the report jointly (LP bounds).

    Each table's rows add up over the periods; an additive table's columns add up to its totals;
    cells that stand for the same number in several tables (totals per period, a row that equals
    another table's totals) are one unknown. Hidden cells are at least 1 (zeros are shown).
    """
    unknowns: dict[tuple[str, str], int] = {}  # shared key/period or table/cell -> variable
    known: dict[tuple[str, str], float] = {}

    def ref(pub: PublishedTable, r: int, c: int) -> tuple[str, str]:
        cols = [*pub.source.cols, "total"]
        rows = [*pub.source.rows, "__total__"]
        key = pub.source.row_keys.get(rows[r]) if r < len(pub.source.rows) else pub.source.totals_are
        return (key, cols[c]) if key else (pub.id, f"{r}/{c}")

    for pub in published:
        for r, row in enumerate(pub.values):
            for c, value in enumerate(row):
                name = ref(pub, r, c)
                if value is None:
                    assert name not in known, f"{name} is shown in one table and hidden in another"
                    unknowns.setdefault(name, len(unknowns))
                else:
                    assert name not in unknowns, f"{name} is hidden in one table and shown in another"
                    known[name] = value
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for pub in published:
        grid_rows, grid_cols = len(pub.values), len(pub.values[0])
        lines = [[(r, c) for c in range(grid_cols - 1)] + [(r, grid_cols - 1)] for r in range(grid_rows)]
        if pub.source.additive:
            lines += [[(r, c) for r in range(grid_rows - 1)] + [(grid_rows - 1, c)] for c in range(grid_cols)]
        for line in lines:
            coef, rhs = np.zeros(len(unknowns)), 0.0
            for i, (r, c) in enumerate(line):
                sign = -1.0 if i == len(line) - 1 else 1.0
                name = ref(pub, r, c)
                if name in unknowns:
                    coef[unknowns[name]] += sign
                else:
                    rhs -= sign * known[name]
            if coef.any():
                a_eq.append(coef)
                b_eq.append(rhs)
        if not pub.source.additive:  # overlapping rows: each cell is at most its period's total
            for r in range(grid_rows - 1):
                for c in range(grid_cols - 1):
                    cell, total = ref(pub, r, c), ref(pub, grid_rows - 1, c)
                    coef, rhs = np.zeros(len(unknowns)), 0.0
                    for name, sign in ((cell, 1.0), (total, -1.0)):
                        if name in unknowns:
                            coef[unknowns[name]] += sign
                        else:
                            rhs -= sign * known[name]
                    if coef.any():
                        a_ub.append(coef)
                        b_ub.append(rhs)
    out = []
    for pub in published:
        for r, row in enumerate(pub.marks):
            for c, mark in enumerate(row):
                if mark != "p":
                    continue
                objective = np.zeros(len(unknowns))
                objective[unknowns[ref(pub, r, c)]] = 1
                kwargs = {
                    "A_eq": a_eq or None,
                    "b_eq": b_eq or None,
                    "A_ub": a_ub or None,
                    "b_ub": b_ub or None,
                    "bounds": [(1, None)] * len(unknowns),
                    "method": "highs",
                }
                low = linprog(objective, **kwargs)
                high = linprog(-objective, **kwargs)
                assert low.status == 0, f"{pub.id} {r}/{c}: the published tables are inconsistent"
                hi = float("inf") if high.status == 3 else -float(high.fun)
                out.append((pub.id, (r, c), float(low.fun), hi, pub.source.grid()[r][c]))
    return out


def _random_table(rng: random.Random, table_id: str, years: tuple[str, ...], rows: int, key: str) -> CountTable:
    cells = tuple(tuple(rng.choice((0, 1, 2, 4, 7, 9, 12, 15, 30, 80)) for _ in years) for _ in range(rows))
    totals = tuple(sum(r[i] for r in cells) for i in range(len(years)))
    return CountTable(
        table_id, {"en": table_id}, table_id, tuple(f"c{i}" for i in range(rows)), years, cells, totals, total_key=key
    )


def test_no_small_cell_can_be_narrowed_in_random_tables() -> None:
    rng = random.Random(5)
    years = ("2020", "2021", "2022", "2023")
    for _ in range(20):
        table = _random_table(rng, "t", years, rng.randrange(2, 6), "t")
        for _, _, low, high, value in _attack([suppress_table(table, 10)]):
            assert low <= value <= high
            assert high - low >= 5


def test_shared_totals_are_hidden_alike_in_every_table() -> None:
    rng = random.Random(9)
    years = ("2021", "2022", "2023")
    tables = [_random_table(rng, f"t{i}", years, 3, "signals") for i in range(3)]
    # Make the tables breakdowns of the same totals.
    totals = tables[0].col_totals
    fixed = [tables[0]]
    for t in tables[1:]:
        first = tuple(totals[i] - sum(row[i] for row in t.cells[1:]) for i in range(len(years)))
        if min(first) < 0:
            continue
        fixed.append(
            CountTable(t.id, t.title, t.dimension, t.rows, years, (first, *t.cells[1:]), totals, total_key="signals")
        )
    for _, _, low, high, value in _attack(suppress_report(fixed, 10)):
        assert low <= value <= high and high - low >= 5


def test_no_small_cell_of_a_monitor_report_can_be_recovered(tmp_path: Path, load: Any) -> None:
    """Every combination of the published tables of one report: the attacker uses them all at once."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", analytics_dir=tmp_path / "an")
    store = open_store(settings)
    try:
        analyst = Actor("a", "org", Role.ANALYST)
        load(store, analyst, synthetic_signals(2019, 2023, per_year=120, seed=4))
        _report, published = build_monitor(store, Actor("p", "org", Role.COORDINATOR), 2023)
    finally:
        store.close()
    ranges = _attack(published)
    assert len(ranges) > 20  # the data are small enough to have many small cells
    per_table: dict[str, int] = defaultdict(int)
    for table_id, _, low, high, value in ranges:
        per_table[table_id] += 1
        assert low <= value <= high
        assert high - low >= 5, f"{table_id}: a small cell is pinned to [{low}, {high}]"
    for pub in published:
        for row, marks in zip(pub.values, pub.marks, strict=True):
            assert all((v is None) == bool(m) for v, m in zip(row, marks, strict=True))
            assert all(v is None or v == 0 or v >= 10 for v in row)
