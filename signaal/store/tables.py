"""Storage rows of the registry (SQLAlchemy 2 declarative). Wire schemas live in :mod:`signaal.domain`.

Every change to a signal is also written as an append-only :class:`EventRow`; rows here hold the
current state, events hold the history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every signaal table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class SignalRow(Base):
    """The current state of one signal."""

    __tablename__ = "signals"
    __table_args__ = (
        UniqueConstraint("reporter_org", "source_id", name="uq_signals_source"),
        Index("ix_signals_status_received", "status", "received_at"),
        Index("ix_signals_police_unit", "police_unit"),
        Index("ix_signals_owner_org", "owner_org"),
        Index("ix_signals_worklist", "urgency", "received_at"),
        Index("ix_signals_status_worklist", "status", "urgency", "received_at"),
        Index("ix_signals_received", "received_at"),
        # Covers every worklist filter, so the counts per status scan the index, not the rows
        # with their narratives.
        Index(
            "ix_signals_counts",
            "status",
            "police_unit",
            "reporter_sector",
            "youngest_age",
            "forms",
            "owner_org",
            "received_at",
        ),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(120))
    received_at: Mapped[date] = mapped_column(Date)
    observed_at: Mapped[date | None] = mapped_column(Date)
    reporter_org: Mapped[str] = mapped_column(String(120))
    reporter_sector: Mapped[str] = mapped_column(String(40))
    police_unit: Mapped[str | None] = mapped_column(String(40))
    municipality: Mapped[str | None] = mapped_column(String(80))
    narrative: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="new")
    owner_org: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(80))
    legal_basis: Mapped[str] = mapped_column(String(40))
    consent: Mapped[str] = mapped_column(String(20))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    forms: Mapped[str] = mapped_column(String(80), default="")  # denormalised "labour,sexual" for filters
    urgency: Mapped[int] = mapped_column(Integer, default=0)
    youngest_age: Mapped[int | None] = mapped_column(Integer)
    indicator_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SignalIndicatorRow(Base):
    """An observed (or suggested) indicator of a signal."""

    __tablename__ = "signal_indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(80), index=True)
    words: Mapped[str] = mapped_column(Text, default="")
    certainty: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))


class SignalFormRow(Base):
    """A form hypothesis of a signal."""

    __tablename__ = "signal_forms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(40))
    set_by: Mapped[str] = mapped_column(String(16))


class PersonRow(Base):
    """A person involved in a signal: role and characteristics, no name."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    age: Mapped[int | None] = mapped_column(Integer)
    age_band: Mapped[str | None] = mapped_column(String(8))
    gender: Mapped[str | None] = mapped_column(String(20))
    nationality: Mapped[str | None] = mapped_column(String(60))
    residence: Mapped[str] = mapped_column(String(32))


class IdentifierRow(Base):
    """A normalised identifier of a signal, value and raw text encrypted (:mod:`signaal.store.codec`);
    matching across signals uses the linking work's keyed pseudonyms, not these columns."""

    __tablename__ = "identifiers"
    __table_args__ = (
        Index("ix_identifiers_kind_value", "kind", "value"),
        Index("ix_identifiers_lookup", "kind", "lookup"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signal_id: Mapped[str] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)  # AES-GCM ciphertext (signaal.store.codec)
    raw: Mapped[str | None] = mapped_column(Text)
    lookup: Mapped[str | None] = mapped_column(String(64))  # keyed pseudonym of (kind, value): Codec.lookup


class EventRow(Base):
    """One append-only event: who did what to which signal, and when.

    Events are hash-chained (``seq``, ``prev_hash``, ``hash``; :mod:`signaal.store.chain`).
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_signal_at", "signal_id", "at"), Index("ix_events_seq", "seq", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    signal_id: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_user: Mapped[str] = mapped_column(String(120))
    actor_org: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


ALL_TABLES = (SignalRow, SignalIndicatorRow, SignalFormRow, PersonRow, IdentifierRow, EventRow)
