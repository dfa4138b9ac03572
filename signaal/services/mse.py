"""Multiple systems estimation as a use case: the hidden number behind a table file or the registry's own overlap.

The statistics live in the pure :mod:`signaal.mse`; this module only gathers the plain tables:

- :func:`estimate_file` reads a capture-pattern file (CSV, JSONL or XLSX, one row per pattern);
- :func:`registry_table` builds the table of a year from the linking work: every possible victim
  recorded by an organisation in a case of that year is a person record; records that linking
  joined (a confirmed person link, or a suggested one at or above the link threshold, never a
  rejected one — the rule of the network view) are one person; the organisations that recorded a
  person are that person's capture history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput
from signaal.ingest.tabular import BadRow, problem, read_rows
from signaal.link.network import person_clusters
from signaal.link.persons import DEFAULT_THRESHOLD
from signaal.mse import (
    CaptureTable,
    Estimate,
    Options,
    drop_lists,
    estimate_strata,
    merge_lists,
    table_from_histories,
    table_from_rows,
)
from signaal.services.link import load_records
from signaal.store import Store
from signaal.store.tables_link import LinkRow

__all__ = ["estimate_file", "estimate_registry", "read_tables", "registry_table"]

#: Roles that work across organisations and may see the overlap between them.
MSE_ROLES = (Role.ANALYST, Role.COORDINATOR, Role.ADMIN)


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
    drop: Sequence[str] = (),
) -> tuple[Estimate, list[Estimate]]:
    """Estimate the population behind a capture-pattern file (per stratum and in total when it has strata)."""
    tables = read_tables(path, strata)
    if drop:
        tables = [drop_lists(t, drop) for t in tables]
    if merge:
        tables = [merge_lists(t, merge) for t in tables]
    return estimate_strata(tables, method, interval, options, str(path))


def registry_table(store: Store, actor: Actor, year: int) -> CaptureTable:
    """The capture-pattern table of a year's possible victims over the organisations that recorded them."""
    if actor.role not in MSE_ROLES:
        raise Forbidden(f"{actor} may not see the overlap between organisations (analyst, coordinator or admin)")
    with store.session() as session:
        cases, persons = load_records(session)
        links = session.execute(
            select(LinkRow.left_ref, LinkRow.right_ref, LinkRow.match_probability, LinkRow.status).where(
                LinkRow.kind == "person", LinkRow.status != "rejected"
            )
        ).all()
    in_year = {c.ref for c in cases if c.date and c.date[:4] == str(year)}
    victims = [p for p in persons if p.role == "victim" and p.case in in_year]
    if not victims:
        raise InvalidInput(f"the registry holds no linked possible victims in {year} (run 'signaal link run' first?)")
    refs = {p.ref for p in victims}
    pairs = [
        (left, right)
        for left, right, probability, status in links
        if left in refs and right in refs and (status == "confirmed" or (probability or 0) >= DEFAULT_THRESHOLD)
    ]
    cluster = person_clusters(victims, pairs)
    orgs: dict[str, set[str]] = defaultdict(set)
    for person in victims:
        orgs[cluster[person.ref]].add(person.org)
    lists = sorted({p.org for p in victims})
    if len(lists) < 2:
        raise InvalidInput(
            f"in {year} only {lists[0]} recorded possible victims; an estimate needs at least two organisations"
        )
    return table_from_histories(lists, orgs.values(), stratum=None)


def estimate_registry(
    store: Store,
    actor: Actor,
    year: int,
    method: str,
    interval: str | None = None,
    options: Options | None = None,
    merge: dict[str, list[str]] | None = None,
    drop: Sequence[str] = (),
) -> tuple[Estimate, list[Estimate]]:
    """Estimate a year's possible victims from the overlap of the organisations that recorded them."""
    table = registry_table(store, actor, year)
    if drop:
        table = drop_lists(table, drop)
    if merge:
        table = merge_lists(table, merge)
    return estimate_strata([table], method, interval, options, f"registry {year}")
