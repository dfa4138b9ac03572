"""Wire models of the care routes: referrals and their follow-up, shelter requests and the shelter
board, the sharing section of a signal, and the monthly overview."""

from __future__ import annotations

from pydantic import Field

from signaal.services.overview import Overview
from signaal.web.api_models import ISO_TIME, WireModel

__all__ = [
    "FollowUpOut",
    "OverviewOut",
    "ReferralOut",
    "SharingOut",
    "ShelterBoardOut",
    "ShelterOut",
]


class ReferralOut(WireModel):
    """A referral to a canonical contact and where it stands."""

    id: int
    signal_id: str
    contact_id: str
    contact_name: str
    sent_at: str = Field(description=ISO_TIME)
    sent_by: str
    state: str = Field(description="sent, accepted, declined or feedback_received")
    state_at: str = Field(description=ISO_TIME)
    note: str
    days_open: float | None = Field(description="Days since it was sent, where the answer counts them")


class FollowUpReferralOut(ReferralOut):
    """A referral waiting for an answer or feedback."""

    days_open: float
    overdue: bool


class FollowUpOut(WireModel):
    """Referrals waiting for an answer or feedback, oldest first, with the overdue ones marked."""

    days: int = Field(description="Days after which a referral counts as overdue")
    referrals: list[FollowUpReferralOut]
    overdue: int = Field(description="How many referrals are overdue")


class ShelterOut(WireModel):
    """A shelter request with its timeline and where it stands."""

    id: str
    signal_id: str
    type: str
    region: str | None
    state: str = Field(description="requested, offered, started, ended or withdrawn")
    requested_at: str = Field(description=ISO_TIME)
    requested_by: str
    offered_at: str | None = Field(description=ISO_TIME)
    started_at: str | None = Field(description=ISO_TIME)
    ended_at: str | None = Field(description=ISO_TIME)
    withdrawn_at: str | None = Field(description=ISO_TIME)
    no_place_at: list[str] = Field(description='Each "no place available", ISO 8601')
    waiting_days: float | None
    provider: str | None
    end_destination: str | None


class ShelterOpenOut(ShelterOut):
    """A shelter request still waiting, with how long."""

    days_waiting: float | None


class ShelterBarOut(WireModel):
    """One request's waiting-time bar, in days and in percent of the board's scale."""

    id: str
    signal_id: str
    type: str
    state: str
    placed: bool
    requested_at: str = Field(description=ISO_TIME)
    offered_at: str | None = Field(description=ISO_TIME)
    started_at: str | None = Field(description=ISO_TIME)
    days: float
    waiting_days: float
    offer_days: float
    no_place: list[float] = Field(description='Days from the request to each "no place available"')
    waiting_pct: float
    offer_pct: float
    no_place_pct: list[float]


class ShelterBarsOut(WireModel):
    """The bars of the open requests (longest wait first) and the recent placements, on one scale."""

    waiting: list[ShelterBarOut]
    placed: list[ShelterBarOut]
    scale_days: float


class ShelterFigureOut(WireModel):
    """Figures for the requests of one shelter type."""

    type: str
    requests: int
    started: int
    withdrawn: int
    waiting: int
    median_days: float | None
    p90_days: float | None
    longest_waiting_days: float | None
    no_place_events: int


class ShelterFiltersOut(WireModel):
    """The filters of the shelter board."""

    type: str | None
    region: str | None


class ShelterBoardOut(WireModel):
    """Open shelter requests, the recent ones, the waiting-time bars and the figures per type."""

    open: list[ShelterOpenOut]
    recent: list[ShelterOut]
    bars: ShelterBarsOut
    figures: list[ShelterFigureOut]
    filters: ShelterFiltersOut


class SharingActOut(WireModel):
    """An active sharing act of a signal, its legal basis labelled."""

    id: str
    signal_id: str
    org: str
    basis: str
    basis_label: str
    purpose: str
    scope: list[str]
    granted_by: str
    granted_at: str = Field(description=ISO_TIME)
    expires_at: str = Field(description=ISO_TIME)
    revoked_at: str | None = Field(description=ISO_TIME)
    revoked_by: str | None
    active: bool
    standing: bool = Field(default=False, description="A standing act: all signals of the owner, revoked by its admin")


class BasisOut(WireModel):
    """A legal basis to share on."""

    id: str
    label: str


class SharingOut(WireModel):
    """The sharing section of a signal: the acts the user may know of, and what a grant may choose."""

    owner: bool
    may_share: bool
    withheld: list[str] = Field(description="Field groups not shown to this user")
    acts: list[SharingActOut]
    bases: list[BasisOut]
    groups: list[str]
    assignee: str | None
    team: str | None
    organisations: list[dict[str, str]] = Field(description="The register an act may name: id and name")


class OverviewOut(WireModel):
    """Signals per month (YYYY-MM) by form, reporter sector and region; forms overlap."""

    months: list[str]
    total: dict[str, int] = Field(description="Month -> signals received")
    by: dict[str, dict[str, dict[str, int]]] = Field(description="Dimension -> value -> month -> signals")

    @classmethod
    def of(cls, overview: Overview) -> OverviewOut:
        """The answer for an overview."""
        return cls(months=list(overview.months), total=overview.total, by=overview.by)
