"""The action perspective in Dutch (default) and English: same route, texts per language, both required.

Fixtures are synthetic (made-up facts and rule fragments).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from signaal.cli import main
from signaal.errors import CatalogueError, InvalidInput
from signaal.knowledge import bundled
from signaal.triage import Region, facts_from_mapping, parse_directory, parse_rules, route
from signaal.triage.meldcode import checklist

# synthetic: an adult third-country national without legal stay, criminal exploitation, shelter needed
CASE: dict[str, Any] = {
    "synthetic": True,
    "acute_danger": False,
    "person_identifiable": True,
    "age": 24,
    "forms": ["criminal", "labour"],
    "residence": "third_country_irregular",
    "reporter_sector": "ngo",
    "willing_to_talk_to_police": False,
    "needs_shelter": True,
    "complex_needs": False,
}
UTRECHT = Region(police_unit="midden-nederland", municipality="utrecht", care_region="utrecht")


@pytest.fixture(scope="module")
def routed() -> dict[str, Any]:
    directory = bundled().directory
    rules = bundled().routing_rules
    facts = facts_from_mapping(CASE)
    return {
        "default": route(facts, directory, UTRECHT, rules),
        "nl": route(facts, directory, UTRECHT, rules, lang="nl"),
        "en": route(facts, directory, UTRECHT, rules, lang="en"),
    }


def _rules_data() -> dict[str, Any]:
    data = bundled().files.document("routing_rules.yaml").data
    assert isinstance(data, dict)
    return data


def test_dutch_is_the_default_language(routed: dict[str, Any]) -> None:
    assert routed["default"].as_dict() == routed["nl"].as_dict()
    assert routed["default"].lang == "nl"


def test_both_languages_give_the_same_route_with_the_same_keys(routed: dict[str, Any]) -> None:
    nl, en = routed["nl"].as_dict(), routed["en"].as_dict()
    assert set(nl) == set(en)
    assert nl["contacts"] == en["contacts"] and nl["flags"] == en["flags"]
    assert set(nl["flag_texts"]) == set(en["flag_texts"])
    assert [s["rule"] for s in nl["steps"]] == [s["rule"] for s in en["steps"]]
    assert [set(s) for s in nl["steps"]] == [set(s) for s in en["steps"]]
    assert [c["id"] for s in nl["steps"] for c in s["contacts"]] == [
        c["id"] for s in en["steps"] for c in s["contacts"]
    ]
    assert [q["fact"] for q in nl["open_questions"]] == [q["fact"] for q in en["open_questions"]]
    assert nl["shelter_types"] == en["shelter_types"] == ["cosm"]


def test_every_step_text_differs_between_the_languages(routed: dict[str, Any]) -> None:
    for nl_step, en_step in zip(routed["nl"].steps, routed["en"].steps, strict=True):
        assert nl_step.title != en_step.title, nl_step.rule
        assert nl_step.action != en_step.action, nl_step.rule
        assert nl_step.reason != en_step.reason, nl_step.rule
        assert nl_step.record != en_step.record, nl_step.rule


def test_dutch_texts_use_the_chains_own_terms(routed: dict[str, Any]) -> None:
    nl = routed["nl"]
    flags = dict(zip(nl.flags, nl.flag_texts, strict=True))
    assert "non-punishmentbeginsel" in flags["non_punishment"]
    assert "bedenktijd" in flags["reflection_period"]
    actions = " ".join(s.action for s in nl.steps)
    assert "zorgcoördinator" in actions and "COSM-opvang" in actions and "Meld Misdaad Anoniem" in actions
    meldcode = " ".join(step.title("nl") + " " + step.description("nl") for step in bundled().routing_rules.meldcode)
    assert "afwegingskader" in meldcode and "Veilig Thuis" in meldcode


def test_reason_values_and_facts_trace_are_in_the_chosen_language(routed: dict[str, Any]) -> None:
    nl = {s.rule: s for s in routed["nl"].steps}
    en = {s.rule: s for s in routed["en"].steps}
    assert "crimineel" in nl["form-criminal"].reason and "criminal" in en["form-criminal"].reason
    assert "vormen: crimineel" in nl["form-criminal"].because
    assert "forms: criminal" in en["form-criminal"].because
    assert "wil met de politie praten: nee" in nl["care-route"].because
    assert "willing to talk to the police: no" in en["care-route"].because


def test_contacts_and_questions_come_in_the_chosen_language() -> None:
    directory = bundled().directory
    rules = bundled().routing_rules
    facts = facts_from_mapping({"acute_danger": False, "forms": ["sexual"], "reporter_sector": "care"})
    nl = route(facts, directory, UTRECHT, rules, lang="nl")
    en = route(facts, directory, UTRECHT, rules, lang="en")
    nl_police = next(c for s in nl.steps for c in s.contacts if c.id == "police-avim")
    en_police = next(c for s in en.steps for c in s.contacts if c.id == "police-avim")
    assert nl_police.name.startswith("Politie eenheid") and en_police.name.startswith("Police unit")
    assert nl_police.phone == en_police.phone
    nl_q = {q.fact: q.question for q in nl.open_questions}
    en_q = {q.fact: q.question for q in en.open_questions}
    assert set(nl_q) == set(en_q) and "person_identifiable" in nl_q
    assert nl_q["person_identifiable"] != en_q["person_identifiable"]
    vt_nl = directory.lookup("veilig-thuis", None, "nl")
    vt_en = directory.lookup("veilig-thuis", None, "en")
    assert vt_nl.note != vt_en.note and vt_nl.hours == vt_en.hours == "24/7"


def test_unknown_language_is_refused() -> None:
    directory = bundled().directory
    with pytest.raises(InvalidInput) as err:
        route(facts_from_mapping({}), directory, None, bundled().routing_rules, lang="fr")
    assert "'fr'" in str(err.value) and "nl" in str(err.value)


def test_warning_for_an_unknown_region_is_translated() -> None:
    directory = bundled().directory
    rules = bundled().routing_rules
    facts = facts_from_mapping({"person_identifiable": False})
    assert "onbekende regio 'Atlantis'" in route(facts, directory, "Atlantis", rules).warnings[0]
    assert "unknown region 'Atlantis'" in route(facts, directory, "Atlantis", rules, lang="en").warnings[0]


@pytest.mark.parametrize(
    ("mutate", "rule", "field"),
    [
        (lambda d: d["rules"][0]["steps"][0]["action"].pop("en"), "rule acute-danger step 1", "action.en"),
        (lambda d: d["rules"][1]["steps"][0]["record"].pop("nl"), "rule record-signals step 1", "record.nl"),
        (lambda d: d["rules"][2].update({"title": "Meldcode"}), "rule meldcode", "title"),
        (
            lambda d: d["rules"][3]["steps"][0].update({"reason": {"nl": "alleen Nederlands"}}),
            "rule consult-coordinator",
            "reason",
        ),
        (lambda d: d["questions"]["minor"]["changes"].pop("en"), "questions.minor", "changes.en"),
        (lambda d: d["flags"].update({"meldcode": "only English"}), "flags.meldcode", "text"),
        (lambda d: d["meldcode_steps"][3]["title"].pop("nl"), "meldcode step 4", "title.nl"),
        (lambda d: d["labels"]["residences"].pop("asylum_seeker"), "labels.residences", "asylum_seeker"),
    ],
)
def test_a_text_without_both_languages_is_a_load_error_naming_file_rule_and_field(
    mutate: Any, rule: str, field: str
) -> None:
    data = copy.deepcopy(_rules_data())
    mutate(data)
    with pytest.raises(CatalogueError) as err:
        parse_rules(data, "org_rules.yaml")
    problems = [p for p in err.value.problems if p.file == "org_rules.yaml"]
    assert any(rule in p.reason and p.field is not None and p.field.startswith(field) for p in problems), problems


def test_directory_note_without_english_is_a_load_error_naming_the_entry() -> None:
    base = bundled().directory
    synthetic = {
        "contacts": {
            "nidos": {
                "name": "Nidos",
                "phone": "1",
                "source": "test",
                "checked": "2026-11-01",
                "note": {"nl": "alleen"},
            }
        }
    }
    with pytest.raises(CatalogueError) as err:
        parse_directory(synthetic, "our_directory.yaml", base=base)
    problem = err.value.problems[0]
    assert problem.file == "our_directory.yaml" and "contacts.nidos" in problem.reason
    assert problem.field == "note.en"
    one_language = {
        "contacts": {
            "nidos": {"name": "Nidos", "phone": "1", "source": "test", "checked": "2026-11-01", "note": "alleen NL"}
        }
    }
    with pytest.raises(CatalogueError):
        parse_directory(one_language, "our_directory.yaml", base=base)


def test_a_plain_directory_name_is_a_proper_name_in_both_languages() -> None:
    base = bundled().directory
    synthetic = {
        "contacts": {"nidos": {"name": "Nidos (test)", "phone": "1", "source": "synthetic", "checked": "2026-11-01"}}
    }
    directory = parse_directory(synthetic, "our_directory.yaml", base=base)
    assert directory.lookup("nidos", None, "nl").name == directory.lookup("nidos", None, "en").name == "Nidos (test)"


def test_meldcode_checklist_titles_follow_the_language() -> None:
    items = checklist(bundled().routing_rules.meldcode).items
    nl = [i.as_dict("nl")["title"] for i in items]
    en = [i.as_dict("en")["title"] for i in items]
    assert len(nl) == 5 and all(a != b for a, b in zip(nl, en, strict=True))
    assert [i.as_dict()["title"] for i in items] == nl


def _facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    return path


def test_cli_route_lang_keeps_the_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _facts_file(tmp_path)
    assert main(["route", "--facts", str(path), "--format", "json", "--lang", "nl"]) == 0
    nl = json.loads(capsys.readouterr().out)
    assert main(["route", "--facts", str(path), "--format", "json", "--lang", "en"]) == 0
    en = json.loads(capsys.readouterr().out)
    assert set(nl) == set(en) and nl["contacts"] == en["contacts"]
    assert nl["steps"][0]["title"] != en["steps"][0]["title"]
    assert main(["route", "--facts", str(path), "--lang", "fr"]) == 2
    assert "'fr'" in capsys.readouterr().err


def test_cli_route_language_defaults_to_the_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _facts_file(tmp_path)
    assert main(["route", "--facts", str(path)]) == 0
    dutch = capsys.readouterr().out
    assert "waarom:" in dutch and "Contacten op volgorde" in dutch
    monkeypatch.setenv("SIGNAAL_LANGUAGE", "en")
    assert main(["route", "--facts", str(path)]) == 0
    english = capsys.readouterr().out
    assert "why:" in english and "Contacts in order" in english
    assert main(["route", "--facts", str(path), "--lang", "nl"]) == 0
    assert "waarom:" in capsys.readouterr().out  # the option wins over the setting
