"""Login and logout (multi-user mode only; single-user mode has no login)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.web.app_helpers import safe_next
from signaal.web.auth import SESSION_COOKIE, SESSION_MAX_AGE
from signaal.web.context import check_csrf, render, state, translator

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form (single-user mode goes straight to the worklist)."""
    if state(request).users.single_user:
        return RedirectResponse("/signals", status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "name": ""})


@router.post("/login")
async def login(request: Request) -> Response:
    """Check name and password; on success set the signed session cookie."""
    app = state(request)
    posted = await request.form()
    name = str(posted.get("name") or "").strip()
    password = str(posted.get("password") or "")
    target = safe_next(str(posted.get("next") or ""))
    record = None if app.users.single_user else await run_in_threadpool(app.users.authenticate, name, password)
    if record is None:
        t = translator(request)
        return render(request, "login.html", {"next": target, "error": t("login.failed"), "name": name}, 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        app.users.session_cookie(record),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=not app.settings.insecure_cookies,
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
