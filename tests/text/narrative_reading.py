"""One way for the narrative tests to read a text: every lexicon and the bundled catalogue's indicator weights."""

from __future__ import annotations

from signaal.catalogue import load_catalogue
from signaal.services.narrative import indicator_profiles
from signaal.text import LANGUAGES, Reading, load_language_profiles, load_lexicon, read_narrative

__all__ = ["read"]


def read(text: str) -> Reading:
    """Read ``text`` with the bundled lexicons and the bundled catalogue's indicator weights."""
    return read_narrative(
        text,
        {lang: load_lexicon(lang) for lang in LANGUAGES},
        load_language_profiles(),
        indicator_profiles(load_catalogue()),
    )
