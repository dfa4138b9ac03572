"""Storage rows of the web application's ad screening jobs: who uploaded what, how it ended, and where
its outputs are, so a restarted server lists finished screens and marks interrupted ones as such.

The uploaded file itself is not kept once screened; the outputs are removed when the retention
(``SIGNAAL_ADS_JOB_RETENTION_DAYS``) ends, and the row then says so.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from signaal.store.tables import Base

__all__ = ["AdJobRow"]


class AdJobRow(Base):
    """One ad screening job of the web application."""

    __tablename__ = "ad_jobs"
    __table_args__ = (Index("ix_ad_jobs_owner", "owner_org", "owner_user"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_user: Mapped[str] = mapped_column(String(120))  # the uploader, as the actor of the job
    owner_org: Mapped[str] = mapped_column(String(120))
    owner_role: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(255))  # the uploaded file's name, as the user knows it
    # queued, done, failed, interrupted (the server stopped while it ran) or expired (outputs removed)
    stage: Mapped[str] = mapped_column(String(20))
    folder: Mapped[str] = mapped_column(String(1000))
    server_pid: Mapped[int] = mapped_column(Integer)  # the process that runs it: alive means not interrupted
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    summary: Mapped[str | None] = mapped_column(Text)  # JSON: counts, seconds, skipped records
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_values: Mapped[str | None] = mapped_column(Text)  # JSON
