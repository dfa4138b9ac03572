"""Follow-up forms on the signal page (facts, indicators, routing decision, referrals, meldcode, shelter,
status, close), the shelter board and the overview; every form works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput, NotFound
from signaal.services import referrals as referral_service
from signaal.services import route_steps
from signaal.services import shelter as shelter_service
from signaal.services import signals as signal_service
from signaal.services import triage as triage_service
from signaal.services.key_figures import key_figures
from signaal.services.overview import overview_counts
from signaal.web import views
from signaal.web.charts import stacked_bars
from signaal.web.confirm import ask_confirmation, confirmed
from signaal.web.context import check_csrf, current_actor, language, render, state, translator, user_message
from signaal.web.filters import format_date, format_month
from signaal.web.intake_form import FACT_FIELDS
from signaal.web.pages import signal_context

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _text(posted: Any, name: str) -> str:
    value = posted.get(name)
    return value.strip() if isinstance(value, str) else ""


def _moment(posted: Any, name: str = "at") -> datetime | None:
    """A date/time field (datetime-local or date); empty means now."""
    raw = _text(posted, name)
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("not a date or time", [], code="date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def _act(
    request: Request, signal_id: str, section: str, action: Callable[[Any], Any], done: str, anchor: str = ""
) -> Response:
    """Run one form action; on a user error show the signal page again with the error at the form."""
    posted = await request.form()
    try:
        # Services are blocking calls: run them off the event loop so other requests keep moving.
        await run_in_threadpool(action, posted)
    except (InvalidInput, Conflict) as exc:
        app = state(request)
        actor = current_actor(request)
        data = await run_in_threadpool(views.signal_page, app.store, actor, signal_id, app.settings, language(request))
        message = user_message(exc, translator(request))
        status = 422 if isinstance(exc, InvalidInput) else 409
        context = signal_context(data, errors={section: message}, values={section: dict(posted)})
        return render(request, "signal.html", context, status)
    return RedirectResponse(f"/signals/{signal_id}?done={done}#{anchor or section}", status_code=303)


def posted_facts(posted: Any) -> dict[str, Any]:
    """The facts a facts form changes: yes / no / unknown per fact, a residence; a field that still
    holds the value the page showed (``was_fact_<name>``) is left alone, so who set it stays true."""
    facts: dict[str, Any] = {}
    for name in (*FACT_FIELDS, "residence"):
        answer = _text(posted, f"fact_{name}")
        if not answer or answer == _text(posted, f"was_fact_{name}"):
            continue
        if answer in ("yes", "no"):
            facts[name] = answer == "yes"
        elif answer == "unknown":
            facts[name] = None
        elif name == "residence":
            facts[name] = answer
    return facts


@router.post("/signals/{signal_id}/facts")
async def update_facts(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Answer or change routing facts (yes / no / unknown per fact, the residence status)."""
    app = state(request)

    def act(posted: Any) -> None:
        signal_service.update_facts(app.store, actor, signal_id, posted_facts(posted))

    return await _act(request, signal_id, "facts", act, "facts")


@router.post("/signals/{signal_id}/steps/{step_key}")
async def tick_step(request: Request, signal_id: str, step_key: str, actor: Actor = Depends(current_actor)) -> Response:
    """Tick off one step of the route."""
    app = state(request)

    def act(posted: Any) -> None:
        route_steps.complete_route_step(
            app.store, actor, signal_id, step_key, note=_text(posted, "note"), settings=app.settings
        )

    return await _act(request, signal_id, "steps", act, "step", anchor="perspective")


@router.post("/signals/{signal_id}/indicators/{indicator_id}/{verdict}")
async def judge_indicator(
    request: Request, signal_id: str, indicator_id: str, verdict: str, actor: Actor = Depends(current_actor)
) -> Response:
    """Confirm or reject a suggested indicator."""
    app = state(request)
    if verdict not in ("confirm", "reject"):
        raise NotFound(f"no action {verdict!r}")
    fn = signal_service.confirm_indicator if verdict == "confirm" else signal_service.reject_indicator
    return await _act(
        request, signal_id, "indicators", lambda _: fn(app.store, actor, signal_id, indicator_id), verdict
    )


@router.post("/signals/{signal_id}/forms/{form}/{verdict}")
async def judge_form(
    request: Request, signal_id: str, form: str, verdict: str, actor: Actor = Depends(current_actor)
) -> Response:
    """Confirm or reject a form hypothesis."""
    app = state(request)
    if verdict not in ("confirm", "reject"):
        raise NotFound(f"no action {verdict!r}")
    fn = signal_service.confirm_form if verdict == "confirm" else signal_service.reject_form
    return await _act(request, signal_id, "indicators", lambda _: fn(app.store, actor, signal_id, form), verdict)


@router.post("/signals/{signal_id}/decision")
async def decide(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Record the routing decision (route, reason, contacts)."""
    app = state(request)

    def act(posted: Any) -> None:
        contacts = [c for c in posted.getlist("contact") if isinstance(c, str) and c]
        chosen = _text(posted, "route") or _text(posted, "route_other")
        if not chosen:
            raise InvalidInput("a routing decision needs a route", code="route_required")
        if not _text(posted, "reason"):
            raise InvalidInput("a routing decision needs a reason", code="reason_required")
        triage_service.record_decision(
            app.store,
            actor,
            signal_id,
            chosen,
            _text(posted, "reason"),
            contacts or None,
            settings=app.settings,
        )

    return await _act(request, signal_id, "decision", act, "decision")


@router.post("/signals/{signal_id}/referrals")
async def refer(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Record a referral to a contact."""
    app = state(request)

    def act(posted: Any) -> None:
        referral_service.add_referral(
            app.store,
            actor,
            signal_id,
            _text(posted, "contact_id"),
            at=_moment(posted),
            note=_text(posted, "note"),
            settings=app.settings,
            lang=language(request),
        )

    return await _act(request, signal_id, "referrals", act, "referral")


@router.post("/referrals/{referral_id}/state")
async def referral_state(request: Request, referral_id: int, actor: Actor = Depends(current_actor)) -> Response:
    """Move a referral on: accepted, declined, feedback received."""
    app = state(request)
    posted = await request.form()
    signal_id = _text(posted, "signal_id")
    referrals = await run_in_threadpool(referral_service.list_referrals, app.store, actor, signal_id or None)
    visible = {r.id for r in referrals}
    if referral_id not in visible:
        raise NotFound(f"no referral {referral_id}")

    def act(form: Any) -> None:
        referral_service.update_referral(app.store, actor, referral_id, _text(form, "state"), note=_text(form, "note"))

    return await _act(request, signal_id, "referrals", act, "referral")


@router.post("/signals/{signal_id}/meldcode/{step}")
async def meldcode_step(request: Request, signal_id: str, step: str, actor: Actor = Depends(current_actor)) -> Response:
    """Mark a meldcode step done."""
    app = state(request)

    def act(posted: Any) -> None:
        triage_service.complete_meldcode_step(
            app.store, actor, signal_id, step, note=_text(posted, "note"), settings=app.settings
        )

    return await _act(request, signal_id, "meldcode", act, "meldcode")


@router.post("/signals/{signal_id}/status")
async def status(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Change the status (e.g. take into triage, reopen); closing asks for a confirmation first."""
    app = state(request)
    posted = await request.form()
    closing = _text(posted, "status") == "closed" and not confirmed(posted)
    # Without a routing decision closing is refused anyway: show that at once, not a question first.
    if closing and len(await run_in_threadpool(triage_service.list_decisions, app.store, actor, signal_id)):
        return ask_confirmation(request, posted, "close_signal", f"/signals/{signal_id}#status", id=signal_id)

    def act(posted: Any) -> None:
        signal_service.change_status(app.store, actor, signal_id, _text(posted, "status"), _text(posted, "reason"))

    return await _act(request, signal_id, "status", act, "status")


@router.post("/signals/{signal_id}/shelter")
async def shelter_request(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Request shelter for a signal: the placement clock starts."""
    app = state(request)

    def act(posted: Any) -> None:
        shelter_service.request_shelter(
            app.store,
            actor,
            signal_id,
            _text(posted, "type"),
            region=_text(posted, "region") or None,
            at=_moment(posted),
            note=_text(posted, "note"),
        )

    return await _act(request, signal_id, "shelter", act, "shelter")


SHELTER_EVENTS: dict[str, Callable[..., Any]] = {
    "offered": shelter_service.offer_shelter,
    "no_place": shelter_service.no_place,
    "started": shelter_service.start_shelter,
    "ended": shelter_service.end_shelter,
    "withdrawn": shelter_service.withdraw_shelter,
}


def shelter_event(app: Any, actor: Actor, request_id: str, kind: str, posted: Any) -> Any:
    """Record one shelter event from posted fields (shared by the page and the API)."""
    fn = SHELTER_EVENTS.get(kind)
    if fn is None:
        raise InvalidInput(f"unknown shelter event {kind!r}; use {', '.join(SHELTER_EVENTS)}")
    extra: dict[str, Any] = {}
    if kind in ("offered", "started") and _text(posted, "provider"):
        extra["provider"] = _text(posted, "provider")
    if kind == "ended" and (_text(posted, "destination") or _text(posted, "provider")):
        # The page has one free-text box: provider when placing, destination when ending.
        extra["destination"] = _text(posted, "destination") or _text(posted, "provider")
    return fn(app.store, actor, request_id, at=_moment(posted), note=_text(posted, "note"), **extra)


@router.post("/shelter/{request_id}/events")
async def shelter_event_page(request: Request, request_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Record offered / no place / started / ended / withdrawn for a request."""
    app = state(request)
    posted = await request.form()
    back = _text(posted, "back")
    kind = _text(posted, "kind")
    if kind in ("withdrawn", "ended") and not confirmed(posted):
        cancel = f"/signals/{back}#shelter" if back else f"/shelter#req-{request_id}"
        return ask_confirmation(request, posted, f"shelter_{kind}", cancel, id=request_id)
    try:
        await run_in_threadpool(shelter_event, app, actor, request_id, _text(posted, "kind"), posted)
    except (InvalidInput, Conflict) as exc:
        data = views.shelter_board(app.store, actor, {})
        return render(
            request,
            "shelter.html",
            {"data": data, "error": {request_id: exc.message}},
            422 if isinstance(exc, InvalidInput) else 409,
        )
    target = f"/signals/{back}?done=shelter#shelter" if back else "/shelter?done=1"
    return RedirectResponse(target, status_code=303)


@router.get("/shelter")
def shelter_board(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Open shelter requests with days waiting and "no place" events."""
    data = views.shelter_board(state(request).store, actor, dict(request.query_params))
    return render(request, "shelter.html", {"data": data, "error": {}})


@router.get("/overview")
def overview(request: Request, months: int = 24, actor: Actor = Depends(current_actor)) -> Response:
    """Counts per month by form, reporter sector and region, as server-rendered SVG charts."""
    app = state(request)
    t = translator(request)
    data = overview_counts(app.store, actor, months=months).as_dict()
    cat = app.catalogue
    unknown = {"unknown": t("answer.unknown"), "": t("answer.unknown")}
    labels = {
        "form": {**unknown, **{k: t.label(v) for k, v in cat.forms.items()}},
        "reporter_sector": {**unknown, **{k: t.label(v) for k, v in cat.reporter_sectors.items()}},
        "region": {**unknown, **{k: v.nl for k, v in cat.police_units.items()}},
    }
    lang = language(request)
    today = date.today()
    running = data["months"][-1] == f"{today.year:04d}-{today.month:02d}" if data["months"] else False
    note = t("chart.partial_month", month=format_month(data["months"][-1], lang), day=format_date(today, lang))
    charts = {
        dim: stacked_bars(
            data["months"],
            data["by"][dim],
            labels[dim],
            t(f"overview.by_{dim}"),
            month_label=lambda m: format_month(m, lang),
            other=t("chart.other"),
            partial_note=note if running else None,
        )
        for dim in ("form", "reporter_sector", "region")
    }
    figures = key_figures(app.store, actor, app.settings)
    return render(
        request,
        "overview.html",
        {"data": data, "charts": charts, "labels": labels, "months": months, "figures": figures},
    )


@router.get("/referrals")
def follow_up_page(request: Request, days: int | None = None, actor: Actor = Depends(current_actor)) -> Response:
    """Referrals waiting for an answer or feedback; overdue ones first in attention."""
    app = state(request)
    data = views.follow_up(app.store, actor, app.settings, days)
    return render(request, "referrals.html", {"data": data})
