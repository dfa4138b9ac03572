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

from signaal.catalogue.monitoring import Nationalities
from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput
from signaal.ingest.tabular import BadRow, problem, read_rows
from signaal.link.model import PersonRecord
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

__all__ = ["REGISTRY_STRATA", "estimate_file", "estimate_registry", "read_tables", "registry_table", "registry_tables"]

#: Ways to split the registry's persons into strata.
REGISTRY_STRATA = ("form", "age", "nationality")
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


def _stratum_of(
    records: list[PersonRecord],
    by: str,
    year: int,
    case_forms: dict[str, tuple[str, ...]],
    nationalities: Nationalities,
) -> str:
    """The stratum of one linked person from the records that make it up."""
    if by == "form":
        forms = {f for r in records for f in case_forms.get(r.case, ())}
        return forms.pop() if len(forms) == 1 else ("mixed" if forms else "unknown")
    if by == "age":
        if any(r.minor for r in records):
            return "minor"
        years = [r.birth_year or (int(r.birth_date[:4]) if r.birth_date else None) for r in records]
        known = [y for y in years if y]
        if known:
            return "minor" if year - max(known) < 18 else "adult"
        return "adult" if any(r.minor is False for r in records) else "unknown"
    nationality = next((r.nationality for r in records if r.nationality), None)
    return nationalities.group_of(nationality)[0]


def registry_tables(store: Store, actor: Actor, year: int, by: str | None = None) -> list[CaptureTable]:
    """The capture-pattern table(s) of a year's possible victims over the organisations that recorded them.

    ``by`` (``form``, ``age`` or ``nationality``) splits the persons into strata: the form of their
    cases (``mixed`` when they differ), minor or adult, and NL / EU / non-EU.
    """
    if actor.role not in MSE_ROLES:
        raise Forbidden(f"{actor} may not see the overlap between organisations (analyst, coordinator or admin)")
    if by not in (None, *REGISTRY_STRATA):
        raise InvalidInput(f"unknown stratum {by!r}; use one of: {', '.join(REGISTRY_STRATA)}")
    with store.session() as session:
        cases, persons = load_records(session)
        links = session.execute(
            select(LinkRow.left_ref, LinkRow.right_ref, LinkRow.match_probability, LinkRow.status).where(
                LinkRow.kind == "person", LinkRow.status != "rejected"
            )
        ).all()
    in_year = {c.ref: c.forms for c in cases if c.date and c.date[:4] == str(year)}
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
    members: dict[str, list[PersonRecord]] = defaultdict(list)
    for person in victims:
        members[cluster[person.ref]].append(person)
    lists = sorted({p.org for p in victims})
    if len(lists) < 2:
        raise InvalidInput(
            f"in {year} only {lists[0]} recorded possible victims; an estimate needs at least two organisations"
        )
    histories: dict[str | None, list[set[str]]] = defaultdict(list)
    for records in members.values():
        stratum = _stratum_of(records, by, year, in_year, store.knowledge.nationalities) if by else None
        histories[stratum].append({r.org for r in records})
    return [
        table_from_histories(lists, h, stratum) for stratum, h in sorted(histories.items(), key=lambda kv: str(kv[0]))
    ]


def registry_table(store: Store, actor: Actor, year: int) -> CaptureTable:
    """The capture-pattern table of a year's possible victims (all strata together)."""
    return registry_tables(store, actor, year)[0]


def estimate_registry(
    store: Store,
    actor: Actor,
    year: int,
    method: str,
    interval: str | None = None,
    options: Options | None = None,
    merge: dict[str, list[str]] | None = None,
    drop: Sequence[str] = (),
    by: str | None = None,
) -> tuple[Estimate, list[Estimate]]:
    """Estimate a year's possible victims from the overlap of the organisations that recorded them."""
    tables = registry_tables(store, actor, year, by)
    if drop:
        tables = [drop_lists(t, drop) for t in tables]
    if merge:
        tables = [merge_lists(t, merge) for t in tables]
    return estimate_strata(tables, method, interval, options, f"registry {year}")
