"""Files that hold personal data are created readable by their owner only."""

from __future__ import annotations

from pathlib import Path

from audit_fixtures import make_signal

from signaal.domain.actor import Actor
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import open_store


def test_a_new_sqlite_registry_and_its_journal_are_owner_only(tmp_path: Path, actor: Actor) -> None:
    path = tmp_path / "new.db"
    store = open_store(Settings(database_url=f"sqlite:///{path}"))
    try:
        service.record_signal(store, actor, make_signal(1))
        for file in [path, *tmp_path.glob("new.db-*")]:
            assert file.stat().st_mode & 0o777 == 0o600, file
    finally:
        store.close()
