"""The lexicon matcher's fast form finds exactly what the plain alternation of the patterns finds.

The matcher rewrites the lexicon into one alternation grouped by first character, with the word
start checked after that character. These tests hold it to the plain form
"(?<![^\\W])(?=\\w)(?:p1|p2|...)(?!\\w)" on synthetic lexicons with patterns of every shape an
organisation may write, over generated texts. Synthetic: every word and text here is invented.
"""

from __future__ import annotations

import random
import re

import pytest

from signaal.ads import alternation, indicators
from signaal.ads.normalise import fold
from signaal.ads.resources import LexiconEntry, lexicon

# Patterns of every shape: literal first, a group or top-level "|" first, a look-behind or
# look-ahead first, a digit class or another class first, a quantifier on the first element,
# escapes, anchors, a non-word character first or last, empty alternatives, flags, comments,
# named groups, and what the packaged lexicons hold.
SHAPES = [
    "ik ben",
    "bij mij",
    "(?:nooit|niet) zonder",
    "(nieuw|jong)e? meisje",
    "(?P<wie>aa|bb)c",
    "(?:x|y)(?P<wat>z)q",
    "vers|fresh|new",
    "(?<!tot )teen",
    "(?<=\\d )jaar",
    "(?<![-/])dagen",
    "(?<!\\w)x",
    "(?:(?<!a)b|c)d",
    "(?=\\w{4})abcd",
    "(?!niet)n\\w+",
    "\\d",
    "\\d+ dagen",
    "\\d\\d jaar",
    "\\d{2,3} euro",
    "(?:\\d|twee) (?:nieuwe )?meiden",
    "(?:2|3) gals",
    "[0-9] girls",
    "[\\d]y",
    "[a-c]x",
    "[^a-z]x",
    "\\w+ly",
    "\\S+x",
    ".b",
    "\\s?foo",
    "\\W?bar",
    "e?xtreme",
    "a*b",
    "a*?b",
    "a+bc",
    "a++b",
    "x??y",
    "x{2}y",
    "x{0,2}z",
    "a{,2}b",
    "a{3,}b",
    "(?:ab)+c",
    "(?:ab)?c",
    "(a|b)+c",
    "(?:a|b){2,3}c",
    "(?:a|b){0,2}?c",
    "(?:a*)*b",
    "(?>ab)c",
    "\\.com",
    "a\\-b",
    "\\x41b",
    "\\u00e9t",
    "[é]t",
    "één",
    "\\tq",
    "^start",
    "\\Aab",
    "\\bfoo",
    "\\Bbar",
    "foo$",
    "foo!",
    "bar\\.",
    "(?:x|y)-",
    "a ",
    "(?:-)?x",
    "foo|",
    "(?:|a)b",
    "(?i:AbC)",
    "(?s:a.b)",
    "(?-s:a.c)",
    "(?#een opmerking)abc",
    "24\\s?/\\s?7",
    "foto's",
    "she(?: is|'s|’s) (?:new|\\d\\d)",
    "agency(?![- ]?free)",
    "agency[- ]?free",
    "no (?:bb|av)",
    "reviews?",
    "zelfstandig(?:e)?",
    "maar (?:\\w+ )?dagen",
]
EXACT = ["(?-i:AV)", "(?-i:BB)", "(?-i:Bb)", "(?-i:[A-Z]{2}\\d)", "(?-i:\\dX)", "(?-i:-A)", "(?-i:A)"]
WORDS = [
    "ik", "ben", "bij", "mij", "nooit", "niet", "zonder", "nieuwe", "jonge", "meisje", "aac", "bbc", "zq",
    "tot", "teen", "12", "jaar", "dagen", "abcd", "nog", "vers", "fresh", "new", "3", "24", "7", "euro",
    "123", "ax", "bx", "only", "b", "xtreme", "extreme", "ab", "abc", "aab", "bc", "abbc", "xxy", "xy", "z",
    "xz", "xxz", "ababc", "c", "y", "com", "a", "ét", "caf", "q", "start", "foo", "bar", "AV", "av", "BB",
    "Bb", "AB1", "5X", "A", "één", "ß", "girls", "twee", "meiden", "gals", "she", "is", "'s", "’s", "agency",
    "free", "no", "review", "reviews", "zelfstandig", "zelfstandige", "maar", "d", "x", "_", "İ", "foto",
    "foto's", "0", "9", "ly", "a.b", "a.c", "24/7", "e", "\t", "24 / 7", "💋",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "", "-", "/", ".", "\n", "’", "(", "💋", "  ", "é", "_", "'", "!"]


def _entries(sources: list[str]) -> list[LexiconEntry]:
    return [
        LexiconEntry(
            id=f"e{i}", language="nl", weight=1.0, counter=False, group="g", label="l", patterns=(), sources=(s,)
        )
        for i, s in enumerate(sources)
    ]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(0, 10)):
            word = rng.choice(WORDS)
            parts.append(word.upper() if rng.random() < 0.2 else word)
            parts.append(rng.choice(SEPARATORS))
        texts.append(fold("".join(parts)).text)
    return texts


def _spans(passes: indicators._Passes, text: str) -> list[tuple[str, int, int]]:
    return [(e.id, start, end) for e, start, end in indicators._match(passes, text)]


@pytest.mark.parametrize("shape", SHAPES + EXACT)
def test_each_shape_matches_as_in_the_plain_alternation(shape: str) -> None:
    entries = _entries([shape, "ik ben", "(?-i:AV)", "(?:\\d|twee) meiden"])
    plain, fast = indicators._build(entries, fast=False), indicators._build(entries)
    assert fast.fast
    for text in _texts(seed=len(shape), count=400):
        assert _spans(fast, text) == _spans(plain, text), text


@pytest.mark.parametrize("seed", range(6))
def test_a_mixed_lexicon_matches_as_in_the_plain_alternation(seed: int) -> None:
    rng = random.Random(seed)
    sources = rng.sample(SHAPES, 25) + rng.sample(EXACT, 2)
    rng.shuffle(sources)
    entries = _entries(sources)
    plain, fast = indicators._build(entries, fast=False), indicators._build(entries)
    assert fast.fast
    for text in _texts(seed=100 + seed, count=300):
        assert _spans(fast, text) == _spans(plain, text), (sources, text)


def test_the_packaged_lexicons_match_as_in_the_plain_alternation() -> None:
    entries = lexicon(("nl", "en"))
    plain, fast = indicators._build(entries, fast=False), indicators._build(entries)
    assert fast.fast  # the packaged lexicons need no fallback to the plain form
    texts = [
        "Nieuw in de stad! Ik ben 24/7 beschikbaar, geen AV, wel BB",
        "ik ben nieuw, 3 nieuwe meiden, alles zonder condoom",
        "💋New girl in town, 2 gals, she's new, agency-free, no bb",
        "(nooit zonder condoom) van top tot teen, 7 dagen per week",
        "caféteen éteen -teen 'teen 24 / 7 24hrs reviews? deposit",
        *_texts(seed=7, count=300),
    ]
    for text in texts:
        assert _spans(fast, text) == _spans(plain, text), text


def test_a_letter_before_a_phrase_is_no_word_start() -> None:
    entries = _entries(["teen", "a ", "bar"])
    passes = indicators._build(entries)
    for text in ("teen éteen 💋teen", "a  bar", "bar, a -bar"):
        assert _spans(passes, text) == _spans(indicators._build(entries, fast=False), text)
    assert _spans(passes, "teen éteen 💋teen") == [("e0", 0, 4), ("e0", 12, 16)]
    # a phrase that ends on a non-word character, and one at the very start
    assert _spans(passes, "a  bar") == [("e1", 0, 2), ("e2", 3, 6)]
    assert _spans(passes, "bar, a -bar") == [("e2", 0, 3), ("e1", 5, 7), ("e2", 8, 11)]


def test_a_lexicon_with_a_group_reference_keeps_the_plain_form() -> None:
    passes = indicators._build(_entries(["(a)\\1b", "ik ben"]))
    assert not passes.fast
    assert _spans(passes, "aab ik ben") == [("e0", 0, 3), ("e1", 4, 10)]


@pytest.mark.parametrize(
    ("source", "lowered"),
    [
        ("Geen (?:AV|BB)", "geen (?:av|bb)"),
        ("\\W?Bar\\S", "\\W?bar\\S"),
        ("(?P<Wie>AB)(?P=Wie)", "(?P<Wie>ab)(?P=Wie)"),
        ("[A-Z]\\D", "[a-z]\\D"),
    ],
)
def test_patterns_are_lower_cased_in_their_letters_only(source: str, lowered: str) -> None:
    assert alternation.lower_source(source) == lowered
    assert re.compile(lowered)
