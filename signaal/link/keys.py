"""Link keys: identifiers normalised for comparison, and their keyed pseudonyms (HMAC-SHA-256).

A key that does not normalise is kept as written (trimmed, lower-cased) and reported, never
dropped or guessed: it still links to the same spelling, and the problem is shown to the user.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from signaal.domain.identifiers import IdentifierKind, normalise_identifier

__all__ = ["KEY_KINDS", "LinkKey", "link_key", "pseudonym"]

KEY_KINDS: tuple[str, ...] = tuple(k.value for k in IdentifierKind)


@dataclass(frozen=True, order=True)
class LinkKey:
    """One identifier as linking compares it; ``problem`` says why it was kept as written."""

    kind: str
    value: str
    problem: str | None = None

    @property
    def label(self) -> str:
        """``kind:value`` as shown to a user allowed to see the value."""
        return f"{self.kind}:{self.value}"


def link_key(kind: str, raw: str) -> LinkKey:
    """The normalised key of a raw identifier, or the trimmed raw text with the reason it did not normalise."""
    if kind not in KEY_KINDS:
        raise ValueError(f"unknown identifier kind {kind!r}; use one of {', '.join(KEY_KINDS)}")
    try:
        return LinkKey(kind, normalise_identifier(kind, raw))
    except ValueError as exc:
        kept = " ".join(raw.split()).lower()
        if not kept:
            raise ValueError("empty identifier") from None
        return LinkKey(kind, kept, str(exc))


def pseudonym(key: bytes, kind: str, value: str) -> str:
    """The keyed pseudonym of a normalised identifier: hex HMAC-SHA-256 over ``kind`` and ``value``."""
    message = f"{kind}\x1f{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
