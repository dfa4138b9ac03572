"""Forms, facts and identifiers of synthetic narratives."""

from __future__ import annotations

from typing import Any

from narrative_reading import read as _read

from signaal.text import (
    Reading,
)


def _facts(reading: Reading) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for fact in reading.facts:
        out.setdefault(fact.fact, []).append(fact.value)
    return out


def _forms(reading: Reading) -> set[str]:
    return {f.form for f in reading.forms}


def test_labour_story_suggests_labour_with_its_evidence() -> None:
    reading = _read(
        "Hij werkt zes dagen per week in een slachterij, krijgt geen loon en zijn paspoort ligt bij de werkgever."
    )
    assert _forms(reading) == {"labour"}
    labour = reading.forms[0]
    assert "low_or_no_pay" in labour.indicators
    assert any(c.text == "slachterij" for c in labour.cues)


def test_sexual_story_suggests_sexual() -> None:
    reading = _read("Haar vriend dwingt haar tot prostitutie in hotelkamers en neemt al haar verdiensten af.")
    assert "sexual" in _forms(reading)
    assert "labour" not in _forms(reading)


def test_mixed_story_suggests_both_forms() -> None:
    reading = _read(
        "De jongens moesten in een drugslab werken, sliepen op de werkplek en kregen geen loon. "
        "Daarnaast moesten ze drugs rondbrengen voor de eigenaar."
    )
    assert {"labour", "criminal"} <= _forms(reading)


def test_generic_indicator_alone_gives_unknown() -> None:
    reading = _read("Ze wordt soms geslagen door haar man.")
    assert _forms(reading) == {"unknown"}


def test_negated_story_gives_unknown() -> None:
    reading = _read("Ze werkt niet in de prostitutie, wordt niet bedreigd en heeft geen schulden.")
    assert _forms(reading) == {"unknown"}
    assert reading.present_indicators == ()


def test_nationality_is_a_fact_and_never_moves_a_form_score() -> None:
    plain = _read("Hij werkt zeven dagen per week in de kas zonder loon.")
    with_origin = _read("Hij werkt zeven dagen per week in de kas zonder loon. Hij komt uit Nigeria.")
    assert _facts(with_origin)["nationality_group"] == ["non_eu"]
    assert plain.all_form_scores == with_origin.all_form_scores


def test_age_and_minor_come_from_the_victim_not_the_suspect() -> None:
    facts = _facts(_read("Een meisje van 15 wordt uitgebuit door een 34-jarige pooier."))
    assert facts["age"] == [15]
    assert facts["minor"] == [True]
    adult = _facts(_read("De 45-jarige verdachte liet haar in de prostitutie werken."))
    assert "age" not in adult and "minor" not in adult


def test_yes_no_facts_flip_when_negated() -> None:
    assert _facts(_read("Zij wil aangifte doen bij de politie."))["willing_to_talk_to_police"] == [True]
    assert _facts(_read("Zij wil geen aangifte doen."))["willing_to_talk_to_police"] == [False]
    assert _facts(_read("She does not want to make a statement to the police."))["willing_to_talk_to_police"] == [False]


def test_residence_sector_and_needs() -> None:
    facts = _facts(_read("Hij heeft geen verblijfsvergunning, is verslaafd, dakloos en werkt in een autowasserij."))
    assert facts["residence"] == ["third_country_irregular"]
    assert facts["complex_needs"] == [True]
    assert facts["needs_shelter"] == [True]
    assert "car_wash" in facts["sector"]


def test_eu_nationality_implies_eu_residence_as_a_hedged_fact() -> None:
    reading = _read("Zij is een Poolse vrouw die in een champignonkwekerij werkt.")
    residence = [f for f in reading.facts if f.fact == "residence"]
    assert [f.value for f in residence] == ["eu"] and residence[0].hedged


def test_acute_danger_and_unaccompanied_minor() -> None:
    facts = _facts(_read("Een alleenstaande minderjarige wordt op dit moment vastgehouden in een woning."))
    assert facts["acute_danger"] == [True]
    assert facts["unaccompanied"] == [True]
    assert facts["minor"] == [True]


def test_identifiers_are_extracted_and_normalised() -> None:
    # Synthetic values: 0612345678 is a fictitious mobile, NL91ABNA0417164300 the textbook example IBAN.
    text = (
        "Bel 06-12345678 of mail baas@voorbeeld.nl. Rekening NL91 ABNA 0417 1643 00, KvK 12345678, "
        "auto met kenteken 12-ABC-3, adres Dorpsstraat 12, 1234 AB Ergens."
    )
    found = {(i.kind, i.value) for i in _read(text).identifiers}
    assert ("phone", "+31612345678") in found
    assert ("email", "baas@voorbeeld.nl") in found
    assert ("iban", "NL91ABNA0417164300") in found
    assert ("kvk", "12345678") in found
    assert ("plate", "12ABC3") in found
    assert ("address", "Dorpsstraat 12") in found
    assert ("postcode", "1234AB") in found


def test_identifier_spans_point_into_the_text() -> None:
    text = "Contact: 06 1234 5678."
    phone = _read(text).identifiers[0]
    assert text[phone.evidence.start : phone.evidence.end] == phone.evidence.text


def test_quoted_statutory_definition_does_not_suggest_every_form() -> None:
    # The definition of exploitation in art. 273f lid 2 Sr lists all forms; a ruling that quotes it
    # is about one case, so only the facts of the case count.
    reading = _read(
        "Uitbuiting omvat ten minste uitbuiting van een ander in de prostitutie, andere vormen van seksuele "
        "uitbuiting, gedwongen of verplichte arbeid of diensten, met inbegrip van bedelarij, slavernij, met "
        "slavernij te vergelijken praktijken, dienstbaarheid en uitbuiting van strafbare activiteiten. De "
        "verdachte liet het slachtoffer zeven dagen per week zonder loon in zijn restaurant werken."
    )
    assert _forms(reading) == {"labour"}
