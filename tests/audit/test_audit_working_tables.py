"""`signaal audit verify` replays the history against the action perspective's working tables.

The working tables (status, routing decisions, referrals, meldcode steps, shelter requests) are not
chained themselves. A database owner who changes one of them, with the guards set aside, leaves the
chain whole; verify must still name the row. All signals are synthetic.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from audit_fixtures import make_signal
from sqlalchemy import text
from test_audit_tampering import as_owner

from signaal.domain.actor import Actor
from signaal.services import audit
from signaal.services import referrals as referral_service
from signaal.services import shelter as shelter_service
from signaal.services import signals as signal_service
from signaal.services import triage as triage_service
from signaal.services.subjects import erase_signal_ids
from signaal.settings import Settings
from signaal.store import Store


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 30, 15, 123456, tzinfo=UTC)


def follow_up(store: Store, actor: Actor, settings: Settings) -> dict[str, object]:
    """One synthetic signal taken through the action perspective; returns the ids made."""
    signal = signal_service.record_signal(store, actor, make_signal(1))
    triage_service.complete_meldcode_step(store, actor, signal.id, "1", at=at(3), settings=settings)
    triage_service.record_decision(store, actor, signal.id, "zorgroute", "synthetisch", settings=settings, at=at(3))
    referral = referral_service.add_referral(store, actor, signal.id, "veilig-thuis", at=at(4), settings=settings)
    referral_service.update_referral(store, actor, referral.id, "accepted", at=at(5))
    shelter = shelter_service.request_shelter(store, actor, signal.id, "youth_care", at=at(4))
    shelter_service.no_place(store, actor, shelter.record.id, at=at(5))
    shelter_service.offer_shelter(store, actor, shelter.record.id, at=at(6), provider="synthetisch huis")
    untouched = signal_service.record_signal(store, actor, make_signal(2))
    return {"signal": signal.id, "referral": referral.id, "shelter": shelter.record.id, "other": untouched.id}


TAMPERINGS = {
    "status": ("UPDATE signals SET status = 'closed' WHERE id = :signal", "status is closed"),
    "new signal's status": ("UPDATE signals SET status = 'routed' WHERE id = :other", "status is routed"),
    "referral state": ("UPDATE referrals SET state = 'declined' WHERE id = :referral", "state declined"),
    "referral deleted": ("DELETE FROM referrals WHERE id = :referral", "not in the table"),
    "referral state list": ("DELETE FROM referral_states WHERE referral_id = :referral AND state = 'accepted'", "list"),
    "meldcode step": ("DELETE FROM meldcode_steps WHERE signal_id = :signal", "meldcode step"),
    "decision route": ("UPDATE routing_decisions SET route = 'anders' WHERE signal_id = :signal", "routing decision"),
    "shelter moment": (
        "UPDATE shelter_requests SET offered_at = requested_at WHERE id = :shelter",
        "offered_at differs",
    ),
    "shelter event": ("DELETE FROM shelter_events WHERE request_id = :shelter AND kind = 'no_place'", "event list"),
}


def test_an_untouched_registry_verifies(store: Store, actor: Actor, settings: Settings) -> None:
    follow_up(store, actor, settings)
    report = audit.verify(store)
    assert report.working_problems == []
    assert report.ok


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_verify_names_a_working_row_changed_behind_the_history(
    store: Store, actor: Actor, settings: Settings, name: str
) -> None:
    ids = follow_up(store, actor, settings)
    statement, expected = TAMPERINGS[name]
    with as_owner(store) as conn:
        changed = conn.execute(text(statement), ids).rowcount
    assert changed >= 1
    report = audit.verify(store)
    assert not report.ok
    assert all(c.problem_count == 0 for c in report.chains)  # the chain alone would not have told
    assert any(expected in problem for problem in report.working_problems), report.working_problems
    assert report.as_dict()["working_problems"] == report.working_problems


def test_an_erased_signal_is_not_replayed(store: Store, actor: Actor, settings: Settings) -> None:
    ids = follow_up(store, actor, settings)
    erase_signal_ids(store, actor, [str(ids["signal"])], {"request": "synthetisch verzoek"})
    report = audit.verify(store)
    assert report.working_problems == []
    assert report.ok
