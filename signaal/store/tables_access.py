"""Storage rows of access: the organisation register, sharing acts (per signal and standing) and
the assignment of a signal to a person and a team.

A sharing act records a disclosure of one signal to another organisation (legal basis, purpose,
scope, who granted it, until when); it is never deleted, only revoked, so the table is itself a
record of what was shared. Granting and revoking are also events in the signal's chained history
and access-audit records.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from signaal.store.tables import Base

__all__ = ["AssignmentRow", "OrganisationRow", "SharingActRow", "StandingActRow"]


class SharingActRow(Base):
    """One signal shared with one organisation, on a legal basis, for a purpose, with a scope."""

    __tablename__ = "sharing_acts"
    __table_args__ = (
        Index("ix_sharing_acts_org_signal", "org", "signal_id"),
        Index("ix_sharing_acts_signal", "signal_id"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    signal_id: Mapped[str] = mapped_column(String(16), ForeignKey("signals.id", ondelete="CASCADE"))
    org: Mapped[str] = mapped_column(String(120))  # the receiving organisation
    basis: Mapped[str] = mapped_column(String(40))  # an id from catalogue/data/legal_bases.yaml
    purpose: Mapped[str] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(200))  # field groups, comma-separated, sorted
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_org: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(120))


class AssignmentRow(Base):
    """Who in the owning organisation handles a signal now: a person and/or a team."""

    __tablename__ = "signal_assignments"

    signal_id: Mapped[str] = mapped_column(String(16), ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True)
    assignee: Mapped[str | None] = mapped_column(String(120))
    team: Mapped[str | None] = mapped_column(String(120))
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrganisationRow(Base):
    """One organisation in the register: what a sharing act may name as the receiver."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)  # as in users' ``org``
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # zorg, gemeente, politie, inspectie, comensha, ...
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_by: Mapped[str | None] = mapped_column(String(120))


class StandingActRow(Base):
    """Every signal of one organisation (optionally of one form and/or police unit) shared with
    another, on a legal basis, for a purpose, with a scope; never deleted, only revoked."""

    __tablename__ = "standing_acts"
    __table_args__ = (Index("ix_standing_acts_org_owner", "org", "owner_org"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(120))  # the granting organisation
    org: Mapped[str] = mapped_column(String(120))  # the receiving organisation
    basis: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(200))  # field groups, comma-separated, sorted
    form: Mapped[str | None] = mapped_column(String(40))  # only signals with this form hypothesis
    police_unit: Mapped[str | None] = mapped_column(String(40))  # only signals in this police unit
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(120))
