"""The hash chains are keyed (HMAC under the key store's chain key), on SQLite and PostgreSQL.

A database owner without the key directory cannot recompute a forged chain; a registry whose
chains were written before keying keeps verifying its old links up to the first key mark.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from test_audit_tampering import as_owner, populate, rechain, reinstall_guards, rows

from signaal.domain.actor import Actor
from signaal.errors import ConfigError
from signaal.keystore import KeyStore
from signaal.services import audit
from signaal.settings import Settings
from signaal.store import Store, chain, open_store
from signaal.store.chain_keys import KEY_NAME, mark_mac


def marks(store: Store, name: str) -> list[tuple[int, str]]:
    with store.engine.connect() as conn:
        found = conn.execute(text("SELECT seq, key_ref FROM chain_marks WHERE chain = :c ORDER BY seq"), {"c": name})
        return [(int(s), str(k)) for s, k in found]


def unkey(store: Store, key_dir: Path) -> None:
    """Make the registry look like one written before keyed chains: no marks, no chain key, SHA-256 links."""
    with as_owner(store) as conn:
        conn.execute(text("DELETE FROM chain_marks"))
        conn.execute(text("UPDATE chain_heads SET key_ref = NULL"))
        for name in chain.CHAINS:
            rechain(conn, name, 1)
    for path in key_dir.glob(f"{KEY_NAME}.*"):
        path.unlink()


def test_a_fresh_registry_keys_both_chains_from_the_start(store: Store, actor: Actor, key_dir: Path) -> None:
    populate(store, actor)
    assert marks(store, "events") == [(1, "chain.k1")]
    assert marks(store, "audit") == [(1, "chain.k1")]
    assert (key_dir / "chain.k1.key").stat().st_mode & 0o777 == 0o600
    with store.engine.connect() as conn:
        first = rows(conn, "events")[0]
    plain = chain.link_hash(chain.GENESIS, chain.canonical(chain.CHAINS["events"], 1, first))
    assert first["hash"] != plain  # not computable without the key
    assert audit.verify(store).ok


def test_removing_the_marks_and_rechaining_without_the_key_is_found(store: Store, actor: Actor) -> None:
    populate(store, actor)
    with as_owner(store) as conn:
        conn.execute(text("UPDATE events SET kind = 'rewritten' WHERE seq = 3"))
        conn.execute(text("DELETE FROM chain_marks WHERE chain = 'events'"))
        rechain(conn, "events", 1)
    report = audit.verify(store)
    reinstall_guards(store)
    problems = [p for c in report.chains if c.name == "events" for p in c.problems]
    assert problems == ["the chain is not keyed though the key store holds a chain key (key marks removed)"]


def test_a_moved_or_forged_mark_is_found(store: Store, actor: Actor) -> None:
    populate(store, actor)
    with as_owner(store) as conn:
        # Move the events mark to the end, as if the rows before it were unkeyed, and rechain them so.
        last = len(rows(conn, "events"))
        conn.execute(text("UPDATE chain_marks SET seq = :s WHERE chain = 'events'"), {"s": last + 1})
        rechain(conn, "events", 1)
        conn.execute(text("UPDATE chain_marks SET mark = :m WHERE chain = 'audit'"), {"m": "0" * 64})
    report = audit.verify(store)
    reinstall_guards(store)
    found = {c.name: c.problems for c in report.chains}
    assert any("forged or was moved" in p for p in found["events"])
    assert any("past the end" in p for p in found["events"])
    assert found["audit"] == ["the key mark at position 1 is forged or was moved"]


def test_an_unkeyed_chain_keeps_verifying_and_is_keyed_from_the_next_append(
    settings: Settings, actor: Actor, key_dir: Path
) -> None:
    store = open_store(settings)
    populate(store, actor)
    unkey(store, key_dir)
    store.close()
    store = open_store(settings)  # a registry upgraded to revision 0012, never appended to since
    try:
        assert audit.verify(store).ok
        assert marks(store, "events") == []
        populate(store, actor, start=6)
        assert marks(store, "events") == [(13, "chain.k1")]
        assert audit.verify(store).ok
        # The unkeyed prefix is fixed by the first keyed link: rewriting and rechaining it is found.
        with as_owner(store) as conn:
            conn.execute(text("UPDATE events SET kind = 'rewritten' WHERE seq = 2"))
            stored = rows(conn, "events")
            prev = chain.GENESIS
            for row in stored[:12]:
                digest = chain.link_hash(prev, chain.canonical(chain.CHAINS["events"], int(row["seq"]), row))  # type: ignore[call-overload]
                conn.execute(
                    text("UPDATE events SET prev_hash = :p, hash = :h WHERE id = :i"),
                    {"p": prev, "h": digest, "i": row["id"]},
                )
                prev = digest
        report = audit.verify(store)
        reinstall_guards(store)
        events = next(c for c in report.chains if c.name == "events")
        assert events.problems == [f"position 13 (row id {stored[12]['id']}) does not link to the row before it"]
    finally:
        store.close()


def test_a_new_chain_key_version_starts_with_a_mark(settings: Settings, actor: Actor, key_dir: Path) -> None:
    store = open_store(settings)
    populate(store, actor)
    store.close()
    KeyStore(key_dir).new(KEY_NAME)  # chain.k2, active
    store = open_store(settings)
    try:
        populate(store, actor, start=6)
        assert marks(store, "events") == [(1, "chain.k1"), (13, "chain.k2")]
        assert audit.verify(store).ok
    finally:
        store.close()


def test_a_missing_chain_key_is_refused_before_anything_is_written(
    settings: Settings, actor: Actor, key_dir: Path
) -> None:
    store = open_store(settings)
    populate(store, actor)
    store.close()
    (key_dir / "chain.k1.key").unlink()
    (key_dir / "chain.active").unlink(missing_ok=True)
    store = open_store(settings)
    try:
        with pytest.raises(ConfigError, match=r"chain\.k1"):
            populate(store, actor, start=6)
        assert len(marks(store, "events")) == 1
    finally:
        store.close()


def test_the_mark_seal_depends_on_chain_position_and_key(key_dir: Path) -> None:
    key = KeyStore(key_dir).new(KEY_NAME)
    seals = {mark_mac(key, "events", 1), mark_mac(key, "audit", 1), mark_mac(key, "events", 2)}
    assert len(seals) == 3
