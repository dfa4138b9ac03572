"""HTML pages of the registry: worklist, intake (with live narrative suggestions) and the signal page."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.catalogue import INDICATOR_SETTINGS
from signaal.domain.actor import Actor
from signaal.domain.identifiers import IdentifierKind
from signaal.domain.signal import Consent, LegalBasis, Residence
from signaal.errors import Conflict, InvalidInput, StorageError
from signaal.services import narrative as narrative_service
from signaal.services import signals as signal_service
from signaal.triage import CONTACT_IDS
from signaal.triage.shelter import SHELTER_TYPES
from signaal.web import views
from signaal.web.context import check_csrf, current_actor, language, render, state, translator
from signaal.web.intake_form import FACT_FIELDS, IDENTIFIER_ROWS, IntakeForm, add_problems, parse_intake
from signaal.web.security import user_slot

__all__ = ["intake_options", "router", "signal_context"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def intake_options(request: Request, setting: str | None) -> dict[str, Any]:
    """Choices of the intake form: the indicator checklist of a setting, sectors, forms, regions."""
    catalogue = state(request).catalogue
    chosen = setting if setting in INDICATOR_SETTINGS else "sexual_care_youth"
    indicators = [i for i in catalogue.indicators.values() if chosen in i.settings]
    others = [i for i in catalogue.indicators.values() if chosen not in i.settings]
    return {
        "settings": INDICATOR_SETTINGS,
        "setting": chosen,
        "indicators": indicators,
        "other_indicators": others,
        "reporter_sectors": list(catalogue.reporter_sectors.values()),
        "forms": list(catalogue.forms.values()),
        "residences": [r.value for r in Residence],
        "legal_bases": [b.value for b in LegalBasis],
        "consents": [c.value for c in Consent],
        "identifier_kinds": [k.value for k in IdentifierKind],
        "identifier_rows": IDENTIFIER_ROWS,
        "fact_fields": FACT_FIELDS,
        "municipalities": sorted(m.name for m in catalogue.municipalities.values()),
        "police_units": list(catalogue.police_units.values()),
    }


@router.get("/signals")
def worklist_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The worklist with filters, counts and paging."""
    params = dict(request.query_params)
    app = state(request)
    data = views.worklist(app.store, actor, params, app.settings, language(request))
    return render(request, "worklist.html", {"data": data})


def _intake_page(request: Request, form: IntakeForm, status: int = 200) -> Response:
    options = intake_options(request, form.values.get("setting"))
    return render(request, "intake.html", {"form": form, "options": options}, status)


@router.get("/signals/new")
def intake_page(request: Request, setting: str | None = None, actor: Actor = Depends(current_actor)) -> Response:
    """An empty intake form (today's date, the actor's organisation)."""
    form = IntakeForm(
        values={
            "received_at": date.today().isoformat(),
            "reporter_org": actor.org,
            "setting": setting or "",
            "indicators": [],
            "words": {},
            "forms": [],
            "facts": {},
            "identifiers": [],
            "apply_suggestions": True,
        }
    )
    return _intake_page(request, form)


@router.post("/signals")
async def intake_submit(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Record the posted signal, or show the form again with errors next to the fields."""
    t = translator(request)
    posted = await request.form()
    if posted.get("change_setting"):
        # The no-JavaScript way to switch the checklist: re-show the form with the values kept.
        form = parse_intake(posted, t, actor.org)
        form.errors = {}
        form.values["apply_suggestions"] = bool(posted.get("apply_suggestions"))
        return _intake_page(request, form)
    form = parse_intake(posted, t, actor.org)
    form.values["apply_suggestions"] = bool(posted.get("apply_suggestions"))
    if form.signal is None:
        return _intake_page(request, form, 422)
    try:
        app = state(request)
        data, suggest = form.signal, bool(form.values["apply_suggestions"])
        signal = await run_in_threadpool(
            lambda: signal_service.record_signal(app.store, actor, data, catalogue=app.catalogue, suggest=suggest)
        )
    except StorageError:
        # A busy or unreachable registry: the form comes back with everything typed, nothing saved.
        form.add("form", t("error.storage"))
        return _intake_page(request, form, 503)
    except (InvalidInput, Conflict) as exc:
        add_problems(form, exc.problems, t)
        if not exc.problems:
            form.add("form", exc.message)
        return _intake_page(request, form, 422 if isinstance(exc, InvalidInput) else 409)
    return RedirectResponse(f"/signals/{signal.id}?recorded=1", status_code=303)


@router.post("/signals/suggest")
async def suggest_fragment(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Live suggestions for the narrative box (an htmx fragment)."""
    posted = await request.form()
    text = posted.get("narrative")
    with user_slot(state(request).gates["suggest"], actor.user):
        reading = await run_in_threadpool(narrative_service.suggest, actor, text if isinstance(text, str) else "")
    return render(request, "_suggestions.html", {"reading": reading.as_dict(), "text": text or ""})


@router.get("/signals/{signal_id}")
def signal_page(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """One signal with its action perspective, decisions, referrals, meldcode, shelter and history."""
    app = state(request)
    data = views.signal_page(app.store, actor, signal_id, app.settings, language(request))
    flash = request.query_params.get("done") or ("recorded" if request.query_params.get("recorded") else None)
    return render(request, "signal.html", signal_context(data, flash=flash))


def signal_context(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The template context of the signal page (also used when a form on it is shown again with errors)."""
    return {"data": data, "shelter_types": SHELTER_TYPES, "all_contacts": CONTACT_IDS, "flash": None, **extra}
