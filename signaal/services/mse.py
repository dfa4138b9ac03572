"""Multiple systems estimation as a use case: read a capture-pattern table and estimate the hidden number.

The statistics live in the pure :mod:`signaal.mse`; this module only reads the file (CSV, JSONL or
XLSX, one row per capture pattern) and hands plain tables over.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from signaal.errors import InvalidInput
from signaal.ingest.tabular import BadRow, problem, read_rows
from signaal.mse import CaptureTable, Estimate, Options, estimate_strata, merge_lists, table_from_rows

__all__ = ["estimate_file", "read_tables"]


def read_tables(path: Path, strata: Sequence[str] | None = None) -> list[CaptureTable]:
    """The table(s) of a file, one per stratum; unreadable rows are refused with file and line."""
    rows: list[tuple[int, dict[str, str]]] = []
    bad = []
    header: list[str] | None = None
    for row in read_rows(path):
        if isinstance(row, BadRow):
            bad.append(problem(path, row))
            continue
        if header is None:
            header = list(row.values)
        rows.append((row.line, {k: "" if v is None else str(v) for k, v in row.values.items()}))
    if bad:
        raise InvalidInput(f"{path}: {len(bad)} rows cannot be read (nothing was estimated)", bad)
    if header is None:
        raise InvalidInput(f"{path}: the table has no rows")
    return table_from_rows(header, rows, str(path), strata)


def estimate_file(
    path: Path,
    method: str,
    interval: str | None = None,
    options: Options | None = None,
    merge: dict[str, list[str]] | None = None,
    strata: Sequence[str] | None = None,
) -> tuple[Estimate, list[Estimate]]:
    """Estimate the population behind a capture-pattern file (per stratum and in total when it has strata)."""
    tables = read_tables(path, strata)
    if merge:
        tables = [merge_lists(t, merge) for t in tables]
    return estimate_strata(tables, method, interval, options, str(path))
