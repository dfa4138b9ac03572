"""Fold ad text for matching without losing it: NFKC, homoglyphs, styled letters, keycap digits.

Dutch diacritics are kept and nothing is stripped to ASCII. The folded text comes with an offset
map back to the original so every hit can be shown where it stands.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from signaal.ads.resources import text_tables

__all__ = ["Folded", "fold", "fold_char"]


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """The folded form of one non-ASCII character (may be empty or several characters)."""
    tables = text_tables()
    if ch in tables.drop:
        return ""
    if ch in tables.homoglyphs:
        return tables.homoglyphs[ch]
    digit = unicodedata.digit(ch, None)
    if digit is not None:  # circled, negative-circled, superscript and styled digits
        return str(digit)
    out = unicodedata.normalize("NFKC", ch)
    if out != ch:
        out = "".join(tables.homoglyphs.get(c, c) for c in out if c not in tables.drop)
    return out


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus, for non-ASCII input, the original index of every folded character."""

    text: str
    origin: tuple[int, ...] | None  # None: identity (ASCII input)
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the folded text back to the original text."""
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return self.original_length, self.original_length
        o_start = self.origin[start]
        o_end = self.origin[end - 1] + 1 if end > start else o_start
        # a folded character may come from a keycap sequence: extend over dropped trailers
        return o_start, max(o_end, o_start)


def fold(text: str) -> Folded:
    """Fold a text for matching and keep the way back to the original offsets."""
    if text.isascii():
        return Folded(text, None, len(text))
    if not unicodedata.is_normalized("NFC", text):
        # compose e + combining accent first; offsets then refer to the composed text, which is
        # what the report shows
        text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
            origin.append(i)
            continue
        folded = fold_char(ch)
        for c in folded:
            out.append(c)
            origin.append(i)
    return Folded("".join(out), tuple(origin), len(text))
