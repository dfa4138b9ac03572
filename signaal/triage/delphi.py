"""ILO/EC Delphi assessment (2009): dimension rule and combination rule, as advice.

The indicator table is any mapping of id -> object with a ``delphi`` tuple of references
(list, dimension, strength), so the catalogue's Indicator fits and tests can pass small tables.
The result always names the indicators behind every positive dimension (a human decides).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

# The Delphi axes are the catalogue's vocabulary; re-exported here for the engine's callers.
from signaal.catalogue.model import DELPHI_DIMENSIONS, DELPHI_LISTS

__all__ = [
    "DELPHI_DIMENSIONS",
    "DELPHI_LISTS",
    "DelphiAssessment",
    "DimensionResult",
    "assess",
    "assess_signal",
    "dimension_positive",
    "lists_for",
]

RECRUITMENT = ("deceptive_recruitment", "coercive_recruitment", "vulnerability_recruitment")
DESTINATION_MEANS = ("coercion_at_destination", "vulnerability_at_destination")


class _Ref(Protocol):
    @property
    def list(self) -> str: ...

    @property
    def dimension(self) -> str: ...

    @property
    def strength(self) -> str: ...


class _HasDelphi(Protocol):
    @property
    def delphi(self) -> tuple[_Ref, ...]: ...


@dataclass(frozen=True)
class DimensionResult:
    """One dimension of one list: the indicators found, by strength, and whether it is positive."""

    dimension: str
    strong: tuple[str, ...]
    medium: tuple[str, ...]
    weak: tuple[str, ...]
    positive: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "dimension": self.dimension,
            "positive": self.positive,
            "strong": list(self.strong),
            "medium": list(self.medium),
            "weak": list(self.weak),
        }


@dataclass(frozen=True)
class DelphiAssessment:
    """The assessment against one list: dimensions and the combination rule's outcome."""

    list: str
    dimensions: tuple[DimensionResult, ...]
    trafficked: bool
    explanation: str

    @property
    def positive_dimensions(self) -> tuple[str, ...]:
        """The dimensions that are positive."""
        return tuple(d.dimension for d in self.dimensions if d.positive)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "list": self.list,
            "trafficked": self.trafficked,
            "explanation": self.explanation,
            "positive_dimensions": list(self.positive_dimensions),
            "dimensions": [d.as_dict() for d in self.dimensions],
        }


def dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """ILO/EC rule: 2 strong; 1 strong + 1 medium or weak; 3 medium; or 2 medium + 1 weak."""
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


def assess(observed: Iterable[str], indicators: Mapping[str, _HasDelphi], list_id: str) -> DelphiAssessment:
    """Assess observed indicator ids against one Delphi list (unknown ids are ignored here)."""
    if list_id not in DELPHI_LISTS:
        raise ValueError(f"unknown Delphi list {list_id!r}")
    found: dict[str, dict[str, list[str]]] = {d: {"strong": [], "medium": [], "weak": []} for d in DELPHI_DIMENSIONS}
    for ind_id in dict.fromkeys(observed):
        indicator = indicators.get(ind_id)
        if indicator is None:
            continue
        for ref in indicator.delphi:
            if ref.list == list_id and ref.dimension in found and ref.strength in found[ref.dimension]:
                found[ref.dimension][ref.strength].append(ind_id)
    dims = tuple(
        DimensionResult(
            dimension=d,
            strong=tuple(found[d]["strong"]),
            medium=tuple(found[d]["medium"]),
            weak=tuple(found[d]["weak"]),
            positive=dimension_positive(len(found[d]["strong"]), len(found[d]["medium"]), len(found[d]["weak"])),
        )
        for d in DELPHI_DIMENSIONS
    )
    positive = {d.dimension for d in dims if d.positive}
    recruitment = bool(positive & set(RECRUITMENT))
    exploitation = "exploitative_conditions" in positive
    if list_id.startswith("child_"):
        # For children the means are not required: recruitment (the act) plus exploitation suffice.
        trafficked = recruitment and exploitation
        needed = "a recruitment dimension and exploitative conditions (no means required for a child)"
    else:
        means = bool(positive & set(DESTINATION_MEANS))
        trafficked = recruitment and exploitation and means
        needed = (
            "a recruitment dimension, exploitative conditions, and coercion or abuse of vulnerability at destination"
        )
    shown = ", ".join(sorted(positive, key=DELPHI_DIMENSIONS.index)) or "none"
    verdict = "meets" if trafficked else "does not meet"
    explanation = f"{verdict} the {list_id} rule ({needed}); positive: {shown}"
    return DelphiAssessment(list_id, dims, trafficked, explanation)


def lists_for(minor: bool | None, forms: Iterable[str]) -> tuple[str, ...]:
    """The lists that apply: adult and/or child by age; labour and/or sexual by form hypothesis."""
    ages = ("adult",) if minor is False else ("child",) if minor else ("adult", "child")
    form_set = set(forms)
    kinds: list[str] = []
    # Criminal exploitation is forced labour or services in the ILO sense: assessed on the labour list.
    if form_set & {"labour", "criminal"}:
        kinds.append("labour")
    if "sexual" in form_set:
        kinds.append("sexual")
    if not kinds:
        kinds = ["labour", "sexual"]
    return tuple(f"{age}_{kind}" for age in ages for kind in kinds)


def assess_signal(
    observed: Iterable[str],
    indicators: Mapping[str, _HasDelphi],
    minor: bool | None,
    forms: Iterable[str],
) -> tuple[DelphiAssessment, ...]:
    """Assess against every list that applies to the person and the form hypotheses."""
    ids = tuple(observed)
    return tuple(assess(ids, indicators, lst) for lst in lists_for(minor, forms))
