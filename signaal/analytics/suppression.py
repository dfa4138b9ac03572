"""Small-cell suppression for the tables of one report, with secondary suppression checked by linear programming.

Primary: every cell (margins included) with 0 < count < threshold. Zeros are shown: "nobody" is
no person. Secondary: every row and column (with its total) needs at least two suppressed cells,
and then each primary cell is audited the way an attacker would — the smallest and largest value
it can take given every published cell of its table and non-negative counts (``scipy.optimize.linprog``);
where that range is narrower than half the threshold, one more cell next to it is suppressed,
until none is. Tables of one report share their totals per period: a total suppressed in one is
suppressed in all, and the tables are suppressed again until nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

from signaal.analytics.tables import CountTable, PublishedTable

__all__ = ["DEFAULT_THRESHOLD", "cell_range", "suppress_report", "suppress_table"]

DEFAULT_THRESHOLD = 10
Cell = tuple[int, int]


def _lines(rows: int, cols: int, additive: bool = True) -> list[tuple[list[Cell], Cell]]:
    """Every line of a grid with margins that adds up: its body cells and its total cell.

    Where categories overlap (not ``additive``), only the rows add up (a category over the
    periods); the columns do not, because one signal counts in several rows.
    """
    lines = [([(r, c) for c in range(cols - 1)], (r, cols - 1)) for r in range(rows)]
    if additive:
        lines += [([(r, c) for r in range(rows - 1)], (rows - 1, c)) for c in range(cols)]
    return lines


def cell_range(grid: list[list[int]], hidden: set[Cell], target: Cell, additive: bool = True) -> tuple[float, float]:
    """The smallest and largest value ``target`` can take given every cell not in ``hidden`` (LP bounds)."""
    cells = sorted(hidden)
    index = {cell: i for i, cell in enumerate(cells)}
    rows, cols = len(grid), len(grid[0])
    a_eq, b_eq = [], []
    for body, total in _lines(rows, cols, additive):
        coef = np.zeros(len(cells))
        rhs = 0.0
        for cell in body:
            if cell in index:
                coef[index[cell]] += 1
            else:
                rhs -= grid[cell[0]][cell[1]]
        if total in index:
            coef[index[total]] -= 1
        else:
            rhs += grid[total[0]][total[1]]
        if coef.any():
            a_eq.append(coef)
            b_eq.append(rhs)
    objective = np.zeros(len(cells))
    objective[index[target]] = 1
    # Zeros are shown, so a hidden cell is at least 1; where rows overlap, a cell is at most its period's total.
    bounds: list[tuple[float, float | None]] = [(1, None)] * len(cells)
    if not additive:
        for (r, c), i in index.items():
            total = (rows - 1, c)
            if r < rows - 1 and total not in index:
                bounds[i] = (1, grid[total[0]][total[1]])
    low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    lo = float(low.fun) if low.status == 0 else 1.0
    hi = float(-high.fun) if high.status == 0 else float("inf")
    return lo, hi


def _crosses_hidden(hidden: set[Cell], cell: Cell, line: list[Cell]) -> bool:
    """Whether the other line through ``cell`` already has a hidden cell (so the pair closes a cycle)."""
    along_row = len({c[0] for c in line}) == 1
    return any(h != cell and ((h[1] == cell[1]) if along_row else (h[0] == cell[0])) for h in hidden)


def _partner(grid: list[list[int]], hidden: set[Cell], line: list[Cell], total: Cell) -> Cell | None:
    """The shown cell of a line to hide with it: one that closes a cycle first, then the smallest positive."""
    body = [c for c in line if c not in hidden and grid[c[0]][c[1]] > 0]
    if body:
        return min(body, key=lambda c: (not _crosses_hidden(hidden, c, line), grid[c[0]][c[1]], c))
    if total not in hidden and grid[total[0]][total[1]] > 0:
        return total
    return None


def _line_rule(grid: list[list[int]], hidden: set[Cell]) -> bool:
    changed = False
    for body, total in _lines(len(grid), len(grid[0])):
        members = [*body, total]
        if sum(1 for c in members if c in hidden) == 1:
            partner = _partner(grid, hidden, body, total)
            if partner is not None:
                hidden.add(partner)
                changed = True
    return changed


def _audit(grid: list[list[int]], hidden: set[Cell], primary: set[Cell], protection: float, additive: bool) -> bool:
    rows, cols = len(grid), len(grid[0])
    for cell in sorted(primary):
        lo, hi = cell_range(grid, hidden, cell, additive)
        if hi - lo >= protection:
            continue
        r, c = cell
        row_line = [(r, j) for j in range(cols - 1)]
        col_line = [(i, c) for i in range(rows - 1)]
        options = [
            p
            for p in (_partner(grid, hidden, row_line, (r, cols - 1)), _partner(grid, hidden, col_line, (rows - 1, c)))
            if p
        ]
        if not options:
            # Its own lines are used up: widen the pattern through any line that already hides a cell.
            touched = {h[0] for h in hidden}, {h[1] for h in hidden}
            options = [
                (i, j) for i in range(rows) for j in range(cols)
                if (i, j) not in hidden and grid[i][j] > 0 and (i in touched[0] or j in touched[1])
            ]  # fmt: skip
        if options:
            hidden.add(min(options, key=lambda p: (grid[p[0]][p[1]], p)))
            return True
    return False


def suppress_table(
    table: CountTable, threshold: int = DEFAULT_THRESHOLD, forced: set[Cell] | None = None
) -> PublishedTable:
    """Suppress one table: small cells, then partners until no small cell can be narrowed below half the threshold."""
    grid = table.grid()
    primary = {(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if 0 < v < threshold}
    hidden = set(primary) | {(r, c) for r, c in forced or () if grid[r][c] > 0}  # zeros stay shown
    protection = threshold / 2
    while _line_rule(grid, hidden) or _audit(grid, hidden, primary, protection, table.additive):
        pass
    values = tuple(tuple(None if (r, c) in hidden else v for c, v in enumerate(row)) for r, row in enumerate(grid))
    marks = tuple(
        tuple(("p" if (r, c) in primary else "s") if (r, c) in hidden else "" for c in range(len(row)))
        for r, row in enumerate(grid)
    )
    return PublishedTable(table, values, marks, threshold)


def _linked_rows(table: CountTable) -> dict[int, str]:
    """Grid row index -> shared key, for the total row and for rows that equal another table's totals."""
    keys = {len(table.rows): table.totals_are}
    keys.update({table.rows.index(row): key for row, key in table.row_keys.items() if row in table.rows})
    return keys


def suppress_report(tables: Sequence[CountTable], threshold: int = DEFAULT_THRESHOLD) -> list[PublishedTable]:
    """Suppress the tables of one report so that cells they share (totals per period) are hidden alike in all."""
    forced: dict[str, set[str]] = {}  # shared key -> periods (and "total") hidden somewhere
    while True:
        published = []
        for table in tables:
            cols = [*table.cols, "total"]
            force = {
                (r, i)
                for r, key in _linked_rows(table).items()
                for i, col in enumerate(cols)
                if col in forced.get(key, set())
            }
            published.append(suppress_table(table, threshold, force))
        changed = False
        for pub in published:
            cols = [*pub.source.cols, "total"]
            for r, key in _linked_rows(pub.source).items():
                hidden = {cols[i] for i, m in enumerate(pub.marks[r]) if m}
                known = forced.setdefault(key, set())
                if not hidden <= known:
                    known |= hidden
                    changed = True
        if not changed:
            return published
