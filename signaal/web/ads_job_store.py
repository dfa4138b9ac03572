"""Ad screening jobs kept across a restart: recorded in the registry, taken back at start-up (the ones
that were running marked as interrupted), and their outputs removed when the retention ends.

Outputs live in one folder per job under the jobs folder (``SIGNAAL_ADS_JOB_DIR``); the uploaded file
is removed as soon as it is screened.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signaal.services import ad_jobs as stored
from signaal.settings import Settings
from signaal.store import Store
from signaal.web.jobs import Job, Jobs, alive

__all__ = ["RegistryJournal", "expire_jobs", "jobs_root", "open_jobs"]

KIND = "ads"


def jobs_root(settings: Settings) -> Path:
    """The folder of the screening jobs' outputs: the setting, else one per registry in the temporary folder."""
    if settings.ads_job_dir is not None:
        return settings.ads_job_dir
    digest = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"signaal-ad-jobs-{digest}"


class RegistryJournal:
    """Records the ad screening jobs in the registry (the other kinds of job stay in memory)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, job: Job) -> None:
        """Record an ad screening job as it is now."""
        if job.kind != KIND or job.actor is None:
            return
        result = job.result if isinstance(job.result, dict) else None
        stage = job.stage if job.finished else "queued"
        summary = {k: v for k, v in result.items() if k != "dir"} if result else None
        record = stored.AdJobRecord(
            id=job.id,
            actor=job.actor,
            label=job.label,
            stage=stage,
            folder=job.folder or "",
            server_pid=os.getpid(),
            started_at=job.started_at,
            finished_at=job.finished_at,
            summary=summary,
            error=job.error,
            error_code=job.error_code,
            error_values=dict(job.error_values),
        )
        stored.save_job(self.store, record)

    def forget(self, job: Job) -> None:
        """Forget a removed job."""
        if job.kind == KIND:
            stored.forget_job(self.store, job.id)


def _owner(record: stored.AdJobRecord) -> str:
    from signaal.web.ads_jobs import job_owner

    return job_owner(record.actor)


def _job(record: stored.AdJobRecord) -> Job:
    """A stored job as the registry of jobs holds it; one that was running when its server stopped is
    interrupted, one whose outputs are gone has expired."""
    job = Job(record.id, KIND, _owner(record), record.label, record.started_at, actor=record.actor)
    job.folder, job.finished, job.finished_at = record.folder, True, record.finished_at
    job.stage, job.error, job.error_code = record.stage, record.error, record.error_code
    job.error_values = dict(record.error_values)
    if record.stage not in stored.FINAL_STAGES:
        job.stage, job.error_code = "interrupted", "ads_interrupted"
        job.error = "the server stopped while this screening ran; upload the file again"
        job.finished_at = job.finished_at or datetime.now(UTC)
        shutil.rmtree(record.folder, ignore_errors=True)
    elif record.stage == "done":
        if Path(record.folder, "out").is_dir():
            job.result = {"dir": record.folder, **(record.summary or {})}
        else:
            job.stage = "expired"
    return job


def open_jobs(store: Store, settings: Settings) -> Jobs:
    """The registry of jobs of a starting server: the stored screens taken back, the interrupted ones
    marked, expired outputs and folders no job owns removed."""
    jobs = Jobs(journal=RegistryJournal(store))
    mine = os.getpid()
    taken: list[Job] = []
    for record in stored.stored_jobs(store):
        running_elsewhere = record.stage not in stored.FINAL_STAGES and record.server_pid != mine
        if running_elsewhere and alive(record.server_pid):
            continue  # another server process on this registry runs it
        job = _job(record)
        if job.stage != record.stage:
            jobs.journal.record(job)  # type: ignore[union-attr]
        taken.append(job)
    jobs.restore(taken)
    expire_jobs(jobs, settings)
    root = jobs_root(settings)
    known = {Path(j.folder).name for j in taken if j.folder}
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir() and folder.name not in known and not _recent(folder):
                shutil.rmtree(folder, ignore_errors=True)
    return jobs


def _recent(folder: Path) -> bool:
    """A folder made in the last hour may belong to a job another server process is starting."""
    try:
        return datetime.now(UTC).timestamp() - folder.stat().st_mtime < 3600
    except OSError:
        return False


def expire_jobs(jobs: Jobs, settings: Settings, now: datetime | None = None) -> int:
    """Remove the outputs of finished screens older than the retention; the number removed."""
    limit = (now or datetime.now(UTC)) - timedelta(days=settings.ads_job_retention_days)
    removed = 0
    for job in jobs.all():
        ended = job.finished_at or job.started_at
        if job.kind != KIND or not job.finished or job.stage in ("expired", "interrupted") or ended >= limit:
            continue
        if job.folder:
            shutil.rmtree(job.folder, ignore_errors=True)
        with job.lock:
            job.stage, job.result = "expired", None
        if jobs.journal is not None:
            jobs.journal.record(job)
        removed += 1
    return removed
