"""Wire models of the ad-screening routes: a screening job, its ranked groups and one group's ads.

A screen's groups and summary are read back from its output files, which may come from an earlier
version: their models name every field of today's files and let older or newer ones through.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from signaal.web.api_models import ISO_TIME, HubOut, OpenWireModel, WireModel

__all__ = ["GroupDetailOut", "JobOut", "JobViewOut"]


class JobOut(WireModel):
    """A background job's progress (without its result)."""

    id: str
    kind: str
    label: str = Field(description="The uploaded file's name")
    started_at: str = Field(description=ISO_TIME)
    finished_at: str | None = Field(description=ISO_TIME)
    stage: str
    done: int
    total: int
    percent: int
    finished: bool
    error: str | None
    error_code: str | None = Field(description="The message key of the error, for pages in the user's language")
    error_values: dict[str, str]


class SkippedOut(OpenWireModel):
    """A record of the dump that was skipped, and why."""

    line: int | None = None
    code: str | None = None
    values: dict[str, str] = Field(default_factory=dict)
    text: str = ""


class ScreenSummaryOut(OpenWireModel):
    """What a finished screen counted."""

    ads: int = 0
    clusters: int = 0
    hubs: int = 0
    skipped: int = 0
    skip_problems: list[SkippedOut] = Field(default_factory=list)
    seconds: float = 0.0


class ReasonCodeOut(OpenWireModel):
    """A reason of a group's score as a code, its points and its values (indicator ids, counts)."""

    code: str
    points: int
    values: dict[str, Any]


class TemplateOut(OpenWireModel):
    """The text a group's ads share, with the words that vary."""

    ads: int
    text: str
    slots: list[str]


class MovementOut(OpenWireModel):
    """The same contact or template in several cities within the window."""

    via: str
    cities: list[str]
    first: str
    last: str
    ads: list[str]


class ScreenHubOut(HubOut):
    """A hub of a group as its screen wrote it (a file of an earlier version may hold other fields)."""

    model_config = ConfigDict(extra="allow")


class GroupOut(OpenWireModel):
    """A group of linked ads with its hubs, template, movement, score and reasons."""

    id: str
    ads: list[str]
    hubs: list[ScreenHubOut]
    cities: list[str]
    contacts: list[str]
    names: list[str]
    movement: MovementOut | None
    template: TemplateOut | None
    score: float
    reasons: list[str]
    reason_codes: list[ReasonCodeOut]
    template_ads: int = 0


class RankedGroupOut(GroupOut):
    """A group on a page of the ranking (its first 20 ads, with the full count)."""

    rank: int
    ad_count: int


class PagingOut(WireModel):
    """Which page of the ranked groups this is, of how many."""

    page: int
    pages: int
    total: int
    first: int
    last: int


class JobViewOut(WireModel):
    """A screening's progress and, once done, its summary and one page of its ranked groups."""

    job: JobOut
    summary: ScreenSummaryOut | None
    groups: list[RankedGroupOut]
    paging: PagingOut | None


class SegmentOut(WireModel):
    """A part of an ad's text: plain (mark null), or a risk phrase, counter-signal or hub contact."""

    text: str
    mark: str | None = Field(description="null, risk, counter or hub")
    label: str | None = Field(default=None, description="The indicator id or the contact of a marked part")


class GroupAdOut(WireModel):
    """An ad of a group with its evidence marked."""

    id: str
    name: str
    city: str
    posted: str
    url: str
    contacts: list[str]
    score: float | None
    indicators: list[str]
    counter_signals: list[str]
    title: list[SegmentOut]
    body: list[SegmentOut]


class GroupDetailOut(WireModel):
    """One group of a screening with its ads (the first ones, with the full count)."""

    job_id: str
    group: GroupOut
    ads: list[GroupAdOut]
    ads_total: int
