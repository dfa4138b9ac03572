"""Appending to the hash chains: concurrent writers make one valid chain, and an append's work does
not grow with the chain's length."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import func, select, text

from signaal.domain.actor import Actor, Role
from signaal.services import audit
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.chain import chain_state
from signaal.store.tables import EventRow
from signaal.store.tables_security import AuditRow

PROCESSES = 3
THREADS = 3
APPENDS = 8  # per thread


def _writer(store: Store, name: str, errors: list[BaseException]) -> None:
    """One thread's appends: reads of one, two or three signals, and now and then a new signal."""
    actor = Actor(user=name, org="org-a", role=Role.COORDINATOR)
    try:
        for n in range(APPENDS):
            with store.session() as session:
                audit.record_access(session, actor, "read", [f"S{name}-{n}-{k}" for k in range(n % 3 + 1)])
            if n % 4 == 0:
                service.record_signal(store, actor, make_signal(n, source_id=f"synthetic-{name}-{n}"))
    except BaseException as exc:  # reported by the main thread
        errors.append(exc)


def _process(url: str, key_dir: str, index: int, failures: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(Settings(database_url=url, key_dir=Path(key_dir)), migrate=False)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(store, f"p{index}t{t}", errors)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    failures.put([repr(e) for e in errors])


def _rows_per_round() -> tuple[int, int]:
    audit_rows = sum(n % 3 + 1 for n in range(APPENDS))
    signals = sum(1 for n in range(APPENDS) if n % 4 == 0)
    return audit_rows, signals


def test_concurrent_appends_from_processes_and_threads_make_one_valid_chain(
    store: Store, actor: Actor, db_url: str, key_dir: Path
) -> None:
    service.record_signal(store, actor, make_signal(0))  # the chain key exists before the writers start
    with store.session() as session:
        events_before = session.scalar(select(func.count()).select_from(EventRow))
    store.engine.dispose()  # no pooled connection is inherited by the forked writers
    context = multiprocessing.get_context("fork")
    failures: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [context.Process(target=_process, args=(db_url, str(key_dir), i, failures)) for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    errors = [failures.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert errors == [[]] * PROCESSES
    audit_rows, signals = _rows_per_round()
    writers = PROCESSES * THREADS
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditRow)) == writers * audit_rows
        assert session.scalar(select(func.count()).select_from(EventRow)) == events_before + writers * signals
        seqs = list(session.scalars(select(AuditRow.seq).order_by(AuditRow.seq)))
        assert seqs == list(range(1, writers * audit_rows + 1))  # no gap, no fork
        assert chain_state(session, "audit").seq == writers * audit_rows
    report = audit.verify(store)
    assert report.ok, report.as_dict()


def _steps_of_one_append(store: Store, actor: Actor, signal_id: str) -> int:
    """SQLite virtual-machine steps taken by one read's audit record (a count, not a time)."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    with store.session() as session:
        raw = session.connection().connection.driver_connection
        raw.set_progress_handler(count, 1)  # type: ignore[union-attr]
        try:
            audit.record_access(session, actor, "read", [signal_id])
        finally:
            raw.set_progress_handler(None, 1)  # type: ignore[union-attr]
    return steps[0]


def test_an_append_does_not_scan_the_chain_under_stale_statistics(store: Store, actor: Actor) -> None:
    """Statistics taken while the audit log was nearly empty once made every append scan the whole log."""
    if store.dialect != "sqlite":
        pytest.skip("the replace guard and its lookups are SQLite's")
    with store.session() as session:
        audit.record_access(session, actor, "read", ["S-first"])
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # the planner now believes the log holds one row
    with store.session() as session:
        audit.record_access(session, actor, "read", [f"S-{n}" for n in range(50)])
    short = _steps_of_one_append(store, actor, "S-short")
    with store.session() as session:
        audit.record_access(session, actor, "read", [f"S-more-{n}" for n in range(3000)])
    long = _steps_of_one_append(store, actor, "S-long")
    assert long <= short + 50, f"{short} steps with 52 records, {long} with 3053"
