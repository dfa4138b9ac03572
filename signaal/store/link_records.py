"""Reading linking's stored cases and persons back as core records, with what is sealed opened.

The person model compares names and dates of birth, and the network shows identifiers to those who
may see them, so what is read here is decrypted with each case's data key
(:mod:`signaal.store.link_sealing`); a case whose key was destroyed reads without them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.link.keys import LinkKey
from signaal.link.model import CaseRecord, PersonRecord
from signaal.store.link_sealing import BIRTH, KEY, NAME, open_value, owner_of
from signaal.store.signals import codec_of
from signaal.store.tables_link import LinkCaseRow, LinkKeyRow, LinkPersonRow

__all__ = ["load_records"]


def load_records(
    session: Session, case_refs: Iterable[str] | None = None
) -> tuple[list[CaseRecord], list[PersonRecord]]:
    """Stored link cases and persons (all, or those of the given cases) as core records, decrypted."""
    case_query = select(LinkCaseRow)
    person_query = select(LinkPersonRow)
    key_query = select(LinkKeyRow.owner_ref, LinkKeyRow.case_ref, LinkKeyRow.kind, LinkKeyRow.value, LinkKeyRow.problem)
    if case_refs is not None:
        refs = list(case_refs)
        case_query = case_query.where(LinkCaseRow.ref.in_(refs))
        person_query = person_query.where(LinkPersonRow.case_ref.in_(refs))
        key_query = key_query.where(LinkKeyRow.case_ref.in_(refs))
    case_rows = list(session.scalars(case_query))
    person_rows = list(session.scalars(person_query))
    key_rows = session.execute(key_query).all()
    sealed = codec_of(session).load(session, {owner_of(c.ref) for c in case_rows})
    keys: dict[str, list[LinkKey]] = defaultdict(list)
    for owner, case, kind, stored, problem in key_rows:
        value = open_value(sealed, case, KEY, stored)
        if value is not None:
            keys[owner].append(LinkKey(kind, value, problem))
    cases = [
        CaseRecord(
            c.ref,
            c.org,
            c.kind,
            c.date,
            c.city,
            tuple(f for f in c.forms.split(",") if f),
            tuple(f for f in c.crimes.split(",") if f),
            tuple(keys[c.ref]),
            c.source_id or c.signal_id,
        )
        for c in case_rows
    ]
    persons = [
        PersonRecord(
            p.ref,
            p.case_ref,
            p.org,
            p.role,
            open_value(sealed, p.case_ref, NAME, p.name),
            open_value(sealed, p.case_ref, BIRTH, p.birth_date),
            p.birth_year,
            p.sex,
            p.nationality,
            p.city,
            None if p.minor is None else bool(p.minor),
            tuple(keys[p.ref]),
        )
        for p in person_rows
    ]
    return cases, persons
