"""Named secret keys held outside the database, in files of a key directory.

A key directory (``SIGNAAL_KEY_DIR``) holds one file per key version, named ``NAME.KEYID.key``
(for example ``pseudonym.2026-12.key``), with at least 32 random bytes written as hex or base64.
``NAME.active`` names the key id in use for new work; older ids stay readable for rotation.
Every file must be readable by its owner only (mode 0600, directory 0700): a key another user
could read is refused. Nothing is written anywhere when a key is missing or wrong — callers load
the key first and only then start writing. The format is described in ``docs/keys.md``.

Used for the keyed pseudonyms of identifiers (``pseudonym``) and, by the security work, for
encryption and the login pepper; each use asks for its own name.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from signaal.errors import ConfigError

__all__ = ["MIN_KEY_BYTES", "Key", "KeyStore"]

MIN_KEY_BYTES = 32
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")


@dataclass(frozen=True)
class Key:
    """One version of a named key; ``material`` never appears in repr or logs."""

    name: str
    key_id: str
    material: bytes = field(repr=False)

    @property
    def ref(self) -> str:
        """The name and id together, as recorded next to anything made with this key."""
        return f"{self.name}.{self.key_id}"


def _decode(text: str, path: Path) -> bytes:
    value = "".join(text.split())
    if not value:
        raise ConfigError(f"key file {path} is empty")
    if _HEX.match(value) and len(value) % 2 == 0:
        raw = bytes.fromhex(value)
    else:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError(f"key file {path} is neither hex nor base64") from None
    if len(raw) < MIN_KEY_BYTES:
        raise ConfigError(f"key file {path} holds {len(raw)} bytes; a key needs at least {MIN_KEY_BYTES}")
    return raw


def _check_private(path: Path) -> None:
    if os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO) and path.is_file():
        raise ConfigError(
            f"key file {path} can be read or written by others (mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}"
        )
    if path.is_dir() and mode & (stat.S_IWGRP | stat.S_IWOTH | stat.S_IRWXO):
        raise ConfigError(
            f"key directory {path} is open to others (mode {stat.S_IMODE(mode):o}); run: chmod 700 {path}"
        )


class KeyStore:
    """The keys of one key directory; reads files on request and checks their permissions."""

    def __init__(self, directory: Path | str | None) -> None:
        self.directory = Path(directory) if directory else None

    def _dir(self) -> Path:
        if self.directory is None:
            raise ConfigError(
                "no key directory: set SIGNAAL_KEY_DIR to a directory readable by this user only "
                "(make a key with: signaal keys new pseudonym)"
            )
        if not self.directory.is_dir():
            raise ConfigError(f"key directory {self.directory} does not exist (SIGNAAL_KEY_DIR)")
        _check_private(self.directory)
        return self.directory

    def key_ids(self, name: str) -> list[str]:
        """The ids of every stored version of a key, sorted."""
        _check_name(name)
        directory = self._dir()
        ids = []
        for path in directory.glob(f"{name}.*.key"):
            key_id = path.name[len(name) + 1 : -len(".key")]
            if _KEY_ID.match(key_id):
                ids.append(key_id)
        return sorted(ids)

    def active_id(self, name: str) -> str:
        """The key id in use for new work: the one ``NAME.active`` names, or the only one there is."""
        ids = self.key_ids(name)
        marker = self._dir() / f"{name}.active"
        if marker.exists():
            key_id = marker.read_text(encoding="utf-8").strip()
            if key_id not in ids:
                raise ConfigError(f"{marker} names key id {key_id!r}, but there is no file {name}.{key_id}.key")
            return key_id
        if not ids:
            raise ConfigError(f"no key {name!r} in {self.directory}: make one with: signaal keys new {name}")
        if len(ids) > 1:
            raise ConfigError(
                f"several versions of key {name!r} ({', '.join(ids)}) and no {name}.active saying which is in use"
            )
        return ids[0]

    def get(self, name: str, key_id: str) -> Key:
        """One version of a key, read and checked."""
        _check_name(name)
        if not _KEY_ID.match(key_id):
            raise ConfigError(f"not a key id: {key_id!r}")
        path = self._dir() / f"{name}.{key_id}.key"
        if not path.is_file():
            raise ConfigError(f"no key file {path}")
        _check_private(path)
        return Key(name, key_id, _decode(path.read_text(encoding="ascii", errors="replace"), path))

    def active(self, name: str) -> Key:
        """The key version in use for new work."""
        return self.get(name, self.active_id(name))

    def new(self, name: str, key_id: str | None = None, *, activate: bool = True) -> Key:
        """Make a new random key version (owner-only file) and, by default, make it the active one."""
        _check_name(name)
        if self.directory is None:
            self._dir()
        assert self.directory is not None
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory = self._dir()
        key_id = key_id or _next_id(self.key_ids(name))
        if not _KEY_ID.match(key_id):
            raise ConfigError(f"not a key id: {key_id!r} (letters, digits, '-' and '_')")
        path = directory / f"{name}.{key_id}.key"
        material = secrets.token_bytes(MIN_KEY_BYTES)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(material.hex() + "\n")
        if activate:
            marker = directory / f"{name}.active"
            tmp = directory / f".{name}.active.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key_id + "\n")
            tmp.replace(marker)
        return Key(name, key_id, material)


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ConfigError(f"not a key name: {name!r} (lower-case letters, digits, '-' and '_')")


def _next_id(existing: list[str]) -> str:
    numbers = [int(i[1:]) for i in existing if re.fullmatch(r"k[0-9]+", i)]
    return f"k{max(numbers, default=0) + 1}"
