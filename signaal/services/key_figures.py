"""Key figures for the overview tiles: what a coordinator looks at first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from sqlalchemy import func, select

import signaal.store.tables_triage  # noqa: F401  (registers the triage tables on the metadata)
from signaal.domain.actor import Actor
from signaal.services.referrals import overdue_referrals
from signaal.services.shelter import list_shelter
from signaal.services.triage import as_utc
from signaal.settings import Settings
from signaal.store import Store
from signaal.store.signals import visible
from signaal.store.tables import SignalRow
from signaal.store.tables_triage import RoutingDecisionRow

__all__ = ["KeyFigures", "key_figures"]


@dataclass(frozen=True)
class KeyFigures:
    """New signals this month, referrals waiting too long, people waiting for shelter, days to a decision."""

    new_this_month: int
    overdue_referrals: int
    waiting_for_shelter: int
    median_days_to_decision: float | None
    decided: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


def key_figures(store: Store, actor: Actor, settings: Settings, *, now: datetime | None = None) -> KeyFigures:
    """The key figures over the signals the actor may see (decisions: those of the last twelve months)."""
    moment = as_utc(now)
    today = moment.date()
    first_of_month = date(today.year, today.month, 1)
    year_ago = date(today.year - 1, today.month, 1)
    decided_at = func.min(RoutingDecisionRow.decided_at)
    decisions = visible(
        select(SignalRow.received_at, decided_at)
        .join(RoutingDecisionRow, RoutingDecisionRow.signal_id == SignalRow.id)
        .where(SignalRow.received_at >= year_ago)
        .group_by(SignalRow.id, SignalRow.received_at),
        actor,
        "route",  # decisions of another organisation's signal only where an act shares its route
    )
    with store.session() as session:
        new = session.scalar(
            visible(select(func.count()).select_from(SignalRow).where(SignalRow.received_at >= first_of_month), actor)
        )
        days = [max(0, (as_utc(at).date() - received).days) for received, at in session.execute(decisions)]
    waiting = list_shelter(store, actor, waiting_only=True)
    late = overdue_referrals(store, actor, now=moment, settings=settings)
    return KeyFigures(
        new_this_month=int(new or 0),
        overdue_referrals=len(late),
        waiting_for_shelter=len({r.signal_id for r in waiting}),
        median_days_to_decision=float(median(days)) if days else None,
        decided=len(days),
    )
