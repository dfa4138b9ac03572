"""Match the risk lexicon against folded ad text; every hit keeps its span."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from signaal.ads.alternation import (
    REFERENCE,
    alternation,
    boundary,
    lower_source,
    needles_of,
    sequences,
    word_start,
)
from signaal.ads.normalise import lowered
from signaal.ads.resources import LexiconEntry, derived, lexicon

__all__ = ["match_lexicon"]


def match_lexicon(text: str, languages: tuple[str, ...] = ("nl", "en")) -> list[tuple[LexiconEntry, int, int]]:
    """Every (entry, start, end) whose pattern matches, left to right, without overlaps."""
    return _match(_passes(languages), text)


@dataclass(frozen=True, slots=True)
class _Passes:
    """The lexicon of some languages as regex passes, and the entry of the words each matched."""

    main: re.Pattern[str] | None  # every case-insensitive pattern, over lower-cased text
    start: re.Pattern[str] | None  # fast form only: the main pass at position 0 (with match())
    fast: bool  # main in its fast form (a match starts one character before its word)
    second: re.Pattern[str] | None  # the case-sensitive patterns, over the text as written
    needles: tuple[str, ...] | None  # one of these is in every text the second pass matches in
    entries: tuple[tuple[LexiconEntry, re.Pattern[str]], ...]
    owners: dict[str, LexiconEntry | None]  # matched words -> entry (None: no entry's own)


_WORD = re.compile(r"\w").match


@derived(maxsize=4)
def _passes(languages: tuple[str, ...]) -> _Passes:
    return _build(lexicon(languages))


def _build(lexicon_entries: Iterable[LexiconEntry], fast: bool = True) -> _Passes:
    # One pass over ASCII-lower-cased text with one alternation of every pattern, without named
    # groups; the rare match is then attributed to its entry by trying the entries in order on the
    # matched words alone. Case-sensitive patterns ("(?-i:AV)") get a second, small pass over the
    # original text. The plain form (fast=False) is what the fast form must equal.
    entries: list[tuple[LexiconEntry, re.Pattern[str]]] = []
    folded: list[str] = []
    exact: list[str] = []
    for entry in lexicon_entries:
        if entry.derived:
            continue  # set by the extractor from a fact, never matched as text
        ci = [lower_source(p) for p in entry.sources if not p.startswith("(?-i:")]
        cs = [p for p in entry.sources if p.startswith("(?-i:")]
        folded.extend(ci)
        exact.extend(cs)
        entries.append((entry, re.compile("|".join([*ci, *cs]))))
    # a reference to a group counts groups over the whole alternation, which the fast form
    # rewrites: such a lexicon keeps the plain form
    if fast and not any(REFERENCE.search(source) for source in (*folded, *exact)):
        try:
            main_alts = alternation(sequences(folded), word_start, r"(?=\w)")
            second_seqs = sequences(exact)
            second_alts = alternation(second_seqs, boundary, r"\b")
            return _Passes(
                # The character before the word is consumed: a class of one character is what
                # re scans for in C, fast, instead of trying the pattern at every position. It is
                # any but an ASCII letter, digit or "_"; that a non-ASCII one is no letter either
                # is checked on the (few) matches.
                re.compile(f"[^0-9A-Z_a-z](?:{main_alts})(?!\\w)") if main_alts else None,
                re.compile(f"(?:{main_alts})(?!\\w)") if main_alts else None,
                True,
                re.compile(f"(?:{second_alts})(?!\\w)") if second_alts else None,
                needles_of(second_seqs),
                tuple(entries),
                {},
            )
        except (re.error, RecursionError):
            pass  # a pattern the rewriting below does not foresee: the plain form
    return _Passes(
        re.compile(r"(?<![^\W])(?=\w)(?:" + "|".join(folded) + r")(?!\w)") if folded else None,
        None,
        False,
        re.compile(r"\b(?:" + "|".join(exact) + r")(?!\w)") if exact else None,
        None,
        tuple(entries),
        {},
    )


def _match(passes: _Passes, text: str) -> list[tuple[LexiconEntry, int, int]]:
    hits: list[tuple[LexiconEntry, int, int]] = []
    # the main pass's hits, left to right and without overlaps: their starts and ends
    starts: list[int] = []
    ends: list[int] = []
    if passes.main is not None:
        low = lowered(text)
        for start, end in _fast_spans(passes, low) if passes.fast else _plain_spans(passes, low):
            entry = _entry(passes, low[start:end])
            if entry is not None:
                hits.append((entry, start, end))
                starts.append(start)
                ends.append(end)
    second = passes.second
    if second is not None and (passes.needles is None or _holds_any(text, passes.needles)):
        for m in second.finditer(text):
            start, end = m.span()
            if _inside(starts, ends, start, end):
                # inside a phrase the main pass matched already ("Geen AV", "No BB"): that
                # phrase says what the letters mean
                continue
            entry = _entry(passes, m.group())
            if entry is not None:
                hits.append((entry, start, end))
        hits.sort(key=lambda h: h[1])
    return hits


def _fast_spans(passes: _Passes, low: str) -> list[tuple[int, int]]:
    # The spans of the plain pass, left to right without overlaps, from the fast form (its
    # matches start one character before the word); search() in a loop costs no more than
    # finditer() for the few matches of an ad, and can go on past a false start.
    search = passes.main.search  # type: ignore[union-attr]
    spans: list[tuple[int, int]] = []
    pos = 0
    if passes.start is not None and (m := passes.start.match(low)) is not None:
        spans.append(m.span())
        pos = m.end()
    # A match ends before a non-word character ("(?!\w)"), so the next word starts later still
    # and the character before it is not inside the match.
    while (m := search(low, pos)) is not None:
        before, pos = m.span()
        char = low[before]
        if char > "\x7f" and _WORD(char):
            pos = before + 1  # a letter before: no word start, no match
            continue
        spans.append((before + 1, pos))
    return spans


def _plain_spans(passes: _Passes, low: str) -> list[tuple[int, int]]:
    return [m.span() for m in passes.main.finditer(low)]  # type: ignore[union-attr]


def _holds_any(text: str, needles: tuple[str, ...]) -> bool:
    for needle in needles:  # noqa: SIM110 - a loop, no generator: this runs for every text
        if needle in text:
            return True
    return False


def _entry(passes: _Passes, words: str) -> LexiconEntry | None:
    owners = passes.owners
    if words in owners:
        return owners[words]
    entry = next((e for e, p in passes.entries if p.fullmatch(words)), None)
    if len(owners) > 50_000:
        owners.clear()  # bounded: the same few phrases recur in every ad
    owners[words] = entry
    return entry


def _inside(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    # the last main hit that starts before this one ends is the only one that can overlap it
    i = bisect_left(starts, end) - 1
    return i >= 0 and ends[i] > start
