"""A small language detector: script check, then stopword profiles (Dutch, English, and a few others to say "other").

Answers "nl", "en", "other" (a recognised different language or script) or "und" (too little
text to tell). Profiles are data (``signaal/text/data/language_profiles.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LanguageGuess", "detect_language", "dominant_script"]

_MIN_WORDS = 3
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")
_MIN_SHARE = 0.12


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language, the dominant script, and the share of words that were stopwords."""

    language: str
    script: str
    share: float
    detail: str = ""


def dominant_script(text: str, sample: int = 20_000) -> tuple[str, float]:
    """The most frequent script of the letters in (a sample of) the text and its share of letters."""
    part = text[:sample]
    letters = len(_LETTER.findall(part))
    if not letters:
        return "none", 0.0
    counts: dict[str, int] = {}
    for char in _NON_ASCII_LETTER.findall(part):
        try:
            script = unicodedata.name(char).split(" ")[0].lower()
        except ValueError:
            script = "unknown"
        counts[script] = counts.get(script, 0) + 1
    # ASCII letters are Latin; only the others need a name lookup.
    counts["latin"] = counts.get("latin", 0) + letters - sum(counts.values())
    script, count = max(counts.items(), key=lambda kv: kv[1])
    return script, count / letters


def detect_language(words: list[str], text: str, profiles: Mapping[str, frozenset[str]]) -> LanguageGuess:
    """Guess the language of folded words (and their text) from stopword profiles."""
    script, _share = dominant_script(text)
    if script not in ("latin", "none"):
        return LanguageGuess("other", script, 0.0, f"mostly {script} script")
    if len(words) < _MIN_WORDS:
        return LanguageGuess("und", script, 0.0, "too few words to tell the language")
    sample = words[:5000]
    scores = {lang: sum(1 for w in sample if w in stops) / len(sample) for lang, stops in profiles.items()}
    # Ties go to the languages signaal reads: a short English sentence shares "a" with French.
    best = max(scores, key=lambda k: (scores[k], k in ("nl", "en")))
    if scores[best] < _MIN_SHARE:
        return LanguageGuess("und", script, scores[best], "no stopword profile fits")
    if best not in ("nl", "en"):
        return LanguageGuess("other", script, scores[best], f"looks like {best}")
    return LanguageGuess(best, script, scores[best])
