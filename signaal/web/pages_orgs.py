"""The organisation register and standing acts: an admin page with forms that work without
JavaScript, and their JSON twins under /api."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.domain.access import FieldGroup, may_grant_standing
from signaal.domain.actor import Actor, Role
from signaal.errors import Conflict, InvalidInput
from signaal.services import organisations, standing
from signaal.services.sharing import legal_bases
from signaal.web.api_models import CHANGE, ERROR_RESPONSES, WireModel, errors
from signaal.web.context import check_csrf, current_actor, render, state, translator, user_message
from signaal.web.pages_triage import _moment, _text

__all__ = ["OrganisationIn", "OrganisationOut", "StandingIn", "StandingOut", "api_router", "router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
api_router = APIRouter(prefix="/api", tags=["signaal"], dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)
PAGE = "/admin/organisations"
#: Something new from a JSON body: 400 and 413 for the body, 409 when it exists already.
NEW = errors(400, 409, 413)


class OrganisationIn(BaseModel):
    """An organisation to add to the register."""

    id: str = Field(max_length=120, description="As in the users' org")
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40, description="zorg, gemeente, politie, inspectie, comensha, justitie, overig")


class OrganisationOut(WireModel):
    """A registered organisation."""

    id: str
    name: str
    kind: str
    added_by: str
    added_at: datetime
    retired_at: datetime | None


class StandingIn(BaseModel):
    """A standing act to grant: all signals of the admin's organisation, optionally filtered."""

    org: str = Field(max_length=120, description="A registered organisation")
    basis: str = Field(max_length=40, description="A legal basis id (see catalogue/data/legal_bases.yaml)")
    purpose: str = Field(max_length=500)
    scope: list[str] = Field(default_factory=list, description="Field groups (summary always)")
    form: str | None = Field(default=None, max_length=40, description="Only signals with this form hypothesis")
    police_unit: str | None = Field(default=None, max_length=40, description="Only signals in this police unit")
    expires_at: datetime | None = Field(default=None, description="Default: 90 days from now; at most 730 days")


class StandingOut(WireModel):
    """A standing act as recorded."""

    id: str
    owner_org: str
    org: str
    basis: str
    purpose: str
    scope: list[str]
    form: str | None
    police_unit: str | None
    granted_by: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    active: bool


class StandingRevokeIn(BaseModel):
    """Why a standing act is revoked."""

    reason: str = Field(default="", max_length=500)


def _page_data(request: Request, actor: Actor) -> dict[str, Any]:
    app = state(request)
    lang = translator(request).lang
    return {
        "orgs": organisations.list_organisations(app.store, actor, retired=True),
        "acts": standing.list_standing(app.store, actor),
        "may_register": actor.role == Role.ADMIN,
        "may_grant": may_grant_standing(actor),
        "kinds": organisations.KINDS,
        "bases": [(b.id, b.label(lang)) for b in legal_bases(app.settings).values()],
        "groups": [g.value for g in FieldGroup if g != FieldGroup.SUMMARY],
        "forms": sorted(app.store.catalogue.forms),
        "units": sorted(app.store.catalogue.police_units),
    }


@router.get(PAGE)
async def organisations_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The organisation register and the standing acts of the user's organisation."""
    data = await run_in_threadpool(_page_data, request, actor)
    return render(request, "admin_organisations.html", {**data, "errors": {}, "values": {}})


async def _act(request: Request, section: str, action: Callable[[Any], Any]) -> Response:
    """Run one form action; on a user error show the page again with the error at the form."""
    posted = await request.form()
    actor = current_actor(request)
    try:
        await run_in_threadpool(action, posted)
    except (InvalidInput, Conflict) as exc:
        data = await run_in_threadpool(_page_data, request, actor)
        errors = {section: user_message(exc, translator(request))}
        status = 422 if isinstance(exc, InvalidInput) else 409
        return render(request, "admin_organisations.html", {**data, "errors": errors, "values": dict(posted)}, status)
    return RedirectResponse(f"{PAGE}#{section}", status_code=303)


@router.post(PAGE)
async def add_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Add an organisation from the page's form (an admin)."""
    store = state(request).store
    return await _act(
        request,
        "register",
        lambda p: organisations.add_organisation(
            store, actor, _text(p, "id"), name=_text(p, "name"), kind=_text(p, "kind")
        ),
    )


@router.post(PAGE + "/{org_id}/retire")
async def retire_page(request: Request, org_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Retire an organisation (an admin)."""
    store = state(request).store
    return await _act(request, "register", lambda _: organisations.retire_organisation(store, actor, org_id))


def _grant(request: Request, actor: Actor, posted: Any) -> standing.StandingPublic:
    return standing.grant_standing(
        state(request).store,
        actor,
        org=_text(posted, "org"),
        basis=_text(posted, "basis"),
        purpose=_text(posted, "purpose"),
        scope=[str(v) for v in posted.getlist("scope")],
        form=_text(posted, "form") or None,
        police_unit=_text(posted, "police_unit") or None,
        expires_at=_moment(posted, "expires_at"),
    )


@router.post("/admin/standing-acts")
async def grant_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Grant a standing act from the page's form (an admin of the granting organisation)."""
    return await _act(request, "standing", lambda p: _grant(request, actor, p))


@router.post("/admin/standing-acts/{act_id}/revoke")
async def revoke_page(request: Request, act_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Revoke a standing act of the user's organisation."""
    store = state(request).store
    return await _act(request, "standing", lambda p: standing.revoke_standing(store, actor, act_id, _text(p, "reason")))


@api_router.get("/organisations", response_model=list[OrganisationOut])
def api_organisations(request: Request, actor: Actor = Depends(current_actor)) -> list[OrganisationOut]:
    """The organisation register: whom a sharing act may name."""
    found = organisations.list_organisations(state(request).store, actor)
    return [OrganisationOut.model_validate(o.as_dict()) for o in found]


@api_router.post("/organisations", status_code=201, response_model=OrganisationOut, responses=NEW)
def api_add_organisation(
    request: Request, body: OrganisationIn, actor: Actor = Depends(current_actor)
) -> OrganisationOut:
    """Add an organisation to the register (an admin)."""
    org = organisations.add_organisation(state(request).store, actor, body.id, name=body.name, kind=body.kind)
    return OrganisationOut.model_validate(org.as_dict())


@api_router.get("/standing-acts", response_model=list[StandingOut])
def api_standing(request: Request, actor: Actor = Depends(current_actor)) -> list[StandingOut]:
    """The standing acts the user's organisation granted or received."""
    return [StandingOut.model_validate(a.as_dict()) for a in standing.list_standing(state(request).store, actor)]


@api_router.post("/standing-acts", status_code=201, response_model=StandingOut, responses=NEW)
def api_grant_standing(request: Request, body: StandingIn, actor: Actor = Depends(current_actor)) -> StandingOut:
    """Share all signals of the user's organisation (filtered) with a registered one (an admin)."""
    act = standing.grant_standing(
        state(request).store,
        actor,
        org=body.org,
        basis=body.basis,
        purpose=body.purpose,
        scope=body.scope,
        form=body.form,
        police_unit=body.police_unit,
        expires_at=body.expires_at,
    )
    return StandingOut.model_validate(act.as_dict())


@api_router.post("/standing-acts/{act_id}/revoke", response_model=StandingOut, responses=CHANGE)
def api_revoke_standing(
    request: Request, act_id: str, body: StandingRevokeIn, actor: Actor = Depends(current_actor)
) -> StandingOut:
    """Revoke a standing act; it grants nothing from this moment."""
    act = standing.revoke_standing(state(request).store, actor, act_id, body.reason)
    return StandingOut.model_validate(act.as_dict())
