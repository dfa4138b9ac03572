"""The JSON API under /api (OpenAPI at /api/openapi.json): every page's data from the same service call."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, field_validator

from signaal.domain.actor import Actor
from signaal.domain.signal import MAX_NARRATIVE_CHARS, SignalCreate, SignalPublic
from signaal.errors import Conflict, InvalidInput, NotFound
from signaal.services import narrative as narrative_service
from signaal.services import referrals as referral_service
from signaal.services import signals as signal_service
from signaal.services import triage as triage_service
from signaal.services.overview import overview_counts
from signaal.web import ads_jobs, views
from signaal.web.api_models import CHANGE, ERROR_RESPONSES, NAMED, AdCheckOut, MeOut, PromotedOut, errors
from signaal.web.context import AppState, check_csrf, current_actor, language, state
from signaal.web.pages import intake_options
from signaal.web.pages_triage import shelter_event
from signaal.web.security import user_slot
from signaal.web.wire_ads import GroupDetailOut, JobOut, JobViewOut
from signaal.web.wire_care import FollowUpOut, OverviewOut, ReferralOut, ShelterBoardOut, ShelterOut
from signaal.web.wire_signals import (
    ChecklistOut,
    DecisionOut,
    IntakeOut,
    RouteOut,
    SignalPageOut,
    SuggestionsOut,
    WorklistOut,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["signaal"], dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


#: The upload of a dump: the file's bytes as the request body.
_RAW_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class NarrativeIn(BaseModel):
    """A narrative to read."""

    text: str = Field(max_length=MAX_NARRATIVE_CHARS)


class FactsIn(BaseModel):
    """Routing facts to merge (null removes a fact)."""

    facts: dict[str, Any]


class DecisionIn(BaseModel):
    """A routing decision."""

    route: str
    reason: str
    contacts: list[str] | None = None


class ReferralIn(BaseModel):
    """A referral to a canonical contact."""

    contact_id: str
    at: datetime | None = None
    note: str = ""


class ReferralStateIn(BaseModel):
    """A referral's next state."""

    state: str
    note: str = ""


class StepIn(BaseModel):
    """A note for a meldcode step."""

    note: str = ""


class StatusIn(BaseModel):
    """A status change (``closed`` needs a recorded routing decision)."""

    status: str
    reason: str = ""


class ShelterIn(BaseModel):
    """A shelter request."""

    type: str
    region: str | None = None
    at: datetime | None = None
    note: str = ""


class ShelterEventIn(BaseModel):
    """A shelter event: offered, no_place, started, ended or withdrawn."""

    kind: str
    at: datetime | None = None
    note: str = ""
    provider: str | None = None
    destination: str | None = None


class AdCheckIn(BaseModel):
    """One new ad to screen at posting time, with the fields of an ad dump, and its phone region."""

    ad: dict[str, Any] = Field(
        description="The ad: id, title, body, city, posted, url, name, age (strings) and phones (list of strings)"
    )
    region: str = Field("NL", description="Default phone region of the ad's numbers (NL, BE, DE, CA, US...)")

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        import phonenumbers

        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown region {value!r}; use a two-letter country code such as NL, BE, DE, CA or US")
        return value.upper()


@router.get("/me", response_model=MeOut)
def me(actor: Actor = Depends(current_actor)) -> MeOut:
    """The acting user, organisation and role."""
    return MeOut(user=actor.user, org=actor.org, role=actor.role.value)


@router.get("/signals", response_model=WorklistOut)
def api_worklist(
    request: Request,
    status: str | None = None,
    form: str | None = None,
    police_unit: str | None = None,
    reporter_sector: str | None = None,
    age_group: str | None = None,
    page: int = Query(1, ge=1),
    limit: int = Query(views.PAGE_SIZE, ge=1, le=1000),
    actor: Actor = Depends(current_actor),
) -> WorklistOut:
    """The worklist (the data of /signals)."""
    params = {
        "status": status,
        "form": form,
        "police_unit": police_unit,
        "reporter_sector": reporter_sector,
        "age_group": age_group,
        "page": str(page),
        "limit": str(limit),
    }
    app = state(request)
    data = views.worklist(app.store, actor, {k: v for k, v in params.items() if v}, app.settings, language(request))
    return WorklistOut.model_validate(data)


@router.get("/intake", response_model=IntakeOut)
def api_intake_options(
    request: Request, setting: str | None = None, actor: Actor = Depends(current_actor)
) -> IntakeOut:
    """The choices of the intake form (the data of /signals/new)."""
    options = intake_options(request, setting)
    return IntakeOut.model_validate(
        {
            "setting": options["setting"],
            "settings": list(options["settings"]),
            "indicators": [{"id": i.id, "nl": i.nl, "en": i.en} for i in options["indicators"]],
            "reporter_sectors": [{"id": s.id, "nl": s.nl, "en": s.en} for s in options["reporter_sectors"]],
            "forms": [{"id": f.id, "nl": f.nl, "en": f.en} for f in options["forms"]],
            "identifier_kinds": options["identifier_kinds"],
            "fact_fields": list(options["fact_fields"]),
        }
    )


@router.post("/signals", status_code=201, response_model=SignalPublic, responses=errors(400, 409, 413))
def api_record(
    request: Request, data: SignalCreate, apply_suggestions: bool = False, actor: Actor = Depends(current_actor)
) -> SignalPublic:
    """Record a signal (optionally adding the narrative reader's suggestions, marked as suggested)."""
    app = state(request)
    signal: SignalPublic = signal_service.record_signal(
        app.store, actor, data, catalogue=app.catalogue, suggest=apply_suggestions
    )
    return signal


@router.post("/narrative/suggest", response_model=SuggestionsOut, responses=errors(400, 413, 429))
def api_suggest(request: Request, body: NarrativeIn, actor: Actor = Depends(current_actor)) -> SuggestionsOut:
    """Suggestions for a narrative, with evidence (nothing is stored)."""
    with user_slot(state(request).gates["suggest"], actor.user):
        app = state(request)
        reading = narrative_service.suggest(actor, body.text, catalogue=app.catalogue, knowledge=app.store.knowledge)
        return SuggestionsOut.model_validate(reading.as_dict())


@router.get("/signals/{signal_id}", response_model=SignalPageOut, responses=NAMED)
def api_signal(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> SignalPageOut:
    """One signal with everything on its page (texts in the request's language)."""
    app = state(request)
    return SignalPageOut.model_validate(views.signal_page(app.store, actor, signal_id, app.settings, language(request)))


@router.get("/signals/{signal_id}/history", response_model=list[signal_service.EventPublic], responses=NAMED)
def api_history(
    request: Request, signal_id: str, actor: Actor = Depends(current_actor)
) -> list[signal_service.EventPublic]:
    """The full history of a signal, oldest first."""
    return signal_service.signal_history(state(request).store, actor, signal_id)


@router.post("/signals/{signal_id}/facts", response_model=SignalPublic, responses=CHANGE)
def api_facts(request: Request, signal_id: str, body: FactsIn, actor: Actor = Depends(current_actor)) -> SignalPublic:
    """Merge routing facts into a signal."""
    return signal_service.update_facts(state(request).store, actor, signal_id, body.facts)


@router.post(
    "/signals/{signal_id}/indicators/{indicator_id}/confirm", response_model=SignalPublic, responses=errors(404, 409)
)
def api_confirm_indicator(
    request: Request, signal_id: str, indicator_id: str, actor: Actor = Depends(current_actor)
) -> SignalPublic:
    """Confirm a suggested indicator."""
    return signal_service.confirm_indicator(state(request).store, actor, signal_id, indicator_id)


@router.post(
    "/signals/{signal_id}/indicators/{indicator_id}/reject", response_model=SignalPublic, responses=errors(404, 409)
)
def api_reject_indicator(
    request: Request, signal_id: str, indicator_id: str, actor: Actor = Depends(current_actor)
) -> SignalPublic:
    """Reject a suggested indicator."""
    return signal_service.reject_indicator(state(request).store, actor, signal_id, indicator_id)


@router.post("/signals/{signal_id}/forms/{form}/confirm", response_model=SignalPublic, responses=errors(404, 409))
def api_confirm_form(
    request: Request, signal_id: str, form: str, actor: Actor = Depends(current_actor)
) -> SignalPublic:
    """Set or confirm a form hypothesis."""
    return signal_service.confirm_form(state(request).store, actor, signal_id, form)


@router.post("/signals/{signal_id}/forms/{form}/reject", response_model=SignalPublic, responses=errors(404, 409))
def api_reject_form(request: Request, signal_id: str, form: str, actor: Actor = Depends(current_actor)) -> SignalPublic:
    """Remove a form hypothesis."""
    return signal_service.reject_form(state(request).store, actor, signal_id, form)


@router.get("/signals/{signal_id}/route", response_model=RouteOut, responses=NAMED)
def api_route(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> RouteOut:
    """The action perspective of a signal in the request's language (nothing is recorded)."""
    app = state(request)
    routed = triage_service.route_signal(app.store, actor, signal_id, settings=app.settings, lang=language(request))
    return RouteOut.model_validate({"facts": routed.facts.as_dict(), "route": routed.route.as_dict()})


@router.post("/signals/{signal_id}/decision", status_code=201, response_model=DecisionOut, responses=CHANGE)
def api_decision(
    request: Request, signal_id: str, body: DecisionIn, actor: Actor = Depends(current_actor)
) -> DecisionOut:
    """Record a routing decision; the signal moves to 'routed'."""
    app = state(request)
    decision = triage_service.record_decision(
        app.store, actor, signal_id, body.route, body.reason, body.contacts, settings=app.settings
    )
    return DecisionOut.model_validate(decision.as_dict())


@router.post("/signals/{signal_id}/referrals", status_code=201, response_model=ReferralOut, responses=CHANGE)
def api_referral(
    request: Request, signal_id: str, body: ReferralIn, actor: Actor = Depends(current_actor)
) -> ReferralOut:
    """Record a referral."""
    app = state(request)
    referral = referral_service.add_referral(
        app.store,
        actor,
        signal_id,
        body.contact_id,
        at=body.at,
        note=body.note,
        settings=app.settings,
        lang=language(request),
    )
    return ReferralOut.model_validate(referral.as_dict())


@router.post("/referrals/{referral_id}/state", response_model=ReferralOut, responses=CHANGE)
def api_referral_state(
    request: Request, referral_id: int, body: ReferralStateIn, actor: Actor = Depends(current_actor)
) -> ReferralOut:
    """Move a referral on (accepted, declined, feedback_received)."""
    referral = referral_service.update_referral(state(request).store, actor, referral_id, body.state, note=body.note)
    return ReferralOut.model_validate(referral.as_dict())


@router.post("/signals/{signal_id}/meldcode/{step}", response_model=ChecklistOut, responses=CHANGE)
def api_meldcode(
    request: Request, signal_id: str, step: str, body: StepIn, actor: Actor = Depends(current_actor)
) -> ChecklistOut:
    """Mark a meldcode step done; the checklist."""
    app = state(request)
    checklist = triage_service.complete_meldcode_step(
        app.store, actor, signal_id, step, note=body.note, settings=app.settings
    )
    items = [i.as_dict(language(request)) for i in checklist.items]
    return ChecklistOut.model_validate({"items": items, "complete": checklist.complete})


@router.post("/signals/{signal_id}/status", response_model=SignalPublic, responses=CHANGE)
def api_status(request: Request, signal_id: str, body: StatusIn, actor: Actor = Depends(current_actor)) -> SignalPublic:
    """Change the status; closing needs a recorded routing decision."""
    return signal_service.change_status(state(request).store, actor, signal_id, body.status, body.reason)


@router.post("/signals/{signal_id}/shelter", status_code=201, response_model=ShelterOut, responses=CHANGE)
def api_shelter_request(
    request: Request, signal_id: str, body: ShelterIn, actor: Actor = Depends(current_actor)
) -> ShelterOut:
    """Request shelter for a signal."""
    from signaal.services import shelter as shelter_service

    requested = shelter_service.request_shelter(
        state(request).store, actor, signal_id, body.type, region=body.region, at=body.at, note=body.note
    )
    return ShelterOut.model_validate(requested.as_dict())


@router.post("/shelter/{request_id}/events", response_model=ShelterOut, responses=CHANGE)
def api_shelter_event(
    request: Request, request_id: str, body: ShelterEventIn, actor: Actor = Depends(current_actor)
) -> ShelterOut:
    """Record a shelter event."""
    posted = {
        k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in body.model_dump().items() if v is not None
    }
    return ShelterOut.model_validate(shelter_event(state(request), actor, request_id, body.kind, posted).as_dict())


@router.get("/referrals", response_model=FollowUpOut)
def api_follow_up(
    request: Request,
    days: int | None = Query(None, ge=1, le=views.MAX_OVERDUE_DAYS),
    actor: Actor = Depends(current_actor),
) -> FollowUpOut:
    """Referrals waiting for an answer or feedback, with the overdue ones marked (the data of /referrals)."""
    app = state(request)
    return FollowUpOut.model_validate(views.follow_up(app.store, actor, app.settings, days))


@router.get("/shelter", response_model=ShelterBoardOut)
def api_shelter_board(
    request: Request, type: str | None = None, region: str | None = None, actor: Actor = Depends(current_actor)
) -> ShelterBoardOut:
    """The shelter board (the data of /shelter)."""
    board = views.shelter_board(state(request).store, actor, {"type": type or "", "region": region or ""})
    return ShelterBoardOut.model_validate(board)


@router.get("/overview", response_model=OverviewOut)
def api_overview(
    request: Request, months: int = Query(24, ge=1, le=36), actor: Actor = Depends(current_actor)
) -> OverviewOut:
    """Counts per month by form, reporter sector and region (the data of /overview)."""
    return OverviewOut.of(overview_counts(state(request).store, actor, months=months))


@router.post("/ads/jobs", status_code=202, response_model=JobOut, openapi_extra=_RAW_BODY, responses=errors(413))
async def api_ads_upload(
    request: Request,
    filename: str = Query(..., description="name with .jsonl/.csv/.xlsx"),
    region: str = Query("NL", description="phone region of numbers without a country code"),
    columns: list[str] = Query([], alias="map", description="field=column for the file's own column names"),
    actor: Actor = Depends(current_actor),
) -> JobOut:
    """Start screening a dump sent as the raw request body (application/octet-stream)."""
    app = state(request)
    mapping = dict(item.partition("=")[::2] for item in columns)
    job = ads_jobs.start_screen(app.jobs, app.settings, actor, filename, await request.body(), mapping, region)
    return JobOut.model_validate(job.as_dict())


@router.get("/ads/jobs/{job_id}", response_model=JobViewOut, response_model_exclude_unset=True, responses=NAMED)
def api_ads_job(
    request: Request, job_id: str, page: int = Query(1, ge=1, le=1_000_000), actor: Actor = Depends(current_actor)
) -> JobViewOut:
    """A screening's progress and, when done, one page of its ranked groups (see ``paging``)."""
    return JobViewOut.model_validate(ads_jobs.job_view(state(request).jobs, actor, job_id, page))


@router.get(
    "/ads/jobs/{job_id}/groups/{group_id}",
    response_model=GroupDetailOut,
    response_model_exclude_unset=True,
    responses=NAMED,
)
def api_ads_group(
    request: Request, job_id: str, group_id: str, actor: Actor = Depends(current_actor)
) -> GroupDetailOut:
    """One group with its ads and the evidence spans."""
    app = state(request)
    return GroupDetailOut.model_validate(ads_jobs.group_detail(app.jobs, actor, job_id, group_id, app.settings))


@router.post(
    "/ads/jobs/{job_id}/groups/{group_id}/promote",
    status_code=201,
    response_model=PromotedOut,
    responses=errors(404, 409),
)
def api_ads_promote(request: Request, job_id: str, group_id: str, actor: Actor = Depends(current_actor)) -> PromotedOut:
    """Promote a group to a signal; its id."""
    app = state(request)
    return PromotedOut(signal_id=ads_jobs.promote_group(app.jobs, app.store, actor, job_id, group_id))


def _ads_index(app: AppState, actor: Actor, job_id: str | None) -> Path:
    """The index a check runs against: a finished screening job of this user's, else the setting's file."""
    if job_id is not None:
        job = app.jobs.get(job_id, ads_jobs.job_owner(actor))  # NotFound for other users' jobs
        if job.kind != "ads":
            raise NotFound(f"no job {job_id!r}")
        if not job.finished:
            raise Conflict(f"screening {job_id} is not finished yet: check again when it is done")
        if job.error or not isinstance(job.result, dict):
            raise Conflict(f"screening {job_id} failed and has no index of known hubs and templates")
        return Path(job.result["dir"]) / "out" / "index.json"
    if app.settings.ads_index_file is None:
        raise Conflict(
            "no index of known hubs and templates: pass ?job=<id> of a finished screening, "
            "or set SIGNAAL_ADS_INDEX_FILE to the index.json of a screen"
        )
    return app.settings.ads_index_file


@router.post("/ads/check", response_model=AdCheckOut, responses=CHANGE)
def api_ads_check(
    request: Request,
    body: AdCheckIn,
    job: str | None = Query(None, description="Screening job whose index to use (default: SIGNAAL_ADS_INDEX_FILE)"),
    actor: Actor = Depends(current_actor),
) -> AdCheckOut:
    """Screen one new ad at posting time against the known hubs, contacts and templates of an earlier
    screen: its contacts, known hubs and clusters, template clusters, indicators, score and reasons."""
    # Imported here: the screening engine (numpy) loads only when someone screens.
    from signaal.ingest.ads import ad_from_record
    from signaal.services import ads as ads_service

    app = state(request)
    ad = ad_from_record(body.ad, max_bytes=app.settings.ads_max_ad_bytes)
    path = _ads_index(app, actor, job)
    try:
        ads_service.load_index(path)
    except InvalidInput:
        source = f"screening {job}" if job is not None else "the file named by SIGNAAL_ADS_INDEX_FILE"
        raise Conflict(f"no usable index of known hubs and templates: {source} is missing or unreadable") from None
    return AdCheckOut.model_validate(ads_service.check_one_ad(actor, path, ad, body.region, app.settings))
