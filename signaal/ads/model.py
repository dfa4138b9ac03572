"""Plain data objects of ad screening: an ad, its extracted features, hits with spans, groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

__all__ = ["Ad", "AdFeatures", "Contact", "IndicatorHit", "Price", "Span"]


@dataclass(frozen=True, slots=True)
class Ad:
    """One advertisement as read from a dump (all text fields may be empty)."""

    id: str
    title: str = ""
    body: str = ""
    city: str = ""
    posted: str = ""
    url: str = ""
    name: str = ""
    age: str = ""
    phones: tuple[str, ...] = ()
    line: int | None = None  # line or row number in the source file, for reports


@dataclass(frozen=True, slots=True)
class Span:
    """Where evidence stands: field name and character offsets into that field's original text."""

    field: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Contact:
    """A normalised contact: phone (E.164), e-mail or messenger handle, with how it was found."""

    kind: str  # phone, email, whatsapp, telegram, signal, snapchat, instagram, onlyfans
    value: str
    mode: str = "any"  # "call", "text" (text/WhatsApp only) or "any"
    span: Span | None = None  # None when it came from a structured field
    # False for a contact in the text beside a different number in the ad's contact field: a
    # co-listed contact (someone else's line, a "text only" number), evidence for a hub but not
    # the ad's own contact, so it does not put the ad in that contact's group.
    own: bool = True

    @property
    def key(self) -> str:
        """The linking key: kind and value."""
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True, slots=True)
class Price:
    """A price with its currency and unit (e.g. 100 EUR per hour)."""

    amount: float
    currency: str
    unit: str  # "hour", "half_hour", "quarter", "night", "unknown"
    span: Span | None = None

    @property
    def per_hour(self) -> float | None:
        """The price scaled to one hour, when the unit allows it."""
        scale = {"hour": 1.0, "half_hour": 2.0, "quarter": 4.0}.get(self.unit)
        return None if scale is None else self.amount * scale


@dataclass(frozen=True, slots=True)
class IndicatorHit:
    """A lexicon entry that fired, with its span; ``counter`` marks counter-signals."""

    id: str
    span: Span
    weight: float
    counter: bool = False

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"id": self.id, **self.span.as_dict(), "counter": self.counter}


@dataclass(slots=True)
class AdFeatures:
    """Everything the per-ad step learns from one ad; the grouping step works on these alone."""

    ad_id: str
    contacts: list[Contact] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ages: list[int] = field(default_factory=list)
    prices: list[Price] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    city: str = ""
    language: str = "und"
    indicators: list[IndicatorHit] = field(default_factory=list)
    masked_text: str = ""  # text with contacts, names and numbers masked, for templates
    posted: date | None = None
    n_tokens: int = 0
    tokens: npt.NDArray[np.uint32] | None = None  # a stable hash per word of masked_text

    @property
    def contact_keys(self) -> list[str]:
        """Distinct linking keys of this ad's contacts, in order of appearance."""
        return list(dict.fromkeys(c.key for c in self.contacts))

    @property
    def own_keys(self) -> list[str]:
        """Distinct keys of the ad's own contacts (co-listed ones left out): the grouping keys."""
        return list(dict.fromkeys(c.key for c in self.contacts if c.own))
