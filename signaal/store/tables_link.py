"""Storage rows of linking: cases and persons taking part in linking, their keys, and the links.

``link_cases`` mirrors signals (``signal:S…``) and holds imported cases of other organisations'
registrations (``reg:ORG:CASE``); ``link_keys`` is the index of normalised identifiers (and their
keyed pseudonyms) that exact and incremental linking join on. A link is a suggestion with its
evidence until an analyst confirms or rejects it; the decision is also an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from signaal.store.tables import Base


class LinkCaseRow(Base):
    """A case that takes part in linking: a signal, or a case of an imported registration."""

    __tablename__ = "link_cases"
    __table_args__ = (
        Index("ix_link_cases_signal", "signal_id"),
        Index("ix_link_cases_org", "org"),
        Index("ix_link_cases_linked", "linked"),
    )

    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # signal | registration | ad_group
    org: Mapped[str] = mapped_column(String(120))
    source_id: Mapped[str | None] = mapped_column(String(200))
    signal_id: Mapped[str | None] = mapped_column(String(16))
    date: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(80))
    forms: Mapped[str] = mapped_column(String(120), default="")
    crimes: Mapped[str] = mapped_column(String(120), default="")
    imported_by: Mapped[str | None] = mapped_column(String(120))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    linked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 1 once a run compared it


class LinkPersonRow(Base):
    """A person as one organisation recorded them in one case (names optional)."""

    __tablename__ = "link_persons"
    __table_args__ = (
        Index("ix_link_persons_case", "case_ref"),
        Index("ix_link_persons_birth_lookup", "birth_lookup"),
        Index("ix_link_persons_name_lookup", "name_lookup"),
    )

    ref: Mapped[str] = mapped_column(String(220), primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(200))
    org: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(Text)  # sealed (signaal.store.link_sealing)
    birth_date: Mapped[str | None] = mapped_column(Text)  # sealed
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(20))
    nationality: Mapped[str | None] = mapped_column(String(60))
    city: Mapped[str | None] = mapped_column(String(80))
    minor: Mapped[int | None] = mapped_column(Integer)
    name_lookup: Mapped[str | None] = mapped_column(String(64))  # lookup pseudonym of the folded name
    birth_lookup: Mapped[str | None] = mapped_column(String(64))  # lookup pseudonym of the date of birth


class LinkKeyRow(Base):
    """A normalised identifier of a case or person: the value sealed, matched on its lookup pseudonym."""

    __tablename__ = "link_keys"
    __table_args__ = (
        Index("ix_link_keys_pseudonym", "pseudonym"),
        Index("ix_link_keys_owner", "owner_ref"),
        Index("ix_link_keys_case", "case_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_ref: Mapped[str] = mapped_column(String(220))  # the case or the person
    case_ref: Mapped[str] = mapped_column(String(200))
    org: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)  # sealed under the case's data key
    problem: Mapped[str | None] = mapped_column(String(300))  # why it was kept as written
    pseudonym: Mapped[str | None] = mapped_column(String(64))  # lookup pseudonym of (kind, value)
    key_ref: Mapped[str | None] = mapped_column(String(90))


class LinkRow(Base):
    """A suggested, confirmed or rejected link between two cases (exact) or two person records."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("kind", "left_ref", "right_ref", "key_kind", "key_value", name="uq_links"),
        Index("ix_links_left", "left_ref"),
        Index("ix_links_right", "right_ref"),
        Index("ix_links_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # exact | person
    left_ref: Mapped[str] = mapped_column(String(220))
    right_ref: Mapped[str] = mapped_column(String(220))
    left_case: Mapped[str] = mapped_column(String(200))
    right_case: Mapped[str] = mapped_column(String(200))
    key_kind: Mapped[str] = mapped_column(String(16), default="")
    key_value: Mapped[str] = mapped_column(String(500), default="")  # the key's lookup pseudonym
    match_weight: Mapped[float | None] = mapped_column(Float)
    match_probability: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


ALL_TABLES = (LinkCaseRow, LinkPersonRow, LinkKeyRow, LinkRow)
