"""Recording, reading and changing signals through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalCreate, Status
from signaal.errors import Conflict, Forbidden, InvalidInput, NotFound
from signaal.services import sharing
from signaal.services import signals as service
from signaal.store import Store
from signaal.store.signals import SignalQuery


def make(**overrides: object) -> SignalCreate:
    """A synthetic care signal about a 16-year-old."""
    data: dict[str, object] = {
        "received_at": date(2026, 3, 2),
        "observed_at": date(2026, 3, 1),
        "reporter_org": "org-a",
        "reporter_sector": "youth",
        "region": "Utrecht",
        "narrative": "[synthetisch] Zij heeft een veel oudere vriend die haar ophaalt.",
        "indicators": [{"indicator_id": "older_controlling_partner", "words": "veel oudere vriend"}],
        "forms": [{"form": "sexual"}],
        "persons": [{"role": "victim", "age": 16, "gender": "v", "residence": "dutch"}],
        "identifiers": [{"kind": "phone", "value": "06 1234 0001"}, {"kind": "plate", "value": "xx-123-b"}],
        "facts": {"needs_shelter": False},
    }
    data.update(overrides)
    return SignalCreate(**data)  # type: ignore[arg-type]


def test_a_recorded_signal_reads_back_with_normalised_identifiers(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    loaded = service.get_signal(store, actor, recorded.id)
    assert loaded.status == Status.NEW
    assert loaded.owner_org == "org-a"
    assert loaded.police_unit == "midden-nederland"
    assert loaded.municipality is not None
    assert [(i.kind.value, i.value) for i in loaded.identifiers] == [("phone", "+31612340001"), ("plate", "XX123B")]
    assert loaded.persons[0].age_band == "16-17"
    assert loaded.indicators[0].words == "veel oudere vriend"


def test_recording_appends_a_created_event_with_the_actor(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    history = service.signal_history(store, actor, recorded.id)
    assert [(e.kind, e.user, e.org, e.role) for e in history] == [("created", "tester", "org-a", "coordinator")]


def test_a_reporter_of_another_organisation_cannot_see_the_signal(
    store: Store, actor: Actor, reporter_b: Actor
) -> None:
    recorded = service.record_signal(store, actor, make())
    with pytest.raises(NotFound):
        service.get_signal(store, reporter_b, recorded.id)
    assert service.list_signals(store, reporter_b).total == 0
    assert service.list_signals(store, actor).total == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"indicators": [{"indicator_id": "no_such_indicator"}]}, "indicators"),
        ({"forms": [{"form": "smuggling"}]}, "forms"),
        ({"reporter_sector": "astrology"}, "reporter_sector"),
        ({"region": "Atlantis"}, "region"),
        ({"received_at": date.today() + timedelta(days=3), "observed_at": None}, "received_at"),
    ],
)
def test_catalogue_mismatches_are_refused_and_nothing_is_stored(
    store: Store, actor: Actor, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        service.record_signal(store, actor, make(**overrides))
    assert [p.field for p in raised.value.problems] == [field]
    assert service.list_signals(store, actor).total == 0


def test_observed_after_received_is_refused() -> None:
    with pytest.raises(ValueError, match=r"observed_at .* is after received_at"):
        make(observed_at=date(2026, 3, 5))


def test_the_same_source_id_is_not_recorded_twice(store: Store, actor: Actor) -> None:
    service.record_signal(store, actor, make(source_id="A-1"))
    with pytest.raises(Conflict, match="already recorded"):
        service.record_signal(store, actor, make(source_id="A-1"))
    assert service.list_signals(store, actor).total == 1


def test_worklist_puts_acute_danger_and_minors_first_and_filters(store: Store, actor: Actor) -> None:
    adult = service.record_signal(
        store, actor, make(persons=[{"role": "victim", "age": 30}], forms=[{"form": "labour"}], region="Rotterdam")
    )
    minor = service.record_signal(store, actor, make())
    acute = service.record_signal(store, actor, make(facts={"acute_danger": True}, persons=[]))
    page = service.list_signals(store, actor)
    assert [s.id for s in page.items] == [acute.id, minor.id, adult.id]
    assert page.status_counts == {"new": 3}
    assert [s.id for s in service.list_signals(store, actor, SignalQuery(form="labour")).items] == [adult.id]
    assert [s.id for s in service.list_signals(store, actor, SignalQuery(age_group="minor")).items] == [minor.id]
    assert [s.id for s in service.list_signals(store, actor, SignalQuery(police_unit="rotterdam")).items] == [adult.id]


def test_closing_needs_a_routing_decision_and_leaves_the_status_unchanged(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    service.change_status(store, actor, recorded.id, Status.IN_TRIAGE, "looking at it")
    with pytest.raises(Conflict, match="without a recorded routing decision"):
        service.change_status(store, actor, recorded.id, Status.CLOSED)
    assert service.get_signal(store, actor, recorded.id).status == Status.IN_TRIAGE
    with store.session() as session:
        service.append_event(session, actor, recorded.id, service.ROUTING_DECIDED, {"route": "police-avim"})
    closed = service.change_status(store, actor, recorded.id, Status.CLOSED, "handed over")
    assert closed.status == Status.CLOSED
    kinds = [e.kind for e in service.signal_history(store, actor, recorded.id)]
    assert kinds == ["created", "status_changed", "routing_decided", "status_changed"]


def test_impossible_transitions_are_conflicts(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    with pytest.raises(Conflict, match="already new"):
        service.change_status(store, actor, recorded.id, Status.NEW)


def test_a_reporter_cannot_change_another_organisations_signal(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    outsider = Actor(user="x", org="org-b", role=Role.ANALYST)
    with pytest.raises(NotFound):  # another organisation sees nothing without a sharing act
        service.get_signal(store, outsider, recorded.id)
    sharing.grant_act(
        store, actor, recorded.id, org="org-b", basis="wgs_convenant", purpose="synthetic", scope=["route"]
    )
    assert service.get_signal(store, outsider, recorded.id).id == recorded.id  # may read through the act
    with pytest.raises(Forbidden):  # not change: an analyst does not route another organisation's signal
        service.change_status(store, outsider, recorded.id, Status.IN_TRIAGE)


def test_suggestions_stay_apart_from_confirmed_findings(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(
        store,
        actor,
        make(
            indicators=[
                {"indicator_id": "documents_retained", "origin": "suggested", "words": "paspoort afgepakt"},
                {"indicator_id": "debt_bondage", "origin": "suggested", "words": "schuld"},
            ],
            forms=[{"form": "labour", "set_by": "suggestion"}],
        ),
    )
    service.confirm_indicator(store, actor, recorded.id, "documents_retained")
    service.reject_indicator(store, actor, recorded.id, "debt_bondage")
    after = service.confirm_form(store, actor, recorded.id, "labour")
    assert [(i.indicator_id, i.origin.value) for i in after.indicators] == [("documents_retained", "confirmed")]
    assert [(f.form, f.set_by.value) for f in after.forms] == [("labour", "person")]
    with pytest.raises(NotFound):
        service.confirm_indicator(store, actor, recorded.id, "debt_bondage")


def test_facts_merge_and_a_null_removes_a_fact(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make(facts={"needs_shelter": True, "complex_needs": True}))
    updated = service.update_facts(store, actor, recorded.id, {"needs_shelter": None, "acute_danger": False})
    assert updated.facts == {"complex_needs": True, "acute_danger": False}


def test_export_yields_every_visible_signal_and_is_audited(store: Store, actor: Actor) -> None:
    for n in range(3):
        service.record_signal(store, actor, make(source_id=f"E-{n}"))
    exported = list(service.export_signals(store, actor))
    assert sorted(s.source_id or "" for s in exported) == ["E-0", "E-1", "E-2"]
    from sqlalchemy import select

    from signaal.store.tables import EventRow

    with store.session() as session:
        assert session.scalars(select(EventRow.kind).where(EventRow.kind == "exported")).all() == ["exported"]
