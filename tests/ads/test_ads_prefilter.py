"""The one literal prefilter of the ad readers, held to the plain form (every pattern over the whole text).

Every reader tries its pattern only where one of its keywords starts (signaal.ads.prefilter). A
keyword list that misses how a pattern can start would lose hits: these tests generate matches
of every packaged pattern and check that each starts with a keyword, and compare the prefiltered
and the plain readers on generated and synthetic texts. Synthetic: every text here is invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest
from ads_fixtures import synthetic_texts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from signaal.ads import facts
from signaal.ads.extract import extract
from signaal.ads.facts import find_ages, find_names, find_prices
from signaal.ads.indicators import LexiconMatcher, lower_source, match_lexicon
from signaal.ads.model import Ad, AdFeatures
from signaal.ads.normalise import fold, lowered
from signaal.ads.places import find_places, municipality
from signaal.ads.prefilter import Prefilter
from signaal.ads.resources import LexiconEntry, lexicon
from signaal.ads.synthetic import generate_ads

# --- the prefilter itself -----------------------------------------------------------------------


def test_the_prefilter_gives_where_each_keyword_starts_and_whose_it_is() -> None:
    pre = Prefilter({"a": ["no", "ik ben"], "b": ["no bb"], "c": ["ben"]})
    assert pre.starts("no bb, ik ben") == [(0, ("a", "b")), (7, ("a",)), (10, ("c",))]
    assert sorted(set(pre.offsets("no bb, ik ben"))) == [0, 7, 10]
    assert pre.starts("niets") == []
    assert Prefilter({}).starts("no") == []


@pytest.mark.parametrize("word", ["", "No", "AV"])
def test_a_keyword_is_not_empty_and_in_lower_case(word: str) -> None:
    with pytest.raises(ValueError, match="lower case"):
        Prefilter({"a": [word]})


# --- keywords: every match of a pattern starts with one ----------------------------------------


def _lexicon_patterns() -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for entry in lexicon(("nl", "en")):
        for source in entry.sources:
            exact = source.startswith("(?-i:")
            out.append(
                (f"{entry.language}:{entry.id}:{source}", source if exact else lower_source(source), entry.keywords)
            )
    return out


_FINDER_PATTERNS = [
    ("names", facts._NAME_TRIGGER.pattern, facts._NAME_TRIGGERS),
    ("ages", facts._AGE.pattern, facts._AGE_STARTS),
    ("prices", facts._PRICE.pattern, facts._PRICE_STARTS),
    ("bare prices", facts._BARE_PRICE.pattern, facts._DIGITS),
]


@pytest.mark.parametrize(("where", "source", "keywords"), _lexicon_patterns() + _FINDER_PATTERNS)
def test_every_match_of_a_pattern_starts_with_one_of_its_keywords(
    where: str, source: str, keywords: tuple[str, ...]
) -> None:
    pattern = re.compile(source)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.from_regex(source, fullmatch=True))
    def check(text: str) -> None:
        # the words as the reader sees them: folded, and lower-cased unless the pattern is exact
        folded = fold(text).text
        low = lowered(folded)
        assume(pattern.fullmatch(folded if source.startswith("(?-i:") else low) is not None)
        assert any(low.startswith(word) for word in keywords), (where, low)

    check()


# --- the prefiltered readers find what the plain ones find --------------------------------------

_WORDS = [
    *("ik ben", "I am", "i'm", "i’m", "my name is", "Mila", "nieuw in", "de stad", "Goes", "Den Haag", "Amsterdam"),
    *("geen AV", "AV", "BB", "no bb", "bbbj", "alles zonder condoom", "24/7", "24 uur", "24hrs", "3 meiden", "2 gals"),
    *("onze meiden", "she's new", "agency", "agency-free", "not an agency", "without agency", "van top tot teen"),
    *("teen", "23 jaar", "19yo", "age 21", "€80", "150 p/u", "1.000 euro", "$200", "per uur", "half uur", "💋"),
    *("safe play only", "nooit zonder condoom", "last nights", "visiting", "bel ons", "haar foto's", "İ", "é"),
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.text(max_size=4)),
    max_size=12,
).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", "", ", ", "\n", "-", "/", "(", "🌸"]), min_size=len(words), max_size=len(words)
    ).map(lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)))
)

_READERS: list[Callable[..., Any]] = [match_lexicon, find_names, find_ages, find_prices, find_places, municipality]


@pytest.mark.parametrize("reader", _READERS)
@settings(max_examples=300, deadline=None, database=None)
@given(text=_TEXT)
def test_a_reader_finds_the_same_spans_with_and_without_its_prefilter(reader: Callable[..., Any], text: str) -> None:
    folded = fold(text).text
    assert reader(folded) == reader(folded, prefilter=False)


@pytest.mark.parametrize("reader", _READERS)
def test_the_readers_agree_on_synthetic_ads_and_texts(reader: Callable[..., Any]) -> None:
    texts = [fold(t).text for ad in generate_ads(400, seed=3) for t in (ad["title"], ad["body"])]
    for text in [*texts, *synthetic_texts(1000, seed=5), *map(fold_text, _WORDS)]:
        assert reader(text) == reader(text, prefilter=False), text


def fold_text(text: str) -> str:
    return fold(text).text


def test_extract_gives_the_same_features_with_the_plain_readers() -> None:
    # the whole per-ad step: both forms end in the same features
    for ad in generate_ads(200, seed=9):
        one = Ad(id=str(ad["id"]), title=ad["title"], body=ad["body"], city=ad.get("city", ""))
        assert _plain(extract(one)) == _plain(extract(one, prefilter=False))


def _plain(feats: AdFeatures) -> dict[str, Any]:
    return {
        f.name: list(getattr(feats, f.name)) if f.name == "tokens" else getattr(feats, f.name) for f in fields(feats)
    }


# --- the lexicon matcher ------------------------------------------------------------------------


def _entry(i: int, source: str, keywords: tuple[str, ...]) -> LexiconEntry:
    return LexiconEntry(
        id=f"e{i}", language="nl", weight=1.0, counter=False, group="g", label="l", patterns=(),
        sources=(source,), keywords=keywords,
    )  # fmt: skip


def test_at_one_place_the_first_entry_that_matches_wins_as_in_one_alternation() -> None:
    entries = [_entry(0, "no", ("no",)), _entry(1, "no bb", ("no",)), _entry(2, "(?-i:BB)", ("bb",))]
    matcher = LexiconMatcher(entries)
    for text in ("no bb", "No BB, BB", "nobb bb BB"):
        ids = [(e.id, s, t) for e, s, t in matcher.match(text)]
        assert ids == [(e.id, s, t) for e, s, t in matcher.match(text, prefilter=False)]
    assert [(e.id, s, t) for e, s, t in matcher.match("No BB, BB")] == [
        ("e0", 0, 2),
        ("e2", 3, 5),
        ("e2", 7, 9),
    ]


def test_a_letter_before_a_phrase_is_no_word_start() -> None:
    matcher = LexiconMatcher([_entry(0, "teen", ("teen",)), _entry(1, "a ", ("a ",)), _entry(2, "bar", ("bar",))])
    spans = [(e.id, s, t) for e, s, t in matcher.match("teen éteen 💋teen a  bar")]
    assert spans == [("e0", 0, 4), ("e0", 12, 16), ("e1", 17, 19), ("e2", 20, 23)]


@pytest.mark.parametrize(
    ("source", "lowered_source"),
    [
        ("Geen (?:AV|BB)", "geen (?:av|bb)"),
        ("\\W?Bar\\S", "\\W?bar\\S"),
        ("[A-Z]\\D", "[a-z]\\D"),
    ],
)
def test_patterns_are_lower_cased_in_their_letters_only(source: str, lowered_source: str) -> None:
    assert lower_source(source) == lowered_source
    assert re.compile(lowered_source)
