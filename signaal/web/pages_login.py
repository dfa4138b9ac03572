"""Login and logout (multi-user mode only; single-user mode has no login).

A sign-in is throttled per account and per address before any password is checked, costs the
same for unknown names, asks a user with a TOTP secret for their one-time code, and starts a
server-side session; logout ends it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.services import sessions
from signaal.web.app_helpers import safe_next
from signaal.web.auth import SESSION_COOKIE, SESSION_MAX_AGE, UserRecord, totp_ok
from signaal.web.context import check_csrf, render, state, translator
from signaal.web.security import client_address

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form (single-user mode goes straight to the worklist)."""
    if state(request).users.single_user:
        return RedirectResponse("/signals", status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "name": ""})


def _check(request: Request, name: str, password: str, code: str) -> tuple[UserRecord | None, int]:
    """The user if the sign-in succeeds, and the seconds to wait when the account or address is throttled."""
    app = state(request)
    address = client_address(request.scope, app.settings.trusted_proxy)
    wait = sessions.login_wait(app.store, name, address)
    if wait:
        return None, wait
    record = app.users.authenticate(name, password)
    if record is not None and record.totp_secret and not totp_ok(record.totp_secret, code):
        record = None
    if record is None:
        sessions.login_failed(app.store, name, address)
        return None, 0
    sessions.login_succeeded(app.store, name)
    return record, 0


@router.post("/login")
async def login(request: Request) -> Response:
    """Check name, password (and one-time code); on success start a session and set its cookie."""
    app = state(request)
    posted = await request.form()
    name = str(posted.get("name") or "").strip()[:120]
    password = str(posted.get("password") or "")[:1024]
    code = str(posted.get("code") or "")[:12]
    target = safe_next(str(posted.get("next") or ""))
    if app.users.single_user:
        return RedirectResponse("/signals", status_code=303)
    record, wait = await run_in_threadpool(_check, request, name, password, code)
    if record is None:
        t = translator(request)
        error = t("login.throttled", minutes=max(1, (wait + 59) // 60)) if wait else t("login.failed")
        context = {"next": target, "error": error, "name": name}
        response = render(request, "login.html", context, 429 if wait else 401)
        if wait:
            response.headers["retry-after"] = str(wait)
        return response
    value = await run_in_threadpool(
        app.users.start_session,
        record,
        client_address(request.scope, app.settings.trusted_proxy),
        request.headers.get("user-agent", ""),
    )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=not app.settings.insecure_cookies,
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session, on the server as well as in the browser."""
    app = state(request)
    if not app.users.single_user:
        await run_in_threadpool(sessions.end_session, app.store, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=not app.settings.insecure_cookies)
    return response
