"""The route as a working checklist: tick a step off (an event each) and read which steps are done."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput
from signaal.services import access
from signaal.services.signals import append_event
from signaal.services.triage import as_utc, route_of
from signaal.settings import Settings
from signaal.store import Store
from signaal.store import signals as rows
from signaal.store.tables import EventRow
from signaal.triage.progress import StepDone

__all__ = ["ROUTE_STEP_DONE", "complete_route_step", "steps_done", "ticked_steps"]

#: The event kind written when a person ticks off a step of the route.
ROUTE_STEP_DONE = "route_step_done"


def steps_done(events: Iterable[EventRow]) -> list[StepDone]:
    """The route steps ticked off in a signal's history (the first tick of a step counts)."""
    seen: dict[str, StepDone] = {}
    for event in events:
        key = str(event.data.get("step", "")) if event.kind == ROUTE_STEP_DONE else ""
        if key and key not in seen:
            seen[key] = StepDone(
                key, event.actor_user, event.actor_org, as_utc(event.at), str(event.data.get("note", ""))
            )
    return list(seen.values())


def ticked_steps(session: Session, signal_ids: Sequence[str]) -> dict[str, list[StepDone]]:
    """The route steps ticked off of several signals, per signal, in one query: only the
    ``route_step_done`` events, decrypted, not each signal's whole history (the worklist)."""
    found: dict[str, list[EventRow]] = {i: [] for i in signal_ids}
    stored = (
        session.scalars(
            select(EventRow)
            .where(EventRow.signal_id.in_(list(signal_ids)), EventRow.kind == ROUTE_STEP_DONE)
            .order_by(EventRow.id)
        ).all()
        if signal_ids
        else []
    )
    keys = rows.codec_of(session).load(session, list({str(e.signal_id) for e in stored})) if stored else None
    for e in stored:
        sid = str(e.signal_id)
        data = rows.open_event(keys, sid, e.data) if keys is not None else e.data
        found.setdefault(sid, []).append(
            EventRow(at=e.at, signal_id=sid, actor_user=e.actor_user, actor_org=e.actor_org, kind=e.kind, data=data)
        )
    return {sid: steps_done(events) for sid, events in found.items()}


def _done_in(session: Session, signal_id: str) -> list[StepDone]:
    return steps_done(rows.signal_events(session, signal_id))


def complete_route_step(
    store: Store,
    actor: Actor,
    signal_id: str,
    step_key: str,
    *,
    note: str = "",
    at: datetime | None = None,
    settings: Settings | None = None,
) -> StepDone:
    """Tick off one step of the signal's current route (Conflict if it was ticked off already)."""
    moment = as_utc(at)
    with store.session() as session:
        signal = access.require_for_routing(session, actor, signal_id, change=True)
        routed = route_of(signal, store.catalogue, settings=settings)
        step = next((s for s in routed.route.steps if s.key == step_key), None)
        if step is None:
            raise InvalidInput(
                f"the route of signal {signal_id} has no step {step_key!r}", code="no_step", values={"step": step_key}
            )
        if any(d.key == step_key for d in _done_in(session, signal_id)):
            raise Conflict(f"step {step_key!r} of signal {signal_id} is done already", code="step_done_already")
        append_event(
            session,
            actor,
            signal_id,
            ROUTE_STEP_DONE,
            {"step": step_key, "title": step.title, "note": note.strip(), "at": moment.isoformat()},
        )
        return StepDone(step_key, actor.user, actor.org, moment, note.strip())
