"""Wire models of the JSON API: what a route returns and what an error looks like, for the OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BODY_ERRORS",
    "BUSY_ERRORS",
    "ERROR_RESPONSES",
    "ISO_TIME",
    "AdCheckOut",
    "ErrorOut",
    "HubOut",
    "IndicatorHitOut",
    "MeOut",
    "OpenWireModel",
    "PromotedOut",
    "WireModel",
]

#: How the answers write a moment: ``datetime.isoformat()``, e.g. 2026-01-05T10:00:00+00:00.
ISO_TIME = "ISO 8601 date and time"


class WireModel(BaseModel):
    """A JSON answer of the API: every field declared, none sent unannounced (an unknown field is refused)."""

    model_config = ConfigDict(extra="forbid")


class OpenWireModel(BaseModel):
    """A JSON answer read back from files or analyses whose fields vary: the known ones declared, others let through."""

    model_config = ConfigDict(extra="allow")


class ProblemOut(WireModel):
    """One problem of a refused request: the reason, and where (field, file, line) when known."""

    reason: str
    field: str | None = None
    file: str | None = None
    line: int | None = None


class ErrorOut(WireModel):
    """Every error of the API: a message for a person, the HTTP status, and the problems found.

    The same body for every status (signaal.errors maps each kind of error to one status); the
    problems name the field, file and line of bad input, and are empty for the other errors.
    """

    error: str
    status: int
    problems: list[ProblemOut] = Field(default_factory=list)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not logged in"},
    403: {"model": ErrorOut, "description": "Not allowed for this user, or a bad CSRF token"},
    404: {"model": ErrorOut, "description": "No such object for this user"},
    409: {"model": ErrorOut, "description": "Conflicts with the object's state"},
    422: {"model": ErrorOut, "description": "Input that does not validate, with the problems per field"},
    503: {"model": ErrorOut, "description": "The store is not available"},
}
#: The errors of a route that takes a request body, on top of :data:`ERROR_RESPONSES`.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "A request body over the upload limit (SIGNAAL_MAX_UPLOAD_BYTES)"},
}
#: The errors of a route that runs one piece of work per user at a time, on top of :data:`BODY_ERRORS`.
BUSY_ERRORS: dict[int | str, dict[str, Any]] = {
    **BODY_ERRORS,
    429: {"model": ErrorOut, "description": "A reading of this user's is still under way: try again later"},
}


class MeOut(WireModel):
    """The acting user."""

    user: str
    org: str
    role: str


class PromotedOut(WireModel):
    """The signal a group of ads was recorded as."""

    signal_id: str


class IndicatorHitOut(WireModel):
    """An indicator phrase found in an ad, with where it stands."""

    id: str
    field: str
    start: int
    end: int
    text: str
    counter: bool


class HubOut(WireModel):
    """A contact behind several advertisers, with its evidence (lists cut, full counts beside them)."""

    contact: str
    role: str
    linked: bool
    cluster_count: int
    clusters: list[str]
    ad_count: int
    ads: list[str]
    names: list[str]
    cities: list[str]
    other_numbers: list[str]
    evidence: list[str]


class AdCheckOut(WireModel):
    """One new ad checked against the index of an earlier screen."""

    id: str
    contacts: list[str] = Field(description="The ad's contacts, normalised (phone:+31..., email:..., telegram:...)")
    known_hubs: list[HubOut]
    known_clusters: list[str] = Field(description="Groups of the screen the ad's own contacts belong to")
    template_clusters: list[str] = Field(description="Groups whose template the ad's text matches")
    indicators: list[IndicatorHitOut]
    score: float = Field(description="0-100, advice shown with its reasons, not proof")
    reasons: list[str]
