"""One way for the narrative tests to read a text: every lexicon and the bundled catalogue's indicator weights."""

from __future__ import annotations

from signaal.knowledge import bundled
from signaal.text import Reading, read_narrative

__all__ = ["read"]


def read(text: str) -> Reading:
    """Read ``text`` with the bundled lexicons and the bundled catalogue's indicator weights."""
    return read_narrative(
        text,
        bundled().lexicons,
        bundled().language_profiles,
        bundled().indicator_profiles,
    )
