"""Shelter services: request, offer, "no place available", start, end and withdraw a placement,
and the waiting-time figures computed from those recorded events."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.catalogue import Catalogue
from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput, NotFound
from signaal.services import access
from signaal.services.signals import append_event, may_change, require_signal
from signaal.services.triage import as_utc, region_for
from signaal.store import Store
from signaal.store.signals import visible
from signaal.store.tables import SignalRow
from signaal.store.tables_triage import SHELTER_EVENT_NOTE, SHELTER_NOTE, ShelterEventRow, ShelterRequestRow
from signaal.store.texts import seal_text
from signaal.triage.directory import Region
from signaal.triage.shelter import (
    SHELTER_TYPES,
    ShelterGroup,
    ShelterRecord,
    WaitingRequest,
    check_order,
    shelter_stats,
    waiting_requests,
)

__all__ = [
    "ShelterPublic",
    "end_shelter",
    "figures_of",
    "list_shelter",
    "no_place",
    "offer_shelter",
    "request_shelter",
    "shelter_figures",
    "shelter_in",
    "start_shelter",
    "withdraw_shelter",
]


@dataclass(frozen=True)
class ShelterPublic:
    """A shelter request with its timeline and where it stands."""

    record: ShelterRecord
    signal_id: str
    requested_by: str
    provider: str | None
    end_destination: str | None

    @property
    def state(self) -> str:
        """requested, offered, started, ended or withdrawn."""
        r = self.record
        if r.withdrawn_at:
            return "withdrawn"
        if r.ended_at:
            return "ended"
        if r.started_at:
            return "started"
        return "offered" if r.offered_at else "requested"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        r = self.record

        def iso(x: datetime | None) -> str | None:
            return x.isoformat() if x else None

        return {
            "id": r.id,
            "signal_id": self.signal_id,
            "type": r.type,
            "region": r.region,
            "state": self.state,
            "requested_at": r.requested_at.isoformat(),
            "requested_by": self.requested_by,
            "offered_at": iso(r.offered_at),
            "started_at": iso(r.started_at),
            "ended_at": iso(r.ended_at),
            "withdrawn_at": iso(r.withdrawn_at),
            "no_place_at": [x.isoformat() for x in r.no_place_at],
            "waiting_days": None if r.waiting_days is None else round(r.waiting_days, 2),
            "provider": self.provider,
            "end_destination": self.end_destination,
        }


def _no_place(session: Session, request_ids: list[str]) -> dict[str, list[datetime]]:
    """The "no place available" moments of each request, oldest first, in one query."""
    moments: dict[str, list[datetime]] = {i: [] for i in request_ids}
    if request_ids:
        query = (
            select(ShelterEventRow.request_id, ShelterEventRow.at)
            .where(ShelterEventRow.request_id.in_(request_ids), ShelterEventRow.kind == "no_place")
            .order_by(ShelterEventRow.at)
        )
        for request_id, at in session.execute(query):
            moments[request_id].append(at)
    return moments


def _record(session: Session, row: ShelterRequestRow, no_place: list[datetime] | None = None) -> ShelterRecord:
    """A request's timeline; ``no_place`` when the caller already loaded its events (lists of many)."""
    if no_place is None:
        no_place = _no_place(session, [row.id])[row.id]

    def opt(x: datetime | None) -> datetime | None:
        return None if x is None else as_utc(x)

    return ShelterRecord(
        id=row.id,
        type=row.type,
        region=row.region,
        requested_at=as_utc(row.requested_at),
        offered_at=opt(row.offered_at),
        started_at=opt(row.started_at),
        ended_at=opt(row.ended_at),
        withdrawn_at=opt(row.withdrawn_at),
        no_place_at=tuple(as_utc(x) for x in no_place),
    )


def _public(session: Session, row: ShelterRequestRow, no_place: list[datetime] | None = None) -> ShelterPublic:
    record = _record(session, row, no_place)
    return ShelterPublic(record, row.signal_id, row.requested_by, row.provider, row.end_destination)


def _event(session: Session, actor: Actor, row: ShelterRequestRow, kind: str, at: datetime, note: str) -> None:
    sealed = seal_text(session, row.signal_id, SHELTER_EVENT_NOTE, note)
    session.add(ShelterEventRow(request_id=row.id, kind=kind, at=at, by_user=actor.user, by_org=actor.org, note=sealed))
    append_event(
        session,
        actor,
        row.signal_id,
        f"shelter_{kind}",
        {"request": row.id, "type": row.type, "at": at.isoformat(), "note": note},
    )


def request_shelter(
    store: Store,
    actor: Actor,
    signal_id: str,
    shelter_type: str,
    *,
    region: str | None = None,
    at: datetime | None = None,
    note: str = "",
) -> ShelterPublic:
    """Record a shelter request for a signal; the placement clock starts at ``at``."""
    moment = as_utc(at)
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, change=True, group=FieldGroup.ROUTE)
        if moment.date() < signal.received_at:
            raise InvalidInput(
                f"request time {moment:%Y-%m-%d} is before the signal was received ({signal.received_at:%Y-%m-%d})"
            )
        catalogue = store.catalogue
        label: str | None
        if region is not None:
            label = _region_label(catalogue, region)
        else:
            muni = catalogue.municipalities.get(signal.municipality or "")
            label = (muni.care_region if muni else None) or signal.police_unit
        record = ShelterRecord(id="S" + secrets.token_hex(5), type=shelter_type, region=label, requested_at=moment)
        check_order(record)
        row = ShelterRequestRow(
            id=record.id,
            signal_id=signal_id,
            type=shelter_type,
            region=label,
            requested_at=moment,
            requested_by=actor.user,
            requested_org=actor.org,
            note=seal_text(session, signal_id, SHELTER_NOTE, note),
        )
        session.add(row)
        session.flush()
        _event(session, actor, row, "requested", moment, note)
        return _public(session, row)


def _load(session: Session, actor: Actor, request_id: str) -> ShelterRequestRow:
    row = session.get(ShelterRequestRow, request_id)
    if row is None or access.access_to(session, actor, row.signal_id) is None:
        raise NotFound(f"no shelter request {request_id!r}")
    may_change(session, actor, row.signal_id, FieldGroup.ROUTE)
    return row


def _change(
    store: Store,
    actor: Actor,
    request_id: str,
    kind: str,
    at: datetime | None,
    note: str,
    **extra: str | None,
) -> ShelterPublic:
    moment = as_utc(at)
    with store.session() as session:
        row = _load(session, actor, request_id)
        current = _record(session, row)
        if current.withdrawn_at is not None:
            raise Conflict(f"shelter request {request_id} was withdrawn")
        if kind in ("offered", "no_place", "started") and current.started_at is not None:
            raise Conflict(f"shelter request {request_id} already started")
        if kind == "ended" and current.ended_at is not None:
            raise Conflict(f"shelter request {request_id} already ended")
        if kind == "started" and current.started_at is not None:
            raise Conflict(f"shelter request {request_id} already started")
        field = {
            "offered": "offered_at",
            "started": "started_at",
            "ended": "ended_at",
            "withdrawn": "withdrawn_at",
        }.get(kind)
        if kind == "no_place":
            updated = replace(current, no_place_at=(*current.no_place_at, moment))
        elif kind == "offered":
            updated = replace(current, offered_at=moment)
        elif kind == "started":
            updated = replace(current, started_at=moment)
        elif kind == "ended":
            updated = replace(current, ended_at=moment)
        else:
            updated = replace(current, withdrawn_at=moment)
        check_order(updated)  # nothing is stored when the timeline would be out of order
        if field is not None:
            setattr(row, field, moment)
        for name, value in extra.items():
            if value is not None:
                setattr(row, name, value)
        _event(session, actor, row, kind, moment, note)
        session.flush()
        return _public(session, row)


def offer_shelter(
    store: Store,
    actor: Actor,
    request_id: str,
    *,
    at: datetime | None = None,
    provider: str | None = None,
    note: str = "",
) -> ShelterPublic:
    """Record that a place was offered."""
    return _change(store, actor, request_id, "offered", at, note, provider=provider)


def no_place(
    store: Store, actor: Actor, request_id: str, *, at: datetime | None = None, note: str = ""
) -> ShelterPublic:
    """Record a "no place available" answer (the request keeps waiting)."""
    return _change(store, actor, request_id, "no_place", at, note)


def start_shelter(
    store: Store,
    actor: Actor,
    request_id: str,
    *,
    at: datetime | None = None,
    provider: str | None = None,
    note: str = "",
) -> ShelterPublic:
    """Record that the placement started (the waiting time ends here)."""
    return _change(store, actor, request_id, "started", at, note, provider=provider)


def end_shelter(
    store: Store,
    actor: Actor,
    request_id: str,
    *,
    at: datetime | None = None,
    destination: str | None = None,
    note: str = "",
) -> ShelterPublic:
    """Record the end of a placement and where the person went."""
    return _change(store, actor, request_id, "ended", at, note, end_destination=destination)


def withdraw_shelter(
    store: Store, actor: Actor, request_id: str, *, at: datetime | None = None, note: str = ""
) -> ShelterPublic:
    """Withdraw a request that is no longer needed (it stops counting as waiting)."""
    return _change(store, actor, request_id, "withdrawn", at, note)


def _region_label(catalogue: Catalogue, region: str) -> str:
    """The region label a request is stored under (care region, else police unit) for a place name."""
    resolved = region_for(catalogue, region)
    if not isinstance(resolved, Region):
        raise InvalidInput(f"unknown region {region!r}: use a municipality or police unit")
    return resolved.care_region or resolved.police_unit


def _rows(
    store: Store,
    session: Session,
    actor: Actor,
    shelter_type: str | None,
    region: str | None,
    signal_id: str | None = None,
) -> list[ShelterRequestRow]:
    query = visible(select(ShelterRequestRow).join(SignalRow, SignalRow.id == ShelterRequestRow.signal_id), actor, "route")
    if signal_id is not None:
        query = query.where(ShelterRequestRow.signal_id == signal_id)
    if shelter_type is not None:
        if shelter_type not in SHELTER_TYPES:
            raise InvalidInput(f"unknown shelter type {shelter_type!r}; use {', '.join(SHELTER_TYPES)}")
        query = query.where(ShelterRequestRow.type == shelter_type)
    if region is not None:
        # A filter takes a stored label (care region or police unit id) as is, else a place as a
        # request does; an unknown region is a mistake to name, not an empty list.
        catalogue = store.catalogue
        known = region in catalogue.care_regions or region in catalogue.police_units
        query = query.where(ShelterRequestRow.region == (region if known else _region_label(catalogue, region)))
    return list(session.scalars(query.order_by(ShelterRequestRow.requested_at)).all())


def list_shelter(
    store: Store,
    actor: Actor,
    *,
    shelter_type: str | None = None,
    region: str | None = None,
    waiting_only: bool = False,
    signal_id: str | None = None,
) -> list[ShelterPublic]:
    """Shelter requests the actor may see, oldest first."""
    with store.session() as session:
        found = _rows(store, session, actor, shelter_type, region, signal_id)
        no_place = _no_place(session, [r.id for r in found])
        items = [_public(session, r, no_place[r.id]) for r in found]
    if waiting_only:
        items = [i for i in items if i.record.is_waiting]
    return items


def shelter_in(store: Store, session: Session, actor: Actor, signal_id: str) -> list[ShelterPublic]:
    """The shelter requests of one signal inside the caller's transaction, oldest first."""
    found = _rows(store, session, actor, None, None, signal_id)
    no_place = _no_place(session, [r.id for r in found])
    return [_public(session, r, no_place[r.id]) for r in found]


def shelter_figures(
    store: Store,
    actor: Actor,
    *,
    by: tuple[str, ...] = ("type",),
    as_of: datetime | None = None,
    shelter_type: str | None = None,
    region: str | None = None,
) -> tuple[list[ShelterGroup], list[WaitingRequest]]:
    """Waiting-time figures per group and the requests still waiting, from recorded events."""
    return figures_of(list_shelter(store, actor, shelter_type=shelter_type, region=region), by=by, as_of=as_of)


def figures_of(
    requests: Sequence[ShelterPublic], *, by: tuple[str, ...] = ("type",), as_of: datetime | None = None
) -> tuple[list[ShelterGroup], list[WaitingRequest]]:
    """The figures of requests already listed (a page showing both lists and figures loads them once)."""
    moment = as_utc(as_of)
    records = [r.record for r in requests]
    return shelter_stats(records, moment, by), waiting_requests(records, moment)
