"""The language of an ad ("nl", "en" or "und"), from counts of common function words."""

from __future__ import annotations

import re
from itertools import filterfalse, repeat

__all__ = ["guess_language"]

_NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "ik",
        "ben",
        "je",
        "jij",
        "mij",
        "mijn",
        "van",
        "voor",
        "met",
        "niet",
        "ook",
        "bij",
        "naar",
        "op",
        "is",
        "zijn",
        "wat",
        "heb",
        "heel",
        "lekker",
        "kom",
        "bel",
        "alleen",
        "uur",
        "nieuw",
        "stad",
        "meiden",
        "dames",
        "geen",
        "zonder",
        "deze",
        "week",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "i",
        "am",
        "you",
        "me",
        "my",
        "of",
        "for",
        "with",
        "not",
        "also",
        "at",
        "to",
        "is",
        "are",
        "what",
        "have",
        "very",
        "come",
        "call",
        "only",
        "hour",
        "new",
        "town",
        "girls",
        "ladies",
        "no",
        "without",
        "this",
        "week",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")

# guess_language counts words on bytes: ASCII letters and every byte of a character that is not
# ASCII are kept, other ASCII bytes are spaces (see guess_language).
_LETTERS_KEPT = bytes(b if b >= 0x80 or chr(b).isalpha() else 0x20 for b in range(256))
_EN_SHIFT = 32  # a text has far fewer than 2**32 words
_NL_MASK = (1 << _EN_SHIFT) - 1
# the weight of a word: 1 for a Dutch word, 2**32 for an English one, both for a word of both lists
_LANGUAGE_WORDS = {
    word.encode(): (word in _NL_WORDS) + ((word in _EN_WORDS) << _EN_SHIFT) for word in _NL_WORDS | _EN_WORDS
}


def guess_language(text: str) -> str:
    """ "nl", "en" or "und" from counts of common function words."""
    # The words are the text's runs of letters (_WORD). On UTF-8 bytes in which every ASCII byte
    # but a letter is a space, splitting gives them without a regex pass: a piece of ASCII
    # letters is one word, and only a piece with other bytes (an accent, an emoji) is split as
    # _WORD splits it. One sum counts both languages: Dutch in the low bits, English above.
    low = text.lower().encode("utf-8", "surrogatepass")
    pieces = low.translate(_LETTERS_KEPT).split()
    counts = sum(map(_LANGUAGE_WORDS.get, pieces, repeat(0)))
    if not low.isascii():
        for piece in filterfalse(bytes.isascii, pieces):
            for word in _WORD.findall(piece.decode("utf-8", "surrogatepass")):
                counts += _LANGUAGE_WORDS.get(word.encode(), 0)
    nl, en = counts & _NL_MASK, counts >> _EN_SHIFT
    if nl + en < 2:
        return "und"
    return "nl" if nl >= en else "en"
