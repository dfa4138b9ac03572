"""The signal page and the worklist as use cases: the route as a checklist with deadlines counted from
the moment of recording, ticked-off steps, overdue steps, facts with who set them, the one closing
rule (SQLite and PostgreSQL). All signals are synthetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from test_triage_services import make

from signaal.domain.actor import Actor
from signaal.domain.validation import validate_new_signal
from signaal.errors import Conflict, InvalidInput
from signaal.services import route_steps
from signaal.services import shelter as shelter_service
from signaal.services import signal_page as pages
from signaal.services import signals as signal_service
from signaal.services import triage as triage_service
from signaal.services.key_figures import key_figures
from signaal.services.signals import SignalQuery
from signaal.settings import Settings
from signaal.store import Store


def _recorded(store: Store, actor: Actor, **overrides: object) -> str:
    return signal_service.record_signal(store, actor, make(**overrides)).id


def test_deadlines_count_from_the_moment_of_recording(store: Store, actor: Actor, settings: Settings) -> None:
    signal_id = _recorded(store, actor)
    page = pages.signal_page(store, actor, signal_id, settings=settings, lang="nl")
    timed = [s for s in page.steps if s.step.due_hours]
    assert timed, "the synthetic minor's route has steps with deadlines"
    for state in timed:
        recorded = triage_service.as_utc(page.signal.created_at)
        assert state.step.due_at == recorded + timedelta(hours=state.step.due_hours or 0)
        assert not state.overdue  # just recorded: nothing is late yet


def test_ticking_off_a_step_moves_the_next_step_on(store: Store, actor: Actor, settings: Settings) -> None:
    signal_id = _recorded(store, actor)
    before = pages.signal_page(store, actor, signal_id, settings=settings)
    first = before.steps[0]
    assert first.is_next and first.done is None
    route_steps.complete_route_step(store, actor, signal_id, first.step.key, note="synthetic", settings=settings)
    after = pages.signal_page(store, actor, signal_id, settings=settings)
    assert after.steps[0].done is not None and after.steps[0].done.user == actor.user
    assert not after.steps[0].is_next and after.steps[1].is_next
    assert [e.kind for e in after.history][-1] == route_steps.ROUTE_STEP_DONE
    with pytest.raises(Conflict):
        route_steps.complete_route_step(store, actor, signal_id, first.step.key, settings=settings)
    with pytest.raises(InvalidInput):
        route_steps.complete_route_step(store, actor, signal_id, "no-such-rule.0", settings=settings)


def test_overdue_steps_show_on_the_worklist(store: Store, actor: Actor, settings: Settings) -> None:
    signal_id = _recorded(store, actor)
    recorded = signal_service.get_signal(store, actor, signal_id).created_at
    soon = pages.worklist_page(store, actor, SignalQuery(), settings=settings, now=recorded + timedelta(minutes=5))
    assert signal_id not in soon.overdue and soon.next_steps[signal_id].step.key
    later = pages.worklist_page(store, actor, SignalQuery(), settings=settings, now=recorded + timedelta(days=30))
    assert later.overdue[signal_id], "a month later the timed steps are late"
    first_key = later.overdue[signal_id][0].step.key
    route_steps.complete_route_step(store, actor, signal_id, first_key, settings=settings)
    ticked = pages.worklist_page(store, actor, SignalQuery(), settings=settings, now=recorded + timedelta(days=30))
    assert first_key not in {s.step.key for s in ticked.overdue.get(signal_id, ())}


def test_facts_show_who_set_them_and_acute_danger_can_end(store: Store, actor: Actor, settings: Settings) -> None:
    signal_id = _recorded(store, actor, facts={"acute_danger": True})
    stuck = pages.signal_page(store, actor, signal_id, settings=settings)
    assert stuck.route.stopped and "acute_danger" in stuck.route.flags
    lines = {f.name: f for f in stuck.fact_lines}
    assert lines["acute_danger"].value is True and lines["acute_danger"].source == "person"
    assert lines["minor"].value is True and lines["minor"].source == "record"  # from the victim's age
    assert lines["acute_danger"].editable
    signal_service.update_facts(store, actor, signal_id, {"acute_danger": False, "person_identifiable": True})
    moved = pages.signal_page(store, actor, signal_id, settings=settings)
    assert not moved.route.stopped and len(moved.steps) > len(stuck.steps)
    danger = {f.name: f for f in moved.fact_lines}["acute_danger"]
    assert danger.value is False and danger.user == actor.user and danger.at is not None
    # An answer given again unchanged is not recorded a second time.
    events = len(moved.history)
    signal_service.update_facts(store, actor, signal_id, {"acute_danger": False})
    assert len(pages.signal_page(store, actor, signal_id, settings=settings).history) == events


def test_closing_has_one_rule_for_every_way_in(store: Store, actor: Actor, settings: Settings) -> None:
    for close in (
        lambda sid: signal_service.change_status(store, actor, sid, "closed"),
        lambda sid: triage_service.close_signal(store, actor, sid),
    ):
        signal_id = _recorded(store, actor)
        with pytest.raises(Conflict) as refused:
            close(signal_id)
        assert refused.value.code == "close_needs_decision"
        triage_service.record_decision(store, actor, signal_id, "care route", "synthetic", settings=settings)
        assert close(signal_id).status.value == "closed"


def test_a_new_signal_is_validated_once_with_every_problem_named() -> None:
    with pytest.raises(InvalidInput) as bad:
        validate_new_signal(
            {
                "received_at": "not a date",
                "reporter_org": "org-a",
                "reporter_sector": "care",
                "persons": [{"role": "victim", "age": -3}],
            }
        )
    fields = {p.field for p in bad.value.problems}
    assert {"received_at", "persons.0.age"} <= fields


def test_key_figures_count_what_a_coordinator_looks_at_first(store: Store, actor: Actor, settings: Settings) -> None:
    today = date.today()
    fresh = _recorded(store, actor, received_at=today)
    earlier = today - timedelta(days=40)
    decided = _recorded(store, actor, received_at=earlier)
    moment = datetime.combine(earlier + timedelta(days=4), time(10), UTC)
    triage_service.record_decision(store, actor, decided, "care route", "synthetic", settings=settings, at=moment)
    shelter_service.request_shelter(store, actor, fresh, "cosm")
    figures = key_figures(store, actor, settings)
    assert figures.new_this_month == 1
    assert figures.waiting_for_shelter == 1
    assert figures.median_days_to_decision == 4.0 and figures.decided == 1
    assert figures.overdue_referrals == 0
