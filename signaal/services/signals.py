"""Signal registry services: record, read, list, change and export signals, each with an actor."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from signaal.catalogue import Catalogue
from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.domain.signal import (
    ALLOWED_TRANSITIONS,
    IndicatorOrigin,
    SetBy,
    SignalCreate,
    SignalPublic,
    SignalSummary,
    Status,
)
from signaal.domain.validation import check_signal, resolve_place, urgency
from signaal.errors import Conflict, InvalidInput, NotFound, Problem
from signaal.services import access, audit
from signaal.store import Store
from signaal.store import signals as rows
from signaal.store.signals import NewSignal, SignalQuery
from signaal.triage.facts import facts_from_mapping
from signaal.triage.signal_facts import SUGGESTED_KEY

__all__ = [
    "EventPublic",
    "Page",
    "SignalQuery",
    "append_event",
    "change_status",
    "confirm_form",
    "confirm_indicator",
    "export_signals",
    "fact_problems",
    "get_signal",
    "list_signals",
    "may_change",
    "parse_status",
    "prepare_signal",
    "record_signal",
    "reject_form",
    "reject_indicator",
    "require_signal",
    "require_visible",
    "signal_history",
    "update_facts",
]

#: The most signals a worklist query may skip (far past any registry; keeps offsets in 32 bits).
MAX_OFFSET = 2**31 - 1

#: The event kind the action-perspective services write when a routing decision is recorded.
ROUTING_DECIDED = "routing_decided"


class EventPublic(BaseModel):
    """One entry of a signal's history."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    user: str
    org: str
    role: str
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Page:
    """A page of the worklist with the total and counts per status."""

    items: list[SignalSummary]
    total: int
    status_counts: dict[str, int]
    limit: int
    offset: int


def parse_status(value: Status | str) -> Status:
    """A status from its name; InvalidInput naming the choices for any other text."""
    try:
        return Status(value)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise InvalidInput(f"unknown status {value!r}; use one of {choices}") from None


def _check_query(query: SignalQuery) -> None:
    """Refuse filters that can never match, so a typo gives a message rather than an empty list."""
    if query.status is not None:
        parse_status(query.status)
    if not 0 <= query.offset <= MAX_OFFSET:  # a page number past any list would overflow the database's integers
        raise InvalidInput(f"page out of range: at most {MAX_OFFSET:,} signals can be skipped")
    if query.age_group not in (None, "minor", "adult", "unknown"):
        raise InvalidInput(f"unknown age group {query.age_group!r}; use minor, adult or unknown")


def fact_problems(facts: Mapping[str, Any]) -> list[Problem]:
    """What the router could not read in a signal's explicit facts: unknown names, wrong types, contradictions."""
    # Suggested facts are advice kept apart; they are never routed on, so they are not checked here.
    try:
        facts_from_mapping({k: v for k, v in facts.items() if k != SUGGESTED_KEY}, "facts")
    except InvalidInput as exc:
        return exc.problems
    return []


def prepare_signal(catalogue: Catalogue, data: SignalCreate, today: date | None = None) -> NewSignal:
    """Validate a signal against the catalogues and derive what is stored with it (InvalidInput if bad)."""
    problems = check_signal(catalogue, data, today or date.today()) + fact_problems(data.facts)
    if problems:
        raise InvalidInput("the signal was not recorded", problems)
    place = resolve_place(catalogue, data.region)
    assert place is not None  # check_signal reported unknown regions
    return NewSignal(
        id=rows.new_signal_id(),
        data=data,
        police_unit=place.police_unit,
        municipality=place.municipality,
        urgency=urgency(catalogue, data),
    )


def record_signal(
    store: Store, actor: Actor, data: SignalCreate, *, catalogue: Catalogue | None = None, suggest: bool = False
) -> SignalPublic:
    """Record one new signal, owned by the actor's organisation; returns it as stored.

    With ``suggest`` the narrative reader's indicators, forms and facts are added first, marked as
    suggestions (suggested facts stay under ``facts["suggested"]``: the route ignores them).
    """
    catalogue = catalogue or store.catalogue
    # The organisation is the authenticated actor's, never what the input claims: a claimed one
    # would confirm another organisation's case ids and pre-empt its imports.
    data = data.model_copy(update={"reporter_org": actor.org})
    if suggest and data.narrative.strip():
        from signaal.services import narrative  # the reader's lexicons load only when asked for

        data = narrative.apply_suggestions(
            data, narrative.suggest(actor, data.narrative, catalogue=catalogue, knowledge=store.knowledge)
        )
    item = prepare_signal(catalogue, data)
    conflict = Conflict(f"signal with source id {data.source_id!r} of {data.reporter_org!r} is already recorded")
    try:
        with store.session() as session:
            if data.source_id is not None and rows.existing_source_ids(session, data.reporter_org, [data.source_id]):
                raise conflict
            rows.insert_signals(session, actor, [item])
            session.flush()
            stored = rows.load_signal(session, actor, item.id)
    except IntegrityError:
        if data.source_id is None:
            raise
        raise conflict from None  # the same source id recorded at the same moment by another request
    assert stored is not None
    return stored


def require_signal(
    session: Session, actor: Actor, signal_id: str, *, change: bool = False, group: FieldGroup = FieldGroup.SUMMARY
) -> SignalPublic:
    """The signal as the actor may see it (NotFound otherwise); with change=True also may change it
    (``group``: ROUTE for triage and routing, which a receiving coordinator may do through an act)."""
    return access.require_signal(session, actor, signal_id, change=change, group=group)


def require_visible(session: Session, actor: Actor, signal_id: str, group: FieldGroup = FieldGroup.SUMMARY) -> None:
    """NotFound unless the actor may see the signal (and ``group`` of it); for reads of its id only."""
    access.check(session, actor, signal_id, group)


def get_signal(
    store: Store, actor: Actor, signal_id: str, group: FieldGroup = FieldGroup.SUMMARY
) -> SignalPublic:
    """One signal as the actor may see it (NotFound otherwise, without telling whether it exists;
    Forbidden when ``group`` of it is not shared with them); audited."""
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, group=group)
        audit.record_access(session, actor, "read", [signal.id])
        return signal


def list_signals(store: Store, actor: Actor, query: SignalQuery | None = None) -> Page:
    """The worklist: signals the actor may see, filtered, most urgent first."""
    query = query or SignalQuery()
    if not 1 <= query.limit <= 1000:
        raise InvalidInput("limit must be between 1 and 1000")
    _check_query(query)
    with store.session() as session:
        items, total, counts = rows.query_summaries(session, actor, query)
        items = access.redact_summaries(session, actor, items)
        audit.record_access(session, actor, "list", [s.id for s in items], {"filters": _filters(query)})
    return Page(items=items, total=total, status_counts=counts, limit=query.limit, offset=query.offset)


def append_event(session: Session, actor: Actor, signal_id: str | None, kind: str, data: dict[str, Any]) -> None:
    """Append an event to a signal's history inside the caller's transaction."""
    rows.add_event(session, actor, signal_id, kind, data)


def signal_history(store: Store, actor: Actor, signal_id: str) -> list[EventPublic]:
    """Every event of a signal, oldest first."""
    with store.session() as session:
        require_visible(session, actor, signal_id, FieldGroup.HISTORY)
        audit.record_access(session, actor, "read", [signal_id], {"history": True})
        return [
            EventPublic(at=e.at, user=e.actor_user, org=e.actor_org, role=e.actor_role, kind=e.kind, data=e.data)
            for e in rows.signal_events(session, signal_id)
        ]


def may_change(session: Session, actor: Actor, signal_id: str, group: FieldGroup = FieldGroup.SUMMARY) -> None:
    """NotFound unless the actor sees the signal; Forbidden unless they may change ``group`` of it."""
    access.check(session, actor, signal_id, group, change=True)


def change_status(
    store: Store,
    actor: Actor,
    signal_id: str,
    status: Status | str,
    reason: str = "",
    *,
    session: Session | None = None,
) -> SignalPublic:
    """Move a signal to a new status; closing needs a recorded routing decision.

    This is the one place the closing rule lives: every shell (CLI, API, web) and every service
    that changes a status comes through here.
    """
    target = parse_status(status)
    if session is None:
        with store.session() as own:
            return change_status(store, actor, signal_id, target, reason, session=own)
    signal = require_signal(session, actor, signal_id, change=True, group=FieldGroup.ROUTE)
    if target == signal.status:
        raise Conflict(
            f"signal {signal_id} is already {target.value}", code="status_same", values={"status": target.value}
        )
    if target not in ALLOWED_TRANSITIONS[signal.status]:
        raise Conflict(
            f"signal {signal_id} cannot go from {signal.status.value} to {target.value}",
            code="status_transition",
            values={"from": signal.status.value, "to": target.value},
        )
    if target == Status.CLOSED and not any(e.kind == ROUTING_DECIDED for e in rows.signal_events(session, signal_id)):
        raise Conflict(
            f"signal {signal_id} cannot be closed without a recorded routing decision "
            f"(record one with: signaal decide {signal_id} --route ... --reason ...)",
            code="close_needs_decision",
        )
    rows.set_status(session, signal_id, target)
    rows.add_event(
        session, actor, signal_id, "status_changed", {"from": signal.status.value, "to": target.value, "reason": reason}
    )
    return require_signal(session, actor, signal_id)


def update_facts(store: Store, actor: Actor, signal_id: str, facts: dict[str, Any]) -> SignalPublic:
    """Merge routing facts into a signal (a value of None removes a fact)."""
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, change=True, group=FieldGroup.ROUTE)
        # Only what changes is recorded, so the history says truly who set each fact and when.
        facts = {k: v for k, v in facts.items() if signal.facts.get(k) != v}
        if not facts:
            return signal
        merged = {k: v for k, v in {**signal.facts, **facts}.items() if v is not None}
        problems = fact_problems(merged)
        if problems:
            # Refused here, where the user gives them, rather than later when the signal is routed.
            raise InvalidInput(f"the facts of signal {signal_id} were not changed", problems, code="facts_invalid")
        rows.update_signal_columns(session, signal_id, facts=merged)
        rows.add_event(session, actor, signal_id, "facts_updated", {"facts": facts})
        return require_signal(session, actor, signal_id)


def _set_indicator(store: Store, actor: Actor, signal_id: str, indicator_id: str, origin: str | None) -> SignalPublic:
    with store.session() as session:
        require_signal(session, actor, signal_id, change=True)
        if not rows.set_indicator_origin(session, signal_id, indicator_id, origin):
            raise NotFound(f"signal {signal_id} has no suggested indicator {indicator_id!r}")
        kind = "indicator_confirmed" if origin else "indicator_rejected"
        rows.add_event(session, actor, signal_id, kind, {"indicator_id": indicator_id})
        return require_signal(session, actor, signal_id)


def confirm_indicator(store: Store, actor: Actor, signal_id: str, indicator_id: str) -> SignalPublic:
    """A person confirms a suggested indicator; it then counts as confirmed, not suggested."""
    return _set_indicator(store, actor, signal_id, indicator_id, IndicatorOrigin.CONFIRMED.value)


def reject_indicator(store: Store, actor: Actor, signal_id: str, indicator_id: str) -> SignalPublic:
    """A person rejects a suggested indicator; it is removed (the event keeps the rejection)."""
    return _set_indicator(store, actor, signal_id, indicator_id, None)


def confirm_form(store: Store, actor: Actor, signal_id: str, form: str) -> SignalPublic:
    """A person sets or confirms a form hypothesis."""
    if form not in store.catalogue.forms:
        raise InvalidInput(f"unknown form {form!r}")
    with store.session() as session:
        require_signal(session, actor, signal_id, change=True)
        rows.set_form_hypothesis(session, signal_id, form, SetBy.PERSON.value)
        rows.add_event(session, actor, signal_id, "form_confirmed", {"form": form})
        return require_signal(session, actor, signal_id)


def reject_form(store: Store, actor: Actor, signal_id: str, form: str) -> SignalPublic:
    """A person removes a form hypothesis."""
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, change=True)
        if not any(f.form == form for f in signal.forms):
            raise NotFound(f"signal {signal_id} has no form hypothesis {form!r}")
        rows.set_form_hypothesis(session, signal_id, form, None)
        rows.add_event(session, actor, signal_id, "form_rejected", {"form": form})
        return require_signal(session, actor, signal_id)


def _filters(query: SignalQuery) -> dict[str, str]:
    return {k: str(v) for k, v in query.__dict__.items() if v is not None and k not in ("limit", "offset")}


def export_signals(store: Store, actor: Actor, query: SignalQuery | None = None) -> Iterator[SignalPublic]:
    """Every visible signal matching the filters, in full; the export itself is recorded as an event."""
    query = query or SignalQuery()
    _check_query(query)
    batch = 500
    offset = 0
    with store.session() as session:
        rows.add_event(
            session,
            actor,
            None,
            "exported",
            {"filters": _filters(query)},
        )
    while True:
        page_query = SignalQuery(**{**query.__dict__, "limit": batch, "offset": offset})
        with store.session() as session:
            items, _, _ = rows.query_summaries(session, actor, page_query)
            full = access.load_signals(session, actor, [s.id for s in items])
            if full:
                audit.record_access(session, actor, "export", [s.id for s in full], {"filters": _filters(query)})
        yield from full
        if len(items) < batch:
            return
        offset += batch
