"""Plain result objects of reading a narrative: hits with their evidence spans.

Every suggestion carries the span of text that supports it, so a professional can see why it
was made and confirm or reject it (a suggestion is advice, never a decision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Evidence",
    "FactHit",
    "FormSuggestion",
    "IdentifierHit",
    "IndicatorHit",
    "Reading",
]


@dataclass(frozen=True)
class Evidence:
    """A piece of text that supports a suggestion: character offsets and the words themselves."""

    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class IndicatorHit:
    """A canonical indicator found in the text, with the flags that qualify it."""

    indicator_id: str
    evidence: Evidence
    negated: bool = False
    hedged: bool = False
    #: "person" when the text speaks of the person of concern, "other" for someone else (a sister, a colleague).
    subject: str = "person"
    occurrences: int = 1

    @property
    def present(self) -> bool:
        """True when the indicator is affirmed (not negated) in the text."""
        return not self.negated

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.indicator_id,
            "span": self.evidence.as_dict(),
            "negated": self.negated,
            "hedged": self.hedged,
            "subject": self.subject,
            "occurrences": self.occurrences,
        }


@dataclass(frozen=True)
class FormSuggestion:
    """A form of exploitation with its confidence and the indicators and cue words behind it."""

    form: str
    confidence: float
    score: float
    indicators: tuple[str, ...] = ()
    cues: tuple[Evidence, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "form": self.form,
            "confidence": round(self.confidence, 3),
            "score": round(self.score, 3),
            "indicators": list(self.indicators),
            "cues": [c.as_dict() for c in self.cues],
        }


@dataclass(frozen=True)
class FactHit:
    """A fact of the action-perspective vocabulary that the text supports, with its span."""

    fact: str
    value: Any
    evidence: Evidence
    hedged: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "fact": self.fact,
            "value": self.value,
            "span": self.evidence.as_dict(),
            "hedged": self.hedged,
        }


@dataclass(frozen=True)
class IdentifierHit:
    """A phone, e-mail, plate, KvK number, IBAN, address or postcode found in the text."""

    kind: str
    value: str
    evidence: Evidence

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"kind": self.kind, "value": self.value, "span": self.evidence.as_dict()}


@dataclass(frozen=True)
class Reading:
    """Everything suggested for one narrative; empty lists when the language is not supported."""

    language: str
    supported: bool
    indicators: tuple[IndicatorHit, ...] = ()
    forms: tuple[FormSuggestion, ...] = ()
    facts: tuple[FactHit, ...] = ()
    identifiers: tuple[IdentifierHit, ...] = ()
    notes: tuple[str, ...] = ()
    id: str | None = None
    all_form_scores: dict[str, float] = field(default_factory=dict)

    @property
    def present_indicators(self) -> tuple[IndicatorHit, ...]:
        """Indicators affirmed in the text (negated ones are reported but not suggested)."""
        return tuple(h for h in self.indicators if h.present)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the shape of ``signaal narrative --format json``)."""
        return {
            "id": self.id,
            "language": self.language,
            "supported": self.supported,
            "forms": [f.as_dict() for f in self.forms],
            "form_scores": dict(self.all_form_scores),
            "indicators": [h.as_dict() for h in self.indicators],
            "facts": [f.as_dict() for f in self.facts],
            "identifiers": [i.as_dict() for i in self.identifiers],
            "notes": list(self.notes),
        }
