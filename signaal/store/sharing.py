"""Reading and writing sharing acts and assignments; the visibility condition of signal queries."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, or_, select, update
from sqlalchemy.orm import Session

from signaal.domain.access import SharingAct, parse_scope
from signaal.domain.actor import Actor
from signaal.store.standing import active_standing, covered, standing_condition
from signaal.store.tables import SignalRow
from signaal.store.tables_access import AssignmentRow, SharingActRow

__all__ = [
    "active_acts",
    "acts_of",
    "assignment_of",
    "insert_act",
    "owners_of",
    "revoke_act",
    "set_assignment",
    "visible_condition",
]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time here is stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def visible_condition(actor: Actor, group: str | None = None, at: datetime | None = None) -> ColumnElement[bool]:
    """The SQL condition on ``signals`` of what the actor may see: their organisation's signals and
    those shared with it by an act — per signal or standing — that is neither revoked nor expired
    at ``at`` (and, with ``group``, whose scope includes that field group). One query: the acts
    are checked in SQL, not after."""
    moment = at or datetime.now(UTC)
    shared = select(SharingActRow.signal_id).where(
        SharingActRow.org == actor.org,
        SharingActRow.revoked_at.is_(None),
        SharingActRow.granted_at <= moment,
        SharingActRow.expires_at > moment,
    )
    if group is not None:
        # The scope is a sorted list of whole group names, none a part of another.
        shared = shared.where(SharingActRow.scope.like(f"%{group}%"))
    standing = standing_condition(actor.org, moment, group)
    return or_(SignalRow.owner_org == actor.org, SignalRow.id.in_(shared), standing)


def _act(row: SharingActRow) -> SharingAct:
    return SharingAct(
        id=row.id,
        signal_id=row.signal_id,
        org=row.org,
        basis=row.basis,
        purpose=row.purpose,
        scope=parse_scope([row.scope]),
        granted_by=row.granted_by,
        granted_at=_utc(row.granted_at),
        expires_at=_utc(row.expires_at),
        revoked_at=_utc(row.revoked_at) if row.revoked_at is not None else None,
        revoked_by=row.revoked_by,
    )


def acts_of(session: Session, signal_id: str) -> list[SharingAct]:
    """Every act of one signal, active or not, newest first."""
    found = session.scalars(
        select(SharingActRow).where(SharingActRow.signal_id == signal_id).order_by(SharingActRow.granted_at.desc())
    )
    return [_act(r) for r in found]


def active_acts(session: Session, org: str, signal_ids: Sequence[str], at: datetime) -> dict[str, list[SharingAct]]:
    """Per signal, the acts naming ``org`` that are active at ``at``: its own, and the standing acts
    covering it (as they apply to that signal)."""
    out: dict[str, list[SharingAct]] = {}
    wanted = list(dict.fromkeys(signal_ids))
    for sid, acts in covered(session, active_standing(session, org, at), wanted).items():
        out[sid] = [a.for_signal(sid) for a in acts]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in session.scalars(
            select(SharingActRow).where(
                SharingActRow.org == org,
                SharingActRow.signal_id.in_(chunk),
                SharingActRow.revoked_at.is_(None),
                and_(SharingActRow.granted_at <= at, SharingActRow.expires_at > at),
            )
        ):
            out.setdefault(row.signal_id, []).append(_act(row))
    return out


def owners_of(session: Session, signal_ids: Sequence[str]) -> dict[str, str]:
    """The owning organisation of each existing signal among ``signal_ids``."""
    out: dict[str, str] = {}
    wanted = list(dict.fromkeys(signal_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for sid, org in session.execute(select(SignalRow.id, SignalRow.owner_org).where(SignalRow.id.in_(chunk))):
            out[sid] = org
    return out


def insert_act(session: Session, act: dict[str, Any]) -> str:
    """Write a new act (scope as a list of group names); returns its new id."""
    act_id = secrets.token_hex(6)
    values = {**act, "id": act_id, "scope": ",".join(sorted(act["scope"]))}
    session.execute(insert(SharingActRow).values(**values))
    return act_id


def revoke_act(session: Session, signal_id: str, act_id: str, by: str, at: datetime) -> SharingAct | None:
    """Mark an act of a signal revoked; the act as it was, or None when there is no such unrevoked act."""
    row = session.scalars(
        select(SharingActRow).where(
            SharingActRow.id == act_id, SharingActRow.signal_id == signal_id, SharingActRow.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    before = _act(row)
    session.execute(update(SharingActRow).where(SharingActRow.id == act_id).values(revoked_at=at, revoked_by=by))
    return before


def assignment_of(session: Session, signal_id: str) -> AssignmentRow | None:
    """Who handles a signal now, if anyone was assigned."""
    return session.get(AssignmentRow, signal_id)


def set_assignment(session: Session, signal_id: str, assignee: str | None, team: str | None, by: str) -> None:
    """Record the person and team handling a signal (the caller appends the event)."""
    values = {"assignee": assignee, "team": team, "assigned_by": by, "assigned_at": datetime.now(UTC)}
    if session.get(AssignmentRow, signal_id) is None:
        session.execute(insert(AssignmentRow).values(signal_id=signal_id, **values))
    else:
        session.execute(update(AssignmentRow).where(AssignmentRow.signal_id == signal_id).values(**values))
