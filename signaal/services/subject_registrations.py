"""Data-subject requests over imported registrations: other organisations' cases held for linking.

A person in a registration is found by name and date of birth, or by an identifier, through the
lookup pseudonyms of the linking tables (nothing is decrypted to search). Export decrypts the
cases found; erasure destroys each case's data key and removes the case from linking, recorded as
an event and an access record naming the cases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from signaal.domain.actor import Actor
from signaal.domain.identifiers import normalise_identifier
from signaal.errors import InvalidInput
from signaal.services import audit
from signaal.store import Store
from signaal.store.erasure import erase_link_cases
from signaal.store.link_records import load_records
from signaal.store.link_sealing import name_key
from signaal.store.signals import add_event
from signaal.store.tables_link import LinkCaseRow, LinkKeyRow, LinkPersonRow

__all__ = ["erase_registrations", "export_registrations", "find_registrations"]


def find_registrations(
    store: Store,
    name: str | None = None,
    birth_date: str | None = None,
    kind: str | None = None,
    value: str | None = None,
) -> list[str]:
    """The imported registrations' cases about the person (by name and date of birth, and/or an
    identifier), found through lookup pseudonyms; signals' own cases are left to the signal path."""
    codec = store.codec
    refs: set[str] = set()
    with store.session() as session:
        if name or birth_date:
            if not (name and birth_date):
                raise InvalidInput("name a person in registrations by both --name and --birth-date")
            try:
                birth = datetime.strptime(birth_date, "%Y-%m-%d").date().isoformat()
            except ValueError:
                raise InvalidInput(f"--birth-date {birth_date!r} is not a date (YYYY-MM-DD)") from None
            refs |= set(
                session.scalars(
                    select(LinkPersonRow.case_ref).where(
                        LinkPersonRow.name_lookup == codec.lookup("name", name_key(name)),
                        LinkPersonRow.birth_lookup == codec.lookup("birth_date", birth),
                    )
                )
            )
        if kind and value:
            try:
                wanted = normalise_identifier(kind, value)
            except ValueError as exc:
                raise InvalidInput(f"identifier {kind}:{value}: {exc}") from None
            refs |= set(
                session.scalars(
                    select(LinkKeyRow.case_ref).where(
                        LinkKeyRow.kind == kind, LinkKeyRow.pseudonym == codec.lookup(kind, wanted)
                    )
                )
            )
        registrations = set(
            session.scalars(select(LinkCaseRow.ref).where(LinkCaseRow.ref.in_(refs), LinkCaseRow.signal_id.is_(None)))
        )
    return sorted(registrations)


def export_registrations(store: Store, actor: Actor, refs: list[str]) -> list[dict[str, Any]]:
    """The cases and persons of these registrations, decrypted, for an access request."""
    if not refs:
        return []
    with store.session() as session:
        cases, persons = load_records(session, refs)
    by_case: dict[str, list[dict[str, Any]]] = {c.ref: [] for c in cases}
    for p in persons:
        by_case[p.case].append(
            {
                "role": p.role,
                "name": p.name,
                "birth_date": p.birth_date,
                "sex": p.sex,
                "nationality": p.nationality,
                "city": p.city,
                "identifiers": [f"{k.kind}:{k.value}" for k in p.keys],
            }
        )
    return [
        {
            "case": c.ref,
            "org": c.org,
            "date": c.date,
            "city": c.city,
            "identifiers": [f"{k.kind}:{k.value}" for k in c.keys],
            "persons": by_case[c.ref],
        }
        for c in cases
    ]


def erase_registrations(store: Store, actor: Actor, refs: list[str], why: dict[str, Any]) -> list[str]:
    """Erase these registrations' cases (their keys destroyed, removed from linking) and record it."""
    if not refs:
        return []
    with store.session() as session:
        erase_link_cases(session, refs, datetime.now(UTC))
        add_event(session, actor, None, "registrations_erased", {**why, "cases": refs})
        audit.record_access(session, actor, "erase", (), {**why, "registrations": refs})
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return refs
