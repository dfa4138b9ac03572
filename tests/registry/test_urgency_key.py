"""The worklist urgency key on its own: acute danger first, then minors, then the evidence (synthetic)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from signaal.catalogue import Catalogue
from signaal.domain.signal import IdentifierIn, ObservedIndicator, PersonIn, SignalCreate
from signaal.domain.validation import urgency
from signaal.knowledge import bundled


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return bundled().catalogue


def _signal(**fields: Any) -> SignalCreate:
    return SignalCreate(received_at=date(2024, 5, 1), reporter_org="org-a", reporter_sector="police", **fields)


def _indicators(*ids: str) -> list[ObservedIndicator]:
    return [ObservedIndicator(indicator_id=i, words="(synthetic)") for i in ids]


def test_acute_danger_comes_first_whatever_else(catalogue: Catalogue) -> None:
    assert urgency(catalogue, _signal(facts={"acute_danger": True})) == 100
    loaded = _signal(facts={"minor": True, "needs_shelter": True}, indicators=_indicators("forced_prostitution"))
    assert urgency(catalogue, loaded) < 100


def test_a_minor_counts_by_the_fact_or_by_a_victim_age(catalogue: Catalogue) -> None:
    plain = urgency(catalogue, _signal(facts={"person_identifiable": False}))
    by_fact = urgency(catalogue, _signal(facts={"minor": True, "person_identifiable": False}))
    victim = [PersonIn(role="victim", age=16)]
    by_age = urgency(catalogue, _signal(persons=victim, facts={"person_identifiable": False}))
    suspect = [PersonIn(role="suspect", age=16)]
    not_a_victim = urgency(catalogue, _signal(persons=suspect, facts={"person_identifiable": False}))
    assert by_fact == by_age == plain + 30
    assert not_a_victim == plain


def test_evidence_weighs_its_five_strongest_indicators_up_to_forty(catalogue: Catalogue) -> None:
    one = urgency(catalogue, _signal(indicators=_indicators("economic_hardship")))
    strong = urgency(catalogue, _signal(indicators=_indicators("forced_prostitution")))
    weakest_first = sorted(catalogue.indicators, key=lambda i: catalogue.indicators[i].weight)
    # the five strongest count; a sixth, weaker one adds nothing
    five = weakest_first[-5:]
    with_a_sixth = urgency(catalogue, _signal(indicators=_indicators(weakest_first[0], *five)))
    expected = round(40 * min(1.0, sum(catalogue.indicators[i].weight for i in five) / 3))
    assert one == round(40 * 0.15 / 3) and strong == round(40 * 0.95 / 3)
    assert urgency(catalogue, _signal(indicators=_indicators(*five))) == with_a_sixth == expected == 40
    assert urgency(catalogue, _signal(indicators=_indicators("no_such_indicator_id"))) == 0


def test_shelter_and_an_identifiable_person_add_to_the_key(catalogue: Catalogue) -> None:
    base = urgency(catalogue, _signal())
    shelter = urgency(catalogue, _signal(facts={"needs_shelter": True}))
    identifiable = urgency(catalogue, _signal(identifiers=[IdentifierIn(kind="phone", value="+31612340001")]))
    said_not = urgency(
        catalogue,
        _signal(identifiers=[IdentifierIn(kind="phone", value="+31612340001")], facts={"person_identifiable": False}),
    )
    assert (base, shelter, identifiable, said_not) == (0, 15, 5, 0)


def test_the_key_stays_below_acute_danger(catalogue: Catalogue) -> None:
    everything = _signal(
        facts={"minor": True, "needs_shelter": True},
        persons=[PersonIn(role="victim", age=15)],
        indicators=_indicators("forced_prostitution", "organ_removal", "transfer_fee", "forced_prostitution"),
    )
    assert urgency(catalogue, everything) == 90  # 30 + 40 + 15 + 5
