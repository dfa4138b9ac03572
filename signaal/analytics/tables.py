"""Published tables: categories by period with their margins, and their suppressed form.

A :class:`CountTable` holds true counts (analyst eyes only). :func:`signaal.analytics.suppression.suppress_report`
turns the tables of one report into :class:`PublishedTable` objects, where a suppressed cell is
``None`` and the reason is kept per cell; every chart, CSV and page outside the analyst role is
made from those.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CountTable", "PublishedTable"]


@dataclass(frozen=True)
class CountTable:
    """Counts of ``rows`` (categories of one dimension) by ``cols`` (periods), with margins.

    ``additive`` is False where categories overlap (forms: one signal can have several), so the
    column totals are the number of signals, not the sum of the rows.
    """

    id: str
    title: dict[str, str]  # language -> title
    dimension: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]  # rows x cols
    col_totals: tuple[int, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # row id -> language -> label
    additive: bool = True
    unit: str = "signals"
    # What the column totals count, shared by every table of a report with the same key; a row
    # that equals another table's totals names that key (non-EU row = the world-region table's totals).
    total_key: str = ""
    row_keys: dict[str, str] = field(default_factory=dict)

    @property
    def totals_are(self) -> str:
        """The key of the column totals (the unit unless set)."""
        return self.total_key or self.unit

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.rows) or any(len(r) != len(self.cols) for r in self.cells):
            raise ValueError(f"table {self.id}: cells do not match rows x cols")
        if len(self.col_totals) != len(self.cols):
            raise ValueError(f"table {self.id}: column totals do not match the columns")

    def grid(self) -> list[list[int]]:
        """The table with margins: rows + a total row, cols + a total column."""
        body = [[*row, sum(row)] for row in self.cells]
        return [*body, [*self.col_totals, sum(self.col_totals)]]

    def label(self, row: str, lang: str) -> str:
        """The label of a row in a language (the id where none is given)."""
        return self.labels.get(row, {}).get(lang, row)


@dataclass(frozen=True)
class PublishedTable:
    """A table as it may leave the analyst role: suppressed cells are None, with a mark per cell."""

    source: CountTable
    values: tuple[tuple[int | None, ...], ...]  # grid with margins
    # "" shown, "p" primary (small), "s" secondary (protects another); outside the analyst role
    # both read as "suppressed", because the difference would tell which cells are small.
    marks: tuple[tuple[str, ...], ...]
    threshold: int

    @property
    def id(self) -> str:
        """The table id."""
        return self.source.id

    def suppressed_count(self) -> int:
        """How many cells (margins included) are suppressed."""
        return sum(1 for row in self.marks for m in row if m)

    def row_values(self, row: str) -> tuple[int | None, ...]:
        """The published values of one category over the periods (no margin)."""
        i = self.source.rows.index(row)
        return self.values[i][:-1]

    def total_values(self) -> tuple[int | None, ...]:
        """The published column totals (no margin)."""
        return self.values[-1][:-1]

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready form; suppressed cells are null and marked."""
        s = self.source
        return {
            "id": s.id,
            "title": s.title.get(lang, s.id),
            "dimension": s.dimension,
            "unit": s.unit,
            "additive": s.additive,
            "columns": [*s.cols, "total"],
            "rows": [
                {"category": r, "label": s.label(r, lang), "values": list(v), "suppressed": [bool(x) for x in m]}
                for r, v, m in zip([*s.rows, "total"], self.values, self.marks, strict=True)
            ],
            "suppression_threshold": self.threshold,
        }

    def to_csv(self, lang: str = "en") -> str:
        """CSV text: one row per category, one column per period and the total; every suppressed cell as 'x'."""
        s = self.source
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([s.dimension, *s.cols, "total"])
        for r, values, marks in zip([*s.rows, "total"], self.values, self.marks, strict=True):
            label = s.label(r, lang) if r != "total" else ("totaal" if lang == "nl" else "total")
            # Primary and secondary cells look the same: telling them apart would tell which are small.
            writer.writerow([label, *("x" if m else str(v) for v, m in zip(values, marks, strict=True))])
        return out.getvalue()
