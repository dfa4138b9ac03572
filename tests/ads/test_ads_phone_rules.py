"""Phone reading rules against look-alikes: measurements, price runs, licence lists (synthetic).

Every number here is invented (synthetic); North-American ones use area codes in use with
made-up exchanges and lines.
"""

from __future__ import annotations

import random

import pytest

from signaal.ads import phone_stretches, phones
from signaal.ads.normalise import fold
from signaal.ads.phones import find_phones, normalise_phone


def _phones(text: str, region: str = "CA") -> list[str]:
    return [p.e164 for p in find_phones(fold(text).text, region)]


def test_body_measurements_never_join_a_following_number() -> None:
    assert _phones("real pictures 36-24-36 23; 52 24;120lbs") == []
    assert _phones("stats 36dd/24/36 call 416-555-0123") == ["+14165550123"]


def test_a_price_run_is_not_glued_onto_the_next_digits() -> None:
    # "$150" followed by a ten-digit run that starts with 0 is no "1" + number
    assert _phones("in/out $100/$150 0912345678") == []


def test_an_amount_before_a_number_is_not_read_into_it() -> None:
    # "$200" glued onto the first digits of a well-written number would make "+1 200 416 5550"
    assert _phones("in/out/car $150/$200 4165550123") == ["+14165550123"]


def test_licence_numbers_in_a_comma_list_are_not_a_phone() -> None:
    assert _phones("Lic#12345678,223344556,334455667") == []


def test_badly_grouped_digits_need_an_area_code_in_use() -> None:
    assert _phones("available 24/7 - 24 - 24 - 24 - 24") == []


def test_a_number_written_twice_without_a_break_reads_once_per_copy() -> None:
    found = find_phones(fold("CALL 416-555-0123416-555-0123").text, "CA")
    assert [p.e164 for p in found] == ["+14165550123", "+14165550123"]
    text = "CALL 416-555-0123416-555-0123"
    assert text[found[1].start : found[1].end] == "416-555-0123"


def test_two_numbers_glued_inside_a_digit_group_are_both_read() -> None:
    assert _phones("416 555 0123289 555 0199") == ["+14165550123", "+12895550199"]


@pytest.mark.parametrize(
    "text",
    ["416 555 0 1 2 3", "4.1.6.5.5.5.0.1.2.3", "(416) 555-0123", "+1 416 555 0123", "416/555/0123"],
)
def test_spaced_and_grouped_numbers_still_read(text: str) -> None:
    assert _phones(text) == ["+14165550123"]


def test_dutch_numbers_keep_their_own_plan() -> None:
    assert _phones("bel 06-1234 0001 of 020 123 4567", "NL") == ["+31612340001", "+31201234567"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("bel +31 6 1234 0001 nu", "+31 6 1234 0001"),
        ("bel (06) 1234 0001 nu", "(06) 1234 0001"),
        ("bel (06 1234 0001) nu", "06 1234 0001"),
    ],
)
def test_a_dutch_span_takes_the_plus_and_bracket_it_is_written_with(text: str, written: str) -> None:
    (found,) = find_phones(fold(text).text, "NL")
    assert text[found.start : found.end] == written


def test_a_north_american_span_takes_its_bracket() -> None:
    (found,) = find_phones("call (416) 555-0123", "CA")
    assert found.start == len("call ")


@pytest.mark.parametrize(
    "text",
    [
        "Open 20:00-06:00 06 1234 0001",
        "beschikbaar tot 06:00, 06-12340001",
        "open van 22.00 tot 06.00 uur 06 1234 0001",
        "10:00 - 06:00 | 06 1234 0001",
        "Datum: 01-06-2024 | 06 1234 0001",
        "afspraak 2024-06-01 0612340001",
        "06-06-2024 0612340001",
    ],
)
def test_opening_hours_and_dates_are_not_read_into_a_dutch_number(text: str) -> None:
    assert _phones(text, "NL") == ["+31612340001"]


def test_a_time_before_a_number_does_not_make_two_numbers_one() -> None:
    # the same hours before two different numbers must not give them one invented number
    assert _phones("Open 20:00-06:00 06 1234 9999", "NL") == ["+31612349999"]


@pytest.mark.parametrize("text", ["open 12-06 0612340001", "open 12-06 06 12 34 00 01"])
def test_a_well_grouped_dutch_number_beats_one_read_from_a_date(text: str) -> None:
    assert _phones(text, "NL") == ["+31612340001"]


@pytest.mark.parametrize("text", ["06.12 34 56 78", "bel 06.12.34.56.78", "06-12 34 56 78"])
def test_a_dotted_number_is_not_taken_for_a_time(text: str) -> None:
    assert _phones(text, "NL") == ["+31612345678"]


@pytest.mark.parametrize(
    "value",
    ["612340001", "612340001.0", "0612340001", "06-1234 0001", "31612340001", "+31 6 1234 0001", "0031612340001"],
)
def test_a_dutch_phone_field_without_its_leading_zero_still_reads(value: str) -> None:
    # a spreadsheet stores the number 0612340001 as 612340001
    assert normalise_phone(value, "NL") == "+31612340001"


@pytest.mark.parametrize("value", ["12345678", "123456789", "0612"])
def test_a_phone_field_that_is_no_dutch_number_does_not_read(value: str) -> None:
    assert normalise_phone(value, "NL") is None


def test_a_nine_digit_field_is_not_dutch_outside_the_netherlands() -> None:
    assert normalise_phone("612340001", "CA") is None


def _modes(text: str, region: str = "NL") -> list[tuple[str, str]]:
    return [(p.e164, p.mode) for p in find_phones(fold(text).text, region)]


@pytest.mark.parametrize(
    "text",
    [
        "tel.nr: 06 1234 0001 alleen sms, voor afspraak bel 06 1234 0003",
        "06-12340001 (alleen whatsapp) bel 06-12340003",
        "bel: 06 1234 0003 alleen sms: 06 1234 0001",
    ],
)
def test_text_only_belongs_to_the_number_it_is_written_with(text: str) -> None:
    modes = dict(_modes(text))
    assert modes == {"+31612340001": "text", "+31612340003": "call"}


def test_text_only_after_a_call_number_belongs_to_the_next_number() -> None:
    assert _modes("Bel 06 1234 0003, alleen whatsapp 06 1234 0001") == [
        ("+31612340003", "call"),
        ("+31612340001", "text"),
    ]


def test_text_only_after_a_list_of_numbers_is_about_all_of_them() -> None:
    assert _modes("06 1234 0001 of 06 1234 0003 alleen sms") == [
        ("+31612340001", "text"),
        ("+31612340003", "text"),
    ]


def test_a_call_word_inside_a_text_only_phrase_does_not_make_a_call_number() -> None:
    assert _modes("text only, don't call 416 555 0123", "CA") == [("+14165550123", "text")]
    assert _modes("alleen sms, niet bellen 06 1234 0001") == [("+31612340001", "text")]


def test_incall_and_outcall_are_no_call_words() -> None:
    assert _modes("outcall available 416 555 0123", "CA") == [("+14165550123", "any")]


def test_a_long_run_of_digits_reads_every_number_in_it() -> None:
    # an ad that is one long table of numbers: every copy is read, each one where it stands
    text = "06 1234 0001 " * 2000
    found = find_phones(text, "NL")
    assert len(found) == 2000 and {p.e164 for p in found} == {"+31612340001"}
    assert all(text[p.start : p.end] == "06 1234 0001" for p in found)


def test_a_long_glued_run_reads_every_copy() -> None:
    found = find_phones("4165550123" * 3000, "CA")
    assert len(found) == 3000 and {p.e164 for p in found} == {"+14165550123"}


def _written(text: str, region: str = "CA") -> list[tuple[str, str, str]]:
    folded = fold(text).text
    return [(p.e164, folded[p.start : p.end], p.mode) for p in find_phones(folded, region)]


@pytest.mark.parametrize(
    ("text", "region", "number"),
    [
        ("six one three five five five zero one two three", "CA", "+16135550123"),
        ("Six one three, five five five - zero one two three", "CA", "+16135550123"),
        ("sixonethree fivefivefive zeroonetwothree", "CA", "+16135550123"),
        ("nul zes één twee drie vier nul nul nul één", "NL", "+31612340001"),
    ],
)
def test_a_number_spelled_in_words_reads_without_any_digit(text: str, region: str, number: str) -> None:
    assert _written(text, region) == [(number, text, "any")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("call4165550123 now", "4165550123"),
        ("text416-555-0123", "416-555-0123"),
        ("X416 555 0123", "416 555 0123"),
        ("one4165550123", "one4165550123"),  # a number word joins the digits after it
        ("tel:4l6-555-Ol23", "4l6-555-Ol23"),
    ],
)
def test_digits_written_right_after_letters_still_read(text: str, written: str) -> None:
    assert [w for _, w, _ in _written(text)] == [written]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("💋💋 416-555-0123 💋", "416-555-0123"),
        ("☎️416.555.0123✨", "416.555.0123"),
        ("café 416 555 0123", "416 555 0123"),
        ("ε416 555 0123", "416 555 0123"),  # a letter that is not ASCII before the digits
    ],
)
def test_a_number_among_emoji_and_letters_that_are_not_ascii(text: str, written: str) -> None:
    assert _written(text) == [("+14165550123", written, "any")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("1-416-555-0123", "1-416-555-0123"),
        ("+1 (416) 555-0123", "+1 (416) 555-0123"),
        ("+1(416)555-0123", "+1(416)555-0123"),
        ("(416)555-0123", "(416)555-0123"),
        ("+416 555 0123", "+416 555 0123"),  # a plus before the area code, not a country code
        ("wa.me/14165550123", "14165550123"),
    ],
)
def test_a_north_american_number_takes_its_country_code_plus_and_brackets(text: str, written: str) -> None:
    assert _written(text) == [("+14165550123", written, "any")]


def test_a_plus_before_digits_not_grouped_like_an_area_code_gives_a_country_code() -> None:
    assert _written("+452012 3456") == [("+4520123456", "+452012 3456", "any")]
    assert _written("+452 012 3456") == [("+14520123456", "+452 012 3456", "any")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("416-555-0123 I am waiting", "416-555-0123"),
        ("416 555 0123 $200", "416 555 0123"),
        ("24/7 416-555-0123", "416-555-0123"),
        ("2 416 555 0123", "416 555 0123"),
        ("12:30 416-555-0123", "416-555-0123"),
        ("36-24-36 416 555 0123", "416 555 0123"),
    ],
)
def test_a_word_price_time_or_measurement_next_to_a_number_is_not_read_into_it(text: str, written: str) -> None:
    assert _written(text) == [("+14165550123", written, "any")]


@pytest.mark.parametrize(
    ("text", "mode"),
    [("text only 416-555-0123", "text"), ("416-555-0123 no calls", "text"), ("call 416-555-0123", "call")],
)
def test_a_plainly_written_number_keeps_its_mode(text: str, mode: str) -> None:
    assert [m for _, _, m in _written(text)] == [mode]


def test_the_stretches_of_tokens_are_those_of_the_plain_pattern() -> None:
    # the reader finds stretches of digits and number words by classes of characters; it must
    # find exactly the stretches the plain pattern finds, in any mix of (synthetic) pieces
    pieces = ["1", "23", "4567", "one", "één", "i", "lol", "x", "é", "ε", "²", "٣", " ", "-", "_", "*"]
    pieces += ["       ", "\n", "zes", "sixone", "ones", "ol", "a", "Q", "💋", "call", ":", "(", ")"]
    rng = random.Random(7)
    window = phone_stretches.stretch_re()
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = [m.span() for m in window.finditer(text) if m.end() - m.start() >= 8]
        assert phone_stretches.stretches(text) == expected, text


def test_the_plain_north_american_shortcut_reads_as_the_full_reader() -> None:
    # a number alone, or followed by a few letters and digits (a word, a price, a date), with
    # the look-alikes that send it to the full reader: a plus, a "1", groups starting "1" or "00"
    rng = random.Random(11)
    seps = ["", " ", "-", ".", ") ", " - ", "_", "/", " +"]
    after = ["", " i", "I", " $200", " 12", "-12-25", ".05.06", " 24/7", " one", " 1", " *67", " 1 2 3 4 5 6 7"]
    shortcuts = 0
    for _ in range(3000):
        groups = [rng.choice(["", "1", "+1 ", "(", "+", "$"]), rng.choice(["416", "452"]), rng.choice(seps)]
        groups += [rng.choice(["555", "012", "100", "001"]), rng.choice(seps), rng.choice(["0123", "3456", "2019"])]
        text = rng.choice(["", "call ", "x", "12-05-2019 ", "text only "]) + "".join(groups) + rng.choice(after)
        low = text.lower()
        for window in phone_stretches.stretches(low):
            shortcut = phones._plain_window(text, low, window)
            if shortcut is not None:
                shortcuts += 1
                skip = phone_stretches.skipped_spans(low, window)
                assert [shortcut] == phones._find_in(text, phone_stretches.tokens_in(text, low, window, skip), "CA"), (
                    text
                )
    assert shortcuts > 500


@pytest.mark.parametrize("code", ["*67", "*82"])
@pytest.mark.parametrize("number", ["90555501 23", "9055550 1 2 3", "9 0 555501 23"])
def test_a_caller_id_code_before_a_number_is_no_digit_of_it(code: str, number: str) -> None:
    # "*67" hides the caller's id and "*82" shows it; read as digits, "82" and the number's first
    # eight would make a number of area code 829 (in use)
    assert _phones(f"{code} {number}") == ["+19055550123"]


def test_the_same_digits_without_a_star_are_read_as_written() -> None:
    assert _phones("82 90555501 23") == ["+18290555501"]
