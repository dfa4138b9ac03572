"""Bad input is refused with the conflict named; rule and directory files are validated at load.

Fixtures are synthetic.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from signaal.errors import CatalogueError, InvalidInput
from signaal.knowledge import Knowledge, bundled
from signaal.triage import (
    CONTACT_IDS,
    Facts,
    Region,
    facts_from_mapping,
    parse_directory,
    parse_rules,
    route,
)
from signaal.triage.signal_facts import facts_from_signal


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"age": 15, "minor": False}, "minor"),
        ({"age": 30, "minor": True}, "minor"),
        ({"age": 30, "unaccompanied": True}, "unaccompanied"),
        ({"minor": False, "unaccompanied": True}, "unaccompanied"),
        ({"forms": ["sexual", "slavery"]}, "forms"),
        ({"residence": "martian"}, "residence"),
        ({"reporter_sector": "bakery"}, "reporter_sector"),
        ({"acute_danger": "maybe"}, "acute_danger"),
        ({"age": "fifteen"}, "age"),
        ({"age": 300}, "age"),
        ({"agee": 15}, "agee"),
    ],
)
def test_bad_facts_name_the_field(facts: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        facts_from_mapping(facts, "case.json")
    assert field in {p.field for p in err.value.problems}
    assert "case.json" in str(err.value)


def test_contradiction_message_names_both_facts() -> None:
    with pytest.raises(InvalidInput) as err:
        Facts(age=15, minor=False)
    assert "age 15 contradicts minor: false" in str(err.value)


def test_minor_is_derived_from_age_never_invented() -> None:
    assert Facts(age=17).is_minor is True
    assert Facts(age=18).is_minor is False
    assert Facts().is_minor is None
    assert Facts().effective_forms == frozenset({"unknown"})


def test_unknown_region_falls_back_to_national_with_a_warning() -> None:
    directory, rules = bundled().directory, bundled().routing_rules
    facts = facts_from_mapping(
        {"acute_danger": False, "person_identifiable": False, "forms": ["labour"], "reporter_sector": "riec"}
    )
    result = route(facts, directory, "Atlantis", rules)
    assert result.warnings and "Atlantis" in result.warnings[0]
    riec = next(c for s in result.steps for c in s.contacts if c.id == "riec")
    assert riec.region is None


def test_known_region_gives_regional_entries() -> None:
    directory, rules = bundled().directory, bundled().routing_rules
    facts = facts_from_mapping(
        {"acute_danger": False, "person_identifiable": False, "forms": ["labour"], "reporter_sector": "riec"}
    )
    region = Region(police_unit="oost-brabant", municipality="eindhoven", care_region="eindhoven")
    result = route(facts, directory, region, rules)
    by_id = {c.id: c for s in result.steps for c in s.contacts}
    assert by_id["riec"].name == "RIEC Oost-Brabant"
    assert "eindhoven" in by_id["municipality"].name
    assert result.warnings == ()


def test_directory_has_every_canonical_contact_with_a_source() -> None:
    directory = bundled().directory
    assert set(directory.national) == set(CONTACT_IDS)
    for contact in directory.national.values():
        assert contact.source
    assert directory.national["emergency-112"].phone == "112"
    assert directory.national["veilig-thuis"].phone == "0800-2000"


def _bundled_rules() -> dict[str, Any]:
    data = bundled().files.document("routing_rules.yaml").data
    assert isinstance(data, dict)
    return data


def test_unknown_contact_in_rules_is_a_load_error() -> None:
    data = _bundled_rules()
    data["rules"][2]["steps"][0]["contacts"] = ["veilig-thuis", "ghostbusters"]
    with pytest.raises(CatalogueError) as err:
        parse_rules(data, "org_rules.yaml")
    text = str(err.value)
    assert "org_rules.yaml" in text and "ghostbusters" in text and "rule meldcode" in text


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["rules"][0]["when"].update({"shoe_size": 42}), "unknown fact 'shoe_size'"),
        (lambda d: d["rules"][0].update({"flags": ["made_up"]}), "undeclared flag 'made_up'"),
        (lambda d: d["rules"][0]["when"].update({"residence": "moon"}), "'moon' is not a valid"),
        (lambda d: d["rules"][0]["steps"][0].update({"due": {"weeks": 1}}), "due must be"),
        (lambda d: d["rules"][1]["steps"][0].update({"reason": "x {nope}"}), "{nope}"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "duplicate rule id"),
    ],
)
def test_rule_file_errors_name_the_entry(mutate: Any, expected: str) -> None:
    data = _bundled_rules()
    mutate(data)
    with pytest.raises(CatalogueError) as err:
        parse_rules(data, "routing_rules.yaml")
    assert expected in str(err.value)


def test_directory_override_replaces_only_listed_entries(tmp_path: Path) -> None:
    # synthetic organisation override
    override = tmp_path / "our_directory.yaml"
    override.write_text(
        yaml.safe_dump(
            {
                "regional": {
                    "zorgcoordinator": {
                        "by": "care_region",
                        "entries": {
                            "utrecht": {
                                "name": "Zorgcoördinator Utrecht (test)",
                                "phone": "030-0000000",
                                "source": "synthetic test entry",
                                "checked": "2026-11-01",
                            }
                        },
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    directory = Knowledge.read(directory_file=override).directory
    region = Region(police_unit="midden-nederland", municipality="utrecht", care_region="utrecht")
    assert directory.lookup("zorgcoordinator", region).phone == "030-0000000"
    other = Region(police_unit="limburg", municipality="venlo", care_region="venlo")
    assert "venlo" in directory.lookup("zorgcoordinator", other).name
    assert directory.lookup("veilig-thuis", region).phone == "0800-2000"


def test_directory_errors_name_file_and_entry() -> None:
    base = bundled().directory
    with pytest.raises(CatalogueError) as err:
        parse_directory({"contacts": {"nidos": {"phone": "1"}}}, "bad.yaml", base=base)
    assert "bad.yaml" in str(err.value) and "contacts.nidos" in str(err.value)
    with pytest.raises(CatalogueError) as err:
        parse_directory({"contacts": {"ghost": {"name": "x"}}}, "bad.yaml", base=base)
    assert "ghost" in str(err.value)


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "routing_rules.yaml"
    path.write_text("rules:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        _ = Knowledge.read(tmp_path).routing_rules
    assert err.value.problems[0].file == str(path)
    assert err.value.problems[0].line is not None


def _signal(**kw: Any) -> Any:
    base: dict[str, Any] = {
        "facts": {},
        "persons": [],
        "forms": [],
        "reporter_sector": "care",
        "region": None,
        "indicators": [],
    }
    base.update(kw)
    return SimpleNamespace(**base)


def test_facts_from_signal_combines_parts_and_explicit_facts_win() -> None:
    victim = SimpleNamespace(role="victim", age=15, age_band="12-15", residence="dutch")
    suspect = SimpleNamespace(role="suspect", age=24, residence="dutch")
    signal = _signal(
        persons=[suspect, victim],
        forms=[SimpleNamespace(form="sexual")],
        indicators=[SimpleNamespace(indicator_id="older_controlling_partner")],
        region="rotterdam",
        facts={"needs_shelter": True, "residence": "eu"},
    )
    facts = facts_from_signal(signal)
    assert facts.age == 15 and facts.is_minor is True
    assert facts.residence == "eu"  # explicit wins
    assert facts.forms == ("sexual",)
    assert facts.indicators == ("older_controlling_partner",)
    assert facts.reporter_sector == "care" and facts.region == "rotterdam"
    assert facts.acute_danger is None  # never invented


def test_facts_from_signal_refuses_a_contradiction_with_the_recorded_person() -> None:
    signal = _signal(persons=[SimpleNamespace(role="victim", age=15, residence="unknown")], facts={"minor": False})
    with pytest.raises(InvalidInput) as err:
        facts_from_signal(signal)
    assert "minor" in str(err.value)


def test_facts_from_signal_leaves_disagreeing_residences_unknown() -> None:
    signal = _signal(
        persons=[
            SimpleNamespace(role="victim", age=30, residence="eu"),
            SimpleNamespace(role="victim", age=31, residence="dutch"),
        ]
    )
    assert facts_from_signal(signal).residence == "unknown"


def test_facts_from_signal_reads_minor_from_an_age_band() -> None:
    band_only = SimpleNamespace(role="victim", age=None, age_band="12-15", residence="unknown")
    assert facts_from_signal(_signal(persons=[band_only])).is_minor is True
    adult_band = SimpleNamespace(role="victim", age=None, age_band="23-29", residence="unknown")
    assert facts_from_signal(_signal(persons=[adult_band])).is_minor is False
    assert facts_from_signal(_signal()).is_minor is None
