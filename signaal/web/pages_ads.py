"""Ad screening pages: upload a dump, watch progress, read the ranked groups, promote one to a signal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from signaal.ads import reasons
from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput
from signaal.web import ads_downloads, ads_jobs, ads_reasons
from signaal.web.ads_job_store import expire_jobs
from signaal.web.ads_picture import group_picture
from signaal.web.confirm import ask_confirmation, confirmed
from signaal.web.context import check_csrf, current_actor, render, state, translator, user_message

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


# Fields of the upload form's column mapping, in the order they are asked.
MAPPED_FIELDS: tuple[str, ...] = ("title", "body", "phones", "city", "posted", "id", "url", "name")


def _form_page(
    request: Request, actor: Actor, form: dict[str, str], error: str | None, status: int = 200, flash: str | None = None
) -> Response:
    app = state(request)
    expire_jobs(app.jobs, app.settings)
    jobs = [j.as_dict() for j in app.jobs.of(ads_jobs.job_owner(actor), "ads")]
    context = {
        "jobs": jobs,
        "error": error,
        "form": form,
        "fields": MAPPED_FIELDS,
        "regions": ads_jobs.REGIONS,
        "flash": flash,
    }
    return render(request, "ads.html", context, status)


@router.get("/ads")
def ads_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The upload form (file, column names, phone region) and this user's earlier screenings."""
    deleted = request.query_params.get("deleted")
    flash = translator(request)("adsweb.deleted", name=deleted[:200]) if deleted else None
    return _form_page(request, actor, {"region": "NL"}, None, flash=flash)


@router.post("/ads")
async def ads_upload(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Start screening an uploaded dump; refused with a clear message when the file is unusable."""
    app = state(request)
    posted = await request.form()
    upload = posted.get("dump")
    form = {k: str(v)[:200] for k, v in posted.items() if k != "dump" and isinstance(v, str)}
    mapping = {f: form.get(f"map_{f}", "") for f in MAPPED_FIELDS}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("choose a file to upload", code="ads_choose_file")
        content = await upload.read()
        job = await run_in_threadpool(
            ads_jobs.start_screen,
            app.jobs,
            app.settings,
            actor,
            upload.filename,
            content,
            mapping,
            form.get("region", "NL"),
        )
    except InvalidInput as exc:
        return _form_page(request, actor, form, user_message(exc, translator(request)), 422)
    return RedirectResponse(f"/ads/jobs/{job.id}", status_code=303)


def _in_words(group: dict[str, Any], lang: str) -> None:
    """A group's reasons, and its hubs' contacts and roles, as a reader of ``lang`` reads them."""
    group["reason_lines"] = reasons.reason_lines(group, lang)
    for hub in group.get("hubs") or []:
        hub["type_label"], hub["value"] = reasons.contact_parts(hub["contact"], lang)
        hub["role_label"] = reasons.hub_role(hub["role"], lang)
        hub["others_shown"] = [reasons.contact_parts(key, lang)[1] for key in hub.get("other_numbers") or []]


@router.get("/ads/jobs/{job_id}")
def ads_job(
    request: Request, job_id: str, page: int = Query(1, ge=1, le=1_000_000), actor: Actor = Depends(current_actor)
) -> Response:
    """Progress while the screen runs; the ranked groups, a page at a time, when it is done."""
    app = state(request)
    data = ads_jobs.job_view(app.jobs, actor, job_id, page)
    t = translator(request)
    for group in data["groups"]:
        _in_words(group, t.lang)
    days = app.settings.ads_job_retention_days
    ended = data["job"]["finished_at"]
    data["retention_days"] = days
    data["kept_until"] = (datetime.fromisoformat(ended) + timedelta(days=days)).isoformat() if ended else None
    return render(request, "ads_job.html", {"data": data})


@router.post("/ads/jobs/{job_id}/delete")
async def ads_delete(request: Request, job_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Delete a finished screening with its outputs, after a confirmation step."""
    jobs = state(request).jobs
    job = jobs.get(job_id, ads_jobs.job_owner(actor))  # NotFound for another user's screening, asked or not
    posted = await request.form()
    if not confirmed(posted):
        return ask_confirmation(request, posted, "delete_screening", f"/ads/jobs/{job_id}", name=job.label)
    await run_in_threadpool(jobs.remove, job_id, ads_jobs.job_owner(actor))
    return RedirectResponse(f"/ads?{urlencode({'deleted': job.label})}", status_code=303)


@router.get("/ads/jobs/{job_id}/progress")
def ads_progress(request: Request, job_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """The progress fragment htmx polls; when done it tells the browser to load the full page."""
    data = ads_jobs.job_view(state(request).jobs, actor, job_id)
    response = render(request, "_progress.html", {"data": data})
    if data["job"]["finished"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/ads/jobs/{job_id}/groups/{group_id}")
def ads_group(request: Request, job_id: str, group_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """One group with its ads, evidence highlighted."""
    app = state(request)
    data = ads_jobs.group_detail(app.jobs, actor, job_id, group_id, app.settings)
    t = translator(request)
    _in_words(data["group"], t.lang)
    data["reason_lines"] = data["group"]["reason_lines"]
    data["picture"] = group_picture(data["group"], data["ads"], t.lang)
    for ad in data["ads"]:
        ad["contacts_shown"] = [reasons.contact_shown(key, t.lang) for key in ad.get("contacts", [])]
        for key in ("indicators", "counter_signals"):
            ad[key] = [reasons.indicator_label(i, t.lang) for i in ad[key]]
        for part in ad["title"] + ad["body"]:
            if part["mark"] in ("risk", "counter"):
                part["label"] = reasons.indicator_label(part["label"], t.lang)
    return render(request, "ads_group.html", {"data": data})


@router.post("/ads/jobs/{job_id}/groups/{group_id}/promote")
async def ads_promote(request: Request, job_id: str, group_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Promote a group to a signal and open it, after a confirmation step."""
    app = state(request)
    folder = ads_jobs.finished_folder(app.jobs, actor, job_id)  # NotFound for another user's screen, asked or not
    posted = await request.form()
    if not confirmed(posted):
        ads = len(folder.group(group_id)["ads"])  # NotFound for a group the screen does not have
        back = f"/ads/jobs/{job_id}/groups/{group_id}"
        return ask_confirmation(request, posted, "promote_group", back, id=group_id, ads=ads)
    t = translator(request)
    try:
        signal_id = await run_in_threadpool(
            ads_jobs.promote_group,
            app.jobs,
            app.store,
            actor,
            job_id,
            group_id,
            lambda group: ads_reasons.group_narrative(group, t),
            lambda group: ads_reasons.group_evidence(group, t),
        )
    except Conflict:  # this group of this file was promoted before
        back = f"/ads/jobs/{job_id}/groups/{group_id}"
        refused = {"title": t("confirm.promote_group.title", id=group_id), "error": t("adsweb.already_promoted")}
        return render(request, "ads_refused.html", {"refused": {**refused, "back": back}}, 409)
    return RedirectResponse(f"/signals/{signal_id}?done=promoted", status_code=303)


@router.get("/ads/jobs/{job_id}/groups.csv")
def ads_groups_csv(request: Request, job_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Every group of a finished screen as CSV (formula cells neutralised)."""
    folder = ads_jobs.finished_folder(state(request).jobs, actor, job_id)
    body = ads_downloads.groups_csv(folder, translator(request))
    return _download(body, f"groups-{job_id}.csv", "text/csv; charset=utf-8")


@router.get("/ads/jobs/{job_id}/ads.csv")
def ads_ads_csv(request: Request, job_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """Every ad of every group of a finished screen as CSV (formula cells neutralised)."""
    folder = ads_jobs.finished_folder(state(request).jobs, actor, job_id)
    body = ads_downloads.ads_csv(folder, translator(request))
    return _download(body, f"ads-{job_id}.csv", "text/csv; charset=utf-8")


@router.get("/ads/jobs/{job_id}/report.html")
def ads_report(request: Request, job_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """The screen's HTML report, as the CLI writes it, in the page's language."""
    app = state(request)
    folder = ads_jobs.finished_folder(app.jobs, actor, job_id)
    summary = ads_jobs.job_view(app.jobs, actor, job_id)["summary"] or {}
    html = ads_downloads.report_html(folder, summary, translator(request).lang)
    return _download(iter([html]), f"report-{job_id}.html", "text/html; charset=utf-8")


def _download(body: Iterator[str], name: str, media_type: str) -> Response:
    return StreamingResponse(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
