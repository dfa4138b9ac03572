"""Table-driven routes: every scenario asserts the contacts (in order), the flags and the questions.

All scenarios are synthetic descriptions written for these tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from signaal.knowledge import bundled
from signaal.triage import facts_from_mapping, route

KNOWN = {"acute_danger": False, "person_identifiable": True}


@dataclass
class Scenario:
    name: str
    facts: dict[str, Any]
    contacts: list[str]
    flags: set[str] = field(default_factory=set)
    questions: set[str] | None = field(default_factory=set)  # None = not asserted exactly
    asks_at_least: set[str] = field(default_factory=set)
    shelter: list[str] | None = None


SCENARIOS = [
    Scenario(
        "acute danger",
        {"acute_danger": True, "person_identifiable": True, "age": 30, "forms": ["sexual"], "reporter_sector": "care"},
        ["emergency-112"],
        {"acute_danger"},
    ),
    Scenario(
        "acute danger overrides the minor and meldcode route",
        {"acute_danger": True, "age": 14, "forms": ["sexual"], "reporter_sector": "youth"},
        ["emergency-112"],
        {"acute_danger"},
    ),
    Scenario(
        "Dutch 15-year-old girl with an older boyfriend who arranges clients",
        {
            **KNOWN,
            "age": 15,
            "forms": ["sexual"],
            "residence": "dutch",
            "reporter_sector": "youth",
            "needs_shelter": False,
            "indicators": ["older_controlling_partner", "sudden_luxury"],
        },
        ["veilig-thuis", "child-protection", "police-avim"],
        {"meldcode", "minor_no_means_required"},
    ),
    Scenario(
        "Nigerian woman without residence who wants shelter but not the police",
        {
            **KNOWN,
            "age": 28,
            "forms": ["sexual"],
            "residence": "third_country_irregular",
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
            "complex_needs": False,
            "reporter_sector": "ngo",
        },
        ["zorgcoordinator", "comensha", "police-avim", "meld-misdaad-anoniem"],
        {"reflection_period", "shelter_clock"},
        shelter=["cosm"],
    ),
    Scenario(
        "Polish man in agriculture with a debt to his employer and his passport taken",
        {
            **KNOWN,
            "age": 35,
            "forms": ["labour"],
            "residence": "eu",
            "reporter_sector": "ngo",
            "indicators": ["debt_bondage", "documents_retained"],
        },
        ["zorgcoordinator", "comensha", "labour-inspectorate"],
        set(),
        {"willing_to_talk_to_police", "needs_shelter", "complex_needs"},
    ),
    Scenario(
        "Dutch 16-year-old boy running drugs",
        {
            **KNOWN,
            "age": 16,
            "forms": ["criminal"],
            "residence": "dutch",
            "reporter_sector": "education",
            "needs_shelter": False,
        },
        ["veilig-thuis", "child-protection", "police-avim"],
        {"meldcode", "minor_no_means_required", "non_punishment"},
    ),
    Scenario(
        "citizen's tip about a nail studio with no identifiable person",
        {"acute_danger": False, "person_identifiable": False, "forms": ["labour"], "reporter_sector": "citizen"},
        ["police-avim", "meld-misdaad-anoniem", "municipality", "riec", "labour-inspectorate"],
        {"location_only"},
    ),
    Scenario(
        "municipality's tip about a nail studio with no identifiable person",
        {"acute_danger": False, "person_identifiable": False, "forms": ["labour"], "reporter_sector": "municipality"},
        ["police-avim", "municipality", "riec", "labour-inspectorate"],
        {"location_only"},
    ),
    Scenario(
        "labour exploitation in a crystal-meth lab (labour and criminal)",
        {
            **KNOWN,
            "age": 24,
            "forms": ["labour", "criminal"],
            "residence": "eu",
            "reporter_sector": "police",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["comensha", "labour-inspectorate", "police-avim"],
        {"comensha_registration_required", "non_punishment"},
    ),
    Scenario(
        "asylum seeker who needs shelter and does not want the police",
        {
            **KNOWN,
            "age": 22,
            "forms": ["sexual"],
            "residence": "asylum_seeker",
            "reporter_sector": "ngo",
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
            "complex_needs": False,
        },
        ["zorgcoordinator", "comensha", "police-avim", "meld-misdaad-anoniem", "ind"],
        {"shelter_clock"},
        shelter=[],
    ),
    Scenario(
        "adult with a psychiatric condition and an addiction",
        {
            **KNOWN,
            "age": 31,
            "forms": ["sexual"],
            "residence": "dutch",
            "reporter_sector": "care",
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
            "complex_needs": True,
        },
        ["veilig-thuis", "police-avim", "zorgcoordinator", "comensha", "meld-misdaad-anoniem"],
        {"meldcode", "shelter_clock"},
        shelter=["omm"],
    ),
    Scenario(
        "unaccompanied foreign minor who needs a safe place",
        {
            **KNOWN,
            "age": 16,
            "residence": "asylum_seeker",
            "unaccompanied": True,
            "reporter_sector": "ngo",
            "needs_shelter": True,
        },
        ["zorgcoordinator", "comensha", "veilig-thuis", "child-protection", "nidos", "ind"],
        {"minor_no_means_required", "shelter_clock"},
        {"forms"},
        shelter=["nidos"],
    ),
    Scenario(
        "platform moderator's report about an ad (nobody identified yet)",
        {"acute_danger": False, "forms": ["sexual"], "reporter_sector": "platform"},
        ["police-avim"],
        set(),
        None,
        {"person_identifiable", "minor", "residence", "needs_shelter"},
    ),
    Scenario(
        "platform moderator's report about an ad only",
        {"acute_danger": False, "person_identifiable": False, "forms": ["sexual"], "reporter_sector": "platform"},
        ["police-avim", "municipality", "riec"],
        {"location_only"},
    ),
    Scenario(
        "nothing known yet",
        {},
        ["comensha"],
        set(),
        None,
        {"acute_danger", "reporter_sector", "forms", "person_identifiable", "minor"},
    ),
    Scenario(
        "Dutch adult woman willing to talk, reported by the police",
        {
            **KNOWN,
            "age": 25,
            "forms": ["sexual"],
            "residence": "dutch",
            "reporter_sector": "police",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["comensha", "police-avim"],
        {"comensha_registration_required"},
    ),
    Scenario(
        "KMar at the border: third-country woman without legal stay needs shelter",
        {
            **KNOWN,
            "age": 20,
            "forms": ["sexual"],
            "residence": "third_country_irregular",
            "reporter_sector": "kmar",
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
        },
        ["comensha", "police-avim", "zorgcoordinator", "meld-misdaad-anoniem"],
        {"comensha_registration_required", "reflection_period", "shelter_clock"},
        {"complex_needs"},
        shelter=["cosm"],
    ),
    Scenario(
        "legally resident third-country worker whose permit hangs on the employer",
        {
            **KNOWN,
            "age": 27,
            "forms": ["labour"],
            "residence": "third_country_legal",
            "reporter_sector": "municipality",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["zorgcoordinator", "comensha", "labour-inspectorate"],
    ),
    Scenario(
        "Dutch 14-year-old who needs shelter (youth care)",
        {
            **KNOWN,
            "age": 14,
            "forms": ["sexual"],
            "residence": "dutch",
            "reporter_sector": "youth",
            "needs_shelter": True,
        },
        ["veilig-thuis", "child-protection", "police-avim", "zorgcoordinator", "municipality"],
        {"meldcode", "minor_no_means_required", "shelter_clock"},
        shelter=["youth_care"],
    ),
    Scenario(
        "EU adult in labour exploitation who needs shelter, not the police",
        {
            **KNOWN,
            "age": 40,
            "forms": ["labour"],
            "residence": "eu",
            "reporter_sector": "ngo",
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
            "complex_needs": False,
        },
        ["zorgcoordinator", "comensha", "labour-inspectorate", "meld-misdaad-anoniem", "municipality"],
        {"shelter_clock"},
        shelter=["vo_mo"],
    ),
    Scenario(
        "forced begging (other form), willing to talk",
        {
            **KNOWN,
            "age": 45,
            "forms": ["other"],
            "residence": "eu",
            "reporter_sector": "municipality",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["zorgcoordinator", "comensha", "police-avim"],
    ),
    Scenario(
        "age not known: the engine asks instead of guessing",
        {
            **KNOWN,
            "forms": ["sexual"],
            "residence": "eu",
            "reporter_sector": "ngo",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["zorgcoordinator", "comensha", "police-avim"],
        set(),
        None,
        {"minor"},
    ),
    Scenario(
        "residence not known for an adult who needs shelter",
        {
            **KNOWN,
            "age": 30,
            "forms": ["sexual"],
            "reporter_sector": "ngo",
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
            "complex_needs": False,
        },
        ["zorgcoordinator", "comensha", "police-avim", "meld-misdaad-anoniem"],
        {"shelter_clock"},
        {"residence"},
        shelter=[],
    ),
    Scenario(
        "mixed sexual and labour, third-country national without legal stay, willing",
        {
            **KNOWN,
            "age": 33,
            "forms": ["sexual", "labour"],
            "residence": "third_country_irregular",
            "reporter_sector": "ngo",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["zorgcoordinator", "comensha", "labour-inspectorate", "police-avim"],
        {"reflection_period"},
    ),
    Scenario(
        "RIEC signal about housing of labour migrants (location only)",
        {"acute_danger": False, "person_identifiable": False, "forms": ["labour"], "reporter_sector": "riec"},
        ["police-avim", "municipality", "riec", "labour-inspectorate"],
        {"location_only"},
    ),
    Scenario(
        "acute danger not stated: asked, route continues",
        {
            "person_identifiable": True,
            "age": 30,
            "forms": ["labour"],
            "residence": "dutch",
            "reporter_sector": "labour_inspectorate",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["comensha", "labour-inspectorate"],
        {"comensha_registration_required"},
        {"acute_danger"},
    ),
    Scenario(
        "unaccompanied boy of 15 in a cannabis farm (criminal and labour), found by the police",
        {
            **KNOWN,
            "age": 15,
            "forms": ["criminal", "labour"],
            "residence": "third_country_irregular",
            "unaccompanied": True,
            "reporter_sector": "police",
            "needs_shelter": False,
        },
        ["comensha", "veilig-thuis", "child-protection", "nidos", "labour-inspectorate", "police-avim"],
        {"comensha_registration_required", "minor_no_means_required", "non_punishment", "reflection_period"},
    ),
    Scenario(
        "young adult money mule who does not want the police",
        {
            **KNOWN,
            "age": 19,
            "forms": ["criminal"],
            "residence": "dutch",
            "reporter_sector": "municipality",
            "willing_to_talk_to_police": False,
            "needs_shelter": False,
        },
        ["zorgcoordinator", "comensha", "police-avim", "meld-misdaad-anoniem"],
        {"non_punishment"},
    ),
    Scenario(
        "school sees a 13-year-old with sudden luxury; form not clear",
        {**KNOWN, "age": 13, "residence": "dutch", "reporter_sector": "education", "needs_shelter": False},
        ["veilig-thuis", "child-protection", "comensha"],
        {"meldcode", "minor_no_means_required"},
        {"forms"},
    ),
    Scenario(
        "18 is adult: the police question is not skipped",
        {
            **KNOWN,
            "age": 18,
            "forms": ["sexual"],
            "residence": "dutch",
            "reporter_sector": "care",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        },
        ["veilig-thuis", "police-avim"],
        {"meldcode"},
    ),
]


@pytest.fixture(scope="module")
def engine() -> Any:
    directory = bundled().directory
    rules = bundled().routing_rules
    return lambda facts, lang="nl": route(facts_from_mapping(facts), directory, "rotterdam", rules, lang=lang)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_route_scenario(engine: Any, scenario: Scenario) -> None:
    result = engine(scenario.facts)
    assert list(result.contacts) == scenario.contacts
    assert set(result.flags) == scenario.flags
    asked = {q.fact for q in result.open_questions}
    if scenario.questions is not None:
        assert asked == scenario.questions
    assert scenario.asks_at_least <= asked
    if scenario.shelter is not None:
        assert list(result.shelter_types) == scenario.shelter


def test_at_least_25_scenarios() -> None:
    assert len(SCENARIOS) >= 25


def test_every_rule_of_the_tree_is_exercised(engine: Any) -> None:
    fired = {step.rule for s in SCENARIOS for step in engine(s.facts).steps}
    every = {rule.id for rule in bundled().routing_rules.rules}
    assert every - fired == set()


def test_every_step_names_contacts_with_a_number_or_address(engine: Any) -> None:
    for scenario in SCENARIOS:
        for step in engine(scenario.facts).steps:
            for contact in step.contacts:
                assert contact.phone or contact.url, (scenario.name, contact.id)
            assert step.reason and step.record


def test_acute_danger_stops_the_route(engine: Any) -> None:
    result = engine(SCENARIOS[0].facts)
    assert result.stopped
    assert result.open_questions == ()
    assert result.steps[0].due_hours == 0


def test_reason_lists_the_facts_that_led_there(engine: Any) -> None:
    result = engine(SCENARIOS[2].facts, "en")
    minor_step = next(s for s in result.steps if s.rule == "minor")
    assert "minor: yes" in minor_step.because
    assert "15" in minor_step.reason
    sexual = next(s for s in result.steps if s.rule == "form-sexual")
    assert "older_controlling_partner" in sexual.reason


def test_open_question_says_which_nodes_it_decides(engine: Any) -> None:
    result = engine(
        {
            **KNOWN,
            "age": 30,
            "forms": ["labour"],
            "reporter_sector": "ngo",
            "willing_to_talk_to_police": True,
            "needs_shelter": False,
        }
    )
    residence = next(q for q in result.open_questions if q.fact == "residence")
    assert "reflection-period" in residence.would_decide
    assert residence.question.endswith("?")
