"""`signaal db reencrypt` seals content stored in the clear and re-wraps data keys after a rotation.

Idempotent (a second run does nothing) and restartable (a run stopped after a batch is finished
by the next), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import text
from test_audit_encryption import SECRET_PHRASE, stored_text
from typer.testing import CliRunner

from signaal.cli import app
from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden
from signaal.keystore import KeyStore
from signaal.services import signals as service
from signaal.services.encryption import Reencrypted, reencrypt
from signaal.settings import Settings
from signaal.store import Store, open_store

ADMIN = Actor(user="beheer", org="org-a", role=Role.ADMIN)


def written_in_the_clear(store: Store, actor: Actor, count: int) -> list[str]:
    """Signals as a registry from before encryption holds them: no data key, content in the clear."""
    ids = []
    for n in range(count):
        signal = service.record_signal(store, actor, make_signal(n))
        ids.append(signal.id)
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM data_keys WHERE signal_id = :s"), {"s": signal.id})
            conn.execute(
                text("UPDATE signals SET narrative = :n WHERE id = :s"), {"n": signal.narrative, "s": signal.id}
            )
            conn.execute(
                text("UPDATE signal_indicators SET words = 'veel oudere vriend' WHERE signal_id = :s"), {"s": signal.id}
            )
            for ident in signal.identifiers:
                conn.execute(
                    text("UPDATE identifiers SET value = :v, raw = :r WHERE signal_id = :s AND kind = :k"),
                    {"v": ident.value, "r": ident.raw, "s": signal.id, "k": ident.kind},
                )
    return ids


def kek_refs(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(str(r) for r in conn.execute(text("SELECT kek_ref FROM data_keys")).scalars())


def test_clear_content_is_sealed_and_old_keys_rewrapped(store: Store, actor: Actor, key_dir: Path) -> None:
    clear = written_in_the_clear(store, actor, 2)
    keyed = service.record_signal(store, actor, make_signal(5))
    assert SECRET_PHRASE in stored_text(store)
    KeyStore(key_dir).new("data")  # master key rotation: data.k2 in use
    store.__dict__.pop("codec", None)  # the running process picks the new master key up on restart
    done = reencrypt(store, ADMIN, batch=1)
    assert (done.signals_visited, done.keys_made, done.values_sealed, done.keys_rewrapped) == (3, 2, 12, 1)
    assert done.master_key == "data.k2"
    assert SECRET_PHRASE not in stored_text(store)
    assert kek_refs(store) == ["data.k2"] * 3
    for path in key_dir.glob("data.k1.key"):
        path.unlink()  # the old master key is retired: everything still reads
    store.__dict__.pop("codec", None)
    for signal_id in [*clear, keyed.id]:
        read = service.get_signal(store, actor, signal_id)
        assert SECRET_PHRASE in read.narrative
        assert read.indicators[0].words == "veel oudere vriend"
        assert read.identifiers[0].value.startswith("+3161234")
    again = reencrypt(store, ADMIN)
    assert (again.keys_made, again.values_sealed, again.keys_rewrapped) == (0, 0, 0)


def test_an_interrupted_run_is_finished_by_the_next(store: Store, actor: Actor) -> None:
    written_in_the_clear(store, actor, 3)

    def stop_after_first(done: Reencrypted) -> None:
        if done.signals_visited == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reencrypt(store, ADMIN, batch=1, progress=stop_after_first)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM data_keys")).scalar() == 1
    done = reencrypt(store, ADMIN, batch=2)
    assert (done.keys_made, done.values_sealed) == (2, 12)
    assert SECRET_PHRASE not in stored_text(store)


def test_only_an_administrator_reencrypts(store: Store, actor: Actor) -> None:
    with pytest.raises(Forbidden):
        reencrypt(store, actor)


def test_the_command_prints_its_counts(
    cli_env: str, settings: Settings, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAAL_ROLE", "admin")
    store = open_store(settings)
    written_in_the_clear(store, actor, 1)
    store.close()
    result = CliRunner().invoke(app, ["db", "reencrypt", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "1 signals visited, 1 data keys made, 6 values sealed" in result.output
    assert "0 data keys re-wrapped with data.k1" in result.output
    again = CliRunner().invoke(app, ["db", "reencrypt", "--quiet"])
    assert "0 data keys made, 0 values sealed" in again.output
