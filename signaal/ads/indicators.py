"""Match the risk lexicon against folded ad text; every hit keeps its span."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from signaal.ads.normalise import lowered
from signaal.ads.resources import LexiconEntry, lexicon

__all__ = ["match_lexicon"]


_Combined = tuple[re.Pattern[str], re.Pattern[str] | None, tuple[tuple[LexiconEntry, re.Pattern[str]], ...]]
_owner: dict[tuple[tuple[str, ...], str], LexiconEntry | None] = {}  # matched words -> entry


@lru_cache(maxsize=4)
def _combined(languages: tuple[str, ...]) -> _Combined:
    # One pass over ASCII-lower-cased text with one plain alternation of every pattern. Without
    # named groups the regex engine skips alternatives by their first letter, which makes the
    # pass more than twice as fast; the rare match is then attributed to its entry by trying the
    # entries in order on the matched words alone. Case-sensitive patterns ("(?-i:AV)") get a
    # second, small pass over the original text.
    entries: list[tuple[LexiconEntry, re.Pattern[str]]] = []
    folded: list[str] = []
    exact: list[str] = []
    for entry in lexicon(languages):
        if entry.derived:
            continue  # set by the extractor from a fact, never matched as text
        ci = [p.lower() for p in entry.sources if not p.startswith("(?-i:")]
        cs = [p for p in entry.sources if p.startswith("(?-i:")]
        folded.extend(ci)
        exact.extend(cs)
        entries.append((entry, re.compile("|".join([*ci, *cs]))))
    main = re.compile(r"(?<![^\W])(?=\w)(?:" + "|".join(folded) + r")(?!\w)")
    second = re.compile(r"\b(?:" + "|".join(exact) + r")(?!\w)") if exact else None
    return main, second, tuple(entries)


def match_lexicon(text: str, languages: tuple[str, ...] = ("nl", "en")) -> list[tuple[LexiconEntry, int, int]]:
    """Every (entry, start, end) whose pattern matches, left to right, without overlaps."""
    main, second, entries = _combined(languages)
    hits: list[tuple[LexiconEntry, int, int]] = []
    # the main pass's hits, left to right and without overlaps: their starts and ends
    starts: list[int] = []
    ends: list[int] = []
    for pattern, target in ((main, lowered(text)), (second, text)):
        if pattern is None:
            continue
        for m in pattern.finditer(target):
            if pattern is second and _inside(starts, ends, m.start(), m.end()):
                # inside a phrase the main pass matched already ("Geen AV", "No BB"): that
                # phrase says what the letters mean
                continue
            words = m.group()
            key = (languages, words)
            if key in _owner:
                entry = _owner[key]
            else:
                entry = next((e for e, p in entries if p.fullmatch(words)), None)
                if len(_owner) > 50_000:
                    _owner.clear()  # bounded: the same few phrases recur in every ad
                _owner[key] = entry
            if entry is not None:
                hits.append((entry, m.start(), m.end()))
                if pattern is main:
                    starts.append(m.start())
                    ends.append(m.end())
    hits.sort(key=lambda h: h[1])
    return hits


def _inside(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    # the last main hit that starts before this one ends is the only one that can overlap it
    i = bisect_left(starts, end) - 1
    return i >= 0 and ends[i] > start
