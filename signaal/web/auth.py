"""Who is acting: single-user mode on 127.0.0.1, or users from a YAML file with salted password hashes.

A password hash is ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` (standard library ``hashlib.scrypt``).
The session is a signed cookie (itsdangerous) holding only the user name.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml
from itsdangerous import BadSignature, URLSafeTimedSerializer

from signaal.domain.actor import Actor, Role
from signaal.errors import ConfigError, Problem
from signaal.settings import Settings

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
_SCRYPT = (2**14, 8, 1)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash of a password in the users-file format."""
    salt = salt or secrets.token_bytes(16)
    n, r, p = _SCRYPT
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether a password matches a stored hash (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(bytes.fromhex(digest))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed.hex(), digest)


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
        if not str(raw["password_hash"]).startswith("scrypt$"):
            problems.append(
                Problem("password_hash must be made with 'signaal hash-password'", file=str(path), field=where)
            )
            continue
        token_hash = raw.get("token_hash")
        users[str(raw["name"])] = UserRecord(
            str(raw["name"]),
            str(raw["org"]),
            Role(raw["role"]),
            str(raw["password_hash"]),
            str(token_hash) if token_hash else None,
        )
    if problems or not users:
        raise ConfigError(f"SIGNAAL_AUTH_USERS_FILE {path}: no usable users", problems)
    return users


class Users:
    """The authentication mode of one app: single-user (no file) or the users of a file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.records = load_users(settings.auth_users_file) if settings.auth_users_file else None
        self.serializer = URLSafeTimedSerializer(settings.secret_key, salt="signaal-session")

    @property
    def single_user(self) -> bool:
        """True when no users file is configured (only allowed on a loopback address)."""
        return self.records is None

    def single_actor(self) -> Actor:
        """The actor of single-user mode: the machine account of the embedded install."""
        return local_actor(self.settings)

    def authenticate(self, name: str, password: str) -> UserRecord | None:
        """The user when name and password match, else None."""
        record = (self.records or {}).get(name)
        if record is None:
            verify_password(password, hash_password("timing-equaliser"))  # same cost for unknown names
            return None
        return record if verify_password(password, record.password_hash) else None

    def authenticate_token(self, token: str) -> UserRecord | None:
        """The user of a personal token ``<user>.<secret>`` when it matches their token_hash, else None."""
        name = token.partition(".")[0]
        record = (self.records or {}).get(name)
        if record is None or not record.token_hash:
            verify_password(token, hash_password("timing-equaliser"))
            return None
        return record if verify_password(token, record.token_hash) else None

    def session_cookie(self, record: UserRecord) -> str:
        """A signed session value for a logged-in user."""
        return self.serializer.dumps({"user": record.name})

    def actor_from_cookie(self, value: str | None) -> Actor | None:
        """The actor of a valid session cookie, or None."""
        if not value or self.records is None:
            return None
        try:
            data = self.serializer.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        record = self.records.get(str(data.get("user", ""))) if isinstance(data, dict) else None
        return record.actor if record else None
