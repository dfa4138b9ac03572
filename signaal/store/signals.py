"""Reading and writing signal rows. Services call these; nothing outside the store writes SQL."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor
from signaal.domain.signal import (
    FormHypothesis,
    IdentifierPublic,
    ObservedIndicator,
    PersonIn,
    SignalCreate,
    SignalPublic,
    SignalSummary,
    Status,
)
from signaal.store import chain
from signaal.store.codec import ERASED, Codec, SignalKeys
from signaal.store.sharing import visible_condition
from signaal.store.tables import (
    EventRow,
    IdentifierRow,
    PersonRow,
    SignalFormRow,
    SignalIndicatorRow,
    SignalRow,
)
from signaal.store.tables_security import DataKeyRow

__all__ = [
    "NewSignal",
    "SignalQuery",
    "add_event",
    "existing_source_ids",
    "insert_signals",
    "load_signal",
    "load_signals",
    "new_signal_id",
    "query_summaries",
    "signal_events",
    "signal_visible",
]


def new_signal_id() -> str:
    """A random, unguessable 12-character signal id."""
    return secrets.token_hex(6)


def now() -> datetime:
    """The current time in UTC (stored with its zone)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class NewSignal:
    """A validated signal ready to be written, with what the service derived from it."""

    id: str
    data: SignalCreate
    police_unit: str | None
    municipality: str | None
    urgency: int


def _actor_columns(actor: Actor) -> dict[str, str]:
    return {"actor_user": actor.user, "actor_org": actor.org, "actor_role": actor.role.value}


def add_event(session: Session, actor: Actor, signal_id: str | None, kind: str, data: dict[str, Any]) -> None:
    """Append one event (the history is never updated or deleted); a signal's event data is encrypted
    under its data key, so erasing the signal leaves the chain whole and the data unreadable."""
    if signal_id is not None:
        data = seal_event(codec_of(session).load(session, [signal_id]), signal_id, data)
    chain.append(
        session, "events", [{"signal_id": signal_id, "at": now(), "kind": kind, "data": data, **_actor_columns(actor)}]
    )


def seal_event(keys: SignalKeys, signal_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The stored form of an event's data: encrypted when the signal has a data key."""
    if not data or keys.keys.get(signal_id) is None:
        return data  # recorded before encryption, or already erased
    return {"enc": keys.seal(signal_id, "event", json.dumps(data, sort_keys=True, default=str))}


def open_event(keys: SignalKeys, signal_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event's data as written; ``{"erased": true}`` once the signal's key is destroyed."""
    sealed = data.get("enc") if isinstance(data, dict) and len(data) == 1 else None
    if not isinstance(sealed, str):
        return data
    opened = keys.open(signal_id, "event", sealed)
    if opened == ERASED or opened is None:
        return {"erased": True}
    loaded: dict[str, Any] = json.loads(opened)
    return loaded


#: The tables a new signal writes to, in insert order; :func:`signal_rows` returns rows in this order.
NEW_SIGNAL_TABLES = (DataKeyRow, SignalRow, SignalIndicatorRow, SignalFormRow, PersonRow, IdentifierRow, EventRow)

RowSet = tuple[list[dict[str, Any]], ...]


def codec_of(session: Session) -> Codec:
    """The codec of the store the session belongs to."""
    store = session.info.get("store")
    if store is None:
        raise RuntimeError("a session from Store.session() is needed to read or write signal content")
    codec: Codec = store.codec
    return codec


def signal_rows(actor: Actor, item: NewSignal, stamp: datetime, codec: Codec) -> RowSet:
    """The rows one new signal writes, per table of :data:`NEW_SIGNAL_TABLES`; narrative, identifiers
    and indicator quotes encrypted under the signal's new data key."""
    d = item.data
    keys, key_rows = codec.new_keys([item.id], stamp)
    sid = item.id
    ages = [p.age for p in d.persons if p.role == "victim" and p.age is not None]
    signal = {
        "id": item.id,
        "source_id": d.source_id,
        "received_at": d.received_at,
        "observed_at": d.observed_at,
        "reporter_org": d.reporter_org,
        "reporter_sector": d.reporter_sector,
        "police_unit": item.police_unit,
        "municipality": item.municipality,
        "narrative": keys.seal(sid, "narrative", d.narrative),
        "status": Status.NEW.value,
        "owner_org": actor.org,
        "purpose": d.purpose,
        "legal_basis": d.legal_basis.value,
        "consent": d.consent.value,
        "facts": d.facts,
        "forms": ",".join(sorted(f.form for f in d.forms)),
        "urgency": item.urgency,
        "youngest_age": min(ages) if ages else None,
        "indicator_count": len(d.indicators),
        "created_at": stamp,
        "updated_at": stamp,
    }
    indicators = [
        {
            "signal_id": item.id,
            "indicator_id": o.indicator_id,
            "words": keys.seal(sid, "words", o.words),
            "certainty": o.certainty.value,
            "origin": o.origin.value,
        }
        for o in d.indicators
    ]
    forms = [{"signal_id": item.id, "form": f.form, "set_by": f.set_by.value} for f in d.forms]
    persons = [
        {
            "signal_id": item.id,
            "role": p.role.value,
            "age": p.age,
            "age_band": p.age_band,
            "gender": p.gender,
            "nationality": p.nationality,
            "residence": p.residence.value,
        }
        for p in d.persons
    ]
    identifiers = [
        {
            "signal_id": sid,
            "kind": i.kind.value,
            "value": keys.seal(sid, "identifier", i.value),
            "raw": keys.seal(sid, "identifier_raw", i.raw),
            "lookup": codec.lookup(i.kind.value, i.value),
        }
        for i in d.identifiers
    ]
    event = {
        "signal_id": item.id,
        "at": stamp,
        "kind": "created",
        "data": seal_event(keys, sid, {"source_id": d.source_id, "reporter_org": d.reporter_org}),
        **_actor_columns(actor),
    }
    return (key_rows, [signal], indicators, forms, persons, identifiers, [event])


def write_rows(session: Session, rowsets: Iterable[RowSet]) -> None:
    """Write the rows of many new signals with one executemany per table."""
    merged: list[list[dict[str, Any]]] = [[] for _ in NEW_SIGNAL_TABLES]
    for rowset in rowsets:
        for bucket, rows in zip(merged, rowset, strict=True):
            bucket.extend(rows)
    # Core executemany on the tables, not ORM bulk insert: the ORM would fetch every generated
    # primary key one row at a time.
    conn = session.connection()
    for table, rows in zip(NEW_SIGNAL_TABLES, merged, strict=True):
        if table is EventRow:
            chain.append(session, "events", rows)  # the history is hash-chained
        elif rows:
            conn.execute(insert(table), rows)


def insert_signals(session: Session, actor: Actor, items: Sequence[NewSignal]) -> None:
    """Write a batch of new signals with their children and a 'created' event each, in bulk."""
    stamp = now()
    codec = codec_of(session)
    write_rows(session, (signal_rows(actor, item, stamp, codec) for item in items))


def existing_source_ids(session: Session, reporter_org: str, source_ids: Iterable[str]) -> set[str]:
    """Which of these source ids of an organisation are already in the registry."""
    wanted = list(source_ids)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            session.scalars(
                select(SignalRow.source_id).where(
                    SignalRow.reporter_org == reporter_org, SignalRow.source_id.in_(chunk)
                )
            )
        )
    return found


def visible(query: Select[Any], actor: Actor, group: str | None = None) -> Select[Any]:
    """Restrict a signal query to what the actor may see: their organisation's signals and those
    shared with it by an active sharing act (with ``group``: whose scope includes that field group;
    what a reader sees of a shared signal is decided in :mod:`signaal.services.access`)."""
    return query.where(visible_condition(actor, group))


def signal_visible(session: Session, actor: Actor, signal_id: str) -> bool:
    """Whether the signal exists and the actor may see it (one query, no children loaded)."""
    return session.scalar(visible(select(SignalRow.id), actor).where(SignalRow.id == signal_id)) is not None


def load_signal(session: Session, actor: Actor, signal_id: str) -> SignalPublic | None:
    """One signal with its children, or None when it does not exist or is not visible."""
    found = load_signals(session, actor, [signal_id])
    return found[0] if found else None


def load_signals(session: Session, actor: Actor, signal_ids: Sequence[str]) -> list[SignalPublic]:
    """The visible signals among ``signal_ids`` with their children, in the order asked, in five queries."""
    if not signal_ids:
        return []
    found = {r.id: r for r in session.scalars(visible(select(SignalRow), actor).where(SignalRow.id.in_(signal_ids)))}
    if not found:
        return []
    ids = list(found)

    def children(table: Any) -> dict[str, list[Any]]:
        by_signal: dict[str, list[Any]] = {i: [] for i in ids}
        for child in session.scalars(select(table).where(table.signal_id.in_(ids)).order_by(table.id)):
            by_signal[child.signal_id].append(child)
        return by_signal

    indicators, forms = children(SignalIndicatorRow), children(SignalFormRow)
    persons, idents = children(PersonRow), children(IdentifierRow)
    keys = codec_of(session).load(session, ids)
    return [
        _public(keys, found[i], indicators[i], forms[i], persons[i], idents[i])
        for i in dict.fromkeys(signal_ids)
        if i in found
    ]


def _public(
    keys: SignalKeys,
    row: SignalRow,
    indicators: Sequence[SignalIndicatorRow],
    forms: Sequence[SignalFormRow],
    persons: Sequence[PersonRow],
    idents: Sequence[IdentifierRow],
) -> SignalPublic:
    return SignalPublic(
        id=row.id,
        status=Status(row.status),
        owner_org=row.owner_org,
        created_at=row.created_at,
        updated_at=row.updated_at,
        received_at=row.received_at,
        observed_at=row.observed_at,
        reporter_org=row.reporter_org,
        reporter_sector=row.reporter_sector,
        police_unit=row.police_unit,
        municipality=row.municipality,
        narrative=keys.open(row.id, "narrative", row.narrative) or "",
        indicators=[
            ObservedIndicator(
                indicator_id=i.indicator_id,
                words=keys.open(row.id, "words", i.words) or "",
                certainty=i.certainty,
                origin=i.origin,
            )
            for i in indicators
        ],
        forms=[FormHypothesis(form=f.form, set_by=f.set_by) for f in forms],
        persons=[
            PersonIn(
                role=p.role,
                age=p.age,
                age_band=p.age_band,
                gender=p.gender,
                nationality=p.nationality,
                residence=p.residence,
            )
            for p in persons
        ],
        identifiers=[
            IdentifierPublic(
                kind=i.kind,
                value=keys.open(row.id, "identifier", i.value) or "",
                raw=keys.open(row.id, "identifier_raw", i.raw),
            )
            for i in idents
        ],
        facts=dict(row.facts or {}),
        source_id=row.source_id,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        consent=row.consent,
    )


@dataclass(frozen=True)
class SignalQuery:
    """Worklist filters; None means no filter."""

    status: str | None = None
    form: str | None = None
    police_unit: str | None = None
    reporter_sector: str | None = None
    age_group: str | None = None  # "minor", "adult" or "unknown"
    received_from: Any = None
    received_to: Any = None
    limit: int = 50
    offset: int = 0


def _filtered(actor: Actor, q: SignalQuery, base: Select[Any]) -> Select[Any]:
    query = visible(base, actor)
    if q.status:
        query = query.where(SignalRow.status == q.status)
    if q.form:
        query = query.where(SignalRow.forms.like(f"%{q.form}%"))
    if q.police_unit:
        query = query.where(SignalRow.police_unit == q.police_unit)
    if q.reporter_sector:
        query = query.where(SignalRow.reporter_sector == q.reporter_sector)
    if q.age_group == "minor":
        query = query.where(SignalRow.youngest_age < 18)
    elif q.age_group == "adult":
        query = query.where(SignalRow.youngest_age >= 18)
    elif q.age_group == "unknown":
        query = query.where(SignalRow.youngest_age.is_(None))
    if q.received_from is not None:
        query = query.where(SignalRow.received_at >= q.received_from)
    if q.received_to is not None:
        query = query.where(SignalRow.received_at <= q.received_to)
    return query


#: The columns of a signal a worklist line shows.
SUMMARY_COLUMNS: tuple[str, ...] = ("id", "received_at", "reporter_org", "reporter_sector", "police_unit")
SUMMARY_COLUMNS += ("municipality", "status", "forms", "indicator_count", "urgency", "youngest_age", "owner_org")


def query_summaries(session: Session, actor: Actor, q: SignalQuery) -> tuple[list[SignalSummary], int, dict[str, int]]:
    """A page of the worklist (open signals first, most urgent first), the total matching, and counts
    per status. A closed signal never sorts above an open one, whatever its urgency was."""
    closed_last = case((SignalRow.status == Status.CLOSED.value, 1), else_=0)
    # Only the columns the worklist shows: never the narrative or other stored text of the page.
    rows = session.execute(
        _filtered(actor, q, select(*(SignalRow.__table__.c[c] for c in SUMMARY_COLUMNS)))
        .order_by(closed_last, SignalRow.urgency.desc(), SignalRow.received_at.desc(), SignalRow.id)
        .limit(q.limit)
        .offset(q.offset)
    ).all()
    # One counting query per page: counts per status under every other filter; the total follows.
    status_q = SignalQuery(**{**q.__dict__, "status": None})
    counts: dict[str, int] = {
        str(status): int(n)
        for status, n in session.execute(
            _filtered(actor, status_q, select(SignalRow.status, func.count()).select_from(SignalRow)).group_by(
                SignalRow.status
            )
        )
    }
    total = counts.get(q.status, 0) if q.status else sum(counts.values())
    items = [
        SignalSummary(
            id=r.id,
            received_at=r.received_at,
            reporter_org=r.reporter_org,
            reporter_sector=r.reporter_sector,
            police_unit=r.police_unit,
            municipality=r.municipality,
            status=Status(r.status),
            forms=[f for f in r.forms.split(",") if f],
            indicator_count=r.indicator_count,
            urgency=r.urgency,
            youngest_age=r.youngest_age,
            owner_org=r.owner_org,
        )
        for r in rows
    ]
    return items, total, counts


def identifier_values(session: Session, signal_ids: Sequence[str] | None = None) -> Iterator[tuple[str, str, str]]:
    """(signal id, kind, normalised value) of the identifiers of some signals (None: all), decrypted;
    erased signals' identifiers are left out."""
    query = select(IdentifierRow.signal_id, IdentifierRow.kind, IdentifierRow.value).order_by(IdentifierRow.signal_id)
    codec = codec_of(session)
    wanted = None if signal_ids is None else list(signal_ids)
    chunks = [None] if wanted is None else [wanted[i : i + 500] for i in range(0, len(wanted), 500)]
    for chunk in chunks:
        batch = query if chunk is None else query.where(IdentifierRow.signal_id.in_(chunk))
        found = session.execute(batch).tuples().all()
        keys = codec.load(session, {sid for sid, _, _ in found})
        for sid, kind, stored in found:
            value = keys.open(sid, "identifier", stored)
            if value and value != ERASED:
                yield sid, kind, value


def signal_events(session: Session, signal_id: str) -> list[EventRow]:
    """The full history of one signal, oldest first."""
    stored = session.scalars(select(EventRow).where(EventRow.signal_id == signal_id).order_by(EventRow.id)).all()
    keys = codec_of(session).load(session, [signal_id])
    # Detached copies with the data decrypted: the stored rows are append-only and stay untouched.
    return [
        EventRow(
            id=e.id,
            seq=e.seq,
            prev_hash=e.prev_hash,
            hash=e.hash,
            signal_id=e.signal_id,
            at=e.at,
            actor_user=e.actor_user,
            actor_org=e.actor_org,
            actor_role=e.actor_role,
            kind=e.kind,
            data=open_event(keys, signal_id, e.data),
        )
        for e in stored
    ]


def set_status(session: Session, signal_id: str, status: Status) -> None:
    """Write a new status (the caller appends the event)."""
    session.execute(update(SignalRow).where(SignalRow.id == signal_id).values(status=status.value, updated_at=now()))


def update_signal_columns(session: Session, signal_id: str, **values: Any) -> None:
    """Update columns of a signal row and its update time."""
    session.execute(update(SignalRow).where(SignalRow.id == signal_id).values(updated_at=now(), **values))


def set_indicator_origin(session: Session, signal_id: str, indicator_id: str, origin: str | None) -> int:
    """Confirm (origin) or, with None, remove the suggested indicator; returns rows touched."""
    where = (
        SignalIndicatorRow.signal_id == signal_id,
        SignalIndicatorRow.indicator_id == indicator_id,
        SignalIndicatorRow.origin == "suggested",
    )
    if origin is None:
        return session.execute(delete(SignalIndicatorRow).where(*where)).rowcount  # type: ignore[attr-defined,no-any-return]
    return session.execute(update(SignalIndicatorRow).where(*where).values(origin=origin)).rowcount  # type: ignore[attr-defined,no-any-return]


def set_form_hypothesis(session: Session, signal_id: str, form: str, set_by: str | None) -> int:
    """Set a form hypothesis (set_by 'person' confirms a suggestion) or, with None, remove it."""
    where = (SignalFormRow.signal_id == signal_id, SignalFormRow.form == form)
    if set_by is None:
        touched = session.execute(delete(SignalFormRow).where(*where)).rowcount  # type: ignore[attr-defined]
    else:
        touched = session.execute(update(SignalFormRow).where(*where).values(set_by=set_by)).rowcount  # type: ignore[attr-defined]
        if not touched:
            session.execute(insert(SignalFormRow).values(signal_id=signal_id, form=form, set_by=set_by))
            touched = 1
    forms = sorted(session.scalars(select(SignalFormRow.form).where(SignalFormRow.signal_id == signal_id)))
    update_signal_columns(session, signal_id, forms=",".join(forms))
    return int(touched)
