"""Wire schemas of a signal: what comes in (:class:`SignalCreate`) and what goes out (:class:`SignalPublic`).

These are not storage rows: a field reaches a response only when a schema here names it. Type
checks live here; checks against the catalogues (known indicator ids, regions, sectors) live in
:mod:`signaal.domain.validation` because they need the loaded catalogue.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from signaal.domain.identifiers import IdentifierKind, normalise_identifier

__all__ = [
    "AGE_BANDS",
    "Certainty",
    "Consent",
    "FormHypothesis",
    "IdentifierIn",
    "IdentifierPublic",
    "IndicatorOrigin",
    "LegalBasis",
    "ObservedIndicator",
    "PersonIn",
    "PersonRole",
    "Residence",
    "SetBy",
    "SignalCreate",
    "SignalPublic",
    "SignalSummary",
    "Status",
    "age_band",
]


#: The longest narrative intake takes; live suggestions read no more.
MAX_NARRATIVE_CHARS = 100_000


class Status(StrEnum):
    """Where a signal stands: new → in_triage → routed → closed."""

    NEW = "new"
    IN_TRIAGE = "in_triage"
    ROUTED = "routed"
    CLOSED = "closed"


ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.IN_TRIAGE, Status.ROUTED, Status.CLOSED}),
    Status.IN_TRIAGE: frozenset({Status.ROUTED, Status.CLOSED, Status.NEW}),
    Status.ROUTED: frozenset({Status.CLOSED, Status.IN_TRIAGE}),
    Status.CLOSED: frozenset({Status.IN_TRIAGE}),  # reopening goes back to triage
}


class Certainty(StrEnum):
    """How sure the reporter is of an observed indicator."""

    CERTAIN = "certain"
    PROBABLE = "probable"
    POSSIBLE = "possible"


class IndicatorOrigin(StrEnum):
    """Whether a person reported the indicator, a suggestion proposed it, or a person confirmed a suggestion."""

    REPORTED = "reported"
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"


class SetBy(StrEnum):
    """Who set a form hypothesis."""

    PERSON = "person"
    SUGGESTION = "suggestion"


class PersonRole(StrEnum):
    """Role of a person in a signal."""

    VICTIM = "victim"
    SUSPECT = "suspect"
    OTHER = "other"


class Residence(StrEnum):
    """Residence status, as the action perspective needs it."""

    DUTCH = "dutch"
    EU = "eu"
    THIRD_COUNTRY_LEGAL = "third_country_legal"
    THIRD_COUNTRY_IRREGULAR = "third_country_irregular"
    ASYLUM_SEEKER = "asylum_seeker"
    UNKNOWN = "unknown"


class LegalBasis(StrEnum):
    """GDPR art. 6 basis on which the record is kept."""

    CONSENT = "consent"
    LEGAL_OBLIGATION = "legal_obligation"
    PUBLIC_TASK = "public_task"
    VITAL_INTEREST = "vital_interest"
    LEGITIMATE_INTEREST = "legitimate_interest"


class Consent(StrEnum):
    """Whether the person concerned consented to the recording and sharing."""

    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"
    NOT_REQUIRED = "not_required"


#: Age bands used in statistics; bounds inclusive.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-11", 0, 11),
    ("12-15", 12, 15),
    ("16-17", 16, 17),
    ("18-22", 18, 22),
    ("23-29", 23, 29),
    ("30-49", 30, 49),
    ("50+", 50, 130),
)


def age_band(age: int) -> str:
    """The statistics age band of an age in years."""
    for name, low, high in AGE_BANDS:
        if low <= age <= high:
            return name
    raise ValueError(f"age out of range: {age}")


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


class ObservedIndicator(_Schema):
    """An indicator as observed: canonical id, the reporter's own words, and certainty."""

    indicator_id: str = Field(min_length=1, max_length=80)
    words: str = Field(default="", max_length=2000)
    certainty: Certainty = Certainty.PROBABLE
    origin: IndicatorOrigin = IndicatorOrigin.REPORTED


class FormHypothesis(_Schema):
    """A form of exploitation the signal may point to, and who set it."""

    form: str = Field(min_length=1, max_length=40)
    set_by: SetBy = SetBy.PERSON


class PersonIn(_Schema):
    """A person involved in a signal (no names: signaal records roles and characteristics)."""

    role: PersonRole = PersonRole.VICTIM
    age: int | None = Field(default=None, ge=0, le=120)
    age_band: str | None = None
    gender: str | None = Field(default=None, max_length=20)
    nationality: str | None = Field(default=None, max_length=60)
    residence: Residence = Residence.UNKNOWN

    @model_validator(mode="after")
    def _band(self) -> PersonIn:
        bands = {name for name, _, _ in AGE_BANDS}
        if self.age is not None:
            derived = age_band(self.age)
            if self.age_band is not None and self.age_band != derived:
                raise ValueError(f"age {self.age} is not in age band {self.age_band}")
            self.age_band = derived
        elif self.age_band is not None and self.age_band not in bands:
            raise ValueError(f"unknown age band {self.age_band!r}; use one of {', '.join(sorted(bands))}")
        return self


def _has_nul(value: Any, depth: int = 0) -> bool:
    """Whether a NUL character is anywhere in a (nested) input value."""
    if isinstance(value, str):
        return "\x00" in value
    if depth > 20:
        return False
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


class IdentifierIn(_Schema):
    """An identifier as entered; ``value`` is normalised on validation (the raw text is kept)."""

    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=500)
    raw: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _normalise(self) -> IdentifierIn:
        if self.raw is None:
            self.raw = self.value
        self.value = normalise_identifier(self.kind, self.raw)
        if len(self.value) > 500:  # the stored form adds a prefix to some kinds
            raise ValueError(f"{self.kind.value} identifier is too long (at most 500 characters once normalised)")
        return self


class SignalCreate(_Schema):
    """A new signal as a reporter records it."""

    received_at: date
    observed_at: date | None = None
    reporter_org: str = Field(min_length=1, max_length=120)
    reporter_sector: str = Field(min_length=1, max_length=40)
    region: str | None = Field(default=None, max_length=120)
    narrative: str = Field(default="", max_length=MAX_NARRATIVE_CHARS)
    indicators: list[ObservedIndicator] = Field(default_factory=list)
    forms: list[FormHypothesis] = Field(default_factory=list)
    persons: list[PersonIn] = Field(default_factory=list)
    identifiers: list[IdentifierIn] = Field(default_factory=list)
    facts: dict[str, Any] = Field(default_factory=dict)
    source_id: str | None = Field(default=None, max_length=120)
    purpose: str = Field(default="signal_handling", min_length=1, max_length=80)
    legal_basis: LegalBasis = LegalBasis.PUBLIC_TASK
    consent: Consent = Consent.NOT_ASKED

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):  # PostgreSQL cannot store it, and no reporter types it
            raise ValueError("text must not contain NUL characters (\\x00)")
        return data

    @field_validator("received_at", "observed_at")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        if value is not None and value.year < 1990:
            raise ValueError(f"date {value.isoformat()} is before 1990")
        return value

    @model_validator(mode="after")
    def _dates(self) -> SignalCreate:
        if self.observed_at is not None and self.observed_at > self.received_at:
            raise ValueError(
                f"observed_at {self.observed_at.isoformat()} is after received_at {self.received_at.isoformat()}"
            )
        seen: set[str] = set()
        for hypothesis in self.forms:
            if hypothesis.form in seen:
                raise ValueError(f"form {hypothesis.form!r} given twice")
            seen.add(hypothesis.form)
        return self


class IdentifierPublic(_Schema):
    """An identifier as stored: kind and normalised value (plus the raw text)."""

    kind: IdentifierKind
    value: str
    raw: str | None = None


class SignalSummary(_Schema):
    """One row of a worklist: enough to sort and filter, nothing sensitive from the narrative."""

    id: str
    received_at: date
    reporter_org: str
    reporter_sector: str
    police_unit: str | None
    municipality: str | None
    status: Status
    forms: list[str]
    indicator_count: int
    urgency: int
    youngest_age: int | None
    owner_org: str


class SignalPublic(_Schema):
    """A stored signal with everything a permitted reader may see."""

    id: str
    status: Status
    owner_org: str
    created_at: datetime
    updated_at: datetime
    received_at: date
    observed_at: date | None
    reporter_org: str
    reporter_sector: str
    police_unit: str | None
    municipality: str | None
    narrative: str
    indicators: list[ObservedIndicator]
    forms: list[FormHypothesis]
    persons: list[PersonIn]
    identifiers: list[IdentifierPublic]
    facts: dict[str, Any]
    source_id: str | None
    purpose: str
    legal_basis: LegalBasis
    consent: Consent
    #: The field groups left out for this reader (another organisation's signal seen through a
    #: sharing act); empty for the owning organisation.
    withheld: list[str] = Field(default_factory=list)

    @property
    def region(self) -> str | None:
        """The most specific region known: municipality if recorded, else the police unit."""
        return self.municipality or self.police_unit
