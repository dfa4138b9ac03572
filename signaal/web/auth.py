"""Who is acting: single-user mode on 127.0.0.1, or users from a YAML file with password hashes.

Password and token hashes are argon2id, optionally peppered with a key of the key store
(:mod:`signaal.web.passwords`). A signed-in browser holds a random session value; the session
itself lives in the store (:mod:`signaal.services.sessions`), so logout, expiry, an
administrator's revocation and a password change end it. The users file is read again when it
changes. A user with ``totp_secret`` signs in with a one-time code as well (TOTP, RFC 6238).
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from signaal.domain.actor import Actor, Role
from signaal.errors import ConfigError, Problem
from signaal.settings import Settings
from signaal.web.passwords import hash_password, pepper_of, usable_hash, verify_password

__all__ = [
    "SESSION_COOKIE",
    "UserRecord",
    "Users",
    "hash_password",
    "load_users",
    "local_actor",
    "new_token",
    "verify_password",
]

SESSION_COOKIE = "signaal_session"
SESSION_MAX_AGE = 12 * 3600
SESSION_IDLE = timedelta(hours=1)
#: The credential fingerprint of a session started through single sign-on (no password here).
OIDC_CREDENTIAL = "oidc"
log = logging.getLogger("signaal.web")


def new_token(user: str) -> tuple[str, str]:
    """A new personal token ``<user>.<secret>`` for the CLI, and the hash the users file keeps of it."""
    token = f"{user}.{secrets.token_urlsafe(32)}"
    return token, hash_password(token)


def local_actor(settings: Settings) -> Actor:
    """The acting user of an embedded install (no users file): the machine account, recorded as such.

    The organisation and role are the install's (SIGNAAL_ORG, SIGNAAL_ROLE); the name is the
    operating-system account that runs signaal, ``local:<account>``, never a name from input.
    """
    try:
        account = getpass.getuser()
    except Exception:  # no passwd entry in some containers
        account = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return Actor(user=f"local:{account}", org=settings.org, role=Role(settings.role))


@dataclass(frozen=True)
class UserRecord:
    """One user of the users file."""

    name: str
    org: str
    role: Role
    password_hash: str
    token_hash: str | None = None
    totp_secret: str | None = None

    @property
    def credential(self) -> str:
        """A fingerprint of the user's credentials: a session started before they changed is ended."""
        material = f"{self.password_hash}\0{self.totp_secret or ''}".encode()
        return hashlib.sha256(material).hexdigest()[:32]

    @property
    def actor(self) -> Actor:
        """The actor this user acts as."""
        return Actor(user=self.name, org=self.org, role=self.role)


def load_users(path: Path) -> dict[str, UserRecord]:
    """Read the users file; a malformed entry is a ConfigError naming the file and entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError as exc:
        raise ConfigError(f"SIGNAAL_AUTH_USERS_FILE: cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"SIGNAAL_AUTH_USERS_FILE: {path} is not valid YAML: {exc}") from None
    if isinstance(data, dict):
        data = data.get("users", [])
    problems: list[Problem] = []
    users: dict[str, UserRecord] = {}
    roles = {r.value for r in Role}
    for i, raw in enumerate(data if isinstance(data, list) else [], start=1):
        where = f"user {i}"
        if not isinstance(raw, dict):
            problems.append(
                Problem("expected a mapping with name, org, role, password_hash", file=str(path), field=where)
            )
            continue
        missing = [k for k in ("name", "org", "role", "password_hash") if not raw.get(k)]
        if missing:
            problems.append(Problem(f"missing {', '.join(missing)}", file=str(path), field=where))
            continue
        if raw["role"] not in roles:
            problems.append(Problem(f"unknown role {raw['role']!r}", file=str(path), field=where))
            continue
        if not usable_hash(str(raw["password_hash"])):
            problems.append(
                Problem("password_hash must be made with 'signaal hash-password'", file=str(path), field=where)
            )
            continue
        token_hash, totp = raw.get("token_hash"), raw.get("totp_secret")
        if totp and not _valid_totp_secret(str(totp)):
            problems.append(
                Problem("totp_secret must be base32 (from 'signaal totp new')", file=str(path), field=where)
            )
            continue
        users[str(raw["name"])] = UserRecord(
            str(raw["name"]),
            str(raw["org"]),
            Role(raw["role"]),
            str(raw["password_hash"]),
            str(token_hash) if token_hash else None,
            str(totp) if totp else None,
        )
    if problems or not users:
        raise ConfigError(f"SIGNAAL_AUTH_USERS_FILE {path}: no usable users", problems)
    return users


def _valid_totp_secret(secret: str) -> bool:
    import base64
    import binascii

    try:
        return len(base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))) >= 10
    except (binascii.Error, ValueError):
        return False


def totp_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose TOTP of the secret is this six-digit code (one step of clock drift
    allowed either way), or None. The caller accepts a step once (:func:`accounts.accept_totp_step`)."""
    import hmac
    import time

    import pyotp

    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int((time.time() if at is None else at) // totp.interval)
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def totp_ok(secret: str, code: str) -> bool:
    """Whether a six-digit code is the TOTP of the secret now (one step of clock drift allowed)."""
    return totp_step(secret, code) is not None


class Users:
    """The authentication mode of one app: single-user (no file) or the users of a file.

    Unknown names cost the same as known ones: their password is checked against a dummy hash
    made the same way (same algorithm, same pepper) when the users are loaded.
    """

    def __init__(self, settings: Settings, store: Any = None) -> None:
        self.settings = settings
        self.store = store
        self.path = settings.auth_users_file
        self._records = load_users(self.path) if self.path else None
        self._stamp = self._file_stamp()
        self.keys, self.pepper = pepper_of(settings) if self.path else (None, None)
        self._dummy = hash_password(secrets.token_hex(16), self.pepper)

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat() if self.path else None
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size) if stat else None

    @property
    def records(self) -> dict[str, UserRecord] | None:
        """The users, read again when the file changed (a broken new version keeps the old users)."""
        if self.path is not None and self._file_stamp() != self._stamp:
            self._stamp = self._file_stamp()
            try:
                self._records = load_users(self.path)
            except ConfigError as exc:
                log.error("users file changed but cannot be used; keeping the previous users: %s", exc)
        return self._records

    @property
    def single_user(self) -> bool:
        """True when neither a users file nor single sign-on is configured (loopback only)."""
        return not self.settings.multi_user

    def single_actor(self) -> Actor:
        """The actor of single-user mode: the machine account of the embedded install."""
        return local_actor(self.settings)

    def authenticate(self, name: str, password: str) -> UserRecord | None:
        """The user when name and password match, else None (the same work for an unknown name)."""
        record = (self.records or {}).get(name)
        ok = verify_password(password, record.password_hash if record else self._dummy, self.keys)
        return record if record is not None and ok else None

    def authenticate_token(self, token: str) -> UserRecord | None:
        """The user of a personal token ``<user>.<secret>`` when it matches their token_hash, else None."""
        record = (self.records or {}).get(token.partition(".")[0])
        stored = record.token_hash if record is not None and record.token_hash else self._dummy
        ok = verify_password(token, stored, self.keys)
        return record if record is not None and record.token_hash and ok else None

    def start_session(self, record: UserRecord | Actor, client: str = "", user_agent: str = "") -> str:
        """Start a server-side session for a user of the file, or an actor from single sign-on;
        returns the cookie value."""
        from signaal.services import sessions

        actor, credential = (
            (record, OIDC_CREDENTIAL) if isinstance(record, Actor) else (record.actor, record.credential)
        )
        return sessions.start_session(
            self.store,
            actor,
            credential,
            client=client,
            user_agent=user_agent,
            max_age=timedelta(seconds=SESSION_MAX_AGE),
            idle=SESSION_IDLE,
        )

    def actor_from_cookie(self, value: str | None) -> Actor | None:
        """The actor of a live session whose user still has the credentials it started with, or None."""
        if not value or self.single_user or self.store is None:
            return None
        from signaal.services import sessions

        found = sessions.session_user(self.store, value, idle=SESSION_IDLE)
        if found is not None and found.credential == OIDC_CREDENTIAL:
            # The provider vouched for organisation and role at sign-in; the session keeps them.
            return Actor(user=found.user, org=found.org, role=Role(found.role))
        record = (self.records or {}).get(found.user) if found else None
        if found is None or record is None or record.credential != found.credential:
            return None
        return record.actor
