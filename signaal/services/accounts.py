"""Accounts as the store knows them: lockout, one-time-code replay, sign-in audit, the admin list.

The users file (and the OIDC provider) say who may sign in; this module keeps what changes with
each sign-in. An account is locked after ``limit`` failed sign-ins in a row, whatever the throttle
allowed in between, and stays locked until an administrator unlocks it. A one-time code is
accepted once: the time step of the last accepted code is kept per account and a code of that
step or an earlier one is refused. Every sign-in, refused or not, and every unlock is written to
the access audit (action ``login``, ``login_refused``, ``unlock``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, NotFound
from signaal.store import Store
from signaal.store import chain as chains
from signaal.store.tables_sessions import AccountStateRow

__all__ = [
    "AccountState",
    "accept_totp_step",
    "account_states",
    "audit_login",
    "is_locked",
    "sign_in_failed",
    "sign_in_refused",
    "sign_in_succeeded",
    "unlock",
]

#: What an administrator unlocking an account is recorded as doing.
UNLOCK_REASON = "unlocked by admin"


@dataclass(frozen=True)
class AccountState:
    """One account as the administrators' page shows it."""

    name: str
    source: str
    org: str
    role: str
    failures: int
    locked_at: datetime | None
    last_login_at: datetime | None

    @property
    def locked(self) -> bool:
        """Whether the account is locked."""
        return self.locked_at is not None


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they were written in UTC."""
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


def _key(name: str) -> str:
    return name[:120]


def _row(session: Session, name: str) -> AccountStateRow:
    """The state row of an account, made when it has none (a concurrent maker wins the race)."""
    row = session.get(AccountStateRow, _key(name), with_for_update=True)
    if row is None:
        row = AccountStateRow(name=_key(name), source="local", org="", role="", failures=0)
        session.add(row)
        session.flush()
    return row


def _with_retry(store: Store, work: Any) -> Any:
    try:
        with store.session() as session:
            return work(session)
    except IntegrityError:  # the first row of this account was made by another request meanwhile
        with store.session() as session:
            return work(session)


def is_locked(store: Store, name: str) -> bool:
    """Whether the account is locked (an unknown name is locked the same way once it fails enough)."""
    with store.session() as session:
        row = session.get(AccountStateRow, _key(name))
        return row is not None and row.locked_at is not None


def sign_in_failed(store: Store, name: str, limit: int, reason: str, address: str = "") -> bool:
    """Count a failed sign-in; returns whether the account is now locked. Audited as ``login_refused``."""

    def work(session: Session) -> bool:
        row = _row(session, name)
        row.failures += 1
        if row.locked_at is None and row.failures >= limit:
            row.locked_at = datetime.now(UTC)
        audit_login(
            session, name, row.org, row.role or "unknown", "login_refused", {"reason": reason, "address": address}
        )
        return row.locked_at is not None

    return bool(_with_retry(store, work))


def sign_in_refused(store: Store, name: str, reason: str, address: str = "") -> None:
    """Audit a refused single sign-on (``login_refused``); the provider counts its own failures."""
    with store.session() as session:
        audit_login(session, name, "", "unknown", "login_refused", {"reason": reason, "address": address})


def sign_in_succeeded(store: Store, actor: Actor, source: str, address: str = "") -> None:
    """Reset the failure count and record the sign-in (and, for single sign-on, the organisation and role)."""

    def work(session: Session) -> None:
        row = _row(session, actor.user)
        row.failures = 0
        row.source, row.org, row.role = source, actor.org, actor.role.value
        row.last_login_at = datetime.now(UTC)
        audit_login(session, actor.user, actor.org, actor.role.value, "login", {"method": source, "address": address})

    _with_retry(store, work)


def accept_totp_step(store: Store, name: str, step: int) -> bool:
    """Take a one-time code of time step ``step``: True once, False when that step or a later one
    was accepted before (a replayed or older code). Atomic: two requests with one code get one True."""

    def work(session: Session) -> bool:
        _row(session, name)
        result = session.execute(
            update(AccountStateRow)
            .where(
                AccountStateRow.name == _key(name),
                or_(AccountStateRow.totp_last_step.is_(None), AccountStateRow.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    return bool(_with_retry(store, work))


def audit_login(session: Session, name: str, org: str, role: str, action: str, detail: dict[str, Any]) -> None:
    """Write one sign-in record to the access audit, in the caller's transaction."""
    row = {
        "at": datetime.now(UTC),
        "actor_user": name[:120],
        "actor_org": org[:120],
        "actor_role": role[:20],
        "on_behalf_of": None,
        "purpose": "authentication",
        "action": action,
        "signal_id": None,
        "detail": detail,
    }
    chains.append(session, "audit", [row])


def _admin_only(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not manage accounts")


def unlock(store: Store, actor: Actor, name: str) -> None:
    """Unlock an account and clear its failures (administrators only); audited as ``unlock``."""
    _admin_only(actor)
    with store.session() as session:
        row = session.get(AccountStateRow, _key(name), with_for_update=True)
        if row is None or row.locked_at is None:
            raise NotFound(f"account {name[:40]!r} is not locked")
        row.locked_at, row.failures = None, 0
        row.unlocked_by, row.unlocked_at = actor.user, datetime.now(UTC)
        audit_login(session, actor.user, actor.org, actor.role.value, "unlock", {"account": row.name})


def account_states(store: Store, actor: Actor) -> dict[str, AccountState]:
    """Every account the store knows, by name (administrators only)."""
    _admin_only(actor)
    with store.session() as session:
        found = session.scalars(select(AccountStateRow).order_by(AccountStateRow.name)).all()
        return {
            r.name: AccountState(
                r.name, r.source, r.org, r.role, r.failures, _aware(r.locked_at), _aware(r.last_login_at)
            )
            for r in found
        }
