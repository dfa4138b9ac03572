"""The one place for object-level checks of every read and write of a signal.

Every service that reads or changes a signal — the registry, the signal page, triage, route steps,
referrals, shelter, facts, export, the worklist and search, and through them the API, the web pages
and the CLI — asks here. The rules are the pure ones of :mod:`signaal.domain.access`: the owning
organisation sees everything; another organisation sees a signal only through an active sharing
act, and only the act's scope (an analyst there sees identifiers as keyed pseudonyms unless the act
grants them). What the actor may not see is redacted here, before any shell renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from signaal.domain.access import (
    Access,
    FieldGroup,
    Pseudonym,
    decide_access,
    may_write,
    redact_signal,
    redact_summary,
    routing_view,
)
from signaal.domain.actor import Actor
from signaal.domain.signal import SignalPublic, SignalSummary
from signaal.errors import ConfigError, Forbidden, NotFound
from signaal.store import sharing
from signaal.store import signals as rows

__all__ = [
    "FieldGroup",
    "access_to",
    "accesses",
    "changes_allowed",
    "check",
    "load_signals",
    "open_signal",
    "pseudonymiser",
    "redact_summaries",
    "require_for_routing",
    "require_signal",
]


def _now() -> datetime:
    return datetime.now(UTC)


def _not_found(signal_id: str) -> NotFound:
    return NotFound(f"no signal {signal_id!r}", code="no_signal", values={"id": signal_id})


def accesses(
    session: Session, actor: Actor, signal_ids: Sequence[str], at: datetime | None = None
) -> dict[str, Access]:
    """Per signal among ``signal_ids`` that the actor may see at all: what they may see of it."""
    moment = at or _now()
    owners = sharing.owners_of(session, signal_ids)
    foreign = [sid for sid, org in owners.items() if org != actor.org]
    acts = sharing.active_acts(session, actor.org, foreign, moment) if foreign else {}
    out: dict[str, Access] = {}
    for sid, org in owners.items():
        decided = decide_access(actor, org, acts.get(sid, ()), moment)
        if decided is not None:
            out[sid] = decided
    return out


def access_to(session: Session, actor: Actor, signal_id: str, at: datetime | None = None) -> Access | None:
    """What the actor may see of one signal; None when it does not exist or is not theirs to see."""
    return accesses(session, actor, [signal_id], at).get(signal_id)


def check(
    session: Session, actor: Actor, signal_id: str, group: FieldGroup = FieldGroup.SUMMARY, *, change: bool = False
) -> Access:
    """The actor's access to a signal, if it allows reading (or, with ``change``, changing) ``group``.

    NotFound when the actor may not see the signal at all — the same answer as for a signal that
    does not exist; Forbidden when they see it through a sharing act that does not cover ``group``.
    """
    access = access_to(session, actor, signal_id)
    if access is None:
        raise _not_found(signal_id)
    if change and not may_write(actor, access, group):
        raise Forbidden(f"{actor} may not change the {group.value} of signal {signal_id}", code="not_yours_to_change")
    if not access.sees(group):
        raise Forbidden(
            f"the {group.value} of signal {signal_id} is not shared with {actor.org}",
            code="not_shared",
            values={"group": group.value},
        )
    return access


def changes_allowed(actor: Actor, access: Access) -> dict[str, bool]:
    """What the actor may change of a signal they see through ``access``: ``record`` (indicators,
    forms — the owner's) and ``route`` (facts, status, decisions, steps, referrals, shelter). The
    shells show only these actions; the services check the same rule on every change."""
    return {
        "record": may_write(actor, access, FieldGroup.SUMMARY),
        "route": may_write(actor, access, FieldGroup.ROUTE),
    }


def pseudonymiser(session: Session) -> Pseudonym | None:
    """The keyed pseudonym function of the store's active pseudonym key; None without a key."""
    from signaal.keystore import KeyStore  # the key files are read only when someone is redacted
    from signaal.link.keys import pseudonym

    store = session.info.get("store")
    if store is None:
        return None
    try:
        material = KeyStore(store.settings.key_dir).active("pseudonym").material
    except ConfigError:
        return None  # no key: identifiers are left out rather than shown
    return lambda kind, value: pseudonym(material, kind, value)


def open_signal(
    session: Session, actor: Actor, signal_id: str, *, change: bool = False, group: FieldGroup = FieldGroup.SUMMARY
) -> tuple[Access, SignalPublic]:
    """The actor's access to a signal and the signal as they may see it (NotFound / Forbidden as :func:`check`)."""
    access = check(session, actor, signal_id, group, change=change)
    signal = rows.load_signal(session, actor, signal_id)
    if signal is None:  # removed between the two queries
        raise _not_found(signal_id)
    return access, redact_signal(signal, access, pseudonymiser(session) if access.pseudonymise else None)


def require_signal(
    session: Session, actor: Actor, signal_id: str, *, change: bool = False, group: FieldGroup = FieldGroup.SUMMARY
) -> SignalPublic:
    """The signal as the actor may see it (NotFound / Forbidden as :func:`check`)."""
    return open_signal(session, actor, signal_id, change=change, group=group)[1]


def require_for_routing(session: Session, actor: Actor, signal_id: str, *, change: bool = False) -> SignalPublic:
    """The signal as the router reads it, for an actor who may see (or change) its route; the route's
    facts come from the persons even when the act does not show them. Never returned to a shell."""
    access = check(session, actor, signal_id, FieldGroup.ROUTE, change=change)
    signal = rows.load_signal(session, actor, signal_id)
    if signal is None:
        raise _not_found(signal_id)
    return signal if access.owner else routing_view(signal)


def load_signals(session: Session, actor: Actor, signal_ids: Sequence[str]) -> list[SignalPublic]:
    """The signals among ``signal_ids`` the actor may see, each as they may see it, in the order asked."""
    allowed = accesses(session, actor, signal_ids)
    full = rows.load_signals(session, actor, [sid for sid in signal_ids if sid in allowed])
    pseudo = pseudonymiser(session) if any(a.pseudonymise for a in allowed.values()) else None
    return [redact_signal(s, allowed[s.id], pseudo) for s in full]


def redact_summaries(session: Session, actor: Actor, items: Sequence[SignalSummary]) -> list[SignalSummary]:
    """Worklist rows as the actor may see them; rows they may not see at all are dropped."""
    foreign = [s.id for s in items if s.owner_org != actor.org]
    if not foreign:
        return list(items)
    allowed = accesses(session, actor, foreign)
    return [
        s if s.owner_org == actor.org else redact_summary(s, allowed[s.id])
        for s in items
        if s.id in allowed or s.owner_org == actor.org
    ]
