"""The ad readers on cases they used to get wrong: names, prices, handles, prefixes, places (synthetic)."""

from __future__ import annotations

import pytest

from signaal.ads.contacts import find_handles
from signaal.ads.facts import find_names, find_prices
from signaal.ads.normalise import fold
from signaal.ads.phones import find_phones
from signaal.ads.places import find_places


def _names(text: str) -> list[str]:
    return [name for name, _start, _end in find_names(fold(text).text)]


@pytest.mark.parametrize(
    "text", ["I am Dangerously curvaceous", "CALL ME OR TEXT ME", "I am Absolutely stunning", "ik heet je welkom"]
)
def test_ordinary_words_after_a_trigger_are_no_names(text: str) -> None:
    # a wrong name makes a false hub ("one number behind many names")
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I’m Anna, new in town", "Anna"),
        ("ik heet anna en ik ben nieuw", "Anna"),
        ("my name is kim", "Kim"),
        ("CALL ME ANNA", "Anna"),
        ("Hi, I am Kelly", "Kelly"),
        ("I am Sally", "Sally"),
    ],
)
def test_names_written_with_a_curly_apostrophe_or_in_lower_case_are_read(text: str, name: str) -> None:
    assert _names(text) == [name]


def test_lower_case_after_i_am_is_no_name() -> None:
    assert _names("ik ben nieuw in de stad") == []


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("€1.000 per nacht", 1000.0, "night"),
        ("€ 1.000,- per nacht", 1000.0, "night"),
        ("1.000 euro per nacht", 1000.0, "night"),
        ("$2,500 overnight", 2500.0, "night"),
    ],
)
def test_a_price_of_a_thousand_or_more_is_read_with_its_separator(text: str, amount: float, unit: str) -> None:
    assert [(a, u) for a, _cur, u, _s, _e in find_prices(fold(text).text)] == [(amount, unit)]


def test_a_price_with_cents_is_no_thousand() -> None:
    assert find_prices(fold("€1.50 voor een koffie").text) == []


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("tg: lisa_nl", "telegram", "lisa_nl"),
        ("sc: lisa.nl", "snapchat", "lisa.nl"),
        ("OF: lisanl", "onlyfans", "lisanl"),
    ],
)
def test_short_service_names_with_a_colon_give_handles(text: str, kind: str, value: str) -> None:
    assert [(h.kind, h.value) for h in find_handles(fold(text).text)] == [(kind, value)]


@pytest.mark.parametrize("text", ["Lisa of Anna", "kies 1 of 2: ok", "sc anna"])
def test_the_short_names_need_their_colon(text: str) -> None:
    assert find_handles(fold(text).text) == []


def test_a_dutch_mobile_with_its_country_code_and_no_plus_is_read() -> None:
    assert [p.e164 for p in find_phones(fold("bel 31612340001 of 316 1234 0002").text, "NL")] == [
        "+31612340001",
        "+31612340002",
    ]


def test_two_zeros_apart_from_a_number_are_no_international_prefix() -> None:
    text = fold("call 00 💋 32 470 12 34 56 or 416 555 0123").text
    assert [p.e164 for p in find_phones(text, "CA")] == ["+14165550123"]
    assert [p.e164 for p in find_phones(fold("bel 00 32 470 12 34 56").text, "NL")] == ["+32470123456"]


@pytest.mark.parametrize(
    ("text", "number", "written"),
    [
        ("No blocked calls sorryTwo89555 0147", "+12895550147", "Two89555 0147"),
        ("Bel me liefstNul612345678", "+31612345678", "Nul612345678"),
    ],
)
def test_a_spelled_digit_glued_to_the_word_before_it_is_read(text: str, number: str, written: str) -> None:
    # "sorryTwo…": the capital starts the number word, the word before it stays out of the number
    region = "CA" if number.startswith("+1") else "NL"
    found = [(p.e164, text[p.start : p.end]) for p in find_phones(fold(text).text, region)]
    assert found == [(number, written)]


@pytest.mark.parametrize("text", ["sorrytwo89555 0147", "SomeOne 416 555 0147", "lolTwo 416 555 0147"])
def test_a_number_word_inside_a_word_stays_a_word(text: str) -> None:
    # lower case inside a word, or not glued to the digits after it: no digit of the number
    found = [text[p.start : p.end] for p in find_phones(fold(text).text, "CA")]
    assert found in ([], ["416 555 0147"])


@pytest.mark.parametrize(("text", "place"), [("nieuw in Huizen", "Huizen"), ("Lisa | Stein", "Stein")])
def test_every_municipality_is_in_the_gazetteer(text: str, place: str) -> None:
    assert [p for p, _s, _e in find_places(fold(text).text)] == [place]


@pytest.mark.parametrize("text", ["grote huizen met tuin", "a beer stein"])
def test_a_municipality_that_is_also_a_word_counts_only_as_a_place(text: str) -> None:
    assert find_places(fold(text).text) == []
