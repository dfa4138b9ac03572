"""Storage rows of the action perspective: routing decisions, referrals, meldcode steps, shelter.

Rows hold the current state; every change is also an event on the signal (see
:func:`signaal.services.signals.append_event`) and, for referrals and shelter, a row in their own
history table, so waiting times are computed from recorded events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from signaal.store.tables import Base

# The free texts below are sealed under their signal's data key (signaal.store.signals.seal_text);
# these names are bound into the ciphertext's associated data.
DECISION_REASON = "decision_reason"
REFERRAL_NOTE = "referral_note"
REFERRAL_STATE_NOTE = "referral_state_note"
MELDCODE_NOTE = "meldcode_note"
SHELTER_NOTE = "shelter_note"
SHELTER_EVENT_NOTE = "shelter_event_note"

__all__ = [
    "DECISION_REASON",
    "MELDCODE_NOTE",
    "REFERRAL_NOTE",
    "REFERRAL_STATE_NOTE",
    "SHELTER_EVENT_NOTE",
    "SHELTER_NOTE",
    "MeldcodeStepRow",
    "ReferralRow",
    "ReferralStateRow",
    "RoutingDecisionRow",
    "ShelterEventRow",
    "ShelterRequestRow",
]


class RoutingDecisionRow(Base):
    """A recorded routing decision: who decided which route, why, and on which facts."""

    __tablename__ = "routing_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_org: Mapped[str] = mapped_column(String(120))
    route: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    contacts: Mapped[list[str]] = mapped_column(JSON, default=list)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReferralRow(Base):
    """A referral of a signal to a contact, with its current state."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_state_sent", "state", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[str] = mapped_column(String(40))
    contact_name: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_by: Mapped[str] = mapped_column(String(120))
    sent_org: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(24))
    state_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


class ReferralStateRow(Base):
    """One state change of a referral (sent, accepted, declined, feedback received)."""

    __tablename__ = "referral_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by_user: Mapped[str] = mapped_column(String(120))
    by_org: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")


class MeldcodeStepRow(Base):
    """A completed meldcode step of a signal: who and when."""

    __tablename__ = "meldcode_steps"
    __table_args__ = (UniqueConstraint("signal_id", "step", name="uq_meldcode_signal_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    completed_by: Mapped[str] = mapped_column(String(120))
    completed_org: Mapped[str] = mapped_column(String(120))
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


class ShelterRequestRow(Base):
    """A shelter request of a signal with its timeline (current state)."""

    __tablename__ = "shelter_requests"
    __table_args__ = (Index("ix_shelter_type_requested", "type", "requested_at"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_org: Mapped[str] = mapped_column(String(120))
    offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_destination: Mapped[str | None] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")


class ShelterEventRow(Base):
    """One event of a shelter request: requested, offered, no_place, started, ended, withdrawn."""

    __tablename__ = "shelter_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("shelter_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by_user: Mapped[str] = mapped_column(String(120))
    by_org: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
