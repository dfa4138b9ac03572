"""The contact directory page: every contact with its number (or "nummer onbekend"), source and the date
it was last checked; an admin loads the organisation's own directory file here."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from signaal.domain.actor import Actor
from signaal.errors import CatalogueError, ConfigError, Forbidden, InvalidInput
from signaal.services import directory as directory_service
from signaal.web.context import check_csrf, current_actor, render, state, translator, user_message

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _page(request: Request, actor: Actor, status: int = 200, **extra: object) -> Response:
    view = directory_service.directory_view(actor, state(request).settings)
    return render(request, "directory.html", {"view": view, "flash": None, "error": None, **extra}, status)


@router.get("/directory")
def directory_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Every contact in force, with source and last-checked date; entries to check again marked."""
    flash = "directory" if request.query_params.get("done") else None
    return _page(request, actor, flash=flash)


@router.post("/directory")
async def load_directory(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Load the organisation's own directory file (admins): validated whole, then put in force."""
    app = state(request)
    posted = await request.form()
    upload = posted.get("file")
    t = translator(request)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, actor, 422, error={"message": t("error.required"), "problems": []})
    name = upload.filename
    content = await upload.read()
    try:
        await run_in_threadpool(
            directory_service.load_organisation_directory, app.store, actor, app.settings, content, name
        )
    except (InvalidInput, CatalogueError, ConfigError, Forbidden) as exc:
        message = user_message(exc, t) if exc.code else t("error.directory_invalid", file=name)
        return _page(request, actor, 422, error={"message": message, "problems": exc.problems})
    return RedirectResponse("/directory?done=1", status_code=303)
