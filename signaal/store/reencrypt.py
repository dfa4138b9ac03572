"""Bring stored content up to the current encryption: seal what is in the clear, re-wrap old keys.

A registry that recorded signals before encryption (schema revision 0009), or before a column was
added to :data:`SEALED`, holds plaintext; :func:`seal_batch` gives such a signal a data key and
seals every clear value of its sealed columns in place. :func:`rewrap_batch` re-wraps data keys
made under an older master key version with the active one, after which the old master key file
can be retired. Both work in batches, each its own transaction, and skip what is already done, so
an interrupted run is simply started again.

The history (``events``) is append-only and hash-chained: event data written in the clear before
encryption stays as it is (see ``docs/security.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Table, insert, select, update
from sqlalchemy.orm import Session

from signaal.store.codec import ERASED, PREFIX, Codec, SignalKeys
from signaal.store.link_sealing import BIRTH, KEY, NAME, case_keys, open_value, seal_key_row, seal_person_row
from signaal.store.tables import IdentifierRow, SignalIndicatorRow, SignalRow
from signaal.store.tables_link import LinkCaseRow, LinkKeyRow, LinkPersonRow, LinkRow
from signaal.store.tables_security import DataKeyRow
from signaal.store.tables_triage import (
    DECISION_REASON,
    MELDCODE_NOTE,
    REFERRAL_NOTE,
    REFERRAL_STATE_NOTE,
    SHELTER_EVENT_NOTE,
    SHELTER_NOTE,
    MeldcodeStepRow,
    ReferralRow,
    ReferralStateRow,
    RoutingDecisionRow,
    ShelterEventRow,
    ShelterRequestRow,
)

__all__ = ["SEALED", "Sealed", "link_cases_after", "rewrap_batch", "seal_batch", "seal_link_batch"]

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Sealed:
    """One encrypted column: its table, the column naming the signal, and the name bound into the
    associated data (``signal:name``). A row that names its signal through a parent row gives
    ``via``: the parent table and the child's column that refers to the parent's key."""

    table: Table
    signal_column: str
    column: str
    name: str
    via: tuple[Table, str] | None = None


def _t(row: Any) -> Table:
    table: Table = row.__table__
    return table


#: Every column sealed under its signal's data key.
SEALED: list[Sealed] = [
    Sealed(_t(SignalRow), "id", "narrative", "narrative"),
    Sealed(_t(SignalIndicatorRow), "signal_id", "words", "words"),
    Sealed(_t(IdentifierRow), "signal_id", "value", "identifier"),
    Sealed(_t(IdentifierRow), "signal_id", "raw", "identifier_raw"),
    Sealed(_t(RoutingDecisionRow), "signal_id", "reason", DECISION_REASON),
    Sealed(_t(ReferralRow), "signal_id", "note", REFERRAL_NOTE),
    Sealed(_t(ReferralStateRow), "signal_id", "note", REFERRAL_STATE_NOTE, (_t(ReferralRow), "referral_id")),
    Sealed(_t(MeldcodeStepRow), "signal_id", "note", MELDCODE_NOTE),
    Sealed(_t(ShelterRequestRow), "signal_id", "note", SHELTER_NOTE),
    Sealed(_t(ShelterEventRow), "signal_id", "note", SHELTER_EVENT_NOTE, (_t(ShelterRequestRow), "request_id")),
]


def _clear(column: Column[Any]) -> Any:
    return (column.is_not(None)) & (column != "") & ~column.startswith(PREFIX, autoescape=True)


def _clear_values(session: Session, spec: Sealed, signal_ids: list[str]) -> list[Any]:
    """(row key, signal id, clear value) of one sealed column for some signals."""
    t = spec.table
    pk = next(iter(t.primary_key.columns))
    column = t.c[spec.column]
    if spec.via is None:
        owner = t.c[spec.signal_column]
        query = select(pk, owner, column)
    else:
        parent, fk = spec.via
        owner = parent.c[spec.signal_column]
        query = select(pk, owner, column).join(parent, t.c[fk] == next(iter(parent.primary_key.columns)))
    return list(session.execute(query.where(owner.in_(signal_ids), _clear(column))).all())


def seal_batch(session: Session, codec: Codec, signal_ids: list[str], now: datetime) -> tuple[int, int]:
    """Seal the clear values of these signals and fill missing lookup pseudonyms; (data keys made,
    values sealed or pseudonymised)."""
    keys = codec.load(session, signal_ids)
    missing = [sid for sid in signal_ids if sid not in keys.keys]
    made = 0
    if missing:
        fresh, rows = codec.new_keys(missing, now)
        session.execute(insert(DataKeyRow), rows)
        keys.keys.update(fresh.keys)
        made = len(rows)
    sealed = 0
    for spec in SEALED:
        pk = next(iter(spec.table.primary_key.columns))
        for ident, sid, value in _clear_values(session, spec, signal_ids):
            if keys.keys.get(sid) is None:
                continue  # erased: its clear columns were blanked by the erasure
            stored = keys.seal(sid, spec.name, value)
            session.execute(update(spec.table).where(pk == ident).values({spec.column: stored}))
            sealed += 1
    missing_lookup = session.execute(
        select(IdentifierRow.id, IdentifierRow.signal_id, IdentifierRow.kind, IdentifierRow.value).where(
            IdentifierRow.signal_id.in_(signal_ids), IdentifierRow.lookup.is_(None)
        )
    ).all()
    for ident, sid, kind, stored in missing_lookup:
        value = keys.open(sid, "identifier", stored)
        if value and value != ERASED:
            session.execute(
                update(IdentifierRow).where(IdentifierRow.id == ident).values(lookup=codec.lookup(kind, value))
            )
            sealed += 1
    return made, sealed


def signals_needing_work(session: Session, after: str | None, limit: int) -> list[str]:
    """The next ``limit`` signal ids (in id order, after ``after``) — every signal is visited once."""
    query = select(SignalRow.id).order_by(SignalRow.id).limit(limit)
    if after is not None:
        query = query.where(SignalRow.id > after)
    return list(session.scalars(query))


def rewrap_batch(session: Session, codec: Codec, limit: int) -> int:
    """Re-wrap up to ``limit`` data keys not wrapped by the active master key; how many were."""
    active = codec.active_ref()
    rows = session.execute(
        select(DataKeyRow.signal_id, DataKeyRow.kek_ref, DataKeyRow.wrapped)
        .where(DataKeyRow.wrapped.is_not(None), DataKeyRow.kek_ref != active)
        .order_by(DataKeyRow.signal_id)
        .limit(limit)
    ).all()
    for row in rows:
        kek_ref, wrapped = codec.rewrap(row)
        session.execute(
            update(DataKeyRow)
            .where(DataKeyRow.signal_id == row.signal_id, DataKeyRow.kek_ref == row.kek_ref)
            .values(kek_ref=kek_ref, wrapped=wrapped)
        )
    return len(rows)


def link_cases_after(session: Session, after: str | None, limit: int) -> list[str]:
    """The next ``limit`` link case references in order, after ``after``."""
    query = select(LinkCaseRow.ref).order_by(LinkCaseRow.ref).limit(limit)
    if after is not None:
        query = query.where(LinkCaseRow.ref > after)
    return list(session.scalars(query))


def seal_link_batch(session: Session, codec: Codec, refs: list[str], now: datetime) -> int:
    """Seal linking's clear names, dates of birth and identifiers of these cases, set their lookup
    pseudonyms, and turn exact links that name a value into links that name its pseudonym."""
    keys = case_keys(session, codec, refs, now)
    done = 0
    persons = session.execute(
        select(LinkPersonRow.ref, LinkPersonRow.case_ref, LinkPersonRow.name, LinkPersonRow.birth_date).where(
            LinkPersonRow.case_ref.in_(refs),
            (LinkPersonRow.name.is_not(None) & LinkPersonRow.name_lookup.is_(None))
            | (LinkPersonRow.birth_date.is_not(None) & LinkPersonRow.birth_lookup.is_(None)),
        )
    ).all()
    for ref, case, name, birth in persons:
        row = {
            "case_ref": case,
            "name": _opened(keys, case, NAME, name),
            "birth_date": _opened(keys, case, BIRTH, birth),
        }
        sealed = seal_person_row(keys, codec, row)
        values = {k: sealed[k] for k in ("name", "birth_date", "name_lookup", "birth_lookup")}
        session.execute(update(LinkPersonRow).where(LinkPersonRow.ref == ref).values(**values))
        done += 1
    link_keys = session.execute(
        select(LinkKeyRow.id, LinkKeyRow.case_ref, LinkKeyRow.kind, LinkKeyRow.value).where(
            LinkKeyRow.case_ref.in_(refs), (LinkKeyRow.key_ref != "lookup") | LinkKeyRow.key_ref.is_(None)
        )
    ).all()
    for ident, case, kind, stored in link_keys:
        row = {"case_ref": case, "kind": kind, "value": _opened(keys, case, KEY, stored)}
        sealed = seal_key_row(keys, codec, row)
        values = {k: sealed[k] for k in ("value", "pseudonym", "key_ref")}
        session.execute(update(LinkKeyRow).where(LinkKeyRow.id == ident).values(**values))
        done += 1
    return done + _pseudonymise_links(session, codec, refs)


def _opened(keys: SignalKeys, case: str, column: str, stored: str | None) -> str | None:
    return stored if not stored or not stored.startswith(PREFIX) else open_value(keys, case, column, stored)


def _pseudonymise_links(session: Session, codec: Codec, refs: list[str]) -> int:
    links = session.execute(
        select(LinkRow.id, LinkRow.key_kind, LinkRow.key_value, LinkRow.evidence).where(
            LinkRow.left_case.in_(refs), LinkRow.key_kind != ""
        )
    ).all()
    done = 0
    for ident, kind, value, evidence in links:
        if _HEX64.fullmatch(value or ""):
            continue
        clean = {k: v for k, v in (evidence or {}).items() if k != "value"}
        session.execute(
            update(LinkRow).where(LinkRow.id == ident).values(key_value=codec.lookup(kind, value), evidence=clean)
        )
        done += 1
    return done
