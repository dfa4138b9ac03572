"""Sharing acts and assignment: granting another organisation sight of a signal, and revoking it.

A coordinator or admin of the organisation that owns a signal grants an act: the receiving
organisation, a legal basis (data: ``catalogue/data/legal_bases.yaml``), the purpose, the scope
(which field groups) and an expiry. The act is recorded in ``sharing_acts``, as an event in the
signal's chained history and as a disclosure in the access audit; revoking is recorded the same
way and takes effect at once. Who may see what through an act is decided in
:mod:`signaal.services.access`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from signaal.domain.access import Access, FieldGroup, SharingAct, may_share, parse_scope
from signaal.domain.actor import Actor
from signaal.domain.signal import SignalPublic
from signaal.errors import CatalogueError, Forbidden, InvalidInput, NotFound
from signaal.knowledge import knowledge_for
from signaal.services import access, audit
from signaal.services.organisations import require_known
from signaal.settings import Settings
from signaal.store import Store, sharing, standing
from signaal.store import signals as rows

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "ActPublic",
    "LegalBasis",
    "SharingView",
    "assign_signal",
    "grant_act",
    "legal_bases",
    "list_acts",
    "parse_legal_bases",
    "revoke_act",
    "sharing_view",
]

FILE = "legal_bases.yaml"
#: An act lasts this long unless the granting user says otherwise; never longer than MAX_DAYS.
DEFAULT_DAYS = 90
MAX_DAYS = 730


@dataclass(frozen=True)
class LegalBasis:
    """One legal basis for sharing, with its label in Dutch and English."""

    id: str
    nl: str
    en: str

    def label(self, lang: str) -> str:
        """The label in ``lang`` (Dutch unless English is asked for)."""
        return self.en if lang == "en" else self.nl


def parse_legal_bases(
    data: Any, source: str, line_of: Callable[[str], int | None] = lambda _: None
) -> dict[str, LegalBasis]:
    """Validate the legal bases file: a mapping ``bases`` of id -> {nl, en}."""
    bases = data.get("bases") if isinstance(data, dict) else None
    if not isinstance(bases, dict) or not bases:
        raise CatalogueError(f"{source}: expected a mapping 'bases' of id -> {{nl, en}}")
    out: dict[str, LegalBasis] = {}
    for key, labels in bases.items():
        if not isinstance(labels, dict) or not all(isinstance(labels.get(k), str) and labels[k] for k in ("nl", "en")):
            line = line_of(f"bases.{key}")
            where = f"{source}:{line}" if line else source
            raise CatalogueError(f"{where}: basis {key!r}: fields 'nl' and 'en' must both be non-empty text")
        out[str(key)] = LegalBasis(str(key), labels["nl"], labels["en"])
    return out


def legal_bases(settings: Settings) -> dict[str, LegalBasis]:
    """The legal bases in force: the organisation's file (SIGNAAL_CATALOGUE_DIR), or the bundled one."""
    doc = knowledge_for(settings).files.document(FILE)
    return parse_legal_bases(doc.data, doc.path, doc.line_of)


@dataclass(frozen=True)
class ActPublic:
    """A sharing act as shown: who granted what to whom, on which basis, until when."""

    act: SharingAct
    active: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        a = self.act
        return {
            "id": a.id,
            "signal_id": a.signal_id,
            "org": a.org,
            "basis": a.basis,
            "purpose": a.purpose,
            "scope": sorted(g.value for g in a.scope),
            "granted_by": a.granted_by,
            "granted_at": a.granted_at.isoformat(),
            "expires_at": a.expires_at.isoformat(),
            "revoked_at": a.revoked_at.isoformat() if a.revoked_at else None,
            "revoked_by": a.revoked_by,
            "active": self.active,
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _require_owner(session: Session, actor: Actor, signal_id: str) -> SignalPublic:
    """The signal if the actor may grant and revoke its acts (NotFound if unseen, else Forbidden)."""
    signal = access.require_signal(session, actor, signal_id)
    if not may_share(actor, signal.owner_org):
        raise Forbidden(
            f"{actor} may not share signal {signal_id}: a coordinator or admin of {signal.owner_org} shares it",
            code="not_yours_to_share",
        )
    return signal


def _expiry(expires_at: datetime | None, days: int | None, moment: datetime) -> datetime:
    if expires_at is None:
        expires_at = moment + timedelta(days=DEFAULT_DAYS if days is None else days)
    elif expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at <= moment:
        raise InvalidInput(f"expiry {expires_at:%Y-%m-%d %H:%M} is not in the future", code="share_expiry")
    if expires_at > moment + timedelta(days=MAX_DAYS):
        raise InvalidInput(f"an act lasts at most {MAX_DAYS} days; grant a new one when it ends", code="share_expiry")
    return expires_at


def grant_act(
    store: Store,
    actor: Actor,
    signal_id: str,
    *,
    org: str,
    basis: str,
    purpose: str,
    scope: Iterable[str],
    expires_at: datetime | None = None,
    days: int | None = None,
) -> ActPublic:
    """Share a signal with another organisation; recorded as an act, an event and a disclosure."""
    moment = _now()
    org, purpose = org.strip(), purpose.strip()
    if not org or len(org) > 120:
        raise InvalidInput("name the receiving organisation (at most 120 characters)", code="share_org")
    if not purpose or len(purpose) > 500:
        raise InvalidInput("give the purpose of sharing (at most 500 characters)", code="share_purpose")
    bases = legal_bases(store.settings)
    if basis not in bases:
        raise InvalidInput(f"unknown legal basis {basis!r}; use one of {', '.join(bases)}", code="share_basis")
    try:
        groups = parse_scope(scope)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="share_scope") from None
    until = _expiry(expires_at, days, moment)
    with store.session() as session:
        signal = _require_owner(session, actor, signal_id)
        if org == signal.owner_org:
            raise InvalidInput(f"{org} owns signal {signal_id} already; share it with another organisation")
        require_known(session, org)
        values = {
            "signal_id": signal_id,
            "org": org,
            "basis": basis,
            "purpose": purpose,
            "scope": [g.value for g in groups],
            "granted_by": actor.user,
            "granted_org": actor.org,
            "granted_at": moment,
            "expires_at": until,
        }
        act_id = sharing.insert_act(session, values)
        detail = {
            "act": act_id,
            "to": org,
            "basis": basis,
            "scope": sorted(g.value for g in groups),
            "until": until.isoformat(),
        }
        rows.add_event(session, actor, signal_id, "shared", {**detail, "purpose": purpose})
        audit.record_access(session, actor, "disclose", [signal_id], detail)
        act = next(a for a in sharing.acts_of(session, signal_id) if a.id == act_id)
    return ActPublic(act, act.active(_now()))


def revoke_act(store: Store, actor: Actor, signal_id: str, act_id: str, reason: str = "") -> ActPublic:
    """End a sharing act at once; recorded as an event and in the access audit."""
    moment = _now()
    with store.session() as session:
        _require_owner(session, actor, signal_id)
        before = sharing.revoke_act(session, signal_id, act_id, actor.user, moment)
        if before is None:
            raise NotFound(f"signal {signal_id} has no unrevoked sharing act {act_id!r}", code="no_act")
        detail = {"act": act_id, "to": before.org, "reason": reason[:500]}
        rows.add_event(session, actor, signal_id, "share_revoked", detail)
        audit.record_access(session, actor, "revoke", [signal_id], detail)
        act = next(a for a in sharing.acts_of(session, signal_id) if a.id == act_id)
    return ActPublic(act, False)


def list_acts(store: Store, actor: Actor, signal_id: str) -> list[ActPublic]:
    """The acts of a signal: all of them for its owning organisation, the actor's own for others."""
    moment = _now()
    with store.session() as session:
        granted = access.check(session, actor, signal_id)
        acts = sharing.acts_of(session, signal_id)
    return [ActPublic(a, a.active(moment)) for a in acts if granted.owner or a.org == actor.org]


@dataclass(frozen=True)
class SharingView:
    """The sharing section of the signal page."""

    owner: bool
    may_share: bool
    withheld: tuple[str, ...]
    acts: tuple[ActPublic, ...]
    bases: tuple[LegalBasis, ...]
    groups: tuple[str, ...]
    assignee: str | None
    team: str | None
    organisations: tuple[tuple[str, str], ...] = ()  # the register: (id, name), what an act may name
    standing: frozenset[str] = frozenset()  # the ids among ``acts`` of standing acts covering the signal

    def as_dict(self, lang: str = "nl") -> dict[str, Any]:
        """JSON-ready form, the legal bases labelled in ``lang``."""
        labels = {b.id: b.label(lang) for b in self.bases}
        return {
            "owner": self.owner,
            "may_share": self.may_share,
            "withheld": list(self.withheld),
            "acts": [
                {
                    **a.as_dict(),
                    "basis_label": labels.get(a.act.basis, a.act.basis),
                    "standing": a.act.id in self.standing,
                }
                for a in self.acts
            ],
            "bases": [{"id": b.id, "label": b.label(lang)} for b in self.bases],
            "groups": list(self.groups),
            "assignee": self.assignee,
            "team": self.team,
            "organisations": [{"id": i, "name": n} for i, n in self.organisations],
        }


def sharing_view(
    session: Session, actor: Actor, signal: SignalPublic, granted: Access, moment: datetime
) -> SharingView:
    """What the signal page shows about sharing: the active acts the actor may know of, and the form."""
    store = session.info["store"]
    acts = [a for a in sharing.acts_of(session, signal.id) if granted.owner or a.org == actor.org]
    covering = [
        a.for_signal(signal.id)
        for a in standing.covering(session, signal.id, signal.owner_org, moment)
        if granted.owner or a.org == actor.org
    ]
    assigned = sharing.assignment_of(session, signal.id) if granted.owner else None
    return SharingView(
        owner=granted.owner,
        may_share=may_share(actor, signal.owner_org),
        withheld=tuple(granted.withheld),
        acts=tuple(ActPublic(a, a.active(moment)) for a in [*acts, *covering] if a.active(moment)),
        standing=frozenset(a.id for a in covering),
        bases=tuple(legal_bases(store.settings).values()),
        groups=tuple(g.value for g in FieldGroup),
        assignee=assigned.assignee if assigned else None,
        team=assigned.team if assigned else None,
        organisations=tuple((o.id, o.name) for o in standing.organisations(session) if o.id != signal.owner_org)
        if may_share(actor, signal.owner_org)
        else (),
    )


def assign_signal(
    store: Store, actor: Actor, signal_id: str, *, assignee: str | None = None, team: str | None = None
) -> None:
    """Assign a signal to a person and/or team of its owning organisation; recorded as an event."""
    assignee = (assignee or "").strip() or None
    team = (team or "").strip() or None
    if (assignee and len(assignee) > 120) or (team and len(team) > 120):
        raise InvalidInput("a person's or team's name is at most 120 characters")
    with store.session() as session:
        granted = access.check(session, actor, signal_id)
        if not granted.owner:
            raise Forbidden(f"{actor} may not assign signal {signal_id}: its owning organisation does")
        sharing.set_assignment(session, signal_id, assignee, team, actor.user)
        rows.add_event(session, actor, signal_id, "assigned", {"assignee": assignee, "team": team})
