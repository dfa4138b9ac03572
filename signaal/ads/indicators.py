"""Match the risk lexicon against folded ad text; every hit keeps its span."""

from __future__ import annotations

import re
from functools import lru_cache

from signaal.ads.resources import LexiconEntry, lexicon

__all__ = ["match_lexicon"]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=4)
def _combined(
    languages: tuple[str, ...],
) -> tuple[re.Pattern[str], re.Pattern[str] | None, dict[str, LexiconEntry]]:
    # One pass over ASCII-lower-cased text with one named group per entry: several times faster
    # than a pass per pattern or IGNORECASE. Case-sensitive patterns ("(?-i:AV)") get a second,
    # small pass over the original text.
    groups: dict[str, LexiconEntry] = {}
    folded: list[str] = []
    exact: list[str] = []
    for i, entry in enumerate(lexicon(languages)):
        groups[f"g{i}"] = entry
        ci = [p.lower() for p in entry.sources if not p.startswith("(?-i:")]
        cs = [p for p in entry.sources if p.startswith("(?-i:")]
        if ci:
            folded.append(f"(?P<g{i}>{'|'.join(ci)})")
        if cs:
            exact.append(f"(?P<g{i}>{'|'.join(cs)})")
    start = r"(?<![^\W])(?=\w)"
    main = re.compile(start + "(?:" + "|".join(folded) + r")(?!\w)")
    second = re.compile(r"\b(?:" + "|".join(exact) + r")(?!\w)") if exact else None
    return main, second, groups


def match_lexicon(text: str, languages: tuple[str, ...] = ("nl", "en")) -> list[tuple[LexiconEntry, int, int]]:
    """Every (entry, start, end) whose pattern matches, left to right, without overlaps."""
    main, second, groups = _combined(languages)
    hits: list[tuple[LexiconEntry, int, int]] = []
    for pattern, target in ((main, text.translate(_ASCII_LOWER)), (second, text)):
        if pattern is None:
            continue
        for m in pattern.finditer(target):
            name = m.lastgroup
            if name is not None and name in groups:
                hits.append((groups[name], m.start(), m.end()))
    hits.sort(key=lambda h: h[1])
    return hits
