"""Rules of the per-ad facts and the ad lexicon: ages, names, lexicon hits, prices and places.

Synthetic: every ad text, name, age and number here is invented for the test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from ads_fixtures import synthetic_texts

from signaal.ads import facts, places, resources
from signaal.ads.extract import extract
from signaal.ads.facts import find_ages, find_names, find_prices
from signaal.ads.model import Ad
from signaal.ads.normalise import fold, lowered
from signaal.ads.places import find_places
from signaal.ads.prefilter import matches_at
from signaal.ads.screen import screen_features
from signaal.errors import CatalogueError
from signaal.knowledge import Knowledge


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


def _load(folder: Path, entry: dict[str, Any]) -> None:
    """Read the ad resources with an organisation's lexicon_ads_nl.yaml of one (synthetic) entry."""
    data = {"language": "nl", "indicators": [entry], "not_names": ["synthetisch"]}
    (folder / "lexicon_ads_nl.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    _ = Knowledge.read(folder).ads


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"id": "ad_stated_minor", "weight": 5, "derived": True, "patterns": ["16 jaar"]}, "no 'patterns'"),
        ({"id": "ad_stated_minor", "weight": 5, "patterns": ["16 jaar"]}, "needs 'derived: true'"),
        ({"id": "ad_made_up", "weight": 1, "derived": True}, "only ad_stated_minor"),
        ({"id": "ad_stated_minor", "weight": 5, "derived": "yes"}, "true or false"),
        ({"id": "ad_other", "weight": 1}, "non-empty 'patterns'"),
        ({"id": "ad_other", "patterns": ["ik ben"]}, "non-empty 'keywords'"),
        ({"id": "ad_other", "patterns": ["ik ben"], "keywords": ["Ik ben"]}, "lower-case"),
        ({"id": "ad_other", "patterns": ["(a)\\1"], "keywords": ["a"]}, "refers to a group"),
        ({"id": "ad_other", "patterns": ["(?P<wie>a)"], "keywords": ["a"]}, "names or refers to a group"),
    ],
)
def test_the_lexicon_loader_keeps_derived_entries_strict(tmp_path: Path, entry: dict[str, Any], reason: str) -> None:
    with pytest.raises(CatalogueError, match=reason) as info:
        _load(tmp_path, entry)
    assert info.value.problems[0].file == str(tmp_path / "lexicon_ads_nl.yaml")
    assert info.value.problems[0].line is not None


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


def test_the_gazetteer_loader_refuses_an_unknown_common_word_language(tmp_path: Path) -> None:
    # synthetic: an organisation's gazetteer with a language the column does not know
    csv_text = "place,municipality,province,common_word\nGoes,Goes,Zeeland,de\n"
    (tmp_path / "gazetteer_nl.csv").write_text(csv_text, encoding="utf-8")
    with pytest.raises(CatalogueError, match="common_word") as info:
        _ = Knowledge.read(tmp_path).ads
    assert (info.value.problems[0].file, info.value.problems[0].line) == (str(tmp_path / "gazetteer_nl.csv"), 2)


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


# --- the finders try their patterns only where their keywords start -----------------------------
#
# Each finder first finds where its keywords start (signaal.ads.prefilter) and tries its pattern
# there only. These tests hold it to the plain form (the pattern over the whole text) at the edges
# where that could lose a hit: a hit at the start or end of the text, after punctuation, a tab, a
# newline or an emoji, before white space that is no plain space, hits that overlap or touch, and
# texts that are not ASCII.


FINDERS: list[Callable[..., Any]] = [find_names, find_ages, find_prices, find_places, places.municipality]


@pytest.mark.parametrize("finder", FINDERS)
def test_a_finder_finds_with_its_prefilter_what_it_finds_without(finder: Callable[..., Any]) -> None:
    for text in synthetic_texts(3000):
        assert finder(text) == finder(text, prefilter=False), text


def test_trying_the_offsets_gives_what_finditer_gives() -> None:
    for text in synthetic_texts(500):
        low = lowered(text)
        for pattern in (facts._NAME_TRIGGER, facts._AGE, facts._PRICE, facts._BARE_PRICE, places._place_re()):
            every = range(len(low) + 1)
            assert [m.span() for m in matches_at(pattern, low, every)] == [m.span() for m in pattern.finditer(low)]


@pytest.mark.parametrize("trigger", facts._NAME_TRIGGERS)
def test_every_name_trigger_is_found_wherever_it_stands_as_words(trigger: str) -> None:
    for before in ["", " ", "\n", "\t", "(", ", ", "🌸", "- ", "é "]:
        for after in [" ", "\t", "\n", "\u00a0", "   "]:
            text = f"{before}{trigger.capitalize()}{after}Mila, bel me"
            names = find_names(text)
            assert [(n, text[start:end]) for n, start, end in names] == [("Mila", "Mila")], text


def test_a_kelvin_sign_is_a_k_as_it_is_when_lowered() -> None:
    # the only character not ASCII that lower-cases to an ASCII letter (and keeps the length)
    assert [n for n, _, _ in find_names("I\u212a ben Mila")] == ["Mila"]
    assert [a for a, _, _ in find_ages("I\u212a ben 23")] == [23]
    assert [p for p, _, _ in find_places("Nieuw in \u212aatwijk")] == ["Katwijk"]


@pytest.mark.parametrize(
    "text", ["swim Mila", "Kim Mila", "éim Mila", "ik benMila", "Vraagnaar Mila", "ik_ben Mila", "ik ben-Mila"]
)
def test_a_trigger_inside_a_word_or_without_white_space_after_it_gives_no_name(text: str) -> None:
    assert find_names(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Hoi, ik ben Mila", ["Mila"]),  # "hoi, ik ben" and "ik ben": one trigger, one name
        ("Hallo ik ben Mila en ik ben Roos", ["Mila", "Roos"]),
        ("I am I'm Mila", ["Mila"]),  # a trigger right after another: the name is the last one's
        ("Call me Mila.I'm Roos", ["Mila", "Roos"]),
        ("Mijn naam is Mila, her name is Roos", ["Mila", "Roos"]),
    ],
)
def test_triggers_next_to_each_other_give_each_name_once(text: str, names: list[str]) -> None:
    assert [n for n, _, _ in find_names(text)] == names


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("23 jaar", [(23, "23 jaar")]),
        ("Mila (23jr)", [(23, "23jr")]),
        ("Mila\t23 years old", [(23, "23 years old")]),
        ("19 y/o, 21 yo", [(19, "19 y/o"), (21, "21 yo")]),
        ("Ik ben 23 jaar", [(23, "23 jaar")]),  # the age word and the unit: one age
        ("Leeftijd:\u00a023", [(23, "23")]),
        ("age23 en 25yo", [(23, "23"), (25, "25yo")]),
        ("🌸I’m 19 years old🌸", [(19, "19 years old")]),
        ("Massage 30 min, age 25", [(25, "25")]),
        ("ik ben pas 17", [(17, "17")]),
        ("Ik ben 23 jaar, 10 jaar ervaring, sinds 15 jaar", [(23, "23 jaar")]),
    ],
)
def test_ages_in_both_forms_next_to_each_other(text: str, ages: list[tuple[int, str]]) -> None:
    assert [(age, text[start:end]) for age, start, end in find_ages(text)] == ages


@pytest.mark.parametrize(
    "text", ["123 jaar", "a23 jaar", "1.23 jaar", "+23 jaar", "ik ben 170 cm", "Lisa 23", "age 23.5"]
)
def test_a_number_that_is_part_of_another_is_no_age(text: str) -> None:
    assert find_ages(text) == []


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("€80 half uur, €150 uur", [(80.0, "half_hour"), (150.0, "hour")]),
        ("Half uur: 80 euro\nUur: 150 euro", [(80.0, "half_hour"), (150.0, "hour")]),
        ("80,- € per half uur | 150 ,- euro per uur", [(80.0, "half_hour"), (150.0, "hour")]),
        ("80.- EUR p/u", [(80.0, "hour")]),
        ("$80/hh $150/hr", [(80.0, "half_hour"), (150.0, "hour")]),
        ("80$ hh, 150$ hour", [(80.0, "half_hour"), (150.0, "hour")]),
        ("uur €150 half uur €80 kwartier €50", [(150.0, "hour"), (80.0, "half_hour"), (50.0, "quarter")]),
        ("€50 kwartier €80", [(50.0, "quarter"), (80.0, "unknown")]),  # no label before it: the one after
        ("€150 uur en 100 per half uur", [(150.0, "hour"), (100.0, "half_hour")]),
        ("€\u00a0150", [(150.0, "unknown")]),
    ],
)
def test_price_lists_with_labels_before_and_after_the_amount(text: str, prices: list[tuple[float, str]]) -> None:
    assert [(amount, unit) for amount, _cur, unit, _s, _e in find_prices(text)] == prices


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Half uur €80 Uur €150", ["Half uur €80", "Uur €150"]),
        ("80,- € per half uur", ["80,- € per half uur"]),
        ("Prijs: 80,- p/u, 150,- per nacht", ["80,- p/u", "150,- per nacht"]),
        ("150 / uur en 80/hh", ["150 / uur", "80/hh"]),
    ],
)
def test_a_price_span_covers_the_amount_its_currency_and_its_unit(text: str, spans: list[str]) -> None:
    assert [text[start:end] for *_rest, start, end in find_prices(text)] == spans


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Amsterdam", ["Amsterdam"]),
        ("(Den Haag)", ["'s-Gravenhage"]),
        ("Rotterdam/Utrecht", ["Rotterdam", "Utrecht"]),
        ("\nUtrecht.\n", ["Utrecht"]),
        ("'s-Hertogenbosch en Breda", ["'s-Hertogenbosch", "Breda"]),
        ("🌸Zwolle🌸", ["Zwolle"]),
        ("Amsterdammer, Amsterdam2, Bredaé, éBreda, nieuw_Breda", []),
        ("Nieuw in Goes, niet in goes", ["Goes"]),
        ("the hague", ["'s-Gravenhage"]),
    ],
)
def test_places_wherever_they_stand_as_words(text: str, places: list[str]) -> None:
    assert [place for place, _, _ in find_places(text)] == places


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Nieuw in de stad, bel mij voor een afspraak", "nl"),
        ("New in town, call me for an appointment", "en"),
        ("Salut je suis nouvelle en ville, je suis douce et pas de rush avec moi", "other"),
        ("𝓝𝓮𝔀 𝓲𝓷 𝓽𝓸𝔀𝓷, 𝓬𝓪𝓵𝓵 𝓶𝓮", "en"),  # styled letters are the letters they stand for
        ("Bel 0612345678", "und"),
    ],
)
def test_the_language_of_an_ad_comes_from_the_one_guesser(body: str, language: str) -> None:
    # synthetic ad texts; the guesser itself is tested in tests/text/test_language.py
    assert extract(Ad(id="t", body=body)).language == language


def test_the_language_of_an_ad_follows_an_organisations_word_lists(tmp_path: Path) -> None:
    body = "Nieuw in de stad, bel mij"  # synthetic
    (tmp_path / "language_profiles.yaml").write_text("nl: [de]\nen: [nieuw, in, stad, bel]\n", encoding="utf-8")
    assert extract(Ad(id="t", body=body)).language == "nl"
    with resources.use(Knowledge.read(tmp_path).ads):
        assert extract(Ad(id="t", body=body)).language == "en"
    assert extract(Ad(id="t", body=body)).language == "nl"
