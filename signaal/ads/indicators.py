"""Match the risk lexicon against folded ad text; every hit keeps its span."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from signaal.ads.normalise import lowered
from signaal.ads.prefilter import Prefilter
from signaal.ads.resources import LexiconEntry, derived, lexicon

__all__ = ["LexiconMatcher", "lower_source", "match_lexicon"]

Hit = tuple[LexiconEntry, int, int]


def match_lexicon(text: str, languages: tuple[str, ...] = ("nl", "en"), *, prefilter: bool = True) -> list[Hit]:
    """Every (entry, start, end) whose pattern matches, left to right, without overlaps (see LexiconMatcher)."""
    return _matcher(languages).match(text, prefilter=prefilter)


@derived(maxsize=4)
def _matcher(languages: tuple[str, ...]) -> LexiconMatcher:
    return LexiconMatcher(lexicon(languages))


class LexiconMatcher:
    """The patterns of lexicon entries, ready to match.

    Case-insensitive patterns are matched on the lower-cased text, as words ("(?<!\\w)" before,
    "(?!\\w)" after); at one place the first entry of the lexicon that matches there wins, as in
    one alternation of them all. Case-sensitive patterns ("(?-i:AV)") are matched on the text as
    written, and a hit of theirs inside a case-insensitive hit ("geen AV") is left out: that phrase
    says what the letters mean.
    """

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        main: list[tuple[LexiconEntry, str]] = []
        second: list[tuple[LexiconEntry, str]] = []
        for entry in entries:
            if entry.derived:
                continue  # set by the extractor from a fact, never matched as text
            folded = [lower_source(p) for p in entry.sources if not p.startswith("(?-i:")]
            exact = [p for p in entry.sources if p.startswith("(?-i:")]
            if folded:
                main.append((entry, "|".join(folded)))
            if exact:
                second.append((entry, "|".join(exact)))
        self._main = _build(main, _MAIN)
        self._second = _build(second, _SECOND)

    def match(self, text: str, *, prefilter: bool = True) -> list[Hit]:
        """Every (entry, start, end), left to right, without overlaps.

        ``prefilter=False`` runs every pattern over the whole text: the reference that the
        prefiltered form (patterns tried where their keywords start) equals.
        """
        low = lowered(text)
        if prefilter:
            main = self._main.prefiltered(low, low)
            second = self._second.prefiltered(text, low)
        else:
            main = self._main.plain(low)
            second = self._second.plain(text)
        if not second:
            return main
        starts = [start for _entry, start, _end in main]
        ends = [end for _entry, _start, end in main]
        hits = main + [hit for hit in second if not _inside(starts, ends, hit[1], hit[2])]
        hits.sort(key=lambda h: h[1])
        return hits


@dataclass(frozen=True, slots=True)
class _Pass:
    """The entries of one pass, in lexicon order: their patterns as one alternation, and per entry."""

    entries: tuple[LexiconEntry, ...]
    union: re.Pattern[str] | None  # every entry's patterns, one named group per entry ("e0", "e1", ...)
    each: tuple[re.Pattern[str], ...]  # the patterns of each entry
    prefilter: Prefilter[int]  # the keywords of each entry

    def plain(self, text: str) -> list[Hit]:
        if self.union is None:
            return []
        return [(self.entries[int(m.lastgroup[1:])], *m.span()) for m in self.union.finditer(text)]  # type: ignore[index]

    def prefiltered(self, text: str, low: str) -> list[Hit]:
        # At a place, only an entry whose keyword starts there can match; tried in lexicon order,
        # the first that matches is the one the alternation takes.
        hits: list[Hit] = []
        end = 0
        for start, candidates in self.prefilter.starts(low):
            if start < end:
                continue
            for i in candidates:
                m = self.each[i].match(text, start)
                if m is not None:
                    hits.append((self.entries[i], start, m.end()))
                    end = m.end()
                    break
        return hits


# A phrase stands as words: the main pass starts at a word character after none ("'s" is no
# word start), the second at a word boundary; both end before a character that is no word's.
_MAIN = r"(?<!\w)(?=\w)(?:{})(?!\w)"
_SECOND = r"\b(?:{})(?!\w)"


def _build(patterns: list[tuple[LexiconEntry, str]], wrap: str) -> _Pass:
    union = "|".join(f"(?P<e{i}>{source})" for i, (_entry, source) in enumerate(patterns))
    return _Pass(
        entries=tuple(entry for entry, _source in patterns),
        union=re.compile(wrap.format(union)) if patterns else None,
        each=tuple(re.compile(wrap.format(source)) for _entry, source in patterns),
        prefilter=Prefilter({i: entry.keywords for i, (entry, _source) in enumerate(patterns)}),
    )


# what lower_source() keeps as written: escapes, group names, flags
_SYNTAX = re.compile(
    r"(\\N\{[^}]*\}|\\.|\(\?P<\w+>|\(\?P=\w+\)|\(\?\(\w+\)|\(\?[aiLmsux]*(?:-[imsx]*)?[:)])|[^\\(]+|\(", re.S
)


def lower_source(source: str) -> str:
    """A case-insensitive pattern for lower-cased text: its letters lower-cased, not those of
    escapes ("\\W", "\\S" keep their meaning), group names or flags."""
    return _SYNTAX.sub(lambda m: m.group() if m.group(1) else m.group().lower(), source)


def _inside(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    # the last main hit that starts before this one ends is the only one that can overlap it
    i = bisect_left(starts, end) - 1
    return i >= 0 and ends[i] > start
