"""Capture-pattern tables: how many persons each combination of lists saw.

A table over ``t`` lists holds one count per observable capture pattern (``2**t - 1`` of them; the
all-zero pattern is the hidden number and is never a row). Inside this package a pattern is a bit
mask: list ``i`` (0-based, in the order the lists were named) is bit ``i``, so cell ``k`` of
:attr:`CaptureTable.counts` is the number of persons seen by exactly the lists whose bits are set
in ``k`` (cell 0, the unseen, is always 0).

:func:`table_from_rows` reads the plain CSV layout of published tables (one 0/1 column per list, a
``count`` column, optionally a ``stratum`` column); :func:`table_from_histories` builds a table from
one capture history per person. Both refuse bad input by file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from signaal.errors import InvalidInput, Problem

__all__ = [
    "MAX_LISTS",
    "CaptureTable",
    "drop_lists",
    "merge_lists",
    "table_from_histories",
    "table_from_rows",
]

#: More lists than this make 2**t cells and model spaces no one can search or read (and lists are numbered 1-9).
MAX_LISTS = 9
COUNT_FIELD = "count"
STRATUM_FIELD = "stratum"


@dataclass(frozen=True)
class CaptureTable:
    """Counts by capture pattern over named lists (cell ``k`` = lists of bit mask ``k``)."""

    lists: tuple[str, ...]
    counts: NDArray[np.int64]
    stratum: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of persons seen by at least one list."""
        return int(self.counts.sum())

    def list_totals(self) -> dict[str, int]:
        """Persons on each list (whatever other lists also saw them)."""
        masks = np.arange(self.counts.size)
        return {name: int(self.counts[(masks >> i) & 1 == 1].sum()) for i, name in enumerate(self.lists)}

    def overlap(self, mask: int) -> int:
        """Persons seen by every list in ``mask`` (and perhaps others)."""
        cells = np.arange(self.counts.size)
        return int(self.counts[(cells & mask) == mask].sum())

    def with_counts(self, counts: NDArray[np.int64]) -> CaptureTable:
        """The same lists with other counts (a bootstrap or jackknife replicate)."""
        return CaptureTable(self.lists, np.asarray(counts, dtype=np.int64), self.stratum, self.notes)

    def rows(self) -> list[tuple[tuple[int, ...], int]]:
        """(pattern, count) pairs in the published order: first list most significant, zeros included."""
        t = self.n_lists
        out = []
        for code in range(1, 2**t):
            pattern = tuple((code >> (t - 1 - i)) & 1 for i in range(t))
            out.append((pattern, int(self.counts[_mask_of(pattern)])))
        return out


def _mask_of(pattern: Sequence[int]) -> int:
    return sum(1 << i for i, bit in enumerate(pattern) if bit)


def _check_lists(names: Sequence[str], source: str) -> None:
    if len(names) < 2:
        raise InvalidInput(f"{source}: a capture-pattern table needs at least two list columns besides 'count'")
    if len(names) > MAX_LISTS:
        raise InvalidInput(f"{source}: {len(names)} lists; at most {MAX_LISTS} can be modelled (merge lists first)")
    seen: set[str] = set()
    for name in names:
        if not name:
            raise InvalidInput(f"{source}: a list column has no name", [Problem("empty column name", source, 1)])
        if name in seen:
            raise InvalidInput(
                f"{source}: list {name!r} is named twice", [Problem("duplicate column", source, 1, name)]
            )
        seen.add(name)


def _read_count(raw: str, source: str, line: int) -> tuple[int | None, Problem | None]:
    text = raw.strip()
    if not text:
        return None, Problem("missing count", source, line, COUNT_FIELD)
    try:
        value = float(text)
    except ValueError:
        return None, Problem(f"count {text!r} is not a number", source, line, COUNT_FIELD)
    if value != value or value in (float("inf"), float("-inf")) or value != int(value):
        return None, Problem(f"count {text!r} is not a whole number", source, line, COUNT_FIELD)
    if value < 0:
        return None, Problem(f"negative count {text}", source, line, COUNT_FIELD)
    return int(value), None


def _read_pattern(
    row: Mapping[str, str], names: Sequence[str], source: str, line: int
) -> tuple[list[int], list[Problem]]:
    bits, problems = [], []
    for name in names:
        raw = (row.get(name) or "").strip()
        if raw in ("0", "1"):
            bits.append(int(raw))
        else:
            shown = repr(raw) if raw else "nothing"
            problems.append(Problem(f"expected 0 or 1, found {shown}", source, line, name))
    return bits, problems


def table_from_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Mapping[str, str]]],
    source: str,
    strata: Sequence[str] | None = None,
) -> list[CaptureTable]:
    """Tables (one per stratum, or one) from CSV rows with their line numbers; refuses bad rows by name.

    A pattern that appears more than once in a stratum is summed (published tables sometimes split
    a pattern by covariate); a pattern that never appears counts zero. ``strata`` lists the strata
    the caller expects: a stratum outside it is refused by name.
    """
    columns = [h.strip() for h in header]
    if COUNT_FIELD not in columns:
        raise InvalidInput(f"{source}: no {COUNT_FIELD!r} column", [Problem("missing column", source, 1, COUNT_FIELD)])
    names = [c for c in columns if c not in (COUNT_FIELD, STRATUM_FIELD)]
    _check_lists(names, source)
    has_strata = STRATUM_FIELD in columns
    cells: dict[str | None, NDArray[np.int64]] = {}
    problems: list[Problem] = []
    allowed = set(strata) if strata is not None else None
    for line, row in rows:
        if all(not (v or "").strip() for v in row.values()):
            continue
        bits, bad = _read_pattern(row, names, source, line)
        count, count_problem = _read_count(row.get(COUNT_FIELD) or "", source, line)
        problems.extend(bad)
        if count_problem:
            problems.append(count_problem)
        key = (row.get(STRATUM_FIELD) or "").strip() if has_strata else None
        if has_strata and not key:
            problems.append(Problem("missing stratum", source, line, STRATUM_FIELD))
        elif allowed is not None and key not in allowed:
            problems.append(
                Problem(f"unknown stratum {key!r} (expected one of {sorted(allowed)})", source, line, STRATUM_FIELD)
            )
        if bad or count_problem or problems:
            continue
        mask = _mask_of(bits)
        if mask == 0:
            if count:
                problems.append(
                    Problem(
                        "the all-zero pattern is the unseen number and cannot be observed", source, line, COUNT_FIELD
                    )
                )
            continue
        cells.setdefault(key, np.zeros(2 ** len(names), dtype=np.int64))[mask] += count or 0
    if problems:
        summary = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise InvalidInput(f"{source}: {summary} in the table (nothing was estimated)", problems)
    if not cells:
        raise InvalidInput(f"{source}: the table has no rows")
    return [CaptureTable(tuple(names), counts, key) for key, counts in sorted(cells.items(), key=lambda kv: str(kv[0]))]


def table_from_histories(
    lists: Sequence[str], histories: Iterable[Iterable[str]], stratum: str | None = None
) -> CaptureTable:
    """A table from one set of list names per person (the lists that saw that person)."""
    names = tuple(lists)
    _check_lists(names, "capture histories")
    index = {name: i for i, name in enumerate(names)}
    counts = np.zeros(2 ** len(names), dtype=np.int64)
    for seen_by in histories:
        mask = 0
        for name in seen_by:
            if name not in index:
                raise InvalidInput(f"capture histories: unknown list {name!r} (expected one of {list(names)})")
            mask |= 1 << index[name]
        if mask:
            counts[mask] += 1
    return CaptureTable(names, counts, stratum)


def merge_lists(table: CaptureTable, groups: Mapping[str, Sequence[str]]) -> CaptureTable:
    """The table with some lists merged into one (a person is on the merged list if on any of them)."""
    members = {name for group in groups.values() for name in group}
    unknown = sorted(members - set(table.lists))
    if unknown:
        raise InvalidInput(f"cannot merge unknown lists {unknown} (lists: {list(table.lists)})")
    new_names = [n for n in table.lists if n not in members] + list(groups)
    position = {n: new_names.index(n) for n in table.lists if n not in members}
    for merged, group in groups.items():
        for name in group:
            position[name] = new_names.index(merged)
    counts = np.zeros(2 ** len(new_names), dtype=np.int64)
    for mask in range(1, table.counts.size):
        new = 0
        for i, name in enumerate(table.lists):
            if (mask >> i) & 1:
                new |= 1 << position[name]
        counts[new] += table.counts[mask]
    note = "merged lists: " + "; ".join(f"{k} = {' + '.join(v)}" for k, v in groups.items())
    return CaptureTable(tuple(new_names), counts, table.stratum, (*table.notes, note))


def drop_lists(table: CaptureTable, names: Sequence[str]) -> CaptureTable:
    """The table without some lists: persons seen only by them leave the table, the others keep their other lists."""
    unknown = sorted(set(names) - set(table.lists))
    if unknown:
        raise InvalidInput(f"cannot drop unknown lists {unknown} (lists: {list(table.lists)})")
    keep = [i for i, name in enumerate(table.lists) if name not in names]
    counts = np.zeros(2 ** len(keep), dtype=np.int64)
    for mask in range(1, table.counts.size):
        new = sum(1 << k for k, i in enumerate(keep) if (mask >> i) & 1)
        if new:
            counts[new] += table.counts[mask]
    lost = table.observed - int(counts.sum())
    note = f"lists left out: {', '.join(names)} ({lost} persons seen only by them are not in the estimate)"
    return CaptureTable(tuple(table.lists[i] for i in keep), counts, table.stratum, (*table.notes, note))
