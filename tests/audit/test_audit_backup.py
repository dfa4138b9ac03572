"""Encrypted backups restore to a registry that verifies; a damaged backup restores nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_audit_encryption import SECRET_PHRASE
from test_audit_erasure import ADMIN, SUBJECT, TRACES

from signaal.domain.actor import Actor
from signaal.errors import Forbidden, InvalidInput
from signaal.services import audit, backup, subjects
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store, open_store


@pytest.fixture
def target(store: Store, tmp_path: Path, key_dir: Path) -> Iterator[Settings]:
    """Where a backup is restored: a new SQLite file, or a new PostgreSQL database; same key directory."""
    if store.dialect == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'restored.db'}", key_dir=key_dir)
        return
    name = f"signaal_restore_{os.getpid()}"
    url = make_url(store.url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield Settings(database_url=url.set(database=name).render_as_string(hide_password=False), key_dir=key_dir)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_a_backup_restores_to_a_registry_that_reads_and_verifies(
    store: Store, actor: Actor, tmp_path: Path, target: Settings
) -> None:
    signal = service.record_signal(store, actor, make_signal(7))
    out = tmp_path / "registry.sbk"
    made = backup.backup(store, ADMIN, out)
    assert made.bytes > 0 and out.stat().st_mode & 0o777 == 0o600
    assert SECRET_PHRASE.encode() not in out.read_bytes()
    backup.restore(target, ADMIN, out)
    restored = open_store(target)
    try:
        assert SECRET_PHRASE in service.get_signal(restored, actor, signal.id).narrative
        report = audit.verify(restored)
        assert report.ok
        assert any(e.action == "backup" for e in audit.list_audit(restored, ADMIN))
    finally:
        restored.close()


def test_a_damaged_or_cut_backup_restores_nothing(store: Store, actor: Actor, tmp_path: Path, key_dir: Path) -> None:
    service.record_signal(store, actor, make_signal(7))
    if store.dialect != "sqlite":
        pytest.skip("the sealing is the same for both; the SQLite target shows nothing was written")
    out = tmp_path / "registry.sbk"
    backup.backup(store, ADMIN, out)
    data = out.read_bytes()
    header_end = data.index(b"\n") + 1
    flipped = bytearray(data)
    flipped[header_end + 40] ^= 1
    for name, damaged in (("flipped", bytes(flipped)), ("cut", data[: len(data) - 100])):
        bad = tmp_path / f"{name}.sbk"
        bad.write_bytes(damaged)
        restored = tmp_path / f"{name}.db"
        with pytest.raises(InvalidInput):
            backup.restore(Settings(database_url=f"sqlite:///{restored}", key_dir=key_dir), ADMIN, bad)
        assert not restored.exists()


def test_only_an_administrator_backs_up(store: Store, actor: Actor, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        backup.backup(store, actor, tmp_path / "x.sbk")


def test_a_backup_made_after_an_erasure_holds_no_trace(
    store: Store, actor: Actor, tmp_path: Path, target: Settings
) -> None:
    mine = service.record_signal(store, actor, make_signal(7))
    service.change_status(store, actor, mine.id, "in_triage", "belde zelf vanaf 06 1234 0007")
    subjects.erase_subject(store, ADMIN, SUBJECT, "AVG-2026-17")
    out = tmp_path / "after.sbk"
    backup.backup(store, ADMIN, out)
    backup.restore(target, ADMIN, out)
    restored = open_store(target)
    try:
        with restored.engine.connect() as conn:
            content = " ".join(
                str(row) for table in ("signals", "identifiers", "events", "signal_indicators")
                for row in conn.execute(text(f"SELECT * FROM {table}"))
            )  # fmt: skip
    finally:
        restored.close()
    for trace in TRACES:
        assert trace not in content, trace
    if store.dialect == "sqlite":
        image = Path(make_url(target.database_url).database or "").read_bytes()
        for trace in TRACES:
            assert trace.encode() not in image, trace
