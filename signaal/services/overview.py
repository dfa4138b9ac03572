"""Overview figures: signals per month by form, reporter sector and region, for the overview page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from signaal.domain.actor import Actor
from signaal.store import Store
from signaal.store.signals import visible
from signaal.store.tables import SignalRow

__all__ = ["DIMENSIONS", "Overview", "overview_counts"]

#: What the overview breaks the monthly counts down by.
DIMENSIONS: tuple[str, ...] = ("form", "reporter_sector", "region")
MAX_MONTHS = 36


@dataclass(frozen=True)
class Overview:
    """Counts per month (YYYY-MM) for each dimension and its values; forms overlap, so they do not sum to the total."""

    months: tuple[str, ...]
    total: dict[str, int]
    by: dict[str, dict[str, dict[str, int]]]  # dimension -> value -> month -> count

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"months": list(self.months), "total": self.total, "by": self.by}


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def overview_counts(store: Store, actor: Actor, *, months: int = 24, today: date | None = None) -> Overview:
    """Signals the actor may see, counted per month of receipt, by form, reporter sector and police unit."""
    months = max(1, min(months, MAX_MONTHS))
    end = today or date.today()
    start_year, start_month = end.year, end.month - (months - 1)
    while start_month < 1:
        start_year, start_month = start_year - 1, start_month + 12
    start = date(start_year, start_month, 1)
    # Grouping by day in SQL keeps the result small and the query portable (no dialect date functions);
    # folding days into months happens here.
    query = visible(
        select(
            SignalRow.received_at, SignalRow.forms, SignalRow.reporter_sector, SignalRow.police_unit, func.count()
        ).where(SignalRow.received_at >= start, SignalRow.received_at <= end),
        actor,
    ).group_by(SignalRow.received_at, SignalRow.forms, SignalRow.reporter_sector, SignalRow.police_unit)
    total: dict[str, int] = defaultdict(int)
    by: dict[str, dict[str, dict[str, int]]] = {d: defaultdict(lambda: defaultdict(int)) for d in DIMENSIONS}
    with store.session() as session:
        for received, forms, sector, unit, count in session.execute(query):
            month = f"{received.year:04d}-{received.month:02d}"
            total[month] += count
            for form in (forms or "unknown").split(","):
                by["form"][form or "unknown"][month] += count
            by["reporter_sector"][sector][month] += count
            by["region"][unit or "unknown"][month] += count
    return Overview(
        months=tuple(_months(start, end)),
        total=dict(total),
        by={d: {v: dict(m) for v, m in sorted(values.items())} for d, values in by.items()},
    )
