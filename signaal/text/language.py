"""The one language guesser of signaal: a script check, then counts of common words per language.

Narratives and ads alike are "nl", "en", "other" (a recognised different language or script) or
"und" (too little text to tell). The word lists are data (``language_profiles.yaml``, read by the
one loader, ``signaal.knowledge``): Dutch and English, which signaal reads, and a few other
languages so that a French or German text is named "other" instead of being read as Dutch.

The rules, measured on ads and narratives alike (``bench/language_compare.py``,
``bench/narrative_eval.py``):

- Styled letters (𝓗𝓮𝓵𝓵𝓸, ｆｕｌｌｗｉｄｔｈ) are the Latin letters they stand for (NFKD), and
  accents are dropped; a text whose letters are mostly of another script is "other".
- Web addresses and e-mail addresses are no words of a language ("com", "www").
- Each word of a list counts every time it stands in the text. Dutch or English, whichever has
  more (Dutch on a tie), unless another language has over 1.25 times as many: then "other". Fewer
  than two counts is "und".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from signaal.errors import CatalogueError, Problem

__all__ = [
    "READ_LANGUAGES",
    "LanguageGuess",
    "LanguageProfiles",
    "fold",
    "guess_language",
    "parse_language_profiles",
]

#: The languages signaal reads, in the order a tie is decided.
READ_LANGUAGES: tuple[str, ...] = ("nl", "en")
_MIN_COUNT = 2
# another language wins only with clearly more counts than Dutch or English: an ad in English and
# French is read as English
_OTHER_MARGIN = 1.25
_MAX_CHARS = 20_000
_MAX_WORDS = 5_000
_WORD = re.compile(r"[^\W\d_]+")
_FAR_LETTER = re.compile(r"[^\x00-\u024f]")  # in a word: a letter beyond Latin-1 and Latin Extended
# combining marks of Latin letters (accents) and of symbols (u̲n̲d̲e̲r̲l̲i̲n̲e̲d̲ letters)
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# a web or e-mail address: a piece of text with "@", "://" or "www.", or ending in a common domain
_ADDRESS = re.compile(r"@|://|www\.|\.(?:com|net|org|nl|be|eu|info|ca|uk)\b")
# ASCII letters and every byte of a character that is not ASCII are kept, other ASCII bytes are spaces
_LETTERS_KEPT = bytes(b if b >= 0x80 or chr(b).isalpha() else 0x20 for b in range(256))
_BITS = 20  # counts per language in one integer: a text has far fewer than 2**20 words


@dataclass(frozen=True)
class LanguageGuess:
    """The language, the dominant script, and the share of words that were words of that language."""

    language: str
    script: str
    share: float
    detail: str = ""


@dataclass(frozen=True, eq=False)
class LanguageProfiles:
    """Common words per language (folded), compiled so that one pass over a text counts them all."""

    words: Mapping[str, frozenset[str]]
    # the weight of a word (UTF-8): 2**(_BITS * i) for each language i whose list holds it
    _weights: dict[bytes, int] = field(init=False, repr=False)
    _order: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        order = tuple(self.words)
        weights: dict[bytes, int] = {}
        for index, language in enumerate(order):
            for word in map(str.encode, self.words[language]):
                weights[word] = weights.get(word, 0) + (1 << (_BITS * index))
        object.__setattr__(self, "_order", order)
        object.__setattr__(self, "_weights", weights)

    def counts(self, words: list[bytes]) -> dict[str, int]:
        """How many of ``words`` (UTF-8) stand in each language's list."""
        weights = self._weights
        total = sum(map(weights.__getitem__, filter(weights.__contains__, words)))
        mask = (1 << _BITS) - 1
        return {language: (total >> (_BITS * i)) & mask for i, language in enumerate(self._order)}


def parse_language_profiles(data: Any, file: str = "language_profiles.yaml") -> LanguageProfiles:
    """Common words per language, folded as texts are (fold); Dutch and English must be there."""
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise CatalogueError(
            f"{file}: expected a mapping of language to a list of words",
            [Problem("expected a mapping of language to a list of words", file, 1)],
        )
    missing = [language for language in READ_LANGUAGES if language not in data]
    if missing:
        raise CatalogueError(
            f"{file}: no word list for {', '.join(missing)}",
            [Problem(f"needs a list of words for {language}", file, 1, field=language) for language in missing],
        )
    return LanguageProfiles({str(lang): frozenset(fold(str(w)) for w in words) for lang, words in data.items()})


def fold(text: str) -> str:
    """A text lower-cased, styled letters as plain ones (NFKD), without accents: "één" is "een"."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower().replace("ß", "ss")


def _script(name: str) -> str:
    return name.split(" ")[0].lower() if name else "unknown"


def _words(low: str) -> tuple[list[bytes], str]:
    """The words of a folded text (UTF-8, without web and e-mail addresses) and its main script.

    On the bytes of the text in which every ASCII byte but a letter is a space, splitting gives
    the words without a regex pass: a piece of ASCII letters is one word, and only a piece with
    other bytes (a letter with a mark, an emoji, another script) is split as _WORD splits it.
    """
    if _ADDRESS.search(low):
        low = " ".join(piece for piece in low.split() if not _ADDRESS.search(piece))
    pieces = low.encode("utf-8", "surrogatepass").translate(_LETTERS_KEPT).split()
    if low.isascii():
        return pieces[:_MAX_WORDS], "latin" if pieces else "none"
    words: list[bytes] = []
    other: list[str] = []  # the words of the pieces with a byte that is not ASCII
    letters = 0
    for piece in pieces:
        if piece.isascii():
            words.append(piece)
            letters += len(piece)
        else:
            found = _WORD.findall(piece.decode("utf-8", "surrogatepass"))
            other.extend(found)
            words.extend(word.encode("utf-8", "surrogatepass") for word in found)
    letters += sum(map(len, other))
    if not letters:
        return [], "none"
    # only a letter beyond Latin-1 and Latin Extended can be of another script: its name says which
    scripts: dict[str, int] = {}
    for char, count in Counter(_FAR_LETTER.findall("".join(other))).items():
        script = _script(unicodedata.name(char, ""))
        scripts[script] = scripts.get(script, 0) + count
    scripts["latin"] = scripts.get("latin", 0) + letters - sum(scripts.values())
    return words[:_MAX_WORDS], max(scripts.items(), key=lambda kv: kv[1])[0]


def guess_language(text: str, profiles: LanguageProfiles) -> LanguageGuess:
    """The language of (the start of) a text: "nl", "en", "other" or "und", with the reason."""
    text = text[:_MAX_CHARS]
    words, script = _words(fold(text))
    if script not in ("latin", "none"):
        return LanguageGuess("other", script, 0.0, f"mostly {script} script")
    counts = profiles.counts(words)
    read = max(READ_LANGUAGES, key=lambda k: counts.get(k, 0))  # Dutch on a tie
    other = max((k for k in counts if k not in READ_LANGUAGES), key=counts.__getitem__, default=read)
    best = other if counts.get(other, 0) > _OTHER_MARGIN * counts.get(read, 0) else read
    share = counts.get(best, 0) / len(words) if words else 0.0
    if counts.get(best, 0) < _MIN_COUNT:
        return LanguageGuess("und", script, share, "too few words to tell the language")
    if best != read:
        return LanguageGuess("other", script, share, f"looks like {best}")
    return LanguageGuess(best, script, share)
