"""Server-side web sessions and login throttling.

A session is a random value in the user's cookie; the store keeps only its SHA-256, with the
user, an absolute and an idle expiry, and a fingerprint of the user's credentials at sign-in, so a
session ends on logout, on expiry, on an administrator's revocation and when the password
changes. Failed sign-ins are counted per account and per address in a window; past the limit the
account or address waits, whatever password it tries next.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, NotFound
from signaal.store import Store
from signaal.store.tables_sessions import LoginThrottleRow, WebSessionRow

__all__ = [
    "SessionInfo",
    "SessionUser",
    "Throttle",
    "end_session",
    "list_sessions",
    "login_failed",
    "login_succeeded",
    "login_wait",
    "revoke_session",
    "revoke_user_sessions",
    "session_user",
    "start_session",
]

#: How often at most the last-seen time of a session is written (not on every request).
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Throttle:
    """Failures allowed per account and per address within ``window`` before a wait of ``lockout``."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class SessionUser:
    """Who a valid session belongs to, and the credential fingerprint it was started with."""

    session_id: str
    user: str
    credential: str
    org: str = ""
    role: str = ""


@dataclass(frozen=True)
class SessionInfo:
    """One session as the administrators' list shows it (never the cookie value)."""

    id: str
    user: str
    org: str
    role: str
    created_at: datetime
    last_seen: datetime
    expires_at: datetime
    client: str
    user_agent: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoked_reason: str | None

    @property
    def short_id(self) -> str:
        """The first characters of the id, enough to tell sessions apart on a page."""
        return self.id[:12]


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they were written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _session_id(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


def start_session(
    store: Store,
    actor: Actor,
    credential: str,
    *,
    client: str = "",
    user_agent: str = "",
    max_age: timedelta = timedelta(hours=12),
    idle: timedelta = timedelta(hours=1),
    now: datetime | None = None,
) -> str:
    """Start a session for a user who just signed in; returns the cookie value (stored only hashed)."""
    at = _now(now)
    value = secrets.token_urlsafe(32)
    with store.session() as session:
        session.add(
            WebSessionRow(
                id=_session_id(value),
                user_name=actor.user,
                org=actor.org,
                role=actor.role.value,
                credential=credential,
                created_at=at,
                last_seen=at,
                expires_at=at + max_age,
                idle_expires_at=at + min(idle, max_age),
                client=client[:64],
                user_agent=user_agent[:200],
            )
        )
    return value


def session_user(
    store: Store, cookie_value: str | None, *, idle: timedelta = timedelta(hours=1), now: datetime | None = None
) -> SessionUser | None:
    """The user of a live session (not revoked, not expired, not idle too long), or None."""
    if not cookie_value or len(cookie_value) > 200:
        return None
    at = _now(now)
    with store.session() as session:
        row = session.get(WebSessionRow, _session_id(cookie_value))
        if row is None or row.revoked_at is not None:
            return None
        if at >= _aware(row.expires_at) or at >= _aware(row.idle_expires_at):
            return None
        if at - _aware(row.last_seen) >= _TOUCH_EVERY:
            row.last_seen = at
            row.idle_expires_at = min(at + idle, _aware(row.expires_at))
        return SessionUser(session_id=row.id, user=row.user_name, credential=row.credential, org=row.org, role=row.role)


def _revoke(session: Session, condition: object, by: str, reason: str, at: datetime) -> int:
    result = session.execute(
        update(WebSessionRow)
        .where(condition, WebSessionRow.revoked_at.is_(None))  # type: ignore[arg-type]
        .values(revoked_at=at, revoked_by=by, revoked_reason=reason[:80])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def end_session(store: Store, cookie_value: str | None, reason: str = "logout", now: datetime | None = None) -> None:
    """End the session of this cookie (logout); an unknown cookie is ignored."""
    if not cookie_value or len(cookie_value) > 200:
        return
    with store.session() as session:
        row = session.get(WebSessionRow, _session_id(cookie_value))
        if row is not None:
            _revoke(session, WebSessionRow.id == row.id, row.user_name, reason, _now(now))


def revoke_user_sessions(store: Store, actor: Actor, user: str, reason: str, now: datetime | None = None) -> int:
    """End every live session of ``user`` (an administrator, or the user themself); returns how many."""
    if actor.role != Role.ADMIN and actor.user != user:
        raise Forbidden(f"{actor} may not end the sessions of {user}")
    with store.session() as session:
        return _revoke(session, WebSessionRow.user_name == user, actor.user, reason, _now(now))


def revoke_session(store: Store, actor: Actor, session_id: str, reason: str, now: datetime | None = None) -> None:
    """End one session by its id (an administrator, or its own user)."""
    with store.session() as session:
        row = session.get(WebSessionRow, session_id) if len(session_id) == 64 else None
        if row is None or (actor.role != Role.ADMIN and row.user_name != actor.user):
            raise NotFound(f"no session {session_id[:12]!r}")
        _revoke(session, WebSessionRow.id == row.id, actor.user, reason, _now(now))


def list_sessions(
    store: Store, actor: Actor, *, live_only: bool = True, limit: int = 500, now: datetime | None = None
) -> list[SessionInfo]:
    """Sessions, newest first, for administrators only; ``live_only`` leaves out ended ones."""
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not list sessions")
    at = _now(now)
    query = select(WebSessionRow).order_by(WebSessionRow.created_at.desc()).limit(limit)
    if live_only:
        query = query.where(
            WebSessionRow.revoked_at.is_(None), WebSessionRow.expires_at > at, WebSessionRow.idle_expires_at > at
        )
    with store.session() as session:
        rows = session.scalars(query).all()
    return [
        SessionInfo(
            id=r.id,
            user=r.user_name,
            org=r.org,
            role=r.role,
            created_at=_aware(r.created_at),
            last_seen=_aware(r.last_seen),
            expires_at=_aware(min(_aware(r.expires_at), _aware(r.idle_expires_at))),
            client=r.client,
            user_agent=r.user_agent,
            revoked_at=_aware(r.revoked_at) if r.revoked_at else None,
            revoked_by=r.revoked_by,
            revoked_reason=r.revoked_reason,
        )
        for r in rows
    ]


def _keys(user: str, address: str) -> list[tuple[str, str]]:
    return [("account", f"user:{user.lower()[:150]}"), ("address", f"addr:{address[:64]}")]


def login_wait(
    store: Store, user: str, address: str, throttle: Throttle | None = None, now: datetime | None = None
) -> int:
    """Seconds this account or address must still wait before another sign-in is tried (0: go ahead)."""
    at = _now(now)
    wait = 0.0
    with store.session() as session:
        for _, key in _keys(user, address):
            row = session.get(LoginThrottleRow, key)
            if row is not None and row.locked_until is not None and _aware(row.locked_until) > at:
                wait = max(wait, (_aware(row.locked_until) - at).total_seconds())
    return int(wait) + (1 if wait else 0)


def login_failed(
    store: Store, user: str, address: str, throttle: Throttle | None = None, now: datetime | None = None
) -> None:
    """Count a failed sign-in against the account and the address; lock either past its limit."""
    try:
        _count_failure(store, user, address, throttle or Throttle(), _now(now))
    except IntegrityError:  # a first failure counted at the same moment by another request
        _count_failure(store, user, address, throttle or Throttle(), _now(now))


def _count_failure(store: Store, user: str, address: str, limits: Throttle, at: datetime) -> None:
    with store.session() as session:
        for kind, key in _keys(user, address):
            row = session.get(LoginThrottleRow, key, with_for_update=True)
            if row is None:
                row = LoginThrottleRow(key=key, failures=0, window_start=at, locked_until=None)
                session.add(row)
            elif at - _aware(row.window_start) > limits.window:
                row.failures, row.window_start = 0, at
            row.failures += 1
            allowed = limits.per_account if kind == "account" else limits.per_address
            if row.failures >= allowed:
                row.locked_until = at + limits.lockout


def login_succeeded(store: Store, user: str, now: datetime | None = None) -> None:
    """A successful sign-in clears the account's count (the address keeps its own)."""
    del now
    with store.session() as session:
        row = session.get(LoginThrottleRow, _keys(user, "")[0][1])
        if row is not None:
            session.delete(row)
