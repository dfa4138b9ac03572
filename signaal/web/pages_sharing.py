"""Sharing acts and assignment on the signal page, and their JSON twins under /api."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from signaal.domain.actor import Actor
from signaal.services import sharing as sharing_service
from signaal.web.api_models import CHANGE, ERROR_RESPONSES, NAMED, WireModel
from signaal.web.context import check_csrf, current_actor, state
from signaal.web.pages_triage import _act, _moment, _text

__all__ = ["ActOut", "AssignmentIn", "ShareIn", "api_router", "router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
api_router = APIRouter(prefix="/api", tags=["signaal"], dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


class ShareIn(BaseModel):
    """A sharing act to grant: to whom, on which legal basis, why, which field groups, until when."""

    org: str = Field(max_length=120, description="The receiving organisation")
    basis: str = Field(max_length=40, description="A legal basis id (see catalogue/data/legal_bases.yaml)")
    purpose: str = Field(max_length=500)
    scope: list[str] = Field(
        default_factory=list,
        description="Field groups: narrative, identifiers, persons, route, history (summary always)",
    )
    expires_at: datetime | None = Field(default=None, description="Default: 90 days from now; at most 730 days")


class RevokeIn(BaseModel):
    """Why an act is revoked."""

    reason: str = Field(default="", max_length=500)


class AssignmentIn(BaseModel):
    """The person and/or team of the owning organisation that handles a signal."""

    assignee: str | None = Field(default=None, max_length=120)
    team: str | None = Field(default=None, max_length=120)


class ActOut(WireModel):
    """A sharing act as recorded."""

    id: str
    signal_id: str
    org: str
    basis: str
    purpose: str
    scope: list[str]
    granted_by: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    active: bool


def _out(act: sharing_service.ActPublic) -> ActOut:
    return ActOut.model_validate(act.as_dict())


@router.post("/signals/{signal_id}/shares")
async def grant_page(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Grant a sharing act from the signal page's form."""
    app = state(request)

    def act(posted: Any) -> None:
        sharing_service.grant_act(
            app.store,
            actor,
            signal_id,
            org=_text(posted, "org"),
            basis=_text(posted, "basis"),
            purpose=_text(posted, "purpose"),
            scope=[str(v) for v in posted.getlist("scope")],
            expires_at=_moment(posted, "expires_at"),
        )

    return await _act(request, signal_id, "sharing", act, "shared")


@router.post("/signals/{signal_id}/shares/{act_id}/revoke")
async def revoke_page(request: Request, signal_id: str, act_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Revoke a sharing act from the signal page."""
    app = state(request)

    def act(posted: Any) -> None:
        sharing_service.revoke_act(app.store, actor, signal_id, act_id, _text(posted, "reason"))

    return await _act(request, signal_id, "sharing", act, "share_revoked")


@router.post("/signals/{signal_id}/assignment")
async def assign_page(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Assign the signal to a person and/or team of the owning organisation."""
    app = state(request)

    def act(posted: Any) -> None:
        sharing_service.assign_signal(
            app.store, actor, signal_id, assignee=_text(posted, "assignee"), team=_text(posted, "team")
        )

    return await _act(request, signal_id, "sharing", act, "assigned")


@api_router.get("/signals/{signal_id}/shares", response_model=list[ActOut], responses=NAMED)
def api_acts(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> list[ActOut]:
    """The sharing acts of a signal (all for its owning organisation; one's own for a receiver)."""
    return [_out(a) for a in sharing_service.list_acts(state(request).store, actor, signal_id)]


@api_router.post("/signals/{signal_id}/shares", status_code=201, response_model=ActOut, responses=CHANGE)
def api_grant(request: Request, signal_id: str, body: ShareIn, actor: Actor = Depends(current_actor)) -> ActOut:
    """Share a signal with another organisation (a coordinator or admin of the owning organisation)."""
    act = sharing_service.grant_act(
        state(request).store,
        actor,
        signal_id,
        org=body.org,
        basis=body.basis,
        purpose=body.purpose,
        scope=body.scope,
        expires_at=body.expires_at,
    )
    return _out(act)


@api_router.post("/signals/{signal_id}/shares/{act_id}/revoke", response_model=ActOut, responses=CHANGE)
def api_revoke(
    request: Request, signal_id: str, act_id: str, body: RevokeIn, actor: Actor = Depends(current_actor)
) -> ActOut:
    """Revoke a sharing act; it grants nothing from this moment."""
    return _out(sharing_service.revoke_act(state(request).store, actor, signal_id, act_id, body.reason))


@api_router.post("/signals/{signal_id}/assignment", status_code=204, responses=CHANGE)
def api_assign(request: Request, signal_id: str, body: AssignmentIn, actor: Actor = Depends(current_actor)) -> None:
    """Assign a signal to a person and/or team of its owning organisation (recorded as an event)."""
    sharing_service.assign_signal(state(request).store, actor, signal_id, assignee=body.assignee, team=body.team)
