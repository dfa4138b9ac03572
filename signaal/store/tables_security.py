"""Storage rows of security and privacy: the access audit, the chain heads, subject keys.

The access audit (NEN 7513: who read, exported or disclosed what, when, on whose behalf and why)
is kept apart from the signal history in ``events``; both are append-only and hash-chained
(:mod:`signaal.store.chain`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from signaal.store.tables import Base

__all__ = ["AuditRow", "ChainHeadRow", "ChainMarkRow", "DataKeyRow"]


class AuditRow(Base):
    """One access to personal data: a read, a list, an export or a disclosure."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_seq", "seq", unique=True),
        Index("ix_audit_log_signal_at", "signal_id", "at"),
        Index("ix_audit_log_user_at", "actor_user", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_user: Mapped[str] = mapped_column(String(120))
    actor_org: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(20))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    signal_id: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ChainHeadRow(Base):
    """The last position and hash of one chain; its row lock orders concurrent appends."""

    __tablename__ = "chain_heads"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    key_ref: Mapped[str | None] = mapped_column(String(90))  # the chain key the last append used


class ChainMarkRow(Base):
    """Where a chain key starts: rows from ``seq`` on are HMACs under ``key_ref``.

    ``mark`` is an HMAC under that key over the chain, position and key reference, so a mark
    cannot be moved, forged or pointed at another key without the key (:mod:`signaal.store.chain_keys`).
    """

    __tablename__ = "chain_marks"
    __table_args__ = (UniqueConstraint("chain", "seq", name="uq_chain_marks"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(BigInteger)
    key_ref: Mapped[str] = mapped_column(String(90))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    mark: Mapped[str] = mapped_column(String(64))


class DataKeyRow(Base):
    """The data key of one signal (or of an imported registration's case, by its reference), wrapped
    by a master key; ``wrapped`` is None once erased."""

    __tablename__ = "data_keys"

    signal_id: Mapped[str] = mapped_column(String(220), primary_key=True)
    kek_ref: Mapped[str] = mapped_column(String(90))
    wrapped: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    shredded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
