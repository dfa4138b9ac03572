"""Synthetic capture-pattern tables for the MSE tests (made up for these tests; no real data).

Tables are written as CSV text in the published layout: one 0/1 column per list, then ``count``.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from signaal.mse import CaptureTable


def table(lists: str, cells: dict[str, int]) -> CaptureTable:
    """A table from {pattern: count} with patterns written as list letters ("AB" = on A and B only)."""
    names = tuple(lists)
    counts = np.zeros(2 ** len(names), dtype=np.int64)
    for pattern, count in cells.items():
        counts[sum(1 << names.index(c) for c in pattern)] = count
    return CaptureTable(names, counts)


def csv_text(t: CaptureTable, stratum: str | None = None) -> str:
    """The table as CSV in the published layout (first list most significant)."""
    header = [*t.lists, "count"] + (["stratum"] if stratum else [])
    lines = [",".join(header)]
    for pattern, count in t.rows():
        lines.append(",".join([*map(str, pattern), str(count)] + ([stratum] if stratum else [])))
    return "\n".join(lines) + "\n"


def expected_counts(lists: int, size: float, probs: list[float]) -> dict[str, int]:
    """Rounded expected cells of independent lists (a table that fits independence almost exactly)."""
    out = {}
    letters = "ABCDEFG"[:lists]
    for bits in product((0, 1), repeat=lists):
        if not any(bits):
            continue
        p = np.prod([q if b else 1 - q for q, b in zip(probs, bits, strict=True)])
        out["".join(c for c, b in zip(letters, bits, strict=True) if b)] = round(size * p)
    return out
