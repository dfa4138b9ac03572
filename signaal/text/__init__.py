"""Reading narratives: suggest indicators, forms and facts from a professional's Dutch or English text.

The core is pure (its lexicons are read by the one loader, ``signaal.knowledge``, and handed in): tokenising, language
detection, lexicon matching with inflection and compounds, negation scope, hedges, reported
speech, subject attribution, form scoring, fact and identifier extraction.
"""

from __future__ import annotations

from signaal.text.forms import FORMS, IndicatorProfile, score_forms
from signaal.text.language import LanguageGuess, LanguageProfiles, guess_language, parse_language_profiles
from signaal.text.lexicon import LANGUAGES, Lexicon, parse_lexicon
from signaal.text.model import Evidence, FactHit, FormSuggestion, IdentifierHit, IndicatorHit, Reading
from signaal.text.reader import read_narrative

__all__ = [
    "FORMS",
    "LANGUAGES",
    "Evidence",
    "FactHit",
    "FormSuggestion",
    "IdentifierHit",
    "IndicatorHit",
    "IndicatorProfile",
    "LanguageGuess",
    "LanguageProfiles",
    "Lexicon",
    "Reading",
    "guess_language",
    "parse_language_profiles",
    "parse_lexicon",
    "read_narrative",
    "score_forms",
]
