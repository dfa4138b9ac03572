"""Standing acts: one organisation grants another sight of all its signals (optionally only those of
one form and/or one police unit), for a purpose, on a legal basis, with a scope, until an expiry.

An admin of the granting organisation grants or revokes one; the receiving organisation must be in
the organisation register. Granting and revoking are events in the chained history (``standing_shared``,
``standing_revoked``, not tied to one signal) and records in the access audit; every read through a
standing act records its id like a per-signal act's. Who sees what is decided in the one place,
:mod:`signaal.services.access` (and the store's visibility condition): a standing act covering a
signal counts as an act on that signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from signaal.domain.access import StandingAct, may_grant_standing, parse_scope
from signaal.domain.actor import Actor
from signaal.errors import Forbidden, InvalidInput, NotFound
from signaal.services import audit
from signaal.services.organisations import require_known
from signaal.services.sharing import _expiry, legal_bases
from signaal.store import Store, standing
from signaal.store import signals as rows

__all__ = ["StandingPublic", "grant_standing", "list_standing", "revoke_standing"]


@dataclass(frozen=True)
class StandingPublic:
    """A standing act as shown."""

    act: StandingAct
    active: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        a = self.act
        return {
            "id": a.id,
            "owner_org": a.owner_org,
            "org": a.org,
            "basis": a.basis,
            "purpose": a.purpose,
            "scope": sorted(g.value for g in a.scope),
            "form": a.form,
            "police_unit": a.police_unit,
            "granted_by": a.granted_by,
            "granted_at": a.granted_at.isoformat(),
            "expires_at": a.expires_at.isoformat(),
            "revoked_at": a.revoked_at.isoformat() if a.revoked_at else None,
            "revoked_by": a.revoked_by,
            "active": self.active,
        }


def _require_granter(actor: Actor) -> None:
    if not may_grant_standing(actor):
        raise Forbidden(
            f"{actor} may not grant or revoke a standing act: an admin of the granting organisation does",
            code="not_yours_to_share",
        )


def _filters(store: Store, form: str | None, police_unit: str | None) -> tuple[str | None, str | None]:
    form = (form or "").strip() or None
    police_unit = (police_unit or "").strip() or None
    if form is not None and form not in store.catalogue.forms:
        raise InvalidInput(f"unknown form {form!r}; use one of {', '.join(store.catalogue.forms)}", code="share_form")
    if police_unit is not None and police_unit not in store.catalogue.police_units:
        units = ", ".join(store.catalogue.police_units)
        raise InvalidInput(f"unknown police unit {police_unit!r}; use one of {units}", code="share_region")
    return form, police_unit


def grant_standing(
    store: Store,
    actor: Actor,
    *,
    org: str,
    basis: str,
    purpose: str,
    scope: Iterable[str],
    form: str | None = None,
    police_unit: str | None = None,
    expires_at: datetime | None = None,
    days: int | None = None,
) -> StandingPublic:
    """Share every signal of the actor's organisation (filtered) with a registered organisation."""
    _require_granter(actor)
    moment = datetime.now(UTC)
    org, purpose = org.strip(), purpose.strip()
    if not org:
        raise InvalidInput("name the receiving organisation", code="share_org")
    if not purpose or len(purpose) > 500:
        raise InvalidInput("give the purpose of sharing (at most 500 characters)", code="share_purpose")
    bases = legal_bases(store.settings)
    if basis not in bases:
        raise InvalidInput(f"unknown legal basis {basis!r}; use one of {', '.join(bases)}", code="share_basis")
    try:
        groups = parse_scope(scope)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="share_scope") from None
    form, police_unit = _filters(store, form, police_unit)
    until = _expiry(expires_at, days, moment)
    if org == actor.org:
        raise InvalidInput(f"{org} sees its own signals already; grant to another organisation", code="share_org")
    with store.session() as session:
        require_known(session, org)
        values = {
            "owner_org": actor.org,
            "org": org,
            "basis": basis,
            "purpose": purpose,
            "scope": [g.value for g in groups],
            "form": form,
            "police_unit": police_unit,
            "granted_by": actor.user,
            "granted_at": moment,
            "expires_at": until,
        }
        act_id = standing.insert_standing(session, values)
        detail = {
            "standing_act": act_id,
            "to": org,
            "basis": basis,
            "scope": sorted(g.value for g in groups),
            "form": form,
            "police_unit": police_unit,
            "until": until.isoformat(),
        }
        rows.add_event(session, actor, None, "standing_shared", {**detail, "purpose": purpose})
        audit.record_access(session, actor, "standing_disclose", [], detail)
        act = next(a for a in standing.standing_acts(session, actor.org) if a.id == act_id)
    return StandingPublic(act, act.active(datetime.now(UTC)))


def revoke_standing(store: Store, actor: Actor, act_id: str, reason: str = "") -> StandingPublic:
    """End a standing act of the actor's organisation at once; an event and an audit record."""
    _require_granter(actor)
    moment = datetime.now(UTC)
    with store.session() as session:
        before = standing.revoke_standing(session, actor.org, act_id, actor.user, moment)
        if before is None:
            raise NotFound(f"{actor.org} has no unrevoked standing act {act_id!r}", code="no_act")
        detail = {"standing_act": act_id, "to": before.org, "reason": reason[:500]}
        rows.add_event(session, actor, None, "standing_revoked", detail)
        audit.record_access(session, actor, "standing_revoke", [], detail)
        act = next(a for a in standing.standing_acts(session, actor.org) if a.id == act_id)
    return StandingPublic(act, False)


def list_standing(store: Store, actor: Actor) -> list[StandingPublic]:
    """The standing acts the actor's organisation granted or received, newest first."""
    moment = datetime.now(UTC)
    with store.session() as session:
        acts = standing.standing_acts(session, actor.org)
    return [StandingPublic(a, a.active(moment)) for a in acts]
