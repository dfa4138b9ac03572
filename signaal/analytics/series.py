"""Count series: periods (years or months), counts and an optional denominator, with the filters that define them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from signaal.errors import InvalidInput

__all__ = ["Series", "ShareSeries", "period_bounds", "period_time"]


def period_time(period: str) -> float:
    """The middle of a period in years: "2019" -> 2019.5, "2019-03" -> 2019.2083."""
    if len(period) == 4:
        return int(period) + 0.5
    year, month = period.split("-")
    return int(year) + (int(month) - 0.5) / 12


def period_bounds(period: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last (year, month) of a period."""
    if len(period) == 4:
        return (int(period), 1), (int(period), 12)
    year, month = (int(p) for p in period.split("-"))
    return (year, month), (year, month)


def _check_periods(name: str, periods: tuple[str, ...]) -> None:
    kinds = {len(p) for p in periods}
    if len(kinds) > 1 or not kinds <= {4, 7}:
        raise InvalidInput(f"series {name!r}: periods must all be years (YYYY) or all months (YYYY-MM)")
    if list(periods) != sorted(set(periods)):
        raise InvalidInput(f"series {name!r}: periods must be increasing and unique")


@dataclass(frozen=True)
class Series:
    """A count series; ``exposure`` is a denominator (for an offset) when one exists."""

    name: str
    periods: tuple[str, ...]
    counts: tuple[int, ...]
    filters: dict[str, str] = field(default_factory=dict)
    exposure: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        _check_periods(self.name, self.periods)
        if len(self.counts) != len(self.periods):
            raise InvalidInput(f"series {self.name!r}: {len(self.counts)} counts for {len(self.periods)} periods")
        bad = [p for p, c in zip(self.periods, self.counts, strict=True) if c is None or c < 0]
        if bad:
            raise InvalidInput(f"series {self.name!r}: missing or negative count in {', '.join(bad)}")
        if self.exposure is not None and (len(self.exposure) != len(self.counts) or any(e <= 0 for e in self.exposure)):
            raise InvalidInput(f"series {self.name!r}: the denominator must be positive for every period")

    @property
    def monthly(self) -> bool:
        """Whether the periods are months."""
        return bool(self.periods) and len(self.periods[0]) == 7

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "filters": self.filters,
            "periods": list(self.periods),
            "counts": list(self.counts),
            "exposure": list(self.exposure) if self.exposure is not None else None,
        }


@dataclass(frozen=True)
class ShareSeries:
    """A part of a whole per period: ``part[i]`` of ``whole[i]`` (e.g. labour among RIEC signals)."""

    name: str
    periods: tuple[str, ...]
    part: tuple[int, ...]
    whole: tuple[int, ...]

    def __post_init__(self) -> None:
        _check_periods(self.name, self.periods)
        if not len(self.part) == len(self.whole) == len(self.periods):
            raise InvalidInput(f"share {self.name!r}: parts, wholes and periods differ in length")
        if any(p < 0 or p > w for p, w in zip(self.part, self.whole, strict=True)):
            raise InvalidInput(f"share {self.name!r}: a part is negative or larger than its whole")

    def shares(self) -> list[float | None]:
        """The share per period (None where the whole is 0)."""
        return [p / w if w else None for p, w in zip(self.part, self.whole, strict=True)]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "periods": list(self.periods),
            "part": list(self.part),
            "whole": list(self.whole),
            "share": self.shares(),
        }
