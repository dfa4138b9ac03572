"""Wire models of the JSON API: what a route returns and what an error looks like, for the OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CHANGE",
    "ERROR_RESPONSES",
    "ISO_TIME",
    "NAMED",
    "AdCheckOut",
    "ErrorOut",
    "HubOut",
    "IndicatorHitOut",
    "MeOut",
    "OpenWireModel",
    "PromotedOut",
    "WireModel",
    "errors",
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


_ERRORS: dict[int, str] = {
    400: "A JSON body that does not parse",
    401: "Not logged in",
    403: "Not allowed for this user, or a bad CSRF token",
    404: "No such object for this user",
    409: "Conflicts with the object's state (already done, closed, not finished...)",
    413: "A request body over the upload limit (SIGNAAL_MAX_UPLOAD_BYTES)",
    422: "Input that does not validate, with the problems per field",
    429: "A reading of this user's is still under way: try again later",
    503: "The store is not available",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of these error statuses, each with the one error body."""
    return {status: {"model": ErrorOut, "description": _ERRORS[status]} for status in statuses}


#: The errors any route under /api can answer (a router's ``responses``); a route adds its own with
#: :func:`errors`: 404 where it names an object, 409 where the object's state can refuse the change,
#: 400 and 413 where it takes a JSON body, 429 where one user runs one piece of work at a time.
ERROR_RESPONSES = errors(401, 403, 422, 503)
#: A route that names an object: it may not exist, or not for this user.
NAMED = errors(404)
#: A change to a named object: 404, 409 and, for its JSON body, 400 and 413.
CHANGE = errors(400, 404, 409, 413)


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
