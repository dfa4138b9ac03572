"""Action-perspective services: route a stored signal, record the routing decision, referrals,
meldcode steps, Delphi advice and closing. Every change is also an event on the signal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import signaal.store.tables_triage  # noqa: F401  (registers the triage tables on the metadata)
from signaal.catalogue import Catalogue, load_catalogue
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalPublic, Status
from signaal.errors import Conflict, Forbidden, InvalidInput, NotFound
from signaal.services import signals as signal_service
from signaal.services.signals import ROUTING_DECIDED, append_event, change_status
from signaal.settings import Settings, load_settings
from signaal.store import Store
from signaal.store.signals import load_signal, visible
from signaal.store.tables import SignalRow
from signaal.store.tables_triage import (
    MeldcodeStepRow,
    ReferralRow,
    ReferralStateRow,
    RoutingDecisionRow,
)
from signaal.triage import CONTACT_IDS, Directory, Facts, Region, Route, RuleSet, route
from signaal.triage.delphi import DelphiAssessment, assess_signal
from signaal.triage.loading import load_directory, load_rules
from signaal.triage.meldcode import Checklist, checklist, complete_step
from signaal.triage.signal_facts import facts_from_signal

__all__ = [
    "REFERRAL_STATES",
    "DecisionPublic",
    "ReferralPublic",
    "SignalRoute",
    "add_referral",
    "as_utc",
    "close_signal",
    "complete_meldcode_step",
    "delphi_for_signal",
    "list_decisions",
    "list_referrals",
    "may_change",
    "meldcode_checklist",
    "overdue_referrals",
    "record_decision",
    "region_for",
    "route_facts",
    "route_signal",
    "update_referral",
]

REFERRAL_STATES: tuple[str, ...] = ("sent", "accepted", "declined", "feedback_received")
_NEXT_STATES: dict[str, frozenset[str]] = {
    "sent": frozenset({"accepted", "declined", "feedback_received"}),
    "accepted": frozenset({"declined", "feedback_received"}),
    "declined": frozenset(),
    "feedback_received": frozenset(),
}
# A referral that is still waiting for an answer or for feedback on the outcome.
_AWAITING_FEEDBACK = ("sent", "accepted")


def as_utc(moment: datetime | None) -> datetime:
    """A moment in UTC (naive moments, as SQLite returns them, are taken as UTC); None is now."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _config(settings: Settings | None) -> tuple[Settings, Directory, RuleSet]:
    cfg = settings or load_settings()
    directory = load_directory(cfg.directory_file)
    return cfg, directory, load_rules(cfg.catalogue_dir, directory)


def region_for(catalogue: Catalogue, text: str | None) -> Region | str | None:
    """Resolve region text through the catalogue; unresolved text is returned for a warning."""
    if not text:
        return None
    ref = catalogue.resolve_region(text)
    if ref is None:
        return text
    return Region(ref.police_unit, ref.municipality, ref.care_region)


def _signal_region(catalogue: Catalogue, signal: SignalPublic) -> Region | str | None:
    if signal.police_unit:
        muni = catalogue.municipalities.get(signal.municipality or "")
        return Region(signal.police_unit, signal.municipality, muni.care_region if muni else None)
    return region_for(catalogue, signal.region)


@dataclass(frozen=True)
class SignalRoute:
    """A stored signal, the facts read from it, and its route."""

    signal: SignalPublic
    facts: Facts
    route: Route


def route_facts(facts: Facts, *, settings: Settings | None = None, now: datetime | None = None) -> Route:
    """Route facts without a stored signal (dry run); the region comes from ``facts.region``."""
    _, directory, rules = _config(settings)
    region = region_for(load_catalogue(), facts.region)
    return route(facts, directory, region, rules, now=as_utc(now) if now else None)


def _require(session: Session, actor: Actor, signal_id: str, *, change: bool = False) -> SignalPublic:
    signal = load_signal(session, actor, signal_id)
    if signal is None:
        raise NotFound(f"no signal {signal_id!r}")
    if change:
        may_change(actor, signal)
    return signal


def may_change(actor: Actor, signal: SignalPublic) -> None:
    """Coordinators and admins act on any visible signal; others only on their own organisation's."""
    if actor.role in (Role.COORDINATOR, Role.ADMIN) or signal.owner_org == actor.org:
        return
    raise Forbidden(f"{actor} may not change signal {signal.id} of {signal.owner_org}")


def route_signal(
    store: Store,
    actor: Actor,
    signal_id: str,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> SignalRoute:
    """The action perspective for a stored signal (reads only; nothing is recorded)."""
    signal = signal_service.get_signal(store, actor, signal_id)
    facts = facts_from_signal(signal, source=f"signal {signal_id}")
    _, directory, rules = _config(settings)
    region = _signal_region(load_catalogue(), signal)
    when = as_utc(now) if now else datetime.combine(signal.received_at, datetime.min.time(), UTC)
    return SignalRoute(signal, facts, route(facts, directory, region, rules, now=when))


@dataclass(frozen=True)
class DecisionPublic:
    """A recorded routing decision."""

    signal_id: str
    decided_at: datetime
    decided_by: str
    decided_org: str
    route: str
    reason: str
    contacts: tuple[str, ...]
    flags: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            **self.__dict__,
            "decided_at": self.decided_at.isoformat(),
            "contacts": list(self.contacts),
            "flags": list(self.flags),
        }


def _decision(row: RoutingDecisionRow) -> DecisionPublic:
    return DecisionPublic(
        row.signal_id,
        as_utc(row.decided_at),
        row.decided_by,
        row.decided_org,
        row.route,
        row.reason,
        tuple(row.contacts),
        tuple(row.flags),
    )


def _check_contacts(contacts: list[str]) -> None:
    unknown = [c for c in contacts if c not in CONTACT_IDS]
    if unknown:
        raise InvalidInput(f"unknown contact {unknown[0]!r}; use one of {', '.join(CONTACT_IDS)}")


def record_decision(
    store: Store,
    actor: Actor,
    signal_id: str,
    route_name: str,
    reason: str,
    contacts: list[str] | None = None,
    *,
    settings: Settings | None = None,
    at: datetime | None = None,
) -> DecisionPublic:
    """Record who decided which route and why; the signal moves to 'routed'."""
    if not route_name.strip():
        raise InvalidInput("a routing decision needs a route (e.g. 'care route via zorgcoördinator')")
    if not reason.strip():
        raise InvalidInput("a routing decision needs a reason")
    computed = route_signal(store, actor, signal_id, settings=settings)
    chosen = list(dict.fromkeys(contacts)) if contacts else list(computed.route.contacts)
    _check_contacts(chosen)
    moment = as_utc(at)
    with store.session() as session:
        signal = _require(session, actor, signal_id, change=True)
        if signal.status == Status.CLOSED:
            raise Conflict(f"signal {signal_id} is closed; reopen it before deciding a new route")
        if moment.date() < signal.received_at:
            raise InvalidInput(
                f"decision time {moment:%Y-%m-%d} is before the signal was received ({signal.received_at:%Y-%m-%d})"
            )
        row = RoutingDecisionRow(
            signal_id=signal_id,
            decided_at=moment,
            decided_by=actor.user,
            decided_org=actor.org,
            route=route_name.strip(),
            reason=reason.strip(),
            contacts=chosen,
            flags=list(computed.route.flags),
            facts=computed.facts.as_dict(),
        )
        session.add(row)
        session.flush()
        append_event(
            session,
            actor,
            signal_id,
            ROUTING_DECIDED,
            {
                "route": row.route,
                "reason": row.reason,
                "contacts": chosen,
                "flags": list(computed.route.flags),
                "at": moment.isoformat(),
            },
        )
        if signal.status in (Status.NEW, Status.IN_TRIAGE):
            change_status(store, actor, signal_id, Status.ROUTED, f"routed: {row.route}", session=session)
        return _decision(row)


def list_decisions(store: Store, actor: Actor, signal_id: str) -> list[DecisionPublic]:
    """The routing decisions of a signal, oldest first."""
    with store.session() as session:
        _require(session, actor, signal_id)
        rows = session.scalars(
            select(RoutingDecisionRow).where(RoutingDecisionRow.signal_id == signal_id).order_by(RoutingDecisionRow.id)
        ).all()
        return [_decision(r) for r in rows]


def close_signal(store: Store, actor: Actor, signal_id: str, reason: str = "") -> SignalPublic:
    """Close a signal; refused (Conflict) without a recorded routing decision."""
    with store.session() as session:
        _require(session, actor, signal_id, change=True)
        decided = session.scalars(
            select(RoutingDecisionRow.id).where(RoutingDecisionRow.signal_id == signal_id)
        ).first()
        if decided is None:
            raise Conflict(
                f"signal {signal_id} cannot be closed without a recorded routing decision "
                f"(record one with: signaal decide {signal_id} --route ... --reason ...)"
            )
        return change_status(store, actor, signal_id, Status.CLOSED, reason, session=session)


@dataclass(frozen=True)
class ReferralPublic:
    """A referral and where it stands."""

    id: int
    signal_id: str
    contact_id: str
    contact_name: str
    sent_at: datetime
    sent_by: str
    state: str
    state_at: datetime
    note: str
    days_open: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = dict(self.__dict__)
        out["sent_at"] = self.sent_at.isoformat()
        out["state_at"] = self.state_at.isoformat()
        if self.days_open is not None:
            out["days_open"] = round(self.days_open, 1)
        return out


def _referral(row: ReferralRow, now: datetime | None = None) -> ReferralPublic:
    sent = as_utc(row.sent_at)
    days = None if now is None else (now - sent).total_seconds() / 86400
    return ReferralPublic(
        row.id,
        row.signal_id,
        row.contact_id,
        row.contact_name,
        sent,
        row.sent_by,
        row.state,
        as_utc(row.state_at),
        row.note,
        days,
    )


def add_referral(
    store: Store,
    actor: Actor,
    signal_id: str,
    contact_id: str,
    *,
    at: datetime | None = None,
    note: str = "",
    settings: Settings | None = None,
) -> ReferralPublic:
    """Record a referral to a canonical contact (state 'sent')."""
    _check_contacts([contact_id])
    _, directory, _ = _config(settings)
    moment, now = as_utc(at), as_utc(None)
    if moment > now + timedelta(minutes=5):
        raise InvalidInput(f"referral time {moment:%Y-%m-%d %H:%M} is in the future")
    with store.session() as session:
        signal = _require(session, actor, signal_id, change=True)
        if moment.date() < signal.received_at:
            raise InvalidInput(
                f"referral time {moment:%Y-%m-%d} is before the signal was received ({signal.received_at:%Y-%m-%d})"
            )
        region = _signal_region(load_catalogue(), signal)
        name = directory.lookup(contact_id, region if isinstance(region, Region) else None).name
        row = ReferralRow(
            signal_id=signal_id,
            contact_id=contact_id,
            contact_name=name,
            sent_at=moment,
            sent_by=actor.user,
            sent_org=actor.org,
            state="sent",
            state_at=moment,
            note=note,
        )
        session.add(row)
        session.flush()
        session.add(
            ReferralStateRow(
                referral_id=row.id, state="sent", at=moment, by_user=actor.user, by_org=actor.org, note=note
            )
        )
        append_event(
            session,
            actor,
            signal_id,
            "referral_sent",
            {"referral": row.id, "contact": contact_id, "at": moment.isoformat()},
        )
        return _referral(row)


def update_referral(
    store: Store,
    actor: Actor,
    referral_id: int,
    state: str,
    *,
    at: datetime | None = None,
    note: str = "",
) -> ReferralPublic:
    """Move a referral on (accepted, declined, feedback_received), refusing impossible moves."""
    if state not in REFERRAL_STATES or state == "sent":
        raise InvalidInput(f"unknown referral state {state!r}; use accepted, declined or feedback_received")
    moment = as_utc(at)
    with store.session() as session:
        row = session.get(ReferralRow, referral_id)
        if row is None or load_signal(session, actor, row.signal_id) is None:
            raise NotFound(f"no referral {referral_id}")
        _require(session, actor, row.signal_id, change=True)
        if state not in _NEXT_STATES[row.state]:
            raise Conflict(f"referral {referral_id} is {row.state}; it cannot become {state}")
        if moment < as_utc(row.state_at):
            raise InvalidInput(
                f"{state} at {moment:%Y-%m-%d %H:%M} is before the referral was {row.state} "
                f"({as_utc(row.state_at):%Y-%m-%d %H:%M})"
            )
        row.state, row.state_at = state, moment
        if note:
            row.note = note
        session.add(
            ReferralStateRow(
                referral_id=row.id, state=state, at=moment, by_user=actor.user, by_org=actor.org, note=note
            )
        )
        append_event(
            session,
            actor,
            row.signal_id,
            "referral_updated",
            {"referral": row.id, "state": state, "at": moment.isoformat()},
        )
        session.flush()
        return _referral(row)


def list_referrals(
    store: Store, actor: Actor, signal_id: str | None = None, state: str | None = None
) -> list[ReferralPublic]:
    """Referrals the actor may see, optionally of one signal or in one state, oldest first."""
    if state is not None and state not in REFERRAL_STATES:
        raise InvalidInput(f"unknown referral state {state!r}; use {', '.join(REFERRAL_STATES)}")
    query = visible(select(ReferralRow).join(SignalRow, SignalRow.id == ReferralRow.signal_id), actor)
    if signal_id is not None:
        query = query.where(ReferralRow.signal_id == signal_id)
    if state is not None:
        query = query.where(ReferralRow.state == state)
    with store.session() as session:
        rows = session.scalars(query.order_by(ReferralRow.sent_at, ReferralRow.id)).all()
        return [_referral(r) for r in rows]


def overdue_referrals(
    store: Store,
    actor: Actor,
    *,
    days: int | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> list[ReferralPublic]:
    """Referrals still without feedback after ``days`` (default Settings.referral_overdue_days)."""
    limit = days if days is not None else (settings or load_settings()).referral_overdue_days
    if limit < 1:
        raise InvalidInput("days must be at least 1")
    moment = as_utc(now)
    cutoff = moment - timedelta(days=limit)
    query = visible(select(ReferralRow).join(SignalRow, SignalRow.id == ReferralRow.signal_id), actor).where(
        ReferralRow.state.in_(_AWAITING_FEEDBACK), ReferralRow.sent_at <= cutoff
    )
    with store.session() as session:
        rows = session.scalars(query.order_by(ReferralRow.sent_at, ReferralRow.id)).all()
        return [_referral(r, moment) for r in rows]


def _checklist(session: Session, rules: RuleSet, signal_id: str) -> Checklist:
    rows = session.scalars(select(MeldcodeStepRow).where(MeldcodeStepRow.signal_id == signal_id)).all()
    return checklist(rules.meldcode, [(r.step, r.completed_by, as_utc(r.completed_at), r.note) for r in rows])


def meldcode_checklist(store: Store, actor: Actor, signal_id: str, *, settings: Settings | None = None) -> Checklist:
    """The five meldcode steps of a signal with who completed each and when."""
    _, _, rules = _config(settings)
    with store.session() as session:
        _require(session, actor, signal_id)
        return _checklist(session, rules, signal_id)


def complete_meldcode_step(
    store: Store,
    actor: Actor,
    signal_id: str,
    step: str,
    *,
    at: datetime | None = None,
    note: str = "",
    settings: Settings | None = None,
) -> Checklist:
    """Mark a meldcode step done by the actor (Conflict if done already or out of turn)."""
    _, _, rules = _config(settings)
    moment = as_utc(at)
    with store.session() as session:
        signal = _require(session, actor, signal_id, change=True)
        if moment.date() < signal.received_at:
            raise InvalidInput(
                f"step time {moment:%Y-%m-%d} is before the signal was received ({signal.received_at:%Y-%m-%d})"
            )
        updated, item = complete_step(_checklist(session, rules, signal_id), step, actor.user, moment, note)
        session.add(
            MeldcodeStepRow(
                signal_id=signal_id,
                step=item.step.id,
                completed_by=actor.user,
                completed_org=actor.org,
                completed_at=moment,
                note=note,
            )
        )
        append_event(
            session,
            actor,
            signal_id,
            "meldcode_step_completed",
            {"step": item.step.id, "number": item.step.number, "at": moment.isoformat()},
        )
        return updated


def delphi_for_signal(store: Store, actor: Actor, signal_id: str) -> tuple[DelphiAssessment, ...]:
    """Delphi advice from the signal's reported and confirmed indicators (suggestions left out)."""
    signal = signal_service.get_signal(store, actor, signal_id)
    facts = facts_from_signal(signal, source=f"signal {signal_id}")
    observed = [i.indicator_id for i in signal.indicators if i.origin.value != "suggested"]
    return assess_signal(observed, load_catalogue().indicators, facts.is_minor, facts.effective_forms)
