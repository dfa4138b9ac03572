"""Shelter waiting-time figures from recorded shelter events (pure statistics, no storage).

Waiting time is request -> start in days. Percentiles interpolate linearly between the closest
ranks (the common "linear" definition, as numpy's default), so a hand check is straightforward.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from signaal.errors import InvalidInput, Problem

__all__ = [
    "GROUP_KEYS",
    "SHELTER_TYPES",
    "ShelterGroup",
    "ShelterRecord",
    "WaitingRequest",
    "check_order",
    "percentile",
    "shelter_stats",
    "waiting_requests",
]

SHELTER_TYPES: tuple[str, ...] = ("cosm", "omm", "vo_mo", "youth_care", "nidos")
GROUP_KEYS: tuple[str, ...] = ("type", "region", "month")
_DAY = 86400.0


@dataclass(frozen=True)
class ShelterRecord:
    """One shelter request with its timeline and every "no place available" event."""

    id: str
    type: str
    region: str | None
    requested_at: datetime
    offered_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    withdrawn_at: datetime | None = None
    no_place_at: tuple[datetime, ...] = field(default_factory=tuple)

    @property
    def waiting_days(self) -> float | None:
        """Days from request to start, None while not started."""
        if self.started_at is None:
            return None
        return (self.started_at - self.requested_at).total_seconds() / _DAY

    @property
    def is_waiting(self) -> bool:
        """Requested, not started, not withdrawn."""
        return self.started_at is None and self.withdrawn_at is None

    @property
    def month(self) -> str:
        """Month of the request (YYYY-MM): the month a figure is counted in."""
        return self.requested_at.strftime("%Y-%m")


def check_order(record: ShelterRecord) -> None:
    """Refuse a timeline out of order or an unknown type, naming the conflicting moments."""
    problems: list[Problem] = []
    if record.type not in SHELTER_TYPES:
        problems.append(
            Problem(f"unknown shelter type {record.type!r}; use one of {', '.join(SHELTER_TYPES)}", field="type")
        )
    chain: list[tuple[str, datetime | None]] = [
        ("offered_at", record.offered_at),
        ("started_at", record.started_at),
        ("ended_at", record.ended_at),
    ]
    last_name, last = "requested_at", record.requested_at
    for name, moment in chain:
        if moment is None:
            continue
        if moment < last:
            problems.append(
                Problem(
                    f"{name} {moment:%Y-%m-%d %H:%M} is before {last_name} {last:%Y-%m-%d %H:%M}",
                    field=name,
                )
            )
        last_name, last = name, moment
    if record.ended_at is not None and record.started_at is None:
        problems.append(Problem("ended_at without started_at", field="ended_at"))
    if record.withdrawn_at is not None:
        if record.withdrawn_at < record.requested_at:
            problems.append(Problem("withdrawn_at is before requested_at", field="withdrawn_at"))
        if record.started_at is not None:
            problems.append(Problem("a started placement cannot be withdrawn", field="withdrawn_at"))
    for moment in record.no_place_at:
        if moment < record.requested_at:
            problems.append(
                Problem(f"'no place available' at {moment:%Y-%m-%d %H:%M} is before the request", field="no_place_at")
            )
        if record.started_at is not None and moment > record.started_at:
            problems.append(
                Problem(f"'no place available' at {moment:%Y-%m-%d %H:%M} is after the start", field="no_place_at")
            )
    if problems:
        # The headline names what is wrong, so a bad type does not read as a timeline problem.
        named = {p.field for p in problems}
        what = (["unknown type"] if "type" in named else []) + (["dates out of order"] if named - {"type"} else [])
        raise InvalidInput(f"shelter request {record.id}: {' and '.join(what)}", problems)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (q in 0..1); None for no values."""
    if not values:
        return None
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be between 0 and 1")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass(frozen=True)
class WaitingRequest:
    """A request still waiting for a place, and for how long."""

    id: str
    type: str
    region: str | None
    requested_at: datetime
    waiting_days: float
    no_place_events: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "type": self.type,
            "region": self.region,
            "requested_at": self.requested_at.isoformat(),
            "waiting_days": round(self.waiting_days, 2),
            "no_place_events": self.no_place_events,
        }


@dataclass(frozen=True)
class ShelterGroup:
    """Figures for one group (e.g. one type, or one type in one month)."""

    key: tuple[tuple[str, str], ...]
    requests: int
    started: int
    withdrawn: int
    waiting: int
    median_days: float | None
    p90_days: float | None
    longest_waiting_days: float | None
    no_place_events: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 2)

        return {
            **dict(self.key),
            "requests": self.requests,
            "started": self.started,
            "withdrawn": self.withdrawn,
            "waiting": self.waiting,
            "median_days": r(self.median_days),
            "p90_days": r(self.p90_days),
            "longest_waiting_days": r(self.longest_waiting_days),
            "no_place_events": self.no_place_events,
        }


def _key(record: ShelterRecord, by: Sequence[str]) -> tuple[tuple[str, str], ...]:
    values = {"type": record.type, "region": record.region or "unknown", "month": record.month}
    return tuple((name, values[name]) for name in by)


def waiting_requests(records: Iterable[ShelterRecord], as_of: datetime) -> list[WaitingRequest]:
    """Requests still waiting at ``as_of``, longest wait first."""
    out = [
        WaitingRequest(
            id=r.id,
            type=r.type,
            region=r.region,
            requested_at=r.requested_at,
            waiting_days=max(0.0, (as_of - r.requested_at).total_seconds() / _DAY),
            no_place_events=len(r.no_place_at),
        )
        for r in records
        if r.is_waiting and r.requested_at <= as_of
    ]
    return sorted(out, key=lambda w: (-w.waiting_days, w.id))


def shelter_stats(
    records: Iterable[ShelterRecord], as_of: datetime, by: Sequence[str] = ("type",)
) -> list[ShelterGroup]:
    """Figures per group: counts, median and 90th percentile request->start, waiting, no-place events."""
    unknown = [b for b in by if b not in GROUP_KEYS]
    if unknown:
        raise InvalidInput(f"cannot group by {unknown[0]!r}; use {', '.join(GROUP_KEYS)}")
    groups: dict[tuple[tuple[str, str], ...], list[ShelterRecord]] = {}
    for record in records:
        if record.requested_at > as_of:
            continue
        groups.setdefault(_key(record, by), []).append(record)
    out: list[ShelterGroup] = []
    for key in sorted(groups):
        members = groups[key]
        waits = [w for r in members if (w := r.waiting_days) is not None]
        still = waiting_requests(members, as_of)
        out.append(
            ShelterGroup(
                key=key,
                requests=len(members),
                started=len(waits),
                withdrawn=sum(1 for r in members if r.withdrawn_at is not None),
                waiting=len(still),
                median_days=percentile(waits, 0.5),
                p90_days=percentile(waits, 0.9),
                longest_waiting_days=still[0].waiting_days if still else None,
                no_place_events=sum(len(r.no_place_at) for r in members),
            )
        )
    return out
