"""Action-perspective services: route a stored signal, record the routing decision, referrals,
meldcode steps, Delphi advice and closing. Every change is also an event on the signal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import signaal.store.tables_triage  # noqa: F401  (registers the triage tables on the metadata)
from signaal.catalogue import Catalogue
from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.domain.signal import SignalPublic, Status
from signaal.errors import Conflict, InvalidInput
from signaal.knowledge import knowledge_for
from signaal.services import access, audit
from signaal.services import signals as signal_service
from signaal.services.signals import (
    ROUTING_DECIDED,
    append_event,
    change_status,
    may_change,
    require_signal,
    require_visible,
)
from signaal.settings import Settings, load_settings
from signaal.store import Store
from signaal.store.tables_triage import (
    DECISION_REASON,
    MELDCODE_NOTE,
    MeldcodeStepRow,
    RoutingDecisionRow,
)
from signaal.store.texts import open_text, seal_text
from signaal.triage import CONTACT_IDS, Directory, Facts, Region, Route, RuleSet, route
from signaal.triage.delphi import DelphiAssessment, assess_signal
from signaal.triage.meldcode import Checklist, checklist, complete_step
from signaal.triage.signal_facts import facts_from_signal
from signaal.triage.texts import check_language

__all__ = [
    "DecisionPublic",
    "SignalRoute",
    "as_utc",
    "check_contacts",
    "checklist_in",
    "close_signal",
    "complete_meldcode_step",
    "config",
    "decisions_in",
    "delphi_for_signal",
    "delphi_of",
    "language_for",
    "list_decisions",
    "may_change",
    "meldcode_checklist",
    "record_decision",
    "region_for",
    "require_signal",
    "route_facts",
    "route_of",
    "route_signal",
    "signal_region",
]


def as_utc(moment: datetime | None) -> datetime:
    """A moment in UTC (naive moments, as SQLite returns them, are taken as UTC); None is now."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def language_for(settings: Settings, lang: str | None) -> str:
    """The language of the action perspective: the one asked for, else the configured default."""
    return check_language(lang if lang is not None else settings.language)


def config(settings: Settings | None) -> tuple[Settings, Directory, RuleSet]:
    """Settings, contact directory and routing rules for a service call."""
    cfg = settings or load_settings()
    knowledge = knowledge_for(cfg)
    return cfg, knowledge.directory, knowledge.routing_rules


def _named(catalogue: Catalogue, region: Region) -> Region:
    """The region with the names of its codings as written, for contact names ("Gemeente 's-Hertogenbosch")."""
    names = []
    if region.municipality in catalogue.municipalities:
        names.append(("municipality", catalogue.municipalities[region.municipality].name))
    if region.care_region in catalogue.care_regions:
        names.append(("care_region", catalogue.care_regions[region.care_region].nl))
    if region.police_unit in catalogue.police_units:
        names.append(("police_unit", catalogue.police_units[region.police_unit].nl))
    return replace(region, names=tuple(names))


def region_for(catalogue: Catalogue, text: str | None) -> Region | str | None:
    """Resolve region text through the catalogue; unresolved text is returned for a warning."""
    if not text:
        return None
    ref = catalogue.resolve_region(text)
    if ref is None:
        return text
    return _named(catalogue, Region(ref.police_unit, ref.municipality, ref.care_region))


def signal_region(catalogue: Catalogue, signal: SignalPublic) -> Region | str | None:
    """The region of a stored signal: its resolved codings, or its region text for a warning."""
    if signal.police_unit:
        muni = catalogue.municipalities.get(signal.municipality or "")
        return _named(catalogue, Region(signal.police_unit, signal.municipality, muni.care_region if muni else None))
    return region_for(catalogue, signal.region)


@dataclass(frozen=True)
class SignalRoute:
    """A stored signal, the facts read from it, and its route."""

    signal: SignalPublic
    facts: Facts
    route: Route


def route_facts(
    facts: Facts, *, settings: Settings | None = None, now: datetime | None = None, lang: str | None = None
) -> Route:
    """Route facts without a stored signal (dry run) in ``lang``; the region comes from ``facts.region``."""
    cfg, directory, rules = config(settings)
    region = region_for(knowledge_for(cfg).catalogue, facts.region)
    return route(facts, directory, region, rules, now=as_utc(now) if now else None, lang=language_for(cfg, lang))


def route_of(
    signal: SignalPublic,
    catalogue: Catalogue,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    lang: str | None = None,
) -> SignalRoute:
    """The action perspective of a loaded signal in ``lang``; deadlines count from ``now``, else from
    the moment the signal was recorded (a 24-hour step is due 24 hours after recording)."""
    facts = facts_from_signal(signal, source=f"signal {signal.id}")
    cfg, directory, rules = config(settings)
    chosen = language_for(cfg, lang)
    names = {i.id: (i.nl if chosen == "nl" else i.en) for i in catalogue.indicators.values()}
    when = as_utc(now) if now else as_utc(signal.created_at)
    result = route(
        facts, directory, signal_region(catalogue, signal), rules, now=when, lang=chosen, indicator_names=names
    )
    return SignalRoute(signal, facts, result)


def route_signal(
    store: Store,
    actor: Actor,
    signal_id: str,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    lang: str | None = None,
) -> SignalRoute:
    """The action perspective for a stored signal in ``lang`` (reads only; nothing is recorded)."""
    with store.session() as session:
        signal = access.require_for_routing(session, actor, signal_id)
        audit.record_access(session, actor, "read", [signal_id], {"route": True})
    return route_of(signal, store.catalogue, settings=settings, now=now, lang=lang)


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


def _decision(session: Session, row: RoutingDecisionRow, reason: str | None = None) -> DecisionPublic:
    return DecisionPublic(
        row.signal_id,
        as_utc(row.decided_at),
        row.decided_by,
        row.decided_org,
        row.route,
        reason if reason is not None else open_text(session, row.signal_id, DECISION_REASON, row.reason),
        tuple(row.contacts),
        tuple(row.flags),
    )


def check_contacts(contacts: list[str]) -> None:
    """Refuse unknown contact ids, naming the first and the valid ones."""
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
    check_contacts(chosen)
    moment = as_utc(at)
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, change=True, group=FieldGroup.ROUTE)
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
            reason=seal_text(session, signal_id, DECISION_REASON, reason.strip()),
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
                "reason": reason.strip(),
                "contacts": chosen,
                "flags": list(computed.route.flags),
                "at": moment.isoformat(),
            },
        )
        if signal.status in (Status.NEW, Status.IN_TRIAGE):
            change_status(store, actor, signal_id, Status.ROUTED, f"routed: {row.route}", session=session)
        return _decision(session, row, reason.strip())


def list_decisions(store: Store, actor: Actor, signal_id: str) -> list[DecisionPublic]:
    """The routing decisions of a signal, oldest first."""
    with store.session() as session:
        require_visible(session, actor, signal_id, FieldGroup.ROUTE)
        return decisions_in(session, signal_id)


def decisions_in(session: Session, signal_id: str) -> list[DecisionPublic]:
    """The routing decisions of a signal inside the caller's transaction, oldest first."""
    rows = session.scalars(
        select(RoutingDecisionRow).where(RoutingDecisionRow.signal_id == signal_id).order_by(RoutingDecisionRow.id)
    ).all()
    return [_decision(session, r) for r in rows]


def close_signal(store: Store, actor: Actor, signal_id: str, reason: str = "") -> SignalPublic:
    """Close a signal; refused (Conflict) without a recorded routing decision (see ``change_status``)."""
    return change_status(store, actor, signal_id, Status.CLOSED, reason)


def checklist_in(session: Session, rules: RuleSet, signal_id: str) -> Checklist:
    """The meldcode checklist of a signal inside the caller's transaction."""
    rows = session.scalars(select(MeldcodeStepRow).where(MeldcodeStepRow.signal_id == signal_id)).all()
    done = [
        (r.step, r.completed_by, as_utc(r.completed_at), open_text(session, signal_id, MELDCODE_NOTE, r.note))
        for r in rows
    ]
    return checklist(rules.meldcode, done)


def meldcode_checklist(store: Store, actor: Actor, signal_id: str, *, settings: Settings | None = None) -> Checklist:
    """The five meldcode steps of a signal with who completed each and when."""
    _, _, rules = config(settings)
    with store.session() as session:
        require_visible(session, actor, signal_id, FieldGroup.ROUTE)
        return checklist_in(session, rules, signal_id)


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
    _, _, rules = config(settings)
    moment = as_utc(at)
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, change=True, group=FieldGroup.ROUTE)
        if moment.date() < signal.received_at:
            raise InvalidInput(
                f"step time {moment:%Y-%m-%d} is before the signal was received ({signal.received_at:%Y-%m-%d})"
            )
        updated, item = complete_step(checklist_in(session, rules, signal_id), step, actor.user, moment, note)
        session.add(
            MeldcodeStepRow(
                signal_id=signal_id,
                step=item.step.id,
                completed_by=actor.user,
                completed_org=actor.org,
                completed_at=moment,
                note=seal_text(session, signal_id, MELDCODE_NOTE, note),
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
    return delphi_of(signal_service.get_signal(store, actor, signal_id), store.catalogue)


def delphi_of(signal: SignalPublic, catalogue: Catalogue) -> tuple[DelphiAssessment, ...]:
    """Delphi advice for a loaded signal (suggested indicators left out)."""
    facts = facts_from_signal(signal, source=f"signal {signal.id}")
    observed = [i.indicator_id for i in signal.indicators if i.origin.value != "suggested"]
    return assess_signal(observed, catalogue.indicators, facts.is_minor, facts.effective_forms)
