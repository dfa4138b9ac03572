"""Referral services: to whom a signal was referred, when, by whom, and where each referral stands
(sent, accepted, declined, feedback received); referrals without feedback become overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput, NotFound
from signaal.services import access, audit
from signaal.services.signals import append_event, may_change, require_signal
from signaal.services.triage import as_utc, check_contacts, config, language_for, signal_region
from signaal.settings import Settings, load_settings
from signaal.store import Store
from signaal.store.signals import visible
from signaal.store.tables import SignalRow
from signaal.store.tables_triage import REFERRAL_NOTE, REFERRAL_STATE_NOTE, ReferralRow, ReferralStateRow
from signaal.store.texts import open_text, seal_text
from signaal.triage import Region

__all__ = [
    "REFERRAL_STATES",
    "ReferralPublic",
    "add_referral",
    "list_referrals",
    "overdue_referrals",
    "referrals_in",
    "update_referral",
]

REFERRAL_STATES: tuple[str, ...] = ("sent", "accepted", "declined", "feedback_received")
_NEXT_STATES: dict[str, frozenset[str]] = {
    "sent": frozenset({"accepted", "declined", "feedback_received"}),
    "accepted": frozenset({"declined", "feedback_received"}),
    "declined": frozenset(),
    "feedback_received": frozenset(),
}
# A referral that is still waiting for an answer or for feedback on the outcome.
_AWAITING_FEEDBACK = ("sent", "accepted")


@dataclass(frozen=True)
class ReferralPublic:
    """A referral and where it stands."""

    id: int
    signal_id: str
    contact_id: str
    contact_name: str
    sent_at: datetime
    sent_by: str
    state: str
    state_at: datetime
    note: str
    days_open: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = dict(self.__dict__)
        out["sent_at"] = self.sent_at.isoformat()
        out["state_at"] = self.state_at.isoformat()
        if self.days_open is not None:
            out["days_open"] = round(self.days_open, 1)
        return out


def _referral(session: Session, row: ReferralRow, now: datetime | None = None) -> ReferralPublic:
    sent = as_utc(row.sent_at)
    days = None if now is None else (now - sent).total_seconds() / 86400
    return ReferralPublic(
        row.id,
        row.signal_id,
        row.contact_id,
        row.contact_name,
        sent,
        row.sent_by,
        row.state,
        as_utc(row.state_at),
        open_text(session, row.signal_id, REFERRAL_NOTE, row.note),
        days,
    )


def add_referral(
    store: Store,
    actor: Actor,
    signal_id: str,
    contact_id: str,
    *,
    at: datetime | None = None,
    note: str = "",
    settings: Settings | None = None,
    lang: str | None = None,
) -> ReferralPublic:
    """Record a referral to a canonical contact (state 'sent'); the contact's name is kept in ``lang``."""
    check_contacts([contact_id])
    cfg, directory, _ = config(settings)
    lang = language_for(cfg, lang)
    moment, now = as_utc(at), as_utc(None)
    if moment > now + timedelta(minutes=5):
        raise InvalidInput(f"referral time {moment:%Y-%m-%d %H:%M} is in the future")
    with store.session() as session:
        signal = require_signal(session, actor, signal_id, change=True, group=FieldGroup.ROUTE)
        if moment.date() < signal.received_at:
            raise InvalidInput(
                f"referral time {moment:%Y-%m-%d} is before the signal was received ({signal.received_at:%Y-%m-%d})"
            )
        region = signal_region(store.catalogue, signal)
        name = directory.lookup(contact_id, region if isinstance(region, Region) else None, lang).name
        row = ReferralRow(
            signal_id=signal_id,
            contact_id=contact_id,
            contact_name=name,
            sent_at=moment,
            sent_by=actor.user,
            sent_org=actor.org,
            state="sent",
            state_at=moment,
            note=seal_text(session, signal_id, REFERRAL_NOTE, note),
        )
        session.add(row)
        session.flush()
        session.add(
            ReferralStateRow(
                referral_id=row.id,
                state="sent",
                at=moment,
                by_user=actor.user,
                by_org=actor.org,
                note=seal_text(session, signal_id, REFERRAL_STATE_NOTE, note),
            )
        )
        append_event(
            session,
            actor,
            signal_id,
            "referral_sent",
            {"referral": row.id, "contact": contact_id, "at": moment.isoformat()},
        )
        audit.record_access(session, actor, "disclose", [signal_id], {"referral": row.id, "to": contact_id})
        return _referral(session, row)


def update_referral(
    store: Store,
    actor: Actor,
    referral_id: int,
    state: str,
    *,
    at: datetime | None = None,
    note: str = "",
) -> ReferralPublic:
    """Move a referral on (accepted, declined, feedback_received), refusing impossible moves."""
    if state not in REFERRAL_STATES or state == "sent":
        raise InvalidInput(f"unknown referral state {state!r}; use accepted, declined or feedback_received")
    moment = as_utc(at)
    with store.session() as session:
        row = session.get(ReferralRow, referral_id)
        if row is None or access.access_to(session, actor, row.signal_id) is None:
            raise NotFound(f"no referral {referral_id}")
        may_change(session, actor, row.signal_id, FieldGroup.ROUTE)
        if state not in _NEXT_STATES[row.state]:
            raise Conflict(f"referral {referral_id} is {row.state}; it cannot become {state}")
        if moment < as_utc(row.state_at):
            raise InvalidInput(
                f"{state} at {moment:%Y-%m-%d %H:%M} is before the referral was {row.state} "
                f"({as_utc(row.state_at):%Y-%m-%d %H:%M})"
            )
        row.state, row.state_at = state, moment
        if note:
            row.note = seal_text(session, row.signal_id, REFERRAL_NOTE, note)
        session.add(
            ReferralStateRow(
                referral_id=row.id,
                state=state,
                at=moment,
                by_user=actor.user,
                by_org=actor.org,
                note=seal_text(session, row.signal_id, REFERRAL_STATE_NOTE, note),
            )
        )
        append_event(
            session,
            actor,
            row.signal_id,
            "referral_updated",
            {"referral": row.id, "state": state, "at": moment.isoformat()},
        )
        session.flush()
        return _referral(session, row)


def list_referrals(
    store: Store, actor: Actor, signal_id: str | None = None, state: str | None = None
) -> list[ReferralPublic]:
    """Referrals the actor may see, optionally of one signal or in one state, oldest first."""
    if state is not None and state not in REFERRAL_STATES:
        raise InvalidInput(f"unknown referral state {state!r}; use {', '.join(REFERRAL_STATES)}")
    query = visible(select(ReferralRow).join(SignalRow, SignalRow.id == ReferralRow.signal_id), actor, "route")
    if signal_id is not None:
        query = query.where(ReferralRow.signal_id == signal_id)
    if state is not None:
        query = query.where(ReferralRow.state == state)
    with store.session() as session:
        rows = session.scalars(query.order_by(ReferralRow.sent_at, ReferralRow.id)).all()
        return [_referral(session, r) for r in rows]


def referrals_in(session: Session, actor: Actor, signal_id: str) -> list[ReferralPublic]:
    """The referrals of one signal inside the caller's transaction, oldest first."""
    query = visible(select(ReferralRow).join(SignalRow, SignalRow.id == ReferralRow.signal_id), actor, "route")
    rows = session.scalars(
        query.where(ReferralRow.signal_id == signal_id).order_by(ReferralRow.sent_at, ReferralRow.id)
    )
    return [_referral(session, r) for r in rows]


def overdue_referrals(
    store: Store,
    actor: Actor,
    *,
    days: int | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> list[ReferralPublic]:
    """Referrals still without feedback after ``days`` (default Settings.referral_overdue_days)."""
    limit = days if days is not None else (settings or load_settings()).referral_overdue_days
    if limit < 1:
        raise InvalidInput("days must be at least 1")
    moment = as_utc(now)
    cutoff = moment - timedelta(days=limit)
    query = visible(select(ReferralRow).join(SignalRow, SignalRow.id == ReferralRow.signal_id), actor, "route").where(
        ReferralRow.state.in_(_AWAITING_FEEDBACK), ReferralRow.sent_at <= cutoff
    )
    with store.session() as session:
        rows = session.scalars(query.order_by(ReferralRow.sent_at, ReferralRow.id)).all()
        return [_referral(session, r, moment) for r in rows]
