"""One literal prefilter for the ad readers: where a pattern can start, found by its keywords.

Each reader pattern comes with keywords: literal strings, in lower case, one of which every match
of the pattern starts with, on the lower-cased folded text (`signaal.ads.normalise.lowered`).
The lexicon's keywords are data (``keywords:`` of each entry in ``lexicon_ads_*.yaml``); a fact
finder's stand beside its pattern; a place's keyword is its name. One Aho-Corasick pass
(``pyahocorasick``) finds every keyword in a text at once, and the pattern is then tried at those
offsets alone (`matches_at`), which gives what ``finditer`` over the whole text gives.

Every reader also has its plain form, which runs its pattern over the whole text: that is the
reference, chosen with ``prefilter=False``, and the differential tests hold the two to the same
spans. A keyword list that misses a start makes the prefiltered form miss a match; the tests of
``tests/ads/test_ads_prefilter.py`` generate matches of every pattern and check their keywords.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

import ahocorasick

__all__ = ["Prefilter", "matches_at"]

K = TypeVar("K")


class Prefilter(Generic[K]):
    """Keywords of several patterns (by key) in one automaton."""

    def __init__(self, keywords: Mapping[K, Iterable[str]]) -> None:
        owners: dict[str, list[K]] = {}
        for key, words in keywords.items():
            for word in words:
                if not word or word != word.lower():
                    raise ValueError(f"keyword {word!r} of {key!r}: keywords are non-empty and lower case")
                owners.setdefault(word, []).append(key)
        self._automaton = ahocorasick.Automaton()
        for word, keys in owners.items():
            # the value: how far back the keyword starts from its last character, and whose it is
            self._automaton.add_word(word, (len(word) - 1, tuple(sorted(set(keys)))))  # type: ignore[type-var]
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def starts(self, low: str) -> list[tuple[int, tuple[K, ...]]]:
        """Where a keyword starts in the lower-cased text, in order, with the keys whose keyword it is."""
        if self._empty:
            return []
        found: dict[int, tuple[K, ...]] = {}
        for last, (back, keys) in self._automaton.iter(low):
            start = last - back
            # two keywords that start at one place ("no", "no bb"): the keys of both, in order
            found[start] = tuple(sorted({*found[start], *keys})) if start in found else keys
        return sorted(found.items())

    def offsets(self, low: str) -> list[int]:
        """Where a keyword starts in the lower-cased text (in no order, a place may repeat)."""
        if self._empty:
            return []
        return [last - back for last, (back, _keys) in self._automaton.iter(low)]


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """What pattern.finditer(text) gives, when starts holds every offset where pattern matches.

    finditer takes the leftmost match, then searches on from where it ends: so, in order, each
    offset from the end of the last match on where the pattern matches (no reader pattern
    matches an empty string).
    """
    out: list[re.Match[str]] = []
    end = 0
    for start in sorted(set(starts)):
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            out.append(m)
            end = m.end()
    return out
