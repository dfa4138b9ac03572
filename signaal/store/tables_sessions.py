"""Storage rows of web sign-in: server-side sessions, login throttling counters and account states.

A session row is found by the SHA-256 of the random value in the user's cookie (the value itself
is never stored); it ends at ``expires_at``, on logout, on an administrator's revocation, or when
the user's password (or token of second factor) changes, which changes ``credential``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from signaal.store.tables import Base

__all__ = ["AccountStateRow", "LoginThrottleRow", "WebSessionRow"]


class WebSessionRow(Base):
    """One signed-in browser session of a user of the users file."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "user_name"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 hex of the cookie value
    user_name: Mapped[str] = mapped_column(String(120))
    org: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    credential: Mapped[str] = mapped_column(String(32))  # fingerprint of the password hash at sign-in
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    idle_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    client: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(120))
    revoked_reason: Mapped[str | None] = mapped_column(String(80))


class LoginThrottleRow(Base):
    """Failed sign-ins of one account (``user:<name>``) or one address (``addr:<ip>``) in a window."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountStateRow(Base):
    """What the store knows of one account: its lockout, its last accepted one-time code, and for
    an account from single sign-on, the organisation and role it last signed in with."""

    __tablename__ = "account_states"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    source: Mapped[str] = mapped_column(String(10), default="local")  # local (users file) or oidc
    org: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20), default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive, since the last success
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unlocked_by: Mapped[str | None] = mapped_column(String(120))
    unlocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # time step of the last accepted code
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
