"""Background jobs for long uploads (ad screening): run in a small pool, report progress, keep the result.

Jobs live in memory for the life of the server process; with a journal (``JobJournal``) they are
also recorded when they start and when they end, and a restarted server takes them back
(``Jobs.restore``). Each owner keeps at most ``MAX_JOBS_PER_OWNER`` jobs: a new job drops that
owner's oldest finished one, never another user's. Working folders carry the id of the process that
made them; a server starting up removes the folders (uploaded dumps included) of processes that are gone.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from signaal.errors import Conflict, NotFound, SignaalError

__all__ = [
    "MAX_JOBS_PER_OWNER",
    "OWNER_FILE",
    "WORKERS",
    "Job",
    "JobJournal",
    "Jobs",
    "alive",
    "new_job_id",
    "remove_stale_folders",
]

MAX_JOBS_PER_OWNER = 10
# Threads that run jobs: one user's long screen does not hold up everyone else's short one.
WORKERS = 2
OWNER_FILE = "signaal-process.pid"  # in a job's working folder: the id of the server process
# A working folder without an owner file (written by an older version) is removed after this long.
UNOWNED_AFTER_SECONDS = 3600


@dataclass
class Job:
    """One background job: who started it, how far it is, and its result or error."""

    id: str
    kind: str
    owner: str
    label: str
    started_at: datetime
    stage: str = "queued"
    done: int = 0
    total: int = 0
    finished: bool = False
    error: str | None = None
    error_code: str | None = None  # the message key of a SignaalError, for pages in the user's language
    error_values: dict[str, str] = field(default_factory=dict)
    result: Any = None
    actor: Any = None  # the signaal.domain.actor.Actor who started it, for the journal
    folder: str | None = None  # its working folder, removed with the job
    finished_at: datetime | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Called from the worker thread to report progress."""
        with self.lock:
            self.stage, self.done, self.total = stage, done, total

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 while the size is unknown)."""
        if self.finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready status (without the result)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "finished": self.finished,
            "error": self.error,
            "error_code": self.error_code,
            "error_values": self.error_values,
        }


class JobJournal(Protocol):
    """Where jobs are recorded so that they outlive the process (the registry, for ad screens)."""

    def record(self, job: Job) -> None:
        """Record a job as it is now (started, or ended)."""

    def forget(self, job: Job) -> None:
        """Forget a job whose working folder was removed."""


def new_job_id() -> str:
    """A fresh, unguessable job id."""
    return secrets.token_hex(6)


class Jobs:
    """A small registry of background jobs with a small pool of worker threads and per-owner quotas."""

    def __init__(self, workers: int = WORKERS, journal: JobJournal | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="signaal-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.journal = journal

    def restore(self, jobs: list[Job]) -> None:
        """Take back the finished jobs of an earlier server process (oldest first)."""
        with self._lock:
            for job in jobs:
                job.finished = True
                self._jobs[job.id] = job

    def start(
        self,
        kind: str,
        owner: str,
        label: str,
        work: Callable[[Job], Any],
        *,
        actor: Any = None,
        job_id: str | None = None,
        folder: str | None = None,
    ) -> Job:
        """Queue ``work(job)``; its return value becomes the job's result."""
        started = datetime.now(UTC)
        job = Job(job_id or new_job_id(), kind, owner, label, started, actor=actor, folder=folder)
        with self._lock:
            self._jobs[job.id] = job
            own = [j for j in self._jobs.values() if j.owner == owner]
            for old in own[: max(0, len(own) - MAX_JOBS_PER_OWNER)]:
                if old.finished:  # a running job of the same owner finishes and is dropped next time
                    del self._jobs[old.id]
                    self._drop(old)
        if self.journal is not None:
            self.journal.record(job)

        def run() -> None:
            try:
                result = work(job)
                with job.lock:
                    job.result, job.stage = result, "done"
            except SignaalError as exc:
                with job.lock:
                    job.error, job.stage = str(exc), "failed"
                    job.error_code, job.error_values = exc.code, dict(exc.values)
            except Exception as exc:  # a job must never die silently; the page shows the failure
                with job.lock:
                    job.error, job.stage = f"unexpected error: {type(exc).__name__}", "failed"
            finally:
                with job.lock:
                    job.finished, job.finished_at = True, datetime.now(UTC)
                if self.journal is not None:
                    self.journal.record(job)

        self._pool.submit(run)
        return job

    def _drop(self, job: Job) -> None:
        _discard(job)
        if self.journal is not None:
            self.journal.forget(job)

    def remove(self, job_id: str, owner: str) -> Job:
        """Remove a finished job of this owner with its working folder (Conflict while it runs)."""
        job = self.get(job_id, owner)
        if not job.finished:
            raise Conflict(f"screening {job_id} is still running", code="job_running")
        with self._lock:
            self._jobs.pop(job.id, None)
        self._drop(job)
        return job

    def all(self) -> list[Job]:
        """Every job, oldest first."""
        with self._lock:
            return list(self._jobs.values())

    def get(self, job_id: str, owner: str) -> Job:
        """A job of this owner (NotFound for other owners' jobs, without saying they exist)."""
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound(f"no job {job_id!r}")
        return job

    def of(self, owner: str, kind: str) -> list[Job]:
        """This owner's jobs of one kind, newest first."""
        return [j for j in reversed(self._jobs.values()) if j.owner == owner and j.kind == kind]

    def shutdown(self) -> None:
        """Stop accepting work and remove the working folders of finished jobs (kept when a journal
        records them: a restarted server shows them again)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self.journal is not None:
            return
        with self._lock:
            for job in self._jobs.values():
                if job.finished:
                    _discard(job)


def _discard(job: Job) -> None:
    """Remove a job's working folder (uploaded dump and outputs): uploads are not kept longer than needed."""
    if job.folder:
        shutil.rmtree(job.folder, ignore_errors=True)
    elif isinstance(job.result, dict) and isinstance(job.result.get("dir"), str):
        shutil.rmtree(job.result["dir"], ignore_errors=True)


def alive(pid: int) -> bool:
    """Whether a process of this machine with this id is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_stale_folders(prefix: str, root: Path | None = None) -> int:
    """Remove the working folders (uploaded dumps and outputs) left by server processes that are gone,
    e.g. after a crash; the number removed."""
    root = root or Path(tempfile.gettempdir())
    removed = 0
    for folder in root.glob(f"{prefix}*"):
        owner = folder / OWNER_FILE
        try:
            pid = int(owner.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = None
        try:
            stale = not alive(pid) if pid is not None else time.time() - folder.stat().st_mtime > UNOWNED_AFTER_SECONDS
        except OSError:
            continue
        if stale and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
