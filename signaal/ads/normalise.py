"""Fold ad text for matching without losing it: NFKC, homoglyphs, styled letters, keycap digits.

Dutch diacritics are kept and nothing is stripped to ASCII. The folded text comes with an offset
map back to the original so every hit can be shown where it stands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from signaal.ads.resources import derived, text_tables

__all__ = ["Folded", "fold", "fold_char", "lowered", "trie_pattern"]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_last: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """Lower-cased text of the same length (offsets stay valid); the last answer is reused.

    Every finder of the per-ad step lower-cases the same folded text, so the one-entry cache
    saves all but the first; str.lower() is fast, and only when it changes the length (a
    dotted capital I) do ASCII letters alone get lowered.
    """
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    low = text.lower()
    if len(low) != len(text):
        low = text.translate(_ASCII_LOWER)
    _last = (text, low)
    return low


def trie_pattern(words: list[str]) -> str:
    """A regex alternation of literal words shaped as a trie: far faster than a flat list in re."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


@derived(maxsize=65536)
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
    source: str = ""  # the original text (for non-ASCII input)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the folded text back to the original text.

        The span ends after any combining marks that follow its last character in the original
        and were folded into it or dropped: an accent written as a separate mark (e + U+0301), the
        U+FE0F U+20E3 of a keycap digit.
        """
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return self.original_length, self.original_length
        o_start = self.origin[start]
        if end <= start:
            return o_start, o_start
        o_end = self.origin[end - 1] + 1
        # original characters up to the next folded character's origin produced no folded text
        limit = self.origin[end] if end < len(self.origin) else self.original_length
        source = self.source
        while o_end < limit and o_end < len(source) and unicodedata.category(source[o_end]) in _TRAILERS:
            o_end += 1
        return o_start, o_end


_TRAILERS = ("Mn", "Me")  # combining marks, variation selectors, the enclosing keycap
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _composed(text: str) -> tuple[str, list[int] | None]:
    """The NFC form of a text and, when it differs, the original index of each of its characters.

    The text is composed piece by piece: a piece is a character that never combines with what
    comes before it, followed by the marks that may; all characters of a changed piece point at
    its first character (Folded.to_original extends a span over the piece's marks).
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    where: list[int] = []
    piece = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and not _starts_piece(text[i]):
            continue
        part = text[piece:i]
        composed = unicodedata.normalize("NFC", part)
        out.append(composed)
        where.extend(range(piece, i) if composed == part else [piece] * len(composed))
        piece = i
    return "".join(out), where


def _starts_piece(ch: str) -> bool:
    if ch.isascii():
        return True
    # combining marks and the Hangul vowel and final jamo compose with the character before them
    return unicodedata.combining(ch) == 0 and unicodedata.category(ch)[0] != "M" and not "\u1160" <= ch <= "\u11ff"


def fold(text: str) -> Folded:
    """Fold a text for matching and keep the way back to the original offsets."""
    if text.isascii():
        return Folded(text, None, len(text))
    source = text
    # compose e + combining accent first; the offsets still point into the original text
    text, composed_from = _composed(text)
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    # ASCII stretches are copied whole; only the non-ASCII characters are folded one by one
    for m in _NON_ASCII.finditer(text):
        start = m.start()
        if start > pos:
            out.append(text[pos:start])
            origin.extend(range(pos, start))
        for i in range(start, m.end()):
            folded = fold_char(text[i])
            out.append(folded)
            origin.extend([i] * len(folded))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
        origin.extend(range(pos, len(text)))
    if composed_from is not None:
        origin = [composed_from[i] for i in origin]
    return Folded("".join(out), tuple(origin), len(source), source)
