"""The routing facts vocabulary: what the engine reads from a signal, validated for contradictions.

A fact that was not stated stays ``None``: the engine asks for it instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from signaal.catalogue.model import FORM_IDS
from signaal.errors import InvalidInput, Problem

__all__ = [
    "FORMS",
    "REPORTER_SECTORS",
    "RESIDENCES",
    "Facts",
    "facts_from_mapping",
]

# The form ids a fact may carry are the catalogue's ("unknown" included).
FORMS: tuple[str, ...] = FORM_IDS
RESIDENCES: tuple[str, ...] = (
    "dutch",
    "eu",
    "third_country_legal",
    "third_country_irregular",
    "asylum_seeker",
    "unknown",
)
REPORTER_SECTORS: tuple[str, ...] = (
    "care",
    "youth",
    "education",
    "municipality",
    "police",
    "labour_inspectorate",
    "kmar",
    "riec",
    "platform",
    "ngo",
    "citizen",
)
ADULT_AGE = 18
_BOOL_FIELDS = (
    "acute_danger",
    "person_identifiable",
    "minor",
    "willing_to_talk_to_police",
    "unaccompanied",
    "complex_needs",
    "needs_shelter",
)
# Keys a facts file may carry besides the vocabulary (fixture markers, free notes).
_IGNORED_KEYS = frozenset({"synthetic", "comment", "note"})


@dataclass(frozen=True)
class Facts:
    """The routing facts of one signal; ``None`` means "not stated" (never "no")."""

    acute_danger: bool | None = None
    person_identifiable: bool | None = None
    age: int | None = None
    minor: bool | None = None
    forms: tuple[str, ...] = ()
    willing_to_talk_to_police: bool | None = None
    residence: str = "unknown"
    unaccompanied: bool | None = None
    complex_needs: bool | None = None
    needs_shelter: bool | None = None
    reporter_sector: str | None = None
    region: str | None = None
    indicators: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = _contradictions(self)
        if problems:
            names = ", ".join(p.field or "?" for p in problems)
            raise InvalidInput(f"contradictory or invalid facts ({names})", problems)

    @property
    def is_minor(self) -> bool | None:
        """Minor as stated, else derived from age; ``None`` when neither is known."""
        if self.minor is not None:
            return self.minor
        if self.age is not None:
            return self.age < ADULT_AGE
        return None

    @property
    def effective_forms(self) -> frozenset[str]:
        """The form hypotheses; an empty set counts as explicitly unknown."""
        return frozenset(self.forms) if self.forms else frozenset({"unknown"})

    def value(self, name: str) -> Any:
        """The value a rule condition sees for a fact (derived minor, unknown residence as None)."""
        if name == "minor":
            return self.is_minor
        if name == "forms":
            return self.effective_forms
        if name == "residence":
            return None if self.residence == "unknown" else self.residence
        if name == "indicators":
            return frozenset(self.indicators)
        if name not in FACT_NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def as_dict(self) -> dict[str, Any]:
        """The facts as plain JSON-ready values."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


FACT_NAMES: frozenset[str] = frozenset(f.name for f in fields(Facts))


def _contradictions(facts: Facts) -> list[Problem]:
    problems: list[Problem] = []
    if facts.age is not None and not 0 <= facts.age <= 120:
        problems.append(Problem(f"age {facts.age} is not a plausible age", field="age"))
    if facts.age is not None and facts.minor is not None:
        if facts.minor and facts.age >= ADULT_AGE:
            problems.append(Problem(f"age {facts.age} contradicts minor: true", field="minor"))
        if not facts.minor and facts.age < ADULT_AGE:
            problems.append(Problem(f"age {facts.age} contradicts minor: false", field="minor"))
    if facts.unaccompanied and facts.is_minor is False:
        problems.append(
            Problem("unaccompanied applies to minors only, but the person is an adult", field="unaccompanied")
        )
    for form in facts.forms:
        if form not in FORMS:
            problems.append(Problem(f"unknown form {form!r}; use one of {', '.join(FORMS)}", field="forms"))
    if facts.residence not in RESIDENCES:
        problems.append(
            Problem(
                f"unknown residence {facts.residence!r}; use one of {', '.join(RESIDENCES)}",
                field="residence",
            )
        )
    if facts.reporter_sector is not None and facts.reporter_sector not in REPORTER_SECTORS:
        problems.append(
            Problem(
                f"unknown reporter sector {facts.reporter_sector!r}; use one of {', '.join(REPORTER_SECTORS)}",
                field="reporter_sector",
            )
        )
    return problems


def _bool(name: str, value: Any, problems: list[Problem], source: str | None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    problems.append(Problem(f"expected true, false or null, got {value!r}", file=source, field=name))
    return None


def facts_from_mapping(data: Mapping[str, Any], source: str | None = None) -> Facts:
    """Build Facts from a plain mapping (a JSON file or a signal's facts), naming every bad field."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if key in _IGNORED_KEYS:
            continue
        if key not in FACT_NAMES:
            problems.append(Problem(f"unknown fact {key!r}", file=source, field=key))
            continue
        if key in _BOOL_FIELDS:
            values[key] = _bool(key, raw, problems, source)
        elif key == "age":
            if raw is None or (isinstance(raw, int) and not isinstance(raw, bool)):
                values[key] = raw
            else:
                problems.append(Problem(f"age must be a whole number, got {raw!r}", file=source, field=key))
        elif key in ("forms", "indicators"):
            items = [raw] if isinstance(raw, str) else raw
            if items is None:
                values[key] = ()
            elif isinstance(items, list | tuple) and all(isinstance(i, str) for i in items):
                values[key] = tuple(dict.fromkeys(items))
            else:
                problems.append(Problem(f"{key} must be a list of names", file=source, field=key))
        elif key == "residence":
            values[key] = "unknown" if raw is None else raw
        elif raw is None or isinstance(raw, str):
            values[key] = raw
        else:
            problems.append(Problem(f"{key} must be text, got {raw!r}", file=source, field=key))
    if problems:
        raise InvalidInput("invalid facts", problems)
    try:
        return Facts(**values)
    except InvalidInput as exc:
        located = [replace(p, file=source) for p in exc.problems]
        raise InvalidInput(exc.message, located) from None
