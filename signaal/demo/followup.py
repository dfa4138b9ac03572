"""A plausible follow-up history for the demo signals, as a coordination team would leave it.

Older signals are mostly decided, referred and closed; recent ones are being handled; a few
referrals wait too long for feedback; shelter requests wait days to weeks, not years. Everything
goes through the services, so the history holds the same events real work would leave. Synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from signaal.domain.actor import Actor
from signaal.domain.signal import SignalSummary, Status
from signaal.services import referrals as referral_service
from signaal.services import shelter as shelter_service
from signaal.services import signals as signal_service
from signaal.services import triage as triage_service
from signaal.store import Store
from signaal.store.signals import SignalQuery

__all__ = ["FollowUp", "follow_up_history"]

SHELTER_TYPES = ("cosm", "omm", "vo_mo", "youth_care")


@dataclass(frozen=True)
class FollowUp:
    """What the demo history holds: counts per kind of follow-up."""

    decided: int
    referred: int
    closed: int
    shelter_requests: int


def _at(day: date, days: int, now: datetime, hour: int = 10) -> datetime:
    """A working-hours moment ``days`` after ``day``, never in the future."""
    return min(datetime.combine(day + timedelta(days=days), time(hour), UTC), now - timedelta(minutes=5))


def _decide_and_refer(
    store: Store, actor: Actor, signal_id: str, received: date, age: int, rng: random.Random, now: datetime
) -> bool:
    """Record a routing decision and refer to the route's first contacts; True when the referral is done with."""
    routed = triage_service.route_signal(store, actor, signal_id)
    titles = list(dict.fromkeys(s.title for s in routed.route.steps)) or ["Signalen vastleggen"]
    decided = _at(received, rng.randrange(1, 8), now) - timedelta(hours=3)
    triage_service.record_decision(
        store, actor, signal_id, rng.choice(titles[:3]), "Voorgestelde route gevolgd (demo, synthetisch).", at=decided
    )
    contact = next((c for c in routed.route.contacts if c != "emergency-112"), "veilig-thuis")
    if age > 365:
        return True  # long closed: the decision is what the history needs
    sent = decided + timedelta(hours=2)
    referral = referral_service.add_referral(store, actor, signal_id, contact, at=sent, note="demo")
    if age < 10:
        return False  # freshly referred: still waiting for an answer
    if rng.random() < 0.12:
        return False  # waiting too long for feedback: shows as overdue on the follow-up page
    accepted = sent + timedelta(days=rng.randrange(1, 4))
    referral_service.update_referral(store, actor, referral.id, "accepted", at=min(accepted, now))
    if age < 30:
        return False
    feedback = accepted + timedelta(days=rng.randrange(5, 25))
    referral_service.update_referral(store, actor, referral.id, "feedback_received", at=min(feedback, now))
    return True


def _shelter(
    store: Store, actor: Actor, signal_id: str, received: date, age: int, rng: random.Random, now: datetime
) -> None:
    """A shelter request that waits days to weeks; the most recent ones may still be waiting."""
    requested = _at(received, 1, now, 11)
    request = shelter_service.request_shelter(store, actor, signal_id, rng.choice(SHELTER_TYPES), at=requested)
    at = requested
    for _ in range(rng.randrange(0, 3)):
        at += timedelta(days=rng.randrange(1, 5))
        if at >= now:
            return
        shelter_service.no_place(store, actor, request.record.id, at=at)
    placed = at + timedelta(days=rng.randrange(1, 12))
    if (age < 21 and rng.random() < 0.6) or placed >= now:
        return  # still waiting, as some people do
    shelter_service.offer_shelter(store, actor, request.record.id, at=placed)
    shelter_service.start_shelter(store, actor, request.record.id, at=placed + timedelta(hours=20))


def follow_up_history(
    store: Store, actor: Actor, *, seed: int = 7, now: datetime | None = None, page_size: int = 500
) -> FollowUp:
    """Give the demo signals the follow-up a team would have done by ``now`` (statuses spread as in practice)."""
    rng = random.Random(seed)
    moment = now or datetime.now(UTC)
    today = moment.date()
    decided = referred = closed = shelter = 0
    # The worklist order changes as signals are closed (closed ones sort last), so the signals are
    # listed whole first and followed up after: paging while closing would meet a signal twice.
    for item in _all_signals(store, actor, page_size):
        age = (today - item.received_at).days
        # Share handled grows with age: a week-old signal is often still new, a year-old one closed.
        handled = 0.15 if age < 7 else 0.55 if age < 30 else 0.85 if age < 120 else 0.97 if age < 365 else 1.0
        if age < 2 or rng.random() >= handled:
            if age >= 60 or (age >= 3 and rng.random() < 0.5):
                signal_service.change_status(store, actor, item.id, Status.IN_TRIAGE, "demo: in behandeling")
            continue
        done = _decide_and_refer(store, actor, item.id, item.received_at, age, rng, moment)
        decided += 1
        referred += age <= 365
        if age <= 365 and (item.youngest_age is not None or rng.random() < 0.3) and rng.random() < 0.35:
            _shelter(store, actor, item.id, item.received_at, age, rng, moment)
            shelter += 1
        if done and age >= 45 and rng.random() < 0.9:
            signal_service.change_status(store, actor, item.id, Status.CLOSED, "demo: afgerond")
            closed += 1
    return FollowUp(decided, referred, closed, shelter)


def _all_signals(store: Store, actor: Actor, page_size: int) -> list[SignalSummary]:
    """Every signal the actor sees, in the worklist's order at the start."""
    items: list[SignalSummary] = []
    while True:
        page = signal_service.list_signals(store, actor, SignalQuery(limit=page_size, offset=len(items)))
        items.extend(page.items)
        if len(page.items) < page_size:
            return items
