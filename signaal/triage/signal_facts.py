"""Routing facts of a stored signal: explicit facts win, the rest comes from the recorded parts.

Nothing is invented: minor follows from an age, and a fact that no part of the signal states
stays unknown. Facts the narrative reader suggested (kept under ``facts["suggested"]``) are advice
with evidence, not facts: the route never rests on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from signaal.triage.facts import Facts, facts_from_mapping

__all__ = ["SUGGESTED_KEY", "facts_from_signal"]

#: Where :func:`signaal.services.narrative.apply_suggestions` keeps suggested facts in a signal's facts.
SUGGESTED_KEY = "suggested"

_MINOR_BANDS = frozenset({"0-11", "12-15", "16-17"})


class _Person(Protocol):
    @property
    def role(self) -> Any: ...

    @property
    def age(self) -> int | None: ...

    @property
    def residence(self) -> Any: ...

    @property
    def age_band(self) -> str | None: ...


class _Form(Protocol):
    @property
    def form(self) -> str: ...


class _Indicator(Protocol):
    @property
    def indicator_id(self) -> str: ...


class _Signal(Protocol):
    @property
    def facts(self) -> Mapping[str, Any]: ...

    @property
    def persons(self) -> Iterable[_Person]: ...

    @property
    def forms(self) -> Iterable[_Form]: ...

    @property
    def reporter_sector(self) -> str: ...

    @property
    def region(self) -> str | None: ...

    @property
    def indicators(self) -> Iterable[_Indicator]: ...


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def facts_from_signal(signal: _Signal, source: str | None = None) -> Facts:
    """Combine a signal's explicit facts with its victims, forms, sector, region and indicators."""
    derived: dict[str, Any] = {}
    victims = [p for p in signal.persons if _text(p.role) == "victim"]
    ages = [p.age for p in victims if p.age is not None]
    if ages:
        # The youngest known victim decides: one minor among the victims brings the minor route.
        derived["age"] = min(ages)
    else:
        bands = [p.age_band for p in victims if getattr(p, "age_band", None)]
        if bands:
            # An age band is as good as an age for the one question that matters: under 18 or not.
            derived["minor"] = any(b in _MINOR_BANDS for b in bands)
    residences = {_text(p.residence) for p in victims} - {"unknown"}
    if len(residences) == 1:
        derived["residence"] = residences.pop()
    forms = [f.form for f in signal.forms]
    if forms:
        derived["forms"] = forms
    if signal.reporter_sector:
        derived["reporter_sector"] = signal.reporter_sector
    if signal.region:
        derived["region"] = signal.region
    indicators = [i.indicator_id for i in signal.indicators]
    if indicators:
        derived["indicators"] = indicators
    # A suggestion becomes a fact only when a person answers the question; until then it is ignored.
    explicit = {k: v for k, v in (signal.facts or {}).items() if k != SUGGESTED_KEY}
    merged = {**derived, **{k: v for k, v in explicit.items() if v is not None or k not in derived}}
    return facts_from_mapping(merged, source)
