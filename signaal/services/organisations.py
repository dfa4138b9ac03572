"""The organisation register: the organisations a sharing act may name as its receiver.

An admin adds an organisation (id — as in users' ``org`` —, name and kind) or retires it; nothing
is deleted, so the register keeps who could be named when. A sharing act, per signal or standing,
names a registered organisation that is not retired; an unknown one is refused with a message
that says how to add it. Adding and retiring are records in the access audit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from signaal.domain.actor import Actor, Role
from signaal.errors import Conflict, Forbidden, InvalidInput, NotFound
from signaal.services import audit
from signaal.store import Store, standing

__all__ = [
    "KINDS",
    "OrganisationPublic",
    "add_organisation",
    "list_organisations",
    "require_known",
    "retire_organisation",
]

#: The kinds of organisation in the chain against human trafficking.
KINDS = ("zorg", "gemeente", "politie", "inspectie", "comensha", "justitie", "overig")
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")


@dataclass(frozen=True)
class OrganisationPublic:
    """One registered organisation as shown."""

    id: str
    name: str
    kind: str
    added_by: str
    added_at: datetime
    retired_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "added_by": self.added_by,
            "added_at": self.added_at.isoformat(),
            "retired_at": self.retired_at.isoformat() if self.retired_at else None,
        }


def _require_admin(actor: Actor, what: str) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not {what}: an admin does", code="admin_only")


def require_known(session: Session, org: str) -> None:
    """InvalidInput unless ``org`` is a registered organisation that is not retired."""
    row = standing.organisation(session, org)
    if row is None or row.retired_at is not None:
        known = ", ".join(o.id for o in standing.organisations(session)[:20]) or "none yet"
        raise InvalidInput(
            f"unknown organisation {org!r}: not in the organisation register (known: {known}); "
            "an admin adds it with: signaal org add ID --name NAME --kind KIND",
            code="share_org_unknown",
            values={"org": org},
        )


def list_organisations(store: Store, actor: Actor, *, retired: bool = False) -> list[OrganisationPublic]:
    """The register (any signed-in user may read it: it is what an act may name)."""
    with store.session() as session:
        rows = standing.organisations(session, retired=retired)
    return [
        OrganisationPublic(
            r.id, r.name, r.kind, r.added_by, _utc(r.added_at), _utc(r.retired_at) if r.retired_at else None
        )
        for r in rows
    ]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time here is stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def add_organisation(store: Store, actor: Actor, org_id: str, *, name: str, kind: str) -> OrganisationPublic:
    """Add an organisation to the register (an admin)."""
    _require_admin(actor, "change the organisation register")
    org_id, name, kind = org_id.strip(), name.strip(), kind.strip().lower()
    if not ID_PATTERN.fullmatch(org_id):
        raise InvalidInput(
            f"organisation id {org_id!r}: letters, digits, '.', '_' or '-', at most 120, as in the users' org",
            code="org_id",
        )
    if not name or len(name) > 200:
        raise InvalidInput("give the organisation's name (at most 200 characters)", code="org_name")
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}", code="org_kind")
    moment = datetime.now(UTC)
    with store.session() as session:
        if standing.organisation(session, org_id) is not None:
            raise Conflict(f"organisation {org_id!r} is in the register already", code="org_exists")
        values = {"id": org_id, "name": name, "kind": kind, "added_by": actor.user, "added_at": moment}
        standing.insert_organisation(session, values)
        audit.record_access(session, actor, "org_add", [], {"org": org_id, "name": name, "kind": kind})
    return OrganisationPublic(org_id, name, kind, actor.user, moment, None)


def retire_organisation(store: Store, actor: Actor, org_id: str) -> None:
    """Retire an organisation: no new act may name it (acts granted before keep their expiry)."""
    _require_admin(actor, "change the organisation register")
    with store.session() as session:
        if not standing.retire_organisation(session, org_id, actor.user, datetime.now(UTC)):
            raise NotFound(f"no organisation {org_id!r} in the register (or retired already)", code="no_org")
        audit.record_access(session, actor, "org_retire", [], {"org": org_id})
