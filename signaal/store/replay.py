"""Do the working tables agree with the chained history?

The hash chain proves the history (``events``) was not changed. The working tables of a signal —
its status, routing decisions, referrals and their states, meldcode steps and shelter requests — are
written in the same transaction as the event that records each change, but they are not chained
themselves: someone with write access to the database could change a referral's state or delete a
completed step and the chain would still verify. This module replays the history and names every
row that differs from it, so :func:`signaal.services.audit.verify` catches that too.

Signals whose data key was destroyed (erased) are skipped: their history is unreadable by design.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.store.signals import codec_of, open_event
from signaal.store.tables import EventRow, SignalRow
from signaal.store.tables_triage import (
    MeldcodeStepRow,
    ReferralRow,
    ReferralStateRow,
    RoutingDecisionRow,
    ShelterEventRow,
    ShelterRequestRow,
)

__all__ = ["working_problems"]

#: The event kinds that change a working table.
KINDS = (
    "status_changed",
    "routing_decided",
    "referral_sent",
    "referral_updated",
    "meldcode_step_completed",
    "shelter_requested",
    "shelter_offered",
    "shelter_no_place",
    "shelter_started",
    "shelter_ended",
    "shelter_withdrawn",
)
_SHELTER_FIELDS = {"requested": "requested_at", "offered": "offered_at", "started": "started_at"}
_SHELTER_FIELDS |= {"ended": "ended_at", "withdrawn": "withdrawn_at"}


def _moment(value: Any) -> datetime | None:
    """A stored or recorded moment in UTC, to the second (as both sides keep it)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)


@dataclass
class History:
    """The replayed history: what the working tables should hold."""

    status: dict[str, str] = field(default_factory=dict)
    decisions: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    steps: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    referrals: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    shelter: dict[str, list[tuple[str, datetime | None]]] = field(default_factory=lambda: defaultdict(list))
    erased: set[str] = field(default_factory=set)

    def add(self, signal_id: str, kind: str, data: dict[str, Any]) -> None:
        """Fold one event into the picture."""
        if kind == "status_changed":
            self.status[signal_id] = str(data.get("to"))
        elif kind == "routing_decided":
            key = (signal_id, data.get("route"), tuple(data.get("contacts") or ()), _moment(data.get("at")))
            self.decisions[key] += 1
        elif kind == "meldcode_step_completed":
            self.steps[(signal_id, data.get("step"), _moment(data.get("at")))] += 1
        elif kind in ("referral_sent", "referral_updated"):
            self.referrals[int(data.get("referral", -1))].append({"signal": signal_id, **data})
        elif kind.startswith("shelter_"):
            self.shelter[str(data.get("request"))].append((kind.removeprefix("shelter_"), _moment(data.get("at"))))


def _history(session: Session) -> History:
    history = History()
    rows = session.execute(
        select(EventRow.signal_id, EventRow.kind, EventRow.data).where(EventRow.kind.in_(KINDS)).order_by(EventRow.id)
    ).all()
    keys = codec_of(session).load(session, {r.signal_id for r in rows if r.signal_id is not None})
    for signal_id, kind, data in rows:
        if signal_id is None:
            continue
        opened = open_event(keys, signal_id, data) if signal_id in keys.keys else data
        if opened.get("erased"):
            history.erased.add(signal_id)
            continue
        history.add(signal_id, kind, opened)
    return history


def _status_problems(session: Session, history: History) -> Iterable[str]:
    query = select(SignalRow.id, SignalRow.status).where(SignalRow.status != "new")
    stored = {signal_id: status for signal_id, status in session.execute(query)}
    for signal_id in sorted(set(stored) | set(history.status)):
        if signal_id in history.erased:
            continue
        want = history.status.get(signal_id, "new")
        have = stored.get(signal_id, "new")
        if want != have and (signal_id in stored or _exists(session, signal_id)):
            yield f"signal {signal_id}: status is {have}, its history says {want}"


def _exists(session: Session, signal_id: str) -> bool:
    return session.get(SignalRow, signal_id) is not None


def _compare(label: str, stored: Counter[tuple[Any, ...]], recorded: Counter[tuple[Any, ...]]) -> Iterable[str]:
    for key in sorted((stored - recorded).keys(), key=repr):
        yield f"{label} {key[:2]} is in the table but not in the history (inserted or changed)"
    for key in sorted((recorded - stored).keys(), key=repr):
        yield f"{label} {key[:2]} is in the history but not in the table (deleted or changed)"


def _decision_problems(session: Session, history: History) -> Iterable[str]:
    stored: Counter[tuple[Any, ...]] = Counter()
    for r in session.scalars(select(RoutingDecisionRow)):
        if r.signal_id not in history.erased:
            stored[(r.signal_id, r.route, tuple(r.contacts or ()), _moment(r.decided_at))] += 1
    recorded = Counter({k: n for k, n in history.decisions.items() if k[0] not in history.erased})
    yield from _compare("routing decision", stored, recorded)


def _step_problems(session: Session, history: History) -> Iterable[str]:
    stored: Counter[tuple[Any, ...]] = Counter()
    for r in session.scalars(select(MeldcodeStepRow)):
        if r.signal_id not in history.erased:
            stored[(r.signal_id, r.step, _moment(r.completed_at))] += 1
    yield from _compare("meldcode step", stored, history.steps)


def _referral_problems(session: Session, history: History) -> Iterable[str]:
    states: dict[int, list[str]] = defaultdict(list)
    for referral_id, state in session.execute(
        select(ReferralStateRow.referral_id, ReferralStateRow.state).order_by(ReferralStateRow.id)
    ):
        states[referral_id].append(state)
    seen: set[int] = set()
    for row in session.scalars(select(ReferralRow)):
        seen.add(row.id)
        if row.signal_id in history.erased:
            continue
        events = history.referrals.get(row.id, [])
        if not events or events[0].get("contact") != row.contact_id:
            yield f"referral {row.id} of signal {row.signal_id}: not recorded as sent to {row.contact_id} in the history"
            continue
        want = [str(e.get("state", "sent")) for e in events]
        if row.state != want[-1] or _moment(row.state_at) != _moment(events[-1].get("at")):
            yield f"referral {row.id} of signal {row.signal_id}: state {row.state}, its history says {want[-1]}"
        if states.get(row.id, []) != want:
            yield f"referral {row.id} of signal {row.signal_id}: its state list differs from its history"
    for referral_id in sorted(set(history.referrals) - seen):
        signal_id = history.referrals[referral_id][0]["signal"]
        if signal_id not in history.erased and _exists(session, signal_id):
            yield f"referral {referral_id} of signal {signal_id}: in the history but not in the table (deleted)"


def _shelter_problems(session: Session, history: History) -> Iterable[str]:
    logged: dict[str, Counter[tuple[str, datetime | None]]] = defaultdict(Counter)
    for request_id, kind, at in session.execute(
        select(ShelterEventRow.request_id, ShelterEventRow.kind, ShelterEventRow.at)
    ):
        logged[request_id][(kind, _moment(at))] += 1
    seen: set[str] = set()
    for row in session.scalars(select(ShelterRequestRow)):
        seen.add(row.id)
        if row.signal_id in history.erased:
            continue
        events = history.shelter.get(row.id, [])
        last = {kind: at for kind, at in events}
        for kind, column in _SHELTER_FIELDS.items():
            if _moment(getattr(row, column)) != last.get(kind):
                yield f"shelter request {row.id} of signal {row.signal_id}: {column} differs from its history"
        if logged.get(row.id, Counter()) != Counter(events):
            yield f"shelter request {row.id} of signal {row.signal_id}: its event list differs from its history"
    for request_id in sorted(set(history.shelter) - seen):
        yield f"shelter request {request_id}: in the history but not in the table (deleted)"


def working_problems(session: Session) -> list[str]:
    """Every working-table row that differs from the chained history, in words."""
    history = _history(session)
    problems: list[str] = []
    for check in (_status_problems, _decision_problems, _step_problems, _referral_problems, _shelter_problems):
        problems.extend(check(session, history))
    return problems
