"""The web application's ad screening jobs in the registry: recorded with the uploader as their actor
when they start and again when they end, so a restarted server lists finished screens, marks the ones
it was running as interrupted, and removes outputs whose retention has ended."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from signaal.domain.actor import Actor
from signaal.store import Store
from signaal.store.tables_ads import AdJobRow

__all__ = ["FINAL_STAGES", "AdJobRecord", "forget_job", "save_job", "stored_jobs"]

#: Stages after which a job does not change any more (but for its outputs' expiry).
FINAL_STAGES: frozenset[str] = frozenset({"done", "failed", "interrupted", "expired"})


@dataclass
class AdJobRecord:
    """One stored screening job: its uploader, file, stage, output folder and summary."""

    id: str
    actor: Actor
    label: str
    stage: str
    folder: str
    server_pid: int
    started_at: datetime
    finished_at: datetime | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None
    error_code: str | None = None
    error_values: dict[str, str] = field(default_factory=dict)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they were written in UTC."""
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


def save_job(store: Store, record: AdJobRecord) -> None:
    """Record a job as it is now (a new row, or its stage, summary or error updated)."""
    with store.session() as session:
        row = session.get(AdJobRow, record.id) or AdJobRow(id=record.id)
        row.owner_user, row.owner_org = record.actor.user, record.actor.org
        row.owner_role = record.actor.role.value
        row.label, row.stage, row.folder = record.label[:255], record.stage, record.folder
        row.server_pid, row.started_at, row.finished_at = record.server_pid, record.started_at, record.finished_at
        row.summary = json.dumps(record.summary, ensure_ascii=False) if record.summary is not None else None
        row.error, row.error_code = record.error, record.error_code
        row.error_values = json.dumps(record.error_values, ensure_ascii=False) if record.error_values else None
        session.add(row)


def stored_jobs(store: Store) -> list[AdJobRecord]:
    """Every stored job, oldest first."""
    from signaal.domain.actor import Role

    with store.session() as session:
        rows = session.scalars(select(AdJobRow).order_by(AdJobRow.started_at, AdJobRow.id)).all()
        return [
            AdJobRecord(
                id=row.id,
                actor=Actor(row.owner_user, row.owner_org, Role(row.owner_role)),
                label=row.label,
                stage=row.stage,
                folder=row.folder,
                server_pid=row.server_pid,
                started_at=_aware(row.started_at) or datetime.now(UTC),
                finished_at=_aware(row.finished_at),
                summary=json.loads(row.summary) if row.summary else None,
                error=row.error,
                error_code=row.error_code,
                error_values=json.loads(row.error_values) if row.error_values else {},
            )
            for row in rows
        ]


def forget_job(store: Store, job_id: str) -> None:
    """Remove a job's row (its outputs are removed by the caller)."""
    with store.session() as session:
        session.execute(delete(AdJobRow).where(AdJobRow.id == job_id))
