"""The pure linking core: keys, pseudonyms, the person model and the network rule on SYNTHETIC data."""

from __future__ import annotations

from collections import Counter

from signaal.knowledge import bundled
from signaal.link.keys import link_key, pseudonym
from signaal.link.network import build_graph, classify, networks
from signaal.link.persons import predict_links
from signaal.link.synthetic import generate


def test_keys_normalise_or_are_kept_as_written_with_the_reason() -> None:
    assert link_key("phone", "06-1234 0001").value == "+31612340001"
    kept = link_key("phone", "  Call ME ")
    assert kept.value == "call me" and kept.problem and "phone" in kept.problem


def test_pseudonyms_depend_on_key_kind_and_value() -> None:
    one, two = b"k" * 32, b"j" * 32
    assert pseudonym(one, "phone", "+31612340001") == pseudonym(one, "phone", "+31612340001")
    assert pseudonym(one, "phone", "+31612340001") != pseudonym(two, "phone", "+31612340001")
    assert pseudonym(one, "phone", "x") != pseudonym(one, "email", "x")
    assert len(pseudonym(one, "iban", "NL91ABNA0417164300")) == 64


def test_person_links_on_synthetic_world_are_precise_and_explained() -> None:
    world = generate(3, organised=2, criminal=3, small=8, background=30)
    links = predict_links(world.persons, model=bundled().person_model)
    truth = world.truth.person_of
    right = sum(1 for link in links if truth[link.left] == truth[link.right])
    assert links and right / len(links) >= 0.95
    strongest = max(links, key=lambda link: link.match_weight)
    assert strongest.agreed and all(field in strongest.levels for field in strongest.agreed)


def test_incremental_prediction_only_pairs_new_with_stored() -> None:
    world = generate(4, organised=1, criminal=2, small=5, background=20)
    stored, new = world.persons[:-10], world.persons[-10:]
    links = predict_links(stored, model=bundled().person_model, new=new)
    new_refs = {p.ref for p in new}
    assert all((link.left in new_refs) != (link.right in new_refs) for link in links)


def test_networks_are_classified_and_controllers_lead() -> None:
    world = generate(11, organised=3, criminal=5, small=10, background=30)
    graph = build_graph(world.cases, world.persons, [(x.left, x.right) for x in predict_links(world.persons, model=bundled().person_model)])
    found = networks(graph, rules=bundled().network_rules)
    by_case = {c[5:]: n for n in found for c in n.cases}
    outcome: Counter[tuple[str, str]] = Counter()
    leads = 0
    for net, kind in world.truth.kind_of_network.items():
        if kind == "background":
            continue
        cases = [c for c, n in world.truth.network_of_case.items() if n == net]
        got = by_case[cases[0]]
        outcome[(kind, got.classification)] += 1
        if kind == "criminal":
            top = next(r for r in got.roles if r.kind == "person")
            record = graph.nodes[top.node]["records"][0]
            leads += world.truth.person_of[record] == world.truth.controller_of[net]
    assert outcome[("organised", "organised")] == 3
    assert outcome[("criminal", "organised")] == 5
    assert outcome[("small_scale", "small_scale")] == 10
    assert leads == 5


def test_classification_states_its_reasons_and_says_unknown_without_roles() -> None:
    rules = bundled().network_rules
    facts = {"suspects": 0, "victims": 0, "cities": 3, "cross_border": 0, "duration_days": 0, "hub_contacts": 0}
    assert classify(facts, rules)[0] == "unknown"
    facts.update(suspects=1, victims=1, cities=1)
    label, reasons = classify(facts, rules)
    assert label == "small_scale" and reasons
    facts.update(victims=4, cities=2)
    label, reasons = classify(facts, rules, "nl")
    assert label == "organised" and "4 slachtoffers" in reasons
    facts.update(victims=2, cities=1, duration_days=200)
    assert classify(facts, rules)[0] == "unknown"


def test_model_prior_scales_with_population_and_weak_records_are_skipped() -> None:
    from signaal.link.model import PersonRecord
    from signaal.link.persons import best_possible_weight, splink_settings

    model = bundled().person_model
    small = splink_settings(model)["probability_two_random_records_match"]
    large = splink_settings(model, 1_000_000)["probability_two_random_records_match"]
    assert large < small / 100 and not any(k.startswith("signaal_") for k in splink_settings(model))
    nameless = PersonRecord("a", "c", "o", "victim", birth_year=2008, sex="f", nationality="RO")
    named = PersonRecord("b", "c", "o", "victim", name="Tovi Dane", birth_date="2003-11-02", sex="f")
    assert best_possible_weight(nameless, model) < 3 < best_possible_weight(named, model, 1_000_000)
    stored = generate(8, organised=1, criminal=1, small=3, background=10).persons
    assert predict_links(stored, model=bundled().person_model, new=[nameless]) == []
