"""Retention: erase what has been kept longer than its purpose allows.

The periods are data (``catalogue/data/retention.yaml``, overridable per organisation): per
purpose of processing, days after closing and days after receipt for a signal never closed.
:func:`run_retention` finds the signals past their period and erases them as a data-subject
erasure does (crypto-shredding), in batches, each with its event and access record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from signaal.domain.actor import Actor, Role
from signaal.errors import CatalogueError, Forbidden
from signaal.knowledge import knowledge_for
from signaal.services.subjects import erase_signal_ids
from signaal.settings import Settings
from signaal.store import Store
from signaal.store.codec import ERASED
from signaal.store.tables import SignalRow

__all__ = ["Period", "RetentionPolicy", "RetentionRun", "load_retention", "parse_retention", "run_retention"]

FILE = "retention.yaml"
BATCH = 500


@dataclass(frozen=True)
class Period:
    """How long one purpose keeps a signal's content."""

    closed_days: int
    open_days: int


@dataclass(frozen=True)
class RetentionPolicy:
    """The period per purpose, and the one for any other purpose."""

    default: Period
    purposes: dict[str, Period]
    source: str

    def period(self, purpose: str) -> Period:
        """The period that applies to a purpose."""
        return self.purposes.get(purpose, self.default)


def _period(raw: Any, where: str) -> Period:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected closed_days and open_days")
    days = {}
    for name in ("closed_days", "open_days"):
        value = raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise CatalogueError(f"{where}: field {name!r} must be a whole number of days, at least 1")
        days[name] = value
    return Period(**days)


def parse_retention(data: Any, source: str) -> RetentionPolicy:
    """Validate the retention file: a default period and periods per purpose."""
    if not isinstance(data, dict) or not isinstance(data.get("purposes", {}), dict):
        raise CatalogueError(f"{source}: expected 'default' and a mapping 'purposes'")
    purposes = {str(k): _period(v, f"{source}: purpose {k!r}") for k, v in (data.get("purposes") or {}).items()}
    return RetentionPolicy(_period(data.get("default"), f"{source}: default"), purposes, source)


def load_retention(settings: Settings) -> RetentionPolicy:
    """The retention periods in force: the organisation's file, or the bundled one."""
    doc = knowledge_for(settings).files.document(FILE)
    return parse_retention(doc.data, doc.path)


@dataclass
class RetentionRun:
    """What a run found and erased, per purpose."""

    today: date
    dry_run: bool
    due: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Signals past their period."""
        return sum(len(v) for v in self.due.values())


def _due(row: Any, policy: RetentionPolicy, today: date) -> bool:
    period = policy.period(row.purpose)
    if row.status == "closed":
        closed = row.updated_at.date() if isinstance(row.updated_at, datetime) else row.updated_at
        return bool(closed + timedelta(days=period.closed_days) <= today)
    return bool(row.received_at + timedelta(days=period.open_days) <= today)


def run_retention(store: Store, actor: Actor, *, today: date | None = None, dry_run: bool = False) -> RetentionRun:
    """Erase the content of every signal past its retention period (or, with dry_run, only list them)."""
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not run the retention job")
    policy = load_retention(store.settings)
    run = RetentionRun(today or datetime.now(UTC).date(), dry_run)
    query = select(SignalRow.id, SignalRow.purpose, SignalRow.status, SignalRow.received_at, SignalRow.updated_at)
    query = query.where(or_(SignalRow.narrative.is_(None), SignalRow.narrative != ERASED)).order_by(SignalRow.id)
    with store.session() as session:
        for row in session.execute(query.execution_options(yield_per=5000)):
            if _due(row, policy, run.today):
                run.due.setdefault(row.purpose, []).append(row.id)
    if not dry_run:
        for purpose, ids in run.due.items():
            days = policy.period(purpose)
            for start in range(0, len(ids), BATCH):
                why = {"retention": purpose, "closed_days": days.closed_days, "open_days": days.open_days}
                erase_signal_ids(store, actor, ids[start : start + BATCH], why)
    return run
