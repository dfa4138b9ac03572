"""Background jobs: per-owner quotas, a pool of workers, and cleanup of folders left by a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from signaal.web.jobs import MAX_JOBS_PER_OWNER, OWNER_FILE, Job, Jobs, remove_stale_folders


def _wait(job: Job) -> None:
    for _ in range(400):
        if job.finished:
            return
        time.sleep(0.01)
    raise AssertionError("job did not finish")


def test_one_user_cannot_evict_another_users_results() -> None:
    jobs = Jobs()
    try:
        kept = jobs.start("ads", "bob@org-b", "bob's screen", lambda job: {"n": 1})
        _wait(kept)
        for i in range(3 * MAX_JOBS_PER_OWNER):
            _wait(jobs.start("ads", "alice@org-a", f"screen {i}", lambda job: {"n": 2}))
        assert jobs.get(kept.id, "bob@org-b").result == {"n": 1}
        alice = jobs.of("alice@org-a", "ads")
        assert len(alice) == MAX_JOBS_PER_OWNER and alice[0].label == f"screen {3 * MAX_JOBS_PER_OWNER - 1}"
    finally:
        jobs.shutdown()


def test_a_short_job_does_not_wait_for_a_long_one() -> None:
    jobs = Jobs()
    release = threading.Event()
    try:
        long = jobs.start("ads", "alice@org-a", "long", lambda job: release.wait(10))
        short = jobs.start("ads", "bob@org-b", "short", lambda job: "done")
        _wait(short)
        assert short.result == "done" and not long.finished
    finally:
        release.set()
        jobs.shutdown()


def test_folders_of_a_crashed_server_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / "signaal-ads-dead"
    live = tmp_path / "signaal-ads-live"
    other = tmp_path / "something-else"
    for folder, pid in ((dead, gone.stdout.strip()), (live, str(os.getpid())), (other, gone.stdout.strip())):
        folder.mkdir()
        (folder / OWNER_FILE).write_text(pid, encoding="ascii")
        (folder / "dump.csv").write_text("synthetic", encoding="utf-8")
    assert remove_stale_folders("signaal-ads-", tmp_path) == 1
    assert not dead.exists() and live.exists() and other.exists()
