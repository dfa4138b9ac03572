"""Reading and writing the organisation register and standing acts; their SQL visibility condition."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Exists, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from signaal.domain.access import StandingAct, parse_scope
from signaal.store.tables import SignalRow
from signaal.store.tables_access import OrganisationRow, StandingActRow

__all__ = [
    "active_standing",
    "covered",
    "covering",
    "insert_organisation",
    "insert_standing",
    "organisation",
    "organisations",
    "retire_organisation",
    "revoke_standing",
    "standing_acts",
    "standing_condition",
]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def organisations(session: Session, *, retired: bool = False) -> list[OrganisationRow]:
    """The registered organisations by id (the retired too with ``retired``)."""
    query = select(OrganisationRow).order_by(OrganisationRow.id)
    if not retired:
        query = query.where(OrganisationRow.retired_at.is_(None))
    return list(session.scalars(query))


def organisation(session: Session, org_id: str) -> OrganisationRow | None:
    """One registered organisation (retired or not)."""
    return session.get(OrganisationRow, org_id)


def insert_organisation(session: Session, values: dict[str, Any]) -> None:
    """Add an organisation to the register."""
    session.execute(insert(OrganisationRow).values(**values))


def retire_organisation(session: Session, org_id: str, by: str, at: datetime) -> bool:
    """Mark an organisation retired (no new acts name it); False when it is not registered or retired."""
    done = session.execute(
        update(OrganisationRow)
        .where(OrganisationRow.id == org_id, OrganisationRow.retired_at.is_(None))
        .values(retired_at=at, retired_by=by)
    )
    return bool(getattr(done, "rowcount", 0))


def _act(row: StandingActRow) -> StandingAct:
    return StandingAct(
        id=row.id,
        owner_org=row.owner_org,
        org=row.org,
        basis=row.basis,
        purpose=row.purpose,
        scope=parse_scope([row.scope]),
        form=row.form,
        police_unit=row.police_unit,
        granted_by=row.granted_by,
        granted_at=_utc(row.granted_at),
        expires_at=_utc(row.expires_at),
        revoked_at=_utc(row.revoked_at) if row.revoked_at is not None else None,
        revoked_by=row.revoked_by,
    )


def insert_standing(session: Session, act: dict[str, Any]) -> str:
    """Write a new standing act (scope as a list of group names); returns its new id."""
    act_id = "st" + secrets.token_hex(6)
    session.execute(insert(StandingActRow).values(**{**act, "id": act_id, "scope": ",".join(sorted(act["scope"]))}))
    return act_id


def standing_acts(session: Session, org: str) -> list[StandingAct]:
    """Every standing act granted by or to ``org``, active or not, newest first."""
    found = session.scalars(
        select(StandingActRow)
        .where(or_(StandingActRow.owner_org == org, StandingActRow.org == org))
        .order_by(StandingActRow.granted_at.desc())
    )
    return [_act(r) for r in found]


def active_standing(session: Session, org: str, at: datetime) -> list[StandingAct]:
    """The standing acts naming ``org`` as receiver that are active at ``at``."""
    found = session.scalars(
        select(StandingActRow).where(
            StandingActRow.org == org,
            StandingActRow.revoked_at.is_(None),
            StandingActRow.granted_at <= at,
            StandingActRow.expires_at > at,
        )
    )
    return [_act(r) for r in found]


def covered(session: Session, acts: Sequence[StandingAct], signal_ids: Sequence[str]) -> dict[str, list[StandingAct]]:
    """Per signal among ``signal_ids``, the standing acts among ``acts`` that cover it."""
    out: dict[str, list[StandingAct]] = {}
    if not acts:
        return out
    owners = sorted({a.owner_org for a in acts})
    wanted = list(dict.fromkeys(signal_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found = session.execute(
            select(SignalRow.id, SignalRow.owner_org, SignalRow.forms, SignalRow.police_unit).where(
                SignalRow.id.in_(chunk), SignalRow.owner_org.in_(owners)
            )
        )
        for sid, owner, forms, unit in found:
            hits = [a for a in acts if a.covers(owner, (forms or "").split(","), unit)]
            if hits:
                out[sid] = hits
    return out


def covering(session: Session, signal_id: str, owner_org: str, at: datetime) -> list[StandingAct]:
    """The standing acts of ``owner_org``, active at ``at``, that cover one signal (any receiver)."""
    found = session.scalars(
        select(StandingActRow).where(
            StandingActRow.owner_org == owner_org,
            StandingActRow.revoked_at.is_(None),
            StandingActRow.granted_at <= at,
            StandingActRow.expires_at > at,
        )
    )
    acts = [_act(r) for r in found]
    return [a for sid, hits in covered(session, acts, [signal_id]).items() for a in hits if sid == signal_id]


def revoke_standing(session: Session, owner_org: str, act_id: str, by: str, at: datetime) -> StandingAct | None:
    """Mark a standing act of ``owner_org`` revoked; the act as it was, or None when there is none unrevoked."""
    row = session.scalars(
        select(StandingActRow).where(
            StandingActRow.id == act_id, StandingActRow.owner_org == owner_org, StandingActRow.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    before = _act(row)
    session.execute(update(StandingActRow).where(StandingActRow.id == act_id).values(revoked_at=at, revoked_by=by))
    return before


def standing_condition(org: str, moment: datetime, group: str | None = None) -> Exists:
    """SQL, correlated with ``signals``: an active standing act gives ``org`` sight of the signal
    (and, with ``group``, its scope includes that field group)."""
    conditions: list[ColumnElement[bool]] = [
        StandingActRow.org == org,
        StandingActRow.owner_org == SignalRow.owner_org,
        StandingActRow.revoked_at.is_(None),
        StandingActRow.granted_at <= moment,
        StandingActRow.expires_at > moment,
        or_(
            StandingActRow.form.is_(None),
            (literal(",") + SignalRow.forms + literal(",")).like(literal("%,") + StandingActRow.form + literal(",%")),
        ),
        or_(StandingActRow.police_unit.is_(None), StandingActRow.police_unit == SignalRow.police_unit),
    ]
    if group is not None:
        # The scope is a sorted list of whole group names, none a part of another.
        conditions.append(StandingActRow.scope.like(f"%{group}%"))
    return select(StandingActRow.id).where(*conditions).exists()
