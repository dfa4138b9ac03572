"""Rules of the per-ad facts and the ad lexicon: ages, names, lexicon hits, prices and places.

Synthetic: every ad text, name, age and number here is invented for the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from signaal.ads import resources
from signaal.ads.extract import extract
from signaal.ads.facts import find_ages, find_prices
from signaal.ads.model import Ad
from signaal.ads.normalise import fold
from signaal.ads.screen import screen_features
from signaal.errors import CatalogueError


def _hits(body: str, age: str = "") -> list[tuple[str, str, str]]:
    feats = extract(Ad(id="t", body=body, age=age))
    return [(h.id, h.span.field, h.span.text) for h in feats.indicators]


# --- stated ages under 18 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "age", "span"),
    [
        ("Hoi, ik ben 16 jaar en nieuw hier", 16, "16 jaar"),
        ("Ik ben pas 17, lief en discreet", 17, "17"),
        ("Age: 17, fresh and sweet", 17, "17"),
        ("Sweet girl, 16yo, call me", 16, "16yo"),
        ("i’m 15 years old", 15, "15 years old"),
    ],
)
def test_a_stated_age_under_18_in_the_text_is_an_indicator_with_its_span(body: str, age: int, span: str) -> None:
    feats = extract(Ad(id="t", body=body))
    assert age in feats.ages
    minors = [h for h in feats.indicators if h.id == "ad_stated_minor"]
    assert len(minors) == 1
    hit = minors[0]
    assert hit.span.field == "body" and body[hit.span.start : hit.span.end] == span
    assert hit.weight == 5.0 and hit.counter is False


@pytest.mark.parametrize("field", ["17", "17.0", " 16 jaar "])
def test_an_age_field_under_18_is_an_indicator_on_the_age_field(field: str) -> None:
    feats = extract(Ad(id="t", body="Hoi, ik ben Mila", age=field))
    assert feats.ages[0] in (16, 17)
    hit = next(h for h in feats.indicators if h.id == "ad_stated_minor")
    assert hit.span.field == "age" and hit.span.text == field


@pytest.mark.parametrize(
    "body",
    [
        "Ik ben 19 jaar",
        "al 20 jaar ervaring in massage",
        "sinds 15 jaar actief",
        "ik ben al 12 jaar in het vak",
        "10 years experience, 16 years in the business",
        "15 years of experience",
        "geen klanten jonger dan 16 jaar",
        "niemand onder 18 jaar",
        "ik ben 24/7 bereikbaar",
        "ik ben 170 cm",
    ],
)
def test_years_of_experience_limits_and_heights_are_no_minor(body: str) -> None:
    assert "ad_stated_minor" not in [h[0] for h in _hits(body, age="21")]


def test_years_of_experience_are_not_an_age() -> None:
    assert find_ages(fold("al 20 jaar ervaring, sinds 15 jaar actief").text) == []
    assert find_ages(fold("10 years experience").text) == []
    assert [a for a, _, _ in find_ages(fold("Lisa, 23 jaar, 10 jaar ervaring").text)] == [23]


def test_the_derived_minor_entry_is_known_to_the_lexicon_and_never_matched_as_text() -> None:
    entries = [e for e in resources.lexicon(("nl", "en")) if e.id == "ad_stated_minor"]
    assert entries and all(e.derived and not e.sources and e.weight == 5.0 for e in entries)
    assert resources.derived_entry("ad_stated_minor").counter is False


def _load(monkeypatch: pytest.MonkeyPatch, entry: dict[str, Any]) -> None:
    data = {"language": "nl", "indicators": [entry]}
    monkeypatch.setattr(resources, "_yaml", lambda package, name: data)
    resources.lexicon.__wrapped__(("nl",))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"id": "ad_stated_minor", "weight": 5, "derived": True, "patterns": ["16 jaar"]}, "no 'patterns'"),
        ({"id": "ad_stated_minor", "weight": 5, "patterns": ["16 jaar"]}, "needs 'derived: true'"),
        ({"id": "ad_made_up", "weight": 1, "derived": True}, "only ad_stated_minor"),
        ({"id": "ad_stated_minor", "weight": 5, "derived": "yes"}, "true or false"),
        ({"id": "ad_other", "weight": 1}, "non-empty 'patterns'"),
    ],
)
def test_the_lexicon_loader_keeps_derived_entries_strict(
    monkeypatch: pytest.MonkeyPatch, entry: dict[str, Any], reason: str
) -> None:
    with pytest.raises(CatalogueError, match=reason):
        _load(monkeypatch, entry)


# --- names: nationalities, ethnicities and adjectives are never names -------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Ik ben Roemeense, bel me",
        "Ik ben Braziliaanse",
        "Hoi, ik ben Oekraïense",
        "Ik ben Oost-Europese",
        "Ik ben Nederlandse",
        "I am Latina",
        "I'm Asian and sweet",
        "I am Dutch",
        "I am Romanian",
        "Ik ben Discreet",
        "Ik ben Lekker en Eerlijk",
        "I am Curvy",
        "I'm Blonde",
        "Ask for Details",
        "Call me Daddy",
        "this is Amsterdam",
    ],
)
def test_nationalities_ethnicities_and_adjectives_are_not_names(body: str) -> None:
    assert extract(Ad(id="t", body=body)).names == []


def test_a_real_name_is_still_read_beside_a_nationality() -> None:
    feats = extract(Ad(id="t", body="Hoi, ik ben Mila. Ik ben Poolse en nieuw hier"))
    assert feats.names == ["Mila"]


def test_a_name_field_that_only_describes_is_no_name() -> None:
    assert extract(Ad(id="t", body="Bel me", name="Latina")).names == []
    assert extract(Ad(id="t", body="Bel me", name="hot blonde")).names == []
    assert extract(Ad(id="t", body="Bel me", name="Mila")).names == ["Mila"]


def test_the_not_names_list_reuses_the_narrative_nationality_words() -> None:
    words = resources.not_names()
    # "bulgaarse" and "moldavische" are only in the narrative lexicon's nationality list
    assert {"bulgaarse", "moldavische", "ghanaian"} <= words
    assert "mila" not in words


def test_a_nationality_never_appears_as_a_name_in_hub_evidence() -> None:
    words = ["Mila", "Roemeense", "Latina", "Discreet"]
    cities = ["Utrecht", "Breda", "Zwolle", "Leiden"]
    ads = [
        Ad(
            id=f"n{i}",
            # two of them list a second number too, so that 06 1234 0077 is a hub with evidence
            body=f"Hoi, ik ben {word}. Bel 06 1234 0077" + (f" of 06 1234 008{i}" if i in (1, 2) else ""),
            city=city,
            posted=f"2024-05-0{i + 1}",
        )
        for i, (word, city) in enumerate(zip(words, cities, strict=True))
    ]
    feats = [extract(a) for a in ads]
    assert [f.names for f in feats] == [["Mila"], [], [], []]
    result = screen_features(feats, max_group_size=100, movement_window_days=14)
    assert [h.contact for h in result.hubs] == ["phone:+31612340077"]
    shown = " ".join(
        [
            *(n for c in result.clusters for n in c.names),
            *(n for h in result.hubs for n in h.names),
            *(e for c in result.clusters for h in c.hubs for e in h.evidence),
        ]
    )
    for word in words[1:]:
        assert word not in shown


# --- lexicon hits that would flip the meaning -------------------------------------------------


def _ids(body: str) -> set[str]:
    return {h[0] for h in _hits(body)}


@pytest.mark.parametrize("body", ["Geen AV, altijd veilig", "No BB", "NO BB!!", "nooit zonder condoom"])
def test_a_negated_risk_word_is_a_boundary_and_not_unprotected(body: str) -> None:
    ids = _ids(body)
    assert "ad_boundaries" in ids and "ad_unprotected" not in ids


def test_the_case_sensitive_pass_still_finds_a_risk_word_outside_a_negation() -> None:
    hits = _hits("Geen AV, wel BB")
    assert ("ad_boundaries", "body", "Geen AV") in hits
    assert ("ad_unprotected", "body", "BB") in hits
    assert [h for h in hits if h[0] == "ad_unprotected"] == [("ad_unprotected", "body", "BB")]


@pytest.mark.parametrize(
    "body",
    [
        "I am independent, not an agency",
        "not with an agency",
        "Agency free, my own place",
        "Geen escortbureau, zelfstandig",
        "geen bureau, geen pooier",
        "niet via een bureau",
    ],
)
def test_a_denied_agency_is_independence_and_not_agency_voice(body: str) -> None:
    ids = _ids(body)
    assert "ad_third_person" not in ids and "ad_independent" in ids


def test_an_agency_is_still_agency_voice() -> None:
    assert "ad_third_person" in _ids("Call our agency for the girls")


@pytest.mark.parametrize("body", ["Verwennerij van top tot teen", "massage van hoofd tot teen"])
def test_dutch_teen_as_toe_is_not_very_young(body: str) -> None:
    assert "ad_young_new" not in _ids(body)


def test_english_teen_is_still_very_young() -> None:
    assert "ad_young_new" in _ids("Teen girl, call me")


@pytest.mark.parametrize("body", ["she's new in town", "she’s new in town", "She's 19 and available"])
def test_shes_new_is_third_person_voice(body: str) -> None:
    assert "ad_third_person" in _ids(body)


# --- prices: the unit of a price list label ---------------------------------------------------


def _prices(body: str) -> list[tuple[float, str]]:
    return [(p.amount, p.unit) for p in extract(Ad(id="t", body=body)).prices]


@pytest.mark.parametrize(
    ("body", "prices"),
    [
        ("Half uur €80 Uur €150", [(80.0, "half_hour"), (150.0, "hour")]),
        ("Kwartier €50 Half uur €80 Uur €150", [(50.0, "quarter"), (80.0, "half_hour"), (150.0, "hour")]),
        ("30 min €80, 1 uur €150", [(80.0, "half_hour"), (150.0, "hour")]),
        ("Uur: €150, nacht: €900", [(150.0, "hour"), (900.0, "night")]),
        ("€80 per half uur, €150 per uur", [(80.0, "half_hour"), (150.0, "hour")]),
        ("€50 kwartier €80 half uur", [(50.0, "quarter"), (80.0, "half_hour")]),
        ("150 euro per hour, 80 euro per half hour", [(150.0, "hour"), (80.0, "half_hour")]),
    ],
)
def test_a_price_takes_its_own_label_and_not_the_next_one(body: str, prices: list[tuple[float, str]]) -> None:
    assert _prices(body) == prices


def test_a_price_span_covers_the_label_before_it() -> None:
    body = "Tarieven: Half uur €80 Uur €150"
    spans = [p.span for p in extract(Ad(id="t", body=body)).prices]
    assert [body[s.start : s.end] for s in spans if s is not None] == ["Half uur €80", "Uur €150"]


# --- places: one municipality however it is written -------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["Nieuw in 's-Gravenhage", "Nieuw in ’s-Gravenhage", "Nieuw in Den Haag", "New in the Hague", "Visiting The Hague"],
)
def test_the_hague_is_one_municipality_in_the_text(body: str) -> None:
    assert extract(Ad(id="t", body=body)).places == ["'s-Gravenhage"]


@pytest.mark.parametrize("city", ["Den Haag", "'s-Gravenhage", "The Hague", "den haag"])
def test_the_hague_is_one_municipality_in_the_city_field(city: str) -> None:
    assert extract(Ad(id="t", body="Hoi", city=city)).city == "'s-Gravenhage"


def test_s_hertogenbosch_is_found_after_an_apostrophe() -> None:
    assert extract(Ad(id="t", body="Nu in 's-Hertogenbosch")).places == ["'s-Hertogenbosch"]


# --- places that are also ordinary words; districts in the city field -------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Anything goes, call me",
        "Anything Goes!",
        "ANYTHING GOES",
        "The best service in town",
        "Best service in town",
        "Het beste van je avond, best wel lekker",
        "Laat je leiden door mijn handen",
    ],
)
def test_a_place_that_is_also_a_word_is_no_place_in_a_phrase(body: str) -> None:
    feats = extract(Ad(id="t", body=body))
    assert feats.places == [] and feats.city == ""


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Nieuw in Goes, bel me", "Goes"),
        ("NIEUW IN GOES", "Goes"),
        ("Mila | Goes | discreet", "Goes"),
        ("Escort in Best en omgeving", "Best"),
        ("Nieuw in Leiden", "Leiden"),
        ("Leiden en omgeving", "Leiden"),
    ],
)
def test_a_place_that_is_also_a_word_counts_where_written_as_a_place(body: str, place: str) -> None:
    assert extract(Ad(id="t", body=body)).places == [place]


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Amsterdam-Zuid", "Amsterdam"),
        ("Amsterdam Zuid", "Amsterdam"),
        ("Den Haag Centrum", "'s-Gravenhage"),
        ("Utrecht (centrum)", "Utrecht"),
        ("goes", "Goes"),
        ("Verzonnenstad", "Verzonnenstad"),
    ],
)
def test_a_city_field_with_a_district_is_its_municipality(city: str, expected: str) -> None:
    assert extract(Ad(id="t", body="Hoi", city=city)).city == expected


def test_one_worker_in_two_districts_of_one_city_is_one_city() -> None:
    body = "Hoi, ik ben Mila, zelfstandig. Bel 06 1234 0099"
    ads = [
        Ad(id="d1", body=body, city="Amsterdam", posted="2024-05-01"),
        Ad(id="d2", body=body, city="Amsterdam-Zuid", posted="2024-05-02"),
    ]
    feats = [extract(a) for a in ads]
    assert {f.city for f in feats} == {"Amsterdam"}
    result = screen_features(feats, max_group_size=100, movement_window_days=14)
    assert all(c.movement is None for c in result.clusters)
    assert all(len(h.cities) <= 1 for c in result.clusters for h in c.hubs)


def test_the_gazetteer_loader_refuses_an_unknown_common_word_language(monkeypatch: pytest.MonkeyPatch) -> None:
    csv_text = "place,municipality,province,common_word\nGoes,Goes,Zeeland,de\n"
    monkeypatch.setattr(resources, "_read_text", lambda package, name: csv_text)
    with pytest.raises(CatalogueError, match="common_word"):
        resources._gazetteer_rows.__wrapped__()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100 per half uur", [(100.0, "half_hour")]),
        ("150 p/u, 250 per uur", [(150.0, "hour"), (250.0, "hour")]),
        ("80/hh", [(80.0, "half_hour")]),
        ("€150 per uur en 100 per half uur", [(150.0, "hour"), (100.0, "half_hour")]),
    ],
)
def test_an_amount_without_a_currency_counts_with_a_time_unit(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(amount, unit) for amount, _cur, unit, _s, _e in find_prices(text)] == expected


@pytest.mark.parametrize(
    "text", ["bel 24/7 of 06-1234 5678 per uur", "open 20:00/uur", "ik ben 25 per direct beschikbaar", "2 uur 300"]
)
def test_times_phone_digits_and_bare_numbers_are_no_price(text: str) -> None:
    assert find_prices(text) == []
