"""Pages as use cases: everything the signal page and the worklist show, each read in one transaction.

The web page and its JSON twin both call these; nothing here knows about HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.domain.signal import SignalPublic, Status
from signaal.services import access, audit
from signaal.services.referrals import ReferralPublic, referrals_in
from signaal.services.route_steps import steps_done, ticked_steps
from signaal.services.sharing import SharingView, sharing_view
from signaal.services.shelter import ShelterPublic, shelter_in
from signaal.services.signals import EventPublic, Page, SignalQuery, list_signals
from signaal.services.triage import (
    DecisionPublic,
    as_utc,
    checklist_in,
    config,
    decisions_in,
    delphi_of,
    route_of,
)
from signaal.settings import Settings
from signaal.store import Store
from signaal.store import signals as rows
from signaal.store.tables import EventRow, SignalRow
from signaal.triage.delphi import DelphiAssessment
from signaal.triage.engine import Route
from signaal.triage.facts import Facts
from signaal.triage.meldcode import Checklist
from signaal.triage.progress import StepState, next_step, overdue_steps, step_states
from signaal.triage.signal_facts import SUGGESTED_KEY

__all__ = ["EDITABLE_FACTS", "FACT_PANEL", "FactLine", "SignalPage", "WorklistPage", "signal_page", "worklist_page"]

#: The routing facts the facts panel shows, in the order a coordinator reads them.
FACT_PANEL: tuple[str, ...] = (
    "acute_danger",
    "minor",
    "person_identifiable",
    "residence",
    "willing_to_talk_to_police",
    "unaccompanied",
    "complex_needs",
    "needs_shelter",
    "forms",
)
#: Facts a person answers on the panel (yes / no / unknown; residence from its list).
EDITABLE_FACTS: tuple[str, ...] = (
    "acute_danger",
    "person_identifiable",
    "residence",
    "willing_to_talk_to_police",
    "unaccompanied",
    "complex_needs",
    "needs_shelter",
)


@dataclass(frozen=True)
class FactLine:
    """One routing fact as it stands: its value, where it comes from, and who set it when."""

    name: str
    value: Any
    source: str  # "person" (answered), "record" (read from the recorded signal) or "unknown"
    user: str | None
    org: str | None
    at: datetime | None
    editable: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**self.__dict__, "at": self.at.isoformat() if self.at else None}


@dataclass(frozen=True)
class SignalPage:
    """Everything about one signal, read at one moment."""

    signal: SignalPublic
    facts: Facts
    route: Route
    steps: tuple[StepState, ...]
    fact_lines: tuple[FactLine, ...]
    decisions: list[DecisionPublic]
    referrals: list[ReferralPublic]
    checklist: Checklist
    delphi: tuple[DelphiAssessment, ...]
    shelter: list[ShelterPublic]
    history: list[EventPublic]
    may_change: bool
    allowed: dict[str, bool]  # access.changes_allowed: "record" and "route"
    urgency: int
    now: datetime
    lang: str
    sharing: SharingView

    def as_dict(self) -> dict[str, Any]:
        """The JSON twin of the page."""
        following = next_step(self.steps)
        return {
            "signal": {**self.signal.model_dump(mode="json"), "urgency": self.urgency},
            "facts": self.facts.as_dict(),
            "fact_lines": [f.as_dict() for f in self.fact_lines],
            "route": self.route.as_dict(),
            "steps": [s.as_dict() for s in self.steps],
            "next_step": following.as_dict() if following else None,
            "overdue": [s.step.key for s in overdue_steps(self.steps)],
            "decisions": [d.as_dict() for d in self.decisions],
            "referrals": [r.as_dict() for r in self.referrals],
            "meldcode": {
                "items": [i.as_dict(self.lang) for i in self.checklist.items],
                "complete": self.checklist.complete,
                "next_step": self.checklist.next_step.step.id if self.checklist.next_step else None,
            },
            "delphi": [a.as_dict() for a in self.delphi],
            "shelter": [s.as_dict() for s in self.shelter],
            "history": [e.model_dump(mode="json") for e in self.history],
            "may_change": self.may_change,
            "may_change_record": self.allowed["record"],
            "may_change_route": self.allowed["route"],
            "sharing": self.sharing.as_dict(self.lang),
            "now": self.now.isoformat(),
        }


def _fact_lines(signal: SignalPublic, facts: Facts, events: Sequence[EventRow], editable: bool) -> tuple[FactLine, ...]:
    """Each panel fact with its source: the last person who answered it, else the recorded signal."""
    created = next((e for e in events if e.kind == "created"), None)
    answered: dict[str, EventRow] = {}
    for event in events:
        if event.kind == "facts_updated":
            for name in event.data.get("facts", {}):
                answered[name] = event
    explicit = {k for k, v in signal.facts.items() if k != SUGGESTED_KEY and v is not None}
    lines = []
    for name in FACT_PANEL:
        value = facts.value(name)
        if name == "forms":
            value = sorted(value - {"unknown"})
        by = answered.get(name) or (created if name in explicit else None)
        if by is not None and name in explicit:
            source = "person"
        elif value not in (None, []):
            source, by = "record", created
        else:
            source, by = "unknown", answered.get(name)
        lines.append(
            FactLine(
                name,
                value,
                source,
                by.actor_user if by else None,
                by.actor_org if by else None,
                as_utc(by.at) if by else None,
                editable and name in EDITABLE_FACTS,
            )
        )
    return tuple(lines)


def signal_page(
    store: Store,
    actor: Actor,
    signal_id: str,
    *,
    settings: Settings | None = None,
    lang: str | None = None,
    now: datetime | None = None,
) -> SignalPage:
    """Everything about one signal in ``lang``: facts with their source, the route as a checklist with
    deadlines, decisions, referrals, meldcode, Delphi advice, shelter, history and sharing acts — one
    transaction. Another organisation's signal shows only what its sharing acts grant."""
    moment = as_utc(now)
    cfg, _, rules = config(settings)
    with store.session() as session:
        granted, signal = access.open_signal(session, actor, signal_id)
        sees_route, sees_history = granted.sees(FieldGroup.ROUTE), granted.sees(FieldGroup.HISTORY)
        # The router reads the persons even when an act does not show them (never rendered).
        shared_route = sees_route and not granted.owner
        routing = access.require_for_routing(session, actor, signal_id) if shared_route else signal
        routed = route_of(routing, store.catalogue, settings=cfg, lang=lang)
        events = rows.signal_events(session, signal_id)
        allowed = access.changes_allowed(actor, granted)
        editable = signal.status != Status.CLOSED and allowed["route"]
        route_events = events if sees_route else []
        page = SignalPage(
            signal=signal,
            facts=routed.facts,
            route=routed.route,
            steps=step_states(routed.route, steps_done(route_events), moment) if sees_route else (),
            fact_lines=_fact_lines(signal, routed.facts, route_events, editable) if sees_route else (),
            decisions=decisions_in(session, signal_id) if sees_route else [],
            referrals=referrals_in(session, actor, signal_id) if sees_route else [],
            checklist=checklist_in(session, rules, signal_id if sees_route else ""),
            delphi=delphi_of(signal, store.catalogue),
            shelter=shelter_in(store, session, actor, signal_id) if sees_route else [],
            history=[
                EventPublic(at=e.at, user=e.actor_user, org=e.actor_org, role=e.actor_role, kind=e.kind, data=e.data)
                for e in (events if sees_history else [])
            ],
            may_change=editable,
            allowed=allowed,
            urgency=session.scalars(select(SignalRow.urgency).where(SignalRow.id == signal_id)).one(),
            now=moment,
            lang=routed.route.lang,
            sharing=sharing_view(session, actor, signal, granted, moment),
        )
        # Last, so the chain head's lock is held only for the commit, not while the page is built.
        audit.record_access(session, actor, "read", [signal_id], {"acts": list(granted.acts)} if granted.acts else None)
        return page


@dataclass(frozen=True)
class WorklistPage:
    """A page of the worklist and, per open signal on it, its next step and overdue steps."""

    page: Page
    next_steps: dict[str, StepState]
    overdue: dict[str, tuple[StepState, ...]]


def worklist_page(
    store: Store,
    actor: Actor,
    query: SignalQuery,
    *,
    settings: Settings | None = None,
    lang: str | None = None,
    now: datetime | None = None,
) -> WorklistPage:
    """The worklist (open first, most urgent first) with the next step and the overdue steps of each open signal."""
    moment = as_utc(now)
    cfg, _, _ = config(settings)  # once per page, not once per signal
    page = list_signals(store, actor, query)
    open_ids = [s.id for s in page.items if s.status != Status.CLOSED]
    next_steps: dict[str, StepState] = {}
    overdue: dict[str, tuple[StepState, ...]] = {}
    with store.session() as session:
        ticked = ticked_steps(session, open_ids)  # not the whole history of each
        for signal in access.load_signals(session, actor, open_ids):
            if FieldGroup.ROUTE.value in signal.withheld:
                continue
            routed = route_of(signal, store.catalogue, settings=cfg, lang=lang)
            states = step_states(routed.route, ticked.get(signal.id, []), moment)
            following = next_step(states)
            if following is not None:
                next_steps[signal.id] = following
            late = overdue_steps(states)
            if late:
                overdue[signal.id] = late
    # Open before closed, most urgent first (as stored); at equal urgency an overdue step comes first.
    page.items.sort(key=lambda s: (s.status == Status.CLOSED, -s.urgency, s.id not in overdue))
    return WorklistPage(page, next_steps, overdue)
