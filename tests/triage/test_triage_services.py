"""Routing decisions, referrals, meldcode, closing and shelter through the services (SQLite and
PostgreSQL). All signals are synthetic."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from signaal.domain.actor import Actor
from signaal.domain.signal import SignalCreate, Status
from signaal.errors import Conflict, InvalidInput, NotFound
from signaal.services import referrals as referral_service
from signaal.services import shelter as shelter_service
from signaal.services import signals as signal_service
from signaal.services import triage as service
from signaal.settings import Settings
from signaal.store import Store


def make(**overrides: object) -> SignalCreate:
    """A synthetic youth-care signal about a 15-year-old (older boyfriend arranging clients)."""
    data: dict[str, object] = {
        "received_at": date(2026, 3, 2),
        "reporter_org": "org-a",
        "reporter_sector": "youth",
        "region": "Rotterdam",
        "narrative": "[synthetisch] Oudere vriend regelt klanten voor haar.",
        "indicators": [{"indicator_id": "older_controlling_partner"}],
        "forms": [{"form": "sexual"}],
        "persons": [{"role": "victim", "age": 15, "residence": "dutch"}],
        "facts": {"acute_danger": False, "person_identifiable": True, "needs_shelter": True},
    }
    data.update(overrides)
    return SignalCreate(**data)  # type: ignore[arg-type]


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def test_route_of_a_stored_signal_uses_its_persons_forms_and_region(
    store: Store, actor: Actor, settings: Settings
) -> None:
    signal = signal_service.record_signal(store, actor, make())
    routed = service.route_signal(store, actor, signal.id, settings=settings)
    assert routed.facts.is_minor is True
    assert list(routed.route.contacts)[:3] == ["veilig-thuis", "child-protection", "police-avim"]
    assert "shelter_clock" in routed.route.flags
    avim = next(c for s in routed.route.steps for c in s.contacts if c.id == "police-avim")
    assert avim.region == "rotterdam"


def test_closing_without_a_routing_decision_is_refused_and_nothing_changes(store: Store, actor: Actor) -> None:
    signal = signal_service.record_signal(store, actor, make())
    with pytest.raises(Conflict) as err:
        service.close_signal(store, actor, signal.id)
    assert "routing decision" in str(err.value)
    assert signal_service.get_signal(store, actor, signal.id).status == Status.NEW


def test_decision_routes_the_signal_and_then_it_can_be_closed(store: Store, actor: Actor, settings: Settings) -> None:
    signal = signal_service.record_signal(store, actor, make())
    decision = service.record_decision(
        store,
        actor,
        signal.id,
        "Veilig Thuis and police",
        "minor, sexual exploitation",
        settings=settings,
        at=at(3),
    )
    assert decision.decided_by == "tester"
    assert decision.contacts[0] == "veilig-thuis"
    assert signal_service.get_signal(store, actor, signal.id).status == Status.ROUTED
    closed = service.close_signal(store, actor, signal.id, "taken over by Veilig Thuis")
    assert closed.status == Status.CLOSED
    kinds = [e.kind for e in signal_service.signal_history(store, actor, signal.id)]
    assert kinds[-3:] == ["routing_decided", "status_changed", "status_changed"]
    with pytest.raises(Conflict):
        service.record_decision(store, actor, signal.id, "x", "y", settings=settings)


def test_bad_decisions_store_nothing(store: Store, actor: Actor, settings: Settings) -> None:
    signal = signal_service.record_signal(store, actor, make())
    with pytest.raises(InvalidInput, match="unknown contact 'ghost'"):
        service.record_decision(store, actor, signal.id, "r", "why", ["ghost"], settings=settings)
    with pytest.raises(InvalidInput, match="needs a reason"):
        service.record_decision(store, actor, signal.id, "r", "  ", settings=settings)
    with pytest.raises(InvalidInput, match="before the signal was received"):
        service.record_decision(store, actor, signal.id, "r", "why", settings=settings, at=at(1))
    assert service.list_decisions(store, actor, signal.id) == []
    with pytest.raises(NotFound):
        service.record_decision(store, actor, "nope", "r", "why", settings=settings)


def test_contradictory_stored_facts_are_named(store: Store, actor: Actor, settings: Settings) -> None:
    signal = signal_service.record_signal(store, actor, make(facts={"minor": False}))
    with pytest.raises(InvalidInput, match="age 15 contradicts minor: false"):
        service.route_signal(store, actor, signal.id, settings=settings)


def test_referrals_move_through_states_and_become_overdue(store: Store, actor: Actor, settings: Settings) -> None:
    signal = signal_service.record_signal(store, actor, make())
    vt = referral_service.add_referral(store, actor, signal.id, "veilig-thuis", at=at(3), settings=settings)
    police = referral_service.add_referral(store, actor, signal.id, "police-avim", at=at(3), settings=settings)
    assert police.contact_name.endswith("AVIM") and "Rotterdam" in police.contact_name
    referral_service.update_referral(store, actor, vt.id, "accepted", at=at(4))
    referral_service.update_referral(store, actor, vt.id, "feedback_received", at=at(10), note="taken on")
    overdue = referral_service.overdue_referrals(store, actor, days=14, now=at(20))
    assert [r.id for r in overdue] == [police.id]
    assert overdue[0].days_open == pytest.approx(17)
    assert referral_service.overdue_referrals(store, actor, days=14, now=at(16)) == []
    assert [r.state for r in referral_service.list_referrals(store, actor, signal.id)] == ["feedback_received", "sent"]
    with pytest.raises(Conflict):
        referral_service.update_referral(store, actor, vt.id, "accepted", at=at(11))
    with pytest.raises(InvalidInput, match="before the referral was sent"):
        referral_service.update_referral(store, actor, police.id, "accepted", at=at(2))
    with pytest.raises(InvalidInput, match="unknown contact"):
        referral_service.add_referral(store, actor, signal.id, "ghostbusters", settings=settings)
    assert len(referral_service.list_referrals(store, actor, signal.id)) == 2


def test_meldcode_steps_record_who_and_when(store: Store, actor: Actor, settings: Settings) -> None:
    signal = signal_service.record_signal(store, actor, make())
    current = service.complete_meldcode_step(store, actor, signal.id, "1", at=at(3), settings=settings)
    assert current.items[0].completed_by == "tester"
    with pytest.raises(Conflict):
        service.complete_meldcode_step(store, actor, signal.id, "map_signals", settings=settings)
    with pytest.raises(Conflict):
        service.complete_meldcode_step(store, actor, signal.id, "decide", settings=settings)
    stored = service.meldcode_checklist(store, actor, signal.id, settings=settings)
    assert [i.done for i in stored.items] == [True, False, False, False, False]
    assert stored.items[0].completed_at == at(3)


def test_shelter_timeline_and_figures_come_from_recorded_events(store: Store, actor: Actor) -> None:
    signal = signal_service.record_signal(store, actor, make())
    first = shelter_service.request_shelter(store, actor, signal.id, "youth_care", at=at(3))
    assert first.record.region is not None
    shelter_service.no_place(store, actor, first.record.id, at=at(4))
    shelter_service.no_place(store, actor, first.record.id, at=at(6))
    shelter_service.offer_shelter(store, actor, first.record.id, at=at(8), provider="test home")
    started = shelter_service.start_shelter(store, actor, first.record.id, at=at(9))
    assert started.record.waiting_days == pytest.approx(6)
    second = shelter_service.request_shelter(store, actor, signal.id, "youth_care", at=at(5))
    groups, waiting = shelter_service.shelter_figures(store, actor, as_of=at(15))
    assert len(groups) == 1
    g = groups[0]
    assert (g.requests, g.started, g.waiting, g.no_place_events) == (2, 1, 1, 2)
    assert g.median_days == pytest.approx(6)
    assert [w.id for w in waiting] == [second.record.id]
    assert waiting[0].waiting_days == pytest.approx(10)
    with pytest.raises(InvalidInput, match="before"):
        shelter_service.start_shelter(store, actor, second.record.id, at=at(4))
    with pytest.raises(Conflict):
        shelter_service.no_place(store, actor, first.record.id, at=at(10))
    with pytest.raises(InvalidInput, match="unknown shelter type"):
        shelter_service.request_shelter(store, actor, signal.id, "hotel", at=at(5))
    assert len(shelter_service.list_shelter(store, actor)) == 2
    assert [s.state for s in shelter_service.list_shelter(store, actor, waiting_only=True)] == ["requested"]
    kinds = [e.kind for e in signal_service.signal_history(store, actor, signal.id)]
    assert kinds.count("shelter_no_place") == 2 and "shelter_started" in kinds


def test_an_analyst_of_another_organisation_may_read_but_not_change(
    store: Store, actor: Actor, settings: Settings
) -> None:
    from signaal.domain.actor import Role
    from signaal.errors import Forbidden
    from signaal.services import sharing

    signal = signal_service.record_signal(store, actor, make())
    analyst = Actor(user="analyst", org="org-b", role=Role.ANALYST)
    with pytest.raises(NotFound):  # nothing without a sharing act
        service.route_signal(store, analyst, signal.id, settings=settings)
    sharing.grant_act(store, actor, signal.id, org="org-b", basis="legal_task", purpose="synthetic", scope=["route"])
    assert service.route_signal(store, analyst, signal.id, settings=settings).route.contacts
    with pytest.raises(Forbidden):
        referral_service.add_referral(store, analyst, signal.id, "comensha", settings=settings)
    with pytest.raises(Forbidden):
        shelter_service.request_shelter(store, analyst, signal.id, "youth_care")
    assert referral_service.list_referrals(store, actor, signal.id) == []


def test_shelter_list_of_one_signal_holds_only_its_requests_with_their_no_place_events(
    store: Store, actor: Actor
) -> None:
    one = signal_service.record_signal(store, actor, make())
    other = signal_service.record_signal(store, actor, make(region="Utrecht"))
    mine = shelter_service.request_shelter(store, actor, one.id, "youth_care", at=at(3))
    theirs = shelter_service.request_shelter(store, actor, other.id, "youth_care", at=at(3))
    shelter_service.no_place(store, actor, mine.record.id, at=at(6))
    shelter_service.no_place(store, actor, mine.record.id, at=at(4))
    shelter_service.no_place(store, actor, theirs.record.id, at=at(5))
    listed = shelter_service.list_shelter(store, actor, signal_id=one.id)
    assert [s.record.id for s in listed] == [mine.record.id]
    assert listed[0].record.no_place_at == (at(4), at(6))
    everything = {s.record.id: s.record.no_place_at for s in shelter_service.list_shelter(store, actor)}
    assert everything == {mine.record.id: (at(4), at(6)), theirs.record.id: (at(5),)}


def test_shelter_region_filter_takes_a_label_or_a_place_and_names_an_unknown_region(store: Store, actor: Actor) -> None:
    signal = signal_service.record_signal(store, actor, make())
    request = shelter_service.request_shelter(store, actor, signal.id, "youth_care", at=at(3))
    label = request.record.region
    assert label is not None
    by_label = shelter_service.list_shelter(store, actor, region=label)
    by_place = shelter_service.list_shelter(store, actor, region="Rotterdam")
    assert [s.record.id for s in by_label] == [s.record.id for s in by_place] == [request.record.id]
    with pytest.raises(InvalidInput, match="unknown region"):
        shelter_service.shelter_figures(store, actor, region="Nergenshuizen-aan-Zee")
