"""Narratives, identifiers and indicator quotes are stored encrypted, per signal, with keys outside the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import text

from signaal.domain.actor import Actor
from signaal.errors import ConfigError, StorageError
from signaal.keystore import KeyStore
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store, open_store

SECRET_PHRASE = "veel oudere vriend die haar ophaalt"
PHONE = "+31612340007"


def stored_text(store: Store) -> str:
    """Everything the registry's tables hold, as one text (what someone with the database file sees)."""
    tables = ["signals", "signal_indicators", "identifiers", "persons", "events", "audit_log", "data_keys"]
    parts = []
    with store.engine.connect() as conn:
        for table in tables:
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


def raw_files(store: Store) -> bytes:
    """The bytes of a SQLite registry's files (the database and its write-ahead log)."""
    path = Path(store.url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in [path, *path.parent.glob(path.name + "-*")])


def test_content_reads_back_but_is_stored_as_ciphertext(store: Store, actor: Actor) -> None:
    signal = service.record_signal(store, actor, make_signal(7))
    read = service.get_signal(store, actor, signal.id)
    assert SECRET_PHRASE in read.narrative
    assert [i.value for i in read.identifiers] == [PHONE, "XX107B"]
    assert read.indicators[0].words == "veel oudere vriend"
    content = stored_text(store)
    for secret in (SECRET_PHRASE, "oudere vriend", PHONE, "1234 0007", "XX107B"):
        assert secret not in content
    assert "enc1:" in content
    if store.dialect == "sqlite":
        assert SECRET_PHRASE.encode() not in raw_files(store)
        assert PHONE.encode() not in raw_files(store)


def test_an_import_is_encrypted_as_well(store: Store, actor: Actor, tmp_path: Path) -> None:
    from signaal.services.intake import import_signals

    csv = tmp_path / "signals.csv"
    csv.write_text(
        "source_id,received_at,reporter_org,reporter_sector,region,narrative,phones\n"
        f"synthetic-9,2026-03-02,org-a,youth,Utrecht,[synthetisch] {SECRET_PHRASE},06 1234 0007\n",
        encoding="utf-8",
    )
    assert import_signals(store, actor, csv).imported == 1
    assert SECRET_PHRASE not in stored_text(store) and PHONE not in stored_text(store)
    [summary] = service.list_signals(store, actor).items
    read = service.get_signal(store, actor, summary.id)
    assert SECRET_PHRASE in read.narrative
    assert [i.value for i in read.identifiers] == [PHONE]


def test_ciphertext_moved_to_another_signal_does_not_decrypt(store: Store, actor: Actor) -> None:
    a = service.record_signal(store, actor, make_signal(1))
    b = service.record_signal(store, actor, make_signal(2))
    with store.engine.begin() as conn:
        stolen = conn.execute(text("SELECT narrative FROM signals WHERE id = :i"), {"i": a.id}).scalar()
        conn.execute(text("UPDATE signals SET narrative = :n WHERE id = :i"), {"n": stolen, "i": b.id})
    with pytest.raises(StorageError, match="does not decrypt"):
        service.get_signal(store, actor, b.id)


def test_a_rotated_master_key_reads_old_and_new_signals(store: Store, actor: Actor, key_dir: Path) -> None:
    old = service.record_signal(store, actor, make_signal(1))
    KeyStore(key_dir).new("data")  # a new version, now the active one
    rotated = open_store(store.settings)
    try:
        new = service.record_signal(rotated, actor, make_signal(2))
        assert SECRET_PHRASE in service.get_signal(rotated, actor, old.id).narrative
        assert SECRET_PHRASE in service.get_signal(rotated, actor, new.id).narrative
        with rotated.engine.connect() as conn:
            refs = dict(conn.execute(text("SELECT signal_id, kek_ref FROM data_keys")).tuples().all())
    finally:
        rotated.close()
    assert refs == {old.id: "data.k1", new.id: "data.k2"}


def test_without_the_key_directory_nothing_is_read(store: Store, actor: Actor, tmp_path: Path) -> None:
    signal = service.record_signal(store, actor, make_signal(1))
    elsewhere = tmp_path / "other-keys"
    elsewhere.mkdir(mode=0o700)
    blind = open_store(Settings(database_url=store.url, key_dir=elsewhere))
    try:
        with pytest.raises(ConfigError, match="restore that key file"):
            service.get_signal(blind, actor, signal.id)
    finally:
        blind.close()


def test_the_master_key_file_is_owner_only(store: Store, actor: Actor, key_dir: Path) -> None:
    service.record_signal(store, actor, make_signal(1))
    [key_file] = key_dir.glob("data.*.key")
    assert key_file.stat().st_mode & 0o777 == 0o600
