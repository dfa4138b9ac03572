"""One way for the narrative tests to read a text: every lexicon and the bundled profiles (each loaded once by signaal.text)."""

from __future__ import annotations

from signaal.text import (
    LANGUAGES,
    Reading,
    load_indicator_profiles,
    load_language_profiles,
    load_lexicon,
    read_narrative,
)

__all__ = ["read"]


def read(text: str) -> Reading:
    """Read ``text`` with the bundled lexicons and profiles."""
    return read_narrative(
        text, {lang: load_lexicon(lang) for lang in LANGUAGES}, load_language_profiles(), load_indicator_profiles()
    )
