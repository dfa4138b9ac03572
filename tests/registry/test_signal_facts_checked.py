"""Routing facts are checked where a person gives them (recording, updating), not first when routing."""

from __future__ import annotations

import pytest
from test_signal_service import make  # synthetic signal of a 16-year-old

from signaal.domain.actor import Actor
from signaal.errors import InvalidInput
from signaal.services import signals as service
from signaal.store import Store


def test_a_fact_of_the_wrong_type_is_refused_and_nothing_changes(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    with pytest.raises(InvalidInput) as caught:
        service.update_facts(store, actor, recorded.id, {"age": "abc", "minor": "maybe"})
    assert {p.field for p in caught.value.problems} == {"age", "minor"}
    assert service.get_signal(store, actor, recorded.id).facts == recorded.facts


def test_an_unknown_fact_name_is_refused(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    with pytest.raises(InvalidInput) as caught:
        service.update_facts(store, actor, recorded.id, {"acute_dangr": True})
    assert [p.field for p in caught.value.problems] == ["acute_dangr"]


def test_contradictory_facts_are_refused_when_recording(store: Store, actor: Actor) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.record_signal(store, actor, make(facts={"age": 30, "minor": True}))
    assert "minor" in {p.field for p in caught.value.problems}


def test_suggested_facts_are_kept_apart_and_not_checked(store: Store, actor: Actor) -> None:
    suggested = {"suggested": {"acute_danger": {"value": True, "evidence": "synthetic"}}}
    recorded = service.record_signal(store, actor, make(facts={"needs_shelter": False, **suggested}))
    assert recorded.facts["suggested"] == suggested["suggested"]
