"""Checks of a signal against the catalogues: known indicators, forms, sectors and regions.

Pure functions over a loaded :class:`~signaal.catalogue.Catalogue`; they return problems instead
of raising, so an import can report every bad row at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from signaal.catalogue import Catalogue
from signaal.domain.signal import SignalCreate
from signaal.errors import InvalidInput, Problem

__all__ = ["ResolvedPlace", "check_signal", "resolve_place", "urgency", "validate_new_signal"]


def validate_new_signal(payload: Mapping[str, Any]) -> SignalCreate:
    """A new signal from plain values (CLI options, a web form, an import row), or InvalidInput.

    Every problem is reported at once; a problem's field is the dotted place in the payload
    (``persons.0.age``), which each shell maps to its own field or column names.
    """
    try:
        return SignalCreate.model_validate(dict(payload))
    except ValidationError as exc:
        problems = [
            Problem(str(err["msg"]).removeprefix("Value error, "), field=".".join(str(p) for p in err["loc"]) or None)
            for err in exc.errors()
        ]
        raise InvalidInput("the signal was not recorded", problems) from None


@dataclass(frozen=True)
class ResolvedPlace:
    """Where a signal is: police unit (= RIEC region) and, when known, municipality."""

    police_unit: str | None
    municipality: str | None


def resolve_place(catalogue: Catalogue, region: str | None) -> ResolvedPlace | None:
    """Resolve a region text to police unit and municipality; None when it is unknown."""
    if region is None or not region.strip():
        return ResolvedPlace(None, None)
    ref = catalogue.resolve_region(region)  # the catalogue keeps what it resolved: imports repeat names
    return None if ref is None else ResolvedPlace(ref.police_unit, ref.municipality)


def check_signal(catalogue: Catalogue, signal: SignalCreate, today: date) -> list[Problem]:
    """Every way a type-valid signal disagrees with the catalogues or the calendar."""
    problems: list[Problem] = []
    if signal.received_at > today:
        problems.append(Problem(f"date {signal.received_at.isoformat()} is in the future", field="received_at"))
    if signal.reporter_sector not in catalogue.reporter_sectors:
        known = ", ".join(sorted(catalogue.reporter_sectors))
        problems.append(
            Problem(f"unknown reporter sector {signal.reporter_sector!r}; use one of {known}", field="reporter_sector")
        )
    if resolve_place(catalogue, signal.region) is None:
        problems.append(Problem(f"unknown region {signal.region!r} (a police unit or municipality)", field="region"))
    for observed in signal.indicators:
        if observed.indicator_id not in catalogue.indicators:
            problems.append(Problem(f"unknown indicator id {observed.indicator_id!r}", field="indicators"))
    for hypothesis in signal.forms:
        if hypothesis.form not in catalogue.forms:
            known = ", ".join(sorted(catalogue.forms))
            problems.append(Problem(f"unknown form {hypothesis.form!r}; use one of {known}", field="forms"))
    return problems


def urgency(catalogue: Catalogue, signal: SignalCreate) -> int:
    """A worklist sort key (0–100): acute danger first, then minors, then the weight of the evidence.

    It orders the worklist only; it is not a judgement about the person.
    """
    if signal.facts.get("acute_danger") is True:
        return 100
    score = 0.0
    ages = [p.age for p in signal.persons if p.role == "victim" and p.age is not None]
    if signal.facts.get("minor") is True or any(age < 18 for age in ages):
        score += 30
    weights = sorted(
        (
            catalogue.indicators[o.indicator_id].weight
            for o in signal.indicators
            if o.indicator_id in catalogue.indicators
        ),
        reverse=True,
    )
    score += 40 * min(1.0, sum(weights[:5]) / 3.0)
    if signal.facts.get("needs_shelter") is True:
        score += 15
    if signal.facts.get("person_identifiable") is not False and (signal.persons or signal.identifiers):
        score += 5
    return int(min(99, round(score)))
