"""Encryption at rest of narratives and direct identifiers: one data key per signal, wrapped.

Each signal gets a random 256-bit data key. Its narrative, identifiers (value and raw text) and
indicator quotes are stored as AES-GCM ciphertext under that key, bound to their place (signal,
column) by the associated data, so a ciphertext cannot be moved to another signal or column. The
data key is stored only wrapped (AES-GCM) by the master key ``data`` from the key store, outside
the database; its key id is kept with it, so the master key can be rotated. Erasure destroys the
wrapped data key (crypto-shredding): the ciphertext and the hash chains stay, the content is gone.

A stored value that does not start with :data:`PREFIX` was written before encryption and is read
as it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from signaal.errors import ConfigError, StorageError
from signaal.keystore import Key, KeyStore
from signaal.settings import Settings
from signaal.store.tables import IdentifierRow
from signaal.store.tables_security import DataKeyRow

__all__ = ["ERASED", "PREFIX", "Codec", "SignalKeys", "codec_for", "key_store_for"]

PREFIX = "enc1:"
ERASED = "[erased]"
MASTER = "data"
LOOKUP = "lookup"


def key_store_for(settings: Settings) -> KeyStore:
    """The key store of a registry: SIGNAAL_KEY_DIR, or for a SQLite file a private folder beside it."""
    if settings.key_dir is not None:
        return KeyStore(settings.key_dir)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return KeyStore(Path(url.database).with_name(Path(url.database).name + ".keys"))
    raise ConfigError(
        "no key directory: set SIGNAAL_KEY_DIR to a directory readable by this user only "
        "(the narratives and identifiers are encrypted with a key kept there)"
    )


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> str:
    nonce = secrets.token_bytes(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, aad)).decode("ascii")


def _open(key: bytes, token: str, aad: bytes) -> bytes:
    raw = base64.b64decode(token)
    return AESGCM(key).decrypt(raw[:12], raw[12:], aad)


@dataclass
class SignalKeys:
    """The data keys of some signals, unwrapped; a shredded signal maps to None."""

    keys: dict[str, bytes | None] = field(default_factory=dict)

    def seal(self, signal_id: str, column: str, text: str | None) -> str | None:
        """The stored form of ``text`` in ``column`` of a signal (None and "" stay as they are)."""
        if not text:
            return text
        key = self.keys.get(signal_id)
        if key is None:
            raise StorageError(f"signal {signal_id} has no data key (erased?); nothing was written")
        return PREFIX + _seal(key, text.encode("utf-8"), f"{signal_id}:{column}".encode())

    def open(self, signal_id: str, column: str, stored: str | None) -> str | None:
        """The text of a stored value; ERASED when the signal's key was destroyed."""
        if not stored or not stored.startswith(PREFIX):
            return stored
        key = self.keys.get(signal_id)
        if key is None:
            return ERASED
        try:
            return _open(key, stored[len(PREFIX) :], f"{signal_id}:{column}".encode()).decode("utf-8")
        except (InvalidTag, ValueError):
            raise StorageError(f"signal {signal_id}: {column} does not decrypt (changed outside signaal?)") from None


class Codec:
    """Makes, wraps, unwraps and destroys the data keys of signals with the master key."""

    def __init__(self, keystore: KeyStore) -> None:
        self.keystore = keystore
        self._masters: dict[str, Key] = {}
        self._active: Key | None = None
        self._lookup: Key | None = None

    def _master(self, ref: str | None = None) -> Key:
        if ref is None:
            if self._active is None:
                self._active = self.keystore.active(MASTER)
                self._masters[self._active.ref] = self._active
            return self._active
        if ref not in self._masters:
            name, _, key_id = ref.partition(".")
            self._masters[ref] = self.keystore.get(name, key_id)
        return self._masters[ref]

    def _stored(self, name: str) -> bool:
        directory = self.keystore.directory
        return directory is not None and directory.is_dir() and bool(list(directory.glob(f"{name}.*.key")))

    def ensure_master(self, session: Session) -> None:
        """Make the master and lookup keys in a fresh registry's key store; refuse if data keys or
        lookup pseudonyms exist without them."""
        if not self._stored(MASTER):
            existing = session.scalar(select(DataKeyRow.kek_ref).limit(1))
            if existing is not None:
                raise ConfigError(
                    f"the registry's data keys are wrapped by {existing}, which is not in {self.keystore.directory}; "
                    "restore that key file (SIGNAAL_KEY_DIR)"
                )
            self.keystore.new(MASTER)
        if not self._stored(LOOKUP):
            if session.scalar(select(IdentifierRow.id).where(IdentifierRow.lookup.is_not(None)).limit(1)) is not None:
                raise ConfigError(
                    f"the registry's lookup pseudonyms were made with a key '{LOOKUP}' that is not in "
                    f"{self.keystore.directory}; restore that key file (SIGNAAL_KEY_DIR)"
                )
            self.keystore.new(LOOKUP)

    def lookup(self, kind: str, value: str) -> str:
        """The keyed pseudonym under which a normalised value is found without decrypting anything
        (HMAC-SHA-256 under the registry's own ``lookup`` key, which is never shared)."""
        if self._lookup is None:
            self._lookup = self.keystore.active(LOOKUP)
        return hmac.new(self._lookup.material, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()

    def new_keys(self, signal_ids: Iterable[str], now: datetime) -> tuple[SignalKeys, list[dict[str, Any]]]:
        """Fresh data keys for new signals, and the data_keys rows that store them wrapped."""
        master = self._master()
        keys = SignalKeys()
        rows = []
        for signal_id in signal_ids:
            key = AESGCM.generate_key(bit_length=256)
            keys.keys[signal_id] = key
            wrapped = _seal(master.material, key, f"{signal_id}:{master.ref}".encode())
            rows.append({"signal_id": signal_id, "kek_ref": master.ref, "wrapped": wrapped, "created_at": now})
        return keys, rows

    def load(self, session: Session, signal_ids: Iterable[str]) -> SignalKeys:
        """The unwrapped data keys of stored signals (None for a shredded one, absent for none)."""
        wanted = list(dict.fromkeys(signal_ids))
        keys = SignalKeys()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in session.execute(
                select(DataKeyRow.signal_id, DataKeyRow.kek_ref, DataKeyRow.wrapped).where(
                    DataKeyRow.signal_id.in_(chunk)
                )
            ):
                keys.keys[row.signal_id] = None if row.wrapped is None else self._unwrap(row)
        return keys

    def active_ref(self) -> str:
        """The reference of the master key new data keys are wrapped with."""
        return self._master().ref

    def rewrap(self, row: Any) -> tuple[str, str]:
        """A stored data key (signal_id, kek_ref, wrapped) wrapped anew by the active master key."""
        master = self._master()
        wrapped = _seal(master.material, self._unwrap(row), f"{row.signal_id}:{master.ref}".encode())
        return master.ref, wrapped

    def _unwrap(self, row: Any) -> bytes:
        try:
            return _open(self._master(row.kek_ref).material, row.wrapped, f"{row.signal_id}:{row.kek_ref}".encode())
        except (InvalidTag, ValueError):
            raise StorageError(f"the data key of signal {row.signal_id} does not unwrap with {row.kek_ref}") from None


def codec_for(settings: Settings) -> Codec:
    """The codec of a registry's settings (its key store; keys are read when first needed)."""
    return Codec(key_store_for(settings))
