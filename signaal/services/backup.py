"""Encrypted backups of the registry, and their restore.

SQLite: the online backup API copies a consistent snapshot while signaal keeps working, into
memory — no unencrypted copy touches the disk. PostgreSQL: ``pg_dump --format=custom`` streams
the schema and data. Either way the bytes are written in 1 MiB chunks, each sealed with AES-GCM
under the ``backup`` key from the key store, bound to the file's header, its position and whether
it is the last one, so a changed, reordered or truncated backup does not restore. The file is
created readable by its owner only.

What a backup does not hold: the keys. The narratives and identifiers in it stay encrypted under
their data keys, which the ``data`` master key wraps; keep a copy of the key directory apart from
the backups (docs/security.md). A signal erased before the backup was made cannot be read from it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from signaal.domain.actor import Actor, Role
from signaal.errors import ConfigError, Forbidden, InvalidInput, StorageError
from signaal.keystore import Key, KeyStore
from signaal.services.audit import record_access, verify
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.codec import key_store_for

__all__ = ["BackupInfo", "backup", "restore"]

FORMAT = "signaal-backup-1"
CHUNK = 1 << 20
BACKUP_KEY = "backup"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup or restore did."""

    file: str
    backend: str
    key: str
    bytes: int


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not make or restore backups")


def _backup_key(keys: KeyStore, ref: str | None = None) -> Key:
    if ref is not None:
        name, _, key_id = ref.partition(".")
        return keys.get(name, key_id)
    if keys.directory is not None and keys.directory.is_dir() and keys.key_ids(BACKUP_KEY):
        return keys.active(BACKUP_KEY)
    return keys.new(BACKUP_KEY)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return sha256(header).digest() + struct.pack(">QB", index, final)


def _write_sealed(out: IO[bytes], key: Key, header: bytes, chunks: Iterable[bytes]) -> int:
    """Write the header line and the sealed chunks; returns the plaintext bytes written."""
    out.write(header + b"\n")
    aead = AESGCM(key.material)
    total, index = 0, 0
    pending: bytes | None = None
    for chunk in chunks:
        if pending is not None:
            total += _seal_chunk(out, aead, header, index, pending, final=False)
            index += 1
        pending = chunk
    total += _seal_chunk(out, aead, header, index, pending or b"", final=True)
    return total


def _seal_chunk(out: IO[bytes], aead: AESGCM, header: bytes, index: int, data: bytes, *, final: bool) -> int:
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, data, _aad(header, index, final))
    out.write(struct.pack(">I", len(sealed)) + nonce + sealed)
    return len(data)


def _read_sealed(handle: IO[bytes], keys: KeyStore, path: Path) -> tuple[dict[str, Any], Iterator[bytes]]:
    header = handle.readline().rstrip(b"\n")
    try:
        meta = json.loads(header)
        if meta.get("format") != FORMAT:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"{path} is not a signaal backup") from None
    aead = AESGCM(_backup_key(keys, str(meta["key"])).material)

    def chunks() -> Iterator[bytes]:
        index = 0
        while True:
            size = handle.read(4)
            if len(size) < 4:
                raise InvalidInput(f"{path} is cut short: the backup is incomplete")
            body = handle.read(12 + struct.unpack(">I", size)[0])
            nonce, sealed = body[:12], body[12:]
            for final in (False, True):
                try:
                    data = aead.decrypt(nonce, sealed, _aad(header, index, final))
                except InvalidTag:
                    continue
                yield data
                if final:
                    return
                break
            else:
                raise InvalidInput(f"{path}: part {index} does not decrypt (changed, or another backup key)")
            index += 1

    return meta, chunks()


def _open_private(path: Path, force: bool) -> IO[bytes]:
    if path.exists() and not force:
        raise InvalidInput(f"{path} exists; choose another name or pass --force")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def backup(store: Store, actor: Actor, out: Path, *, force: bool = False) -> BackupInfo:
    """Write an encrypted backup of the registry to ``out``."""
    _require_admin(actor)
    key = _backup_key(key_store_for(store.settings))
    header = json.dumps(
        {"format": FORMAT, "backend": store.dialect, "key": key.ref, "made_at": datetime.now(UTC).isoformat()},
        sort_keys=True,
    ).encode()
    with store.session() as session:  # recorded first, so the backup holds the record of itself
        record_access(session, actor, "backup", (), {"file": out.name, "key": key.ref})
    chunks = _sqlite_snapshot(store) if store.dialect == "sqlite" else _pg_dump(store.url)
    with _open_private(out, force) as handle:
        size = _write_sealed(handle, key, header, chunks)
    return BackupInfo(str(out), store.dialect, key.ref, size)


def _sqlite_snapshot(store: Store) -> Iterator[bytes]:
    path = make_url(store.url).database
    assert path
    source = sqlite3.connect(path)
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)  # the online backup API: a consistent copy while others write
        image = memory.serialize()
    finally:
        source.close()
        memory.close()
    for start in range(0, len(image), CHUNK):
        yield bytes(image[start : start + CHUNK])


def _libpq(url: str) -> tuple[str, list[str]]:
    """A libpq connection string and the schema named in the URL's search_path option, if any."""
    parsed = make_url(url)
    options = str(parsed.query.get("options", ""))
    schemas = [p.split("=", 1)[1] for p in options.split() if p.startswith("-csearch_path=")]
    plain = parsed.set(drivername="postgresql").difference_update_query(["options"])
    return plain.render_as_string(hide_password=False), schemas


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigError(f"{name} is not installed; install the PostgreSQL client tools (docs/security.md)")
    return found


def _pg_dump(url: str) -> Iterator[bytes]:
    conn, schemas = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--dbname={conn}"]
    command += [f"--schema={s}" for s in schemas]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    while chunk := process.stdout.read(CHUNK):
        yield chunk
    if process.wait() != 0:
        raise StorageError(f"pg_dump failed: {process.stderr.read().decode(errors='replace').strip()[:500]}")


def restore(settings: Settings, actor: Actor, source: Path, *, force: bool = False) -> BackupInfo:
    """Restore a backup into the registry ``settings`` names (a new SQLite file, or an empty PostgreSQL
    database); the restored chains are verified before this returns."""
    _require_admin(actor)
    if not source.is_file():
        raise InvalidInput(f"no backup at {source}")
    keys = key_store_for(settings)
    with source.open("rb") as handle:
        meta, chunks = _read_sealed(handle, keys, source)
        backend = make_url(settings.database_url).get_backend_name()
        if meta["backend"] != backend:
            raise InvalidInput(f"{source} is a {meta['backend']} backup; SIGNAAL_DATABASE_URL is {backend}")
        size = _restore_sqlite(settings, chunks, force) if backend == "sqlite" else _pg_restore(settings, chunks)
    store = open_store(settings, create=False)
    try:
        report = verify(store)
    finally:
        store.close()
    if not report.ok:
        raise StorageError(f"the restored registry does not verify: {report.as_dict()['chains']}")
    return BackupInfo(str(source), backend, str(meta["key"]), size)


def _restore_sqlite(settings: Settings, chunks: Iterator[bytes], force: bool) -> int:
    path = Path(make_url(settings.database_url).database or "")
    if path.exists() and not force:
        raise InvalidInput(f"{path} exists; restore into a new file, or pass --force to replace it")
    image = bytearray(b"".join(chunks))  # every part decrypts and authenticates before anything is written
    if len(image) >= 100:
        image[18:20] = b"\x01\x01"  # a rollback-journal image: the copy below needs no -wal file
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(bytes(image))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        target = sqlite3.connect(path)
        try:
            memory.backup(target)
        finally:
            target.close()
    finally:
        memory.close()
    return len(image)


def _pg_restore(settings: Settings, chunks: Iterator[bytes]) -> int:
    conn, _ = _libpq(settings.database_url)
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    command.append(f"--dbname={conn}")
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stderr is not None
    total = 0
    try:
        for chunk in chunks:
            process.stdin.write(chunk)
            total += len(chunk)
    finally:
        process.stdin.close()
    if process.wait() != 0:
        raise StorageError(f"pg_restore failed: {process.stderr.read().decode(errors='replace').strip()[:500]}")
    return total
