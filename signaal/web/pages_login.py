"""Login and logout (multi-user mode only; single-user mode has no login).

A sign-in is throttled per account and per address before any password is checked, costs the
same for unknown names, asks a user with a TOTP secret for their one-time code (each code once),
locks the account after too many failures in a row, and starts a server-side session; logout ends it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.services import accounts, sessions
from signaal.web.app_helpers import safe_next
from signaal.web.auth import SESSION_COOKIE, SESSION_MAX_AGE, UserRecord, totp_step
from signaal.web.context import check_csrf, render, state, translator
from signaal.web.security import client_address

__all__ = ["router", "signed_in"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form (single-user mode goes straight to the worklist)."""
    if state(request).users.single_user:
        return RedirectResponse("/signals", status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "name": ""})


def _check(request: Request, name: str, password: str, code: str) -> tuple[UserRecord | None, str, int]:
    """The user if the sign-in succeeds, else why not (``failed``, ``locked``, ``throttled``) and the
    seconds to wait when the account or address is throttled."""
    app = state(request)
    address = client_address(request.scope, app.settings.trusted_proxy)
    wait = sessions.login_wait(app.store, name, address)
    if wait:
        return None, "throttled", wait
    record = app.users.authenticate(name, password)  # the same work whether or not the account is locked
    reason = "locked" if accounts.is_locked(app.store, name) else ""
    if not reason and record is None:
        reason = "password"
    elif not reason and record is not None and record.totp_secret:
        step = totp_step(record.totp_secret, code)
        if step is None:
            reason = "code"
        elif not accounts.accept_totp_step(app.store, name, step):
            reason = "code_reused"  # a code seen before: someone may have watched it being typed
    if reason:
        sessions.login_failed(app.store, name, address)
        locked = accounts.sign_in_failed(app.store, name, app.settings.lockout_failures, reason, address)
        return None, "locked" if locked else "failed", 0
    assert record is not None
    sessions.login_succeeded(app.store, name)
    accounts.sign_in_succeeded(app.store, record.actor, "local", address)
    return record, "", 0


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
    record, outcome, wait = await run_in_threadpool(_check, request, name, password, code)
    if record is None:
        t = translator(request)
        errors = {
            "throttled": t("login.throttled", minutes=max(1, (wait + 59) // 60)),
            "locked": t("login.locked"),
        }
        context = {"next": target, "error": errors.get(outcome, t("login.failed")), "name": name}
        response = render(request, "login.html", context, {"throttled": 429, "locked": 403}.get(outcome, 401))
        if wait:
            response.headers["retry-after"] = str(wait)
        return response
    value = await run_in_threadpool(
        app.users.start_session,
        record,
        client_address(request.scope, app.settings.trusted_proxy),
        request.headers.get("user-agent", ""),
    )
    return signed_in(request, value, target)


def signed_in(request: Request, cookie_value: str, target: str) -> Response:
    """The redirect after a sign-in, setting the session cookie."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie_value,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=not state(request).settings.insecure_cookies,
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
