"""Single sign-on routes: send the browser to the OIDC provider, and take it back.

The state, nonce and PKCE verifier of a sign-in travel in a short-lived cookie signed with the
server's secret (only for the path of these routes); the callback checks them, verifies the ID
token (:mod:`signaal.web.oidc`), refuses a locked account, and starts a server-side session as for a
user of the users file. Every sign-in and every refusal is written to the access audit.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from signaal.errors import NotFound
from signaal.services import accounts
from signaal.web import oidc
from signaal.web.app_helpers import safe_next
from signaal.web.context import render, state, translator
from signaal.web.pages_login import signed_in
from signaal.web.security import client_address

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PENDING_COOKIE = "signaal_oidc"
PENDING_PATH = "/login/oidc"
PENDING_MAX_AGE = 600


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(state(request).settings.secret_key, salt="signaal-oidc-pending")


def _redirect_uri(request: Request) -> str:
    return state(request).settings.oidc_redirect_url or str(request.url_for("oidc_callback"))


def _refused(request: Request, reason: str, detail: str = "", user: str = "") -> Response:
    """The login page with the refusal in the user's language; the refusal audited."""
    app = state(request)
    address = client_address(request.scope, app.settings.trusted_proxy)
    accounts.sign_in_refused(app.store, user or "sso:unknown", f"oidc {reason}: {detail}"[:200], address)
    t = translator(request)
    context = {"next": "/signals", "error": t(f"login.oidc_{reason}"), "name": ""}
    response = render(request, "login.html", context, 400 if reason == "state" else 403)
    response.delete_cookie(PENDING_COOKIE, path=PENDING_PATH)
    return response


@router.get("/login/oidc")
async def oidc_start(request: Request, next: str | None = None) -> Response:
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""
    app = state(request)
    if not app.settings.oidc_issuer:
        raise NotFound("single sign-on is not configured")
    pending = oidc.start(safe_next(next))
    try:
        document = await run_in_threadpool(oidc.discover, app.settings)
    except oidc.OidcRefused as exc:
        return await run_in_threadpool(_refused, request, exc.reason, exc.detail)
    response = RedirectResponse(
        oidc.authorization_url(app.settings, document, pending, _redirect_uri(request)), status_code=303
    )
    response.set_cookie(
        PENDING_COOKIE,
        _signer(request).dumps(pending.as_dict()),
        max_age=PENDING_MAX_AGE,
        path=PENDING_PATH,
        httponly=True,
        samesite="lax",  # the provider sends the browser back with a top-level GET from its own site
        secure=not app.settings.insecure_cookies,
    )
    return response


def _pending(request: Request) -> oidc.Pending | None:
    try:
        data: Any = _signer(request).loads(request.cookies.get(PENDING_COOKIE, ""), max_age=PENDING_MAX_AGE)
        return oidc.Pending(str(data["state"]), str(data["nonce"]), str(data["verifier"]), safe_next(data["next"]))
    except (BadSignature, KeyError, TypeError):
        return None


def _complete(request: Request, pending: oidc.Pending, params: dict[str, str]) -> Response:
    app = state(request)
    try:
        actor = oidc.finish(app.settings, pending, params, _redirect_uri(request))
    except oidc.OidcRefused as exc:
        return _refused(request, exc.reason, exc.detail, exc.user)
    if accounts.is_locked(app.store, actor.user):
        return _refused(request, "locked", "account locked", actor.user)
    address = client_address(request.scope, app.settings.trusted_proxy)
    accounts.sign_in_succeeded(app.store, actor, "oidc", address)
    value = app.users.start_session(actor, address, request.headers.get("user-agent", ""))
    response = signed_in(request, value, pending.next)
    response.delete_cookie(PENDING_COOKIE, path=PENDING_PATH)
    return response


@router.get("/login/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request) -> Response:
    """Where the provider sends the browser back: check, verify, start the session."""
    if not state(request).settings.oidc_issuer:
        raise NotFound("single sign-on is not configured")
    pending = _pending(request)
    params = {k: v[:2000] for k, v in request.query_params.items() if k in ("code", "state", "error")}
    if pending is None:
        return await run_in_threadpool(_refused, request, "state", "no sign-in was started in this browser")
    return await run_in_threadpool(_complete, request, pending, params)
