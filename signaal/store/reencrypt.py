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

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Table, insert, select, update
from sqlalchemy.orm import Session

from signaal.store.codec import PREFIX, Codec
from signaal.store.tables import IdentifierRow, SignalIndicatorRow, SignalRow
from signaal.store.tables_security import DataKeyRow

__all__ = ["SEALED", "Sealed", "rewrap_batch", "seal_batch"]


@dataclass(frozen=True)
class Sealed:
    """One encrypted column: its table, the column naming the signal, and the name bound into the
    associated data (``signal:name``)."""

    table: Table
    signal_column: str
    column: str
    name: str


def _t(row: Any) -> Table:
    table: Table = row.__table__
    return table


#: Every column sealed under its signal's data key.
SEALED: list[Sealed] = [
    Sealed(_t(SignalRow), "id", "narrative", "narrative"),
    Sealed(_t(SignalIndicatorRow), "signal_id", "words", "words"),
    Sealed(_t(IdentifierRow), "signal_id", "value", "identifier"),
    Sealed(_t(IdentifierRow), "signal_id", "raw", "identifier_raw"),
]


def _clear(column: Column[Any]) -> Any:
    return (column.is_not(None)) & (column != "") & ~column.startswith(PREFIX, autoescape=True)


def seal_batch(session: Session, codec: Codec, signal_ids: list[str], now: datetime) -> tuple[int, int]:
    """Seal the clear values of these signals; (data keys made, values sealed)."""
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
        t = spec.table
        pk = next(iter(t.primary_key.columns))
        owner, column = t.c[spec.signal_column], t.c[spec.column]
        found = session.execute(select(pk, owner, column).where(owner.in_(signal_ids), _clear(column))).all()
        for ident, sid, value in found:
            if keys.keys.get(sid) is None:
                continue  # erased: its clear columns were blanked by the erasure
            stored = keys.seal(sid, spec.name, value)
            session.execute(update(t).where(pk == ident).values({spec.column: stored}))
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
