"""Tokenising: clean markup away (keeping offsets), split words, sentences and clauses.

Offsets always refer to the text as given, so evidence spans can be shown in the original.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Collection
from typing import NamedTuple

__all__ = ["Token", "clean_markup", "fold", "quick_words", "tokenize"]

_WORD = re.compile(r"[^\W\d_]+")


def quick_words(text: str, limit: int = 20_000) -> list[str]:
    """Lower-cased words of the start of a text, for language detection (no offsets, no folding of case beyond lower)."""
    return [fold(w) for w in _WORD.findall(text[:limit])]


_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[a-zA-Z/!][^<>]{0,2000}>", re.S | re.I)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,10});")
_SCAN = re.compile(
    r"(?P<w>[^\W_]+(?:[-'’][^\W_]+)*)"
    r"|(?P<sb>[.!?]+(?=[\s\"'”’)\]]|$)|\n[ \t]*\n)"
    r"|(?P<cb>[,;:()\[\]\"“”„«»–—•|/])"
)


def _fold_table() -> dict[int, str]:
    # One translate table for every accented Latin letter: "geëist" and "geeist" match alike.
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base and base != char:
            table[code] = base.lower()
    table[ord("’")] = "'"
    table[ord("ß")] = "ss"
    return table


_FOLD = _fold_table()


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case a word and strip its diacritics, the form lexicon patterns are written in."""
    return word.lower().translate(_FOLD)


def clean_markup(text: str) -> tuple[str, bool]:
    """Blank out HTML tags and entities with spaces of equal length; report whether any were found."""
    if "<" not in text and "&" not in text:
        return text, False
    found = False

    def blank(match: re.Match[str]) -> str:
        nonlocal found
        found = True
        return " " * len(match.group(0))

    def entity(match: re.Match[str]) -> str:
        nonlocal found
        char = html.unescape(match.group(0))
        if char == match.group(0):
            return char
        found = True
        return (char + " " * len(match.group(0)))[: len(match.group(0))]

    cleaned = _ENTITY.sub(entity, _TAG.sub(blank, text))
    return cleaned, found


class Token(NamedTuple):
    """One word: folded form, offsets, and the sentence and clause it belongs to (a tuple: cheap to make)."""

    norm: str
    start: int
    end: int
    sentence: int
    clause: int


def tokenize(text: str, clause_words: Collection[str] = ()) -> list[Token]:
    """Split text into folded word tokens, numbering sentences and clauses as it goes."""
    tokens: list[Token] = []
    sentence = 0
    clause = 0
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "w":
            norm = fold(match.group(0))
            if norm in clause_words:
                clause += 1
            tokens.append(Token(norm, match.start(), match.end(), sentence, clause))
        elif kind == "sb":
            sentence += 1
            clause += 1
        else:
            clause += 1
    return tokens
