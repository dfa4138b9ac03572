"""What every request carries: the app state, the actor, the language, and the CSRF token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from signaal.catalogue import Catalogue
from signaal.domain.actor import Actor
from signaal.errors import Forbidden, SignaalError
from signaal.settings import Settings
from signaal.store import Store
from signaal.web.auth import SESSION_COOKIE, Users
from signaal.web.i18n import LANGUAGES, Translator
from signaal.web.security import CSRF_FIELD, CSRF_HEADER, UserGate, csrf_token, csrf_valid

__all__ = [
    "LANG_COOKIE",
    "AppState",
    "LoginRequired",
    "check_csrf",
    "current_actor",
    "render",
    "state",
    "translator",
    "user_message",
]

LANG_COOKIE = "signaal_lang"
_BODYLESS_JSON = ("application/json", "application/octet-stream", "application/x-ndjson")


@dataclass
class AppState:
    """Everything the routes share, created once by ``create_app``."""

    settings: Settings
    store: Store
    users: Users
    catalogue: Catalogue
    templates: Jinja2Templates
    jobs: Any  # signaal.web.jobs.Jobs
    #: Per-user limits of concurrent work (one live narrative reading per user).
    gates: dict[str, UserGate] = field(default_factory=lambda: {"suggest": UserGate(1)})


class LoginRequired(Exception):
    """A request without a valid session in multi-user mode."""


def state(request: Request) -> AppState:
    """The app state of this request."""
    return request.app.state.signaal  # type: ignore[no-any-return]


def current_actor(request: Request) -> Actor:
    """The actor of this request: the settings' user in single-user mode, else the session's user."""
    app = state(request)
    if app.users.single_user:
        return app.users.single_actor()
    actor = app.users.actor_from_cookie(request.cookies.get(SESSION_COOKIE))
    if actor is None:
        raise LoginRequired()
    return actor


def language(request: Request) -> str:
    """The interface language: the switch cookie, else the configured default."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGUAGES else state(request).settings.language


def translator(request: Request) -> Translator:
    """A translator for this request's language."""
    return Translator(language(request))


def user_message(error: SignaalError, t: Translator) -> str:
    """An error in the page's language: its own message when the catalogue has ``error.<code>``,
    else the service's message (problems listed by field when there are any)."""
    if error.code and t.has(f"error.{error.code}"):
        return t(f"error.{error.code}", **error.values)
    if error.problems:
        named = [p for p in error.problems if p.field and t.has(f"error.{p.field}_invalid")]
        if named and len(named) == len(error.problems):
            return " ".join(dict.fromkeys(t(f"error.{p.field}_invalid") for p in named))
        return "; ".join(str(p) for p in error.problems)
    return error.message


def csrf_for(request: Request) -> str:
    """The CSRF token of this client (its cookie is set by the security middleware)."""
    return csrf_token(state(request).settings.secret_key, request.scope.get("state", {}).get("csrf_cookie", ""))


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request without the client's CSRF token.

    JSON and raw-body API calls are exempt: a cross-site page cannot send those content types
    without a CORS preflight, which this server never grants.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.url.path.startswith("/api/") and kind in _BODYLESS_JSON:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None and kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    cookie = request.cookies.get("signaal_csrf")
    if not csrf_valid(state(request).settings.secret_key, cookie, token):
        raise Forbidden(Translator(language(request))("error.csrf"))


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a page template with what every page needs (translator, actor, token, catalogue)."""
    app = state(request)
    t = translator(request)
    try:
        actor: Actor | None = current_actor(request)
    except LoginRequired:
        actor = None
    base = {
        "t": t,
        "lang": t.lang,
        "actor": actor,
        "single_user": app.users.single_user,
        "sso": bool(app.settings.oidc_issuer),
        "passwords": app.settings.auth_users_file is not None,
        "csrf": csrf_for(request),
        "catalogue": app.catalogue,
        "path": request.url.path,
        "here": quote(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""), safe="/?=&"),
    }
    return app.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
