"""Who may see and change which parts of a signal: organisations, sharing acts, per-field visibility.

Pure rules, no I/O: the services load the signal's owning organisation and its sharing acts, and
call :func:`decide_access`, :func:`may_write` and :func:`redact_signal` here. A member of the owning
organisation sees the whole signal. Anyone else sees it only through an active sharing act naming
their organisation, and only the act's scope; an analyst outside the owning organisation sees
identifiers as keyed pseudonyms unless the act grants the identifiers themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from signaal.domain.actor import Actor, Role
from signaal.domain.signal import IdentifierPublic, SignalPublic, SignalSummary

__all__ = [
    "OWNER_SCOPE",
    "Access",
    "FieldGroup",
    "SharingAct",
    "StandingAct",
    "decide_access",
    "in_force",
    "may_grant_standing",
    "may_share",
    "may_write",
    "parse_scope",
    "redact_signal",
    "redact_summary",
    "routing_view",
]


class FieldGroup(StrEnum):
    """The parts of a signal a sharing act can grant."""

    SUMMARY = "summary"  # dates, status, region, sector, forms, indicator ids, purpose and basis
    NARRATIVE = "narrative"  # the narrative and the quoted words of the indicators
    IDENTIFIERS = "identifiers"  # phone numbers, IBANs, plates, handles ... in clear
    PERSONS = "persons"  # ages, gender, nationality, residence of the persons
    ROUTE = "route"  # routing facts, the route, decisions, steps, referrals, shelter
    HISTORY = "history"  # the signal's event history


#: What the owning organisation sees: everything.
OWNER_SCOPE: frozenset[FieldGroup] = frozenset(FieldGroup)


def parse_scope(values: Iterable[str]) -> frozenset[FieldGroup]:
    """The field groups named (the summary always comes with any act); ValueError naming a bad name."""
    groups = {FieldGroup.SUMMARY}
    for value in values:
        for name in str(value).split(","):
            name = name.strip()
            if not name:
                continue
            try:
                groups.add(FieldGroup(name))
            except ValueError:
                choices = ", ".join(g.value for g in FieldGroup)
                raise ValueError(f"unknown field group {name!r}; use one of {choices}") from None
    return frozenset(groups)


def in_force(granted_at: datetime, expires_at: datetime, revoked_at: datetime | None, at: datetime) -> bool:
    """The one rule for any act: it grants from its grant until it expires, unless revoked."""
    return revoked_at is None and granted_at <= at < expires_at


@dataclass(frozen=True)
class SharingAct:
    """A recorded disclosure of one signal to one organisation, on a legal basis, for a purpose."""

    id: str
    signal_id: str
    org: str
    basis: str
    purpose: str
    scope: frozenset[FieldGroup]
    granted_by: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def active(self, at: datetime) -> bool:
        """Whether the act grants anything at ``at``: not revoked, not yet expired."""
        return in_force(self.granted_at, self.expires_at, self.revoked_at, at)


@dataclass(frozen=True)
class StandingAct:
    """A standing disclosure: every signal of one organisation — optionally only of one form and/or
    one police unit — to another organisation, on a legal basis, for a purpose, with a scope."""

    id: str
    owner_org: str  # the granting organisation, whose signals it covers
    org: str  # the receiving organisation
    basis: str
    purpose: str
    scope: frozenset[FieldGroup]
    form: str | None
    police_unit: str | None
    granted_by: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def active(self, at: datetime) -> bool:
        """Whether the act grants anything at ``at``: not revoked, not yet expired."""
        return in_force(self.granted_at, self.expires_at, self.revoked_at, at)

    def covers(self, owner_org: str, forms: Iterable[str], police_unit: str | None) -> bool:
        """Whether a signal of ``owner_org`` with these forms, in this police unit, falls under it."""
        return (
            owner_org == self.owner_org
            and (self.form is None or self.form in set(forms))
            and (self.police_unit is None or self.police_unit == police_unit)
        )

    def for_signal(self, signal_id: str) -> SharingAct:
        """The act as it applies to one signal it covers (its id stays the standing act's)."""
        return SharingAct(
            id=self.id,
            signal_id=signal_id,
            org=self.org,
            basis=self.basis,
            purpose=self.purpose,
            scope=self.scope,
            granted_by=self.granted_by,
            granted_at=self.granted_at,
            expires_at=self.expires_at,
            revoked_at=self.revoked_at,
            revoked_by=self.revoked_by,
        )


@dataclass(frozen=True)
class Access:
    """What one actor may see of one signal."""

    owner: bool  # a member of the owning organisation
    scope: frozenset[FieldGroup]
    pseudonymise: bool  # identifiers as keyed pseudonyms rather than in clear
    acts: tuple[str, ...] = ()  # the ids of the sharing acts this access rests on

    def sees(self, group: FieldGroup) -> bool:
        """Whether the group is visible (identifiers: at least as pseudonyms)."""
        return group in self.scope or (group == FieldGroup.IDENTIFIERS and self.pseudonymise)

    @property
    def withheld(self) -> list[str]:
        """The field groups not shown, by name."""
        return sorted(g.value for g in FieldGroup if not self.sees(g))


def decide_access(actor: Actor, owner_org: str, acts: Iterable[SharingAct], at: datetime) -> Access | None:
    """What ``actor`` may see of a signal owned by ``owner_org`` given its sharing acts; None: nothing."""
    if actor.org == owner_org:
        return Access(owner=True, scope=OWNER_SCOPE, pseudonymise=False)
    granting = [a for a in acts if a.org == actor.org and a.active(at)]
    if not granting:
        return None
    scope = frozenset().union(*(a.scope for a in granting)) | {FieldGroup.SUMMARY}
    # An analyst outside the owning organisation links on pseudonyms; the values themselves only
    # when an act grants them.
    pseudonymise = actor.role == Role.ANALYST and FieldGroup.IDENTIFIERS not in scope
    return Access(owner=False, scope=scope, pseudonymise=pseudonymise, acts=tuple(sorted(a.id for a in granting)))


#: Who, outside the owning organisation, may change a signal through an act granting the route:
#: a coordinator or admin of the receiving organisation (triage and routing, nothing else).
SHARED_WRITERS = (Role.COORDINATOR, Role.ADMIN)


def may_write(actor: Actor, access: Access, group: FieldGroup = FieldGroup.SUMMARY) -> bool:
    """Whether the actor may change the ``group`` part of a signal (content: summary; triage: route)."""
    if access.owner:
        return True
    return group == FieldGroup.ROUTE and group in access.scope and actor.role in SHARED_WRITERS


def may_share(actor: Actor, owner_org: str) -> bool:
    """Only a coordinator or admin of the owning organisation grants or revokes a sharing act."""
    return actor.org == owner_org and actor.role in (Role.COORDINATOR, Role.ADMIN)


def may_grant_standing(actor: Actor) -> bool:
    """Only an admin grants or revokes a standing act, and only for their own organisation's signals."""
    return actor.role == Role.ADMIN


Pseudonym = Callable[[str, str], str]


def redact_signal(signal: SignalPublic, access: Access, pseudonym: Pseudonym | None = None) -> SignalPublic:
    """The signal as ``access`` allows: groups outside the scope emptied, identifiers pseudonymised.

    ``pseudonym(kind, value)`` makes the keyed pseudonym; without it, pseudonymised identifiers are
    left out entirely.
    """
    if access.owner:
        return signal
    update: dict[str, object] = {"withheld": access.withheld}
    if FieldGroup.NARRATIVE not in access.scope:
        update["narrative"] = ""
        update["indicators"] = [i.model_copy(update={"words": ""}) for i in signal.indicators]
    if FieldGroup.PERSONS not in access.scope:
        update["persons"] = []
    if FieldGroup.ROUTE not in access.scope:
        update["facts"] = {}
    if FieldGroup.IDENTIFIERS not in access.scope:
        update["identifiers"] = (
            [IdentifierPublic(kind=i.kind, value=pseudonym(i.kind.value, i.value)) for i in signal.identifiers]
            if access.pseudonymise and pseudonym is not None
            else []
        )
    if FieldGroup.NARRATIVE not in access.scope or FieldGroup.PERSONS not in access.scope:
        update["source_id"] = None  # the reporter's case number points at the person
    return signal.model_copy(update=update)


def routing_view(signal: SignalPublic) -> SignalPublic:
    """What the router reads of a signal seen through an act granting the route: the facts it
    derives from (persons, indicator ids, forms, region, sector) without narrative or identifiers.
    For computing a route only; a shell shows what :func:`redact_signal` leaves."""
    return signal.model_copy(
        update={
            "narrative": "",
            "indicators": [i.model_copy(update={"words": ""}) for i in signal.indicators],
            "identifiers": [],
            "source_id": None,
        }
    )


def redact_summary(summary: SignalSummary, access: Access) -> SignalSummary:
    """A worklist row as ``access`` allows (the youngest age belongs to the persons)."""
    if access.owner or FieldGroup.PERSONS in access.scope:
        return summary
    return summary.model_copy(update={"youngest_age": None})
