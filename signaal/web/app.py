"""The FastAPI application factory: pages, the JSON API, static files, guards and one error handler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from signaal.errors import ConfigError, SignaalError, StorageError, http_status
from signaal.settings import Settings, secret_problem
from signaal.store import open_store
from signaal.web.ads_job_store import open_jobs
from signaal.web.app_helpers import LOCAL_HOSTS, safe_next
from signaal.web.auth import Users
from signaal.web.context import LANG_COOKIE, AppState, LoginRequired, language, render, state, user_message
from signaal.web.i18n import LANGUAGES, Translator, load_messages
from signaal.web.jobs import remove_stale_folders
from signaal.web.security import SecurityMiddleware

__all__ = ["create_app"]

HERE = Path(__file__).parent
log = logging.getLogger("signaal.web")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(
    request: Request, status: int, message: str, problems: list[dict[str, Any]] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status, "problems": problems or []}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message, "problems": problems or []}, status)


def create_app(settings: Settings) -> Any:
    """Build the web application on the store named by the settings (refusing unsafe configurations)."""
    _refuse_unsafe(settings)
    load_messages()  # a broken catalogue fails at start-up, not on the first page
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    from signaal.web import filters

    filters.install(templates.env)
    store = open_store(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.signaal.jobs.shutdown()
        app.state.signaal.store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="signaal",
        description="Signals of human trafficking: intake, triage, follow-up, shelter and ad screening.",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    remove_stale_folders("signaal-ads-")  # dumps left in the temporary folder by a crashed server
    app.state.signaal = AppState(
        settings=settings,
        store=store,
        users=Users(settings, store),
        catalogue=store.catalogue,
        templates=templates,
        jobs=open_jobs(store, settings),  # ad screens of an earlier run taken back, interrupted ones marked
    )
    app.add_middleware(
        SecurityMiddleware,
        max_bytes=settings.max_upload_bytes,
        on_too_large=_too_large_answer(settings),
        local_only=not settings.multi_user,
        secure_cookies=settings.multi_user and not settings.insecure_cookies,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _install_error_handlers(app)
    _include_routes(app, settings)
    _ = state  # re-exported helper used by the routers
    return app


def _refuse_unsafe(settings: Settings) -> None:
    """Refuse to serve beyond loopback without users, or with a weak secret in multi-user mode."""
    if settings.host not in LOCAL_HOSTS and not settings.multi_user:
        raise ConfigError("refusing to serve on a non-loopback address without SIGNAAL_AUTH_USERS_FILE")
    weak = secret_problem(settings.secret_key) if settings.multi_user else None
    if weak:  # anyone who knows a weak secret can sign a session for any user, wherever the server binds
        raise ConfigError(f"refusing multi-user mode: SIGNAAL_SECRET_KEY {weak}")


def _too_large_answer(settings: Settings) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The answer to an upload over the limit, in the page's language (JSON under /api/)."""

    async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        t = Translator(language(request)) if "app" in scope else Translator(settings.language)
        limit = f"{settings.max_upload_bytes / 1_048_576:.1f} MB"
        message = t("error.too_large", limit=limit)
        if scope["path"].startswith("/api/"):
            response: Response = JSONResponse({"error": message, "status": 413, "problems": []}, status_code=413)
        else:
            response = Response(
                f'<!doctype html><html lang="{t.lang}"><title>413</title><body><h1>413</h1><p>{message}</p>'
                '<p><a href="/ads">←</a></p></body></html>',
                status_code=413,
                media_type="text/html",
            )
        await response(scope, receive, send)

    return too_large


def _install_error_handlers(app: FastAPI) -> None:
    """One handler per kind of error: a user's mistake, a login, a missing page, bad input, a bug."""

    @app.exception_handler(SignaalError)
    async def signaal_error(request: Request, exc: SignaalError) -> Response:
        status = http_status(exc)
        if isinstance(exc, StorageError):  # the detail names the server's database: for the log only
            log.error("storage error on %s %s: %s", request.method, request.url.path, exc.message)
            return _error_response(request, status, Translator(language(request))("error.storage"))
        problems = [{"reason": p.reason, "field": p.field, "file": p.file, "line": p.line} for p in exc.problems]
        if _wants_json(request):
            return _error_response(request, status, exc.message, problems)
        # A page speaks the user's language: a coded error gets its own text, the rest keeps its message.
        t = Translator(language(request))
        if exc.code is not None and t.has(f"error.{exc.code}"):
            return _error_response(request, status, user_message(exc, t))
        return _error_response(request, status, exc.message, problems)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "login required", "status": 401, "problems": []}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        t = Translator(language(request))
        message = t("error.not_found") if exc.status_code == 404 else str(exc.detail)
        return _error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "reason": str(e.get("msg", "")),
                "field": ".".join(str(p) for p in e.get("loc", ())),
                "file": None,
                "line": None,
            }
            for e in exc.errors()
        ]
        return _error_response(request, 422, Translator(language(request))("error.request"), problems)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, Translator(language(request))("error.internal"))


def _include_routes(app: FastAPI, settings: Settings) -> None:
    """The home redirect, the language switch and every router."""

    @app.get("/", include_in_schema=False)
    async def home() -> Response:
        return RedirectResponse("/signals", status_code=303)

    @app.get("/lang/{code}", include_in_schema=False)
    async def switch_language(code: str, next: str | None = None) -> Response:
        response = RedirectResponse(safe_next(next), status_code=303)
        if code in LANGUAGES:
            response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    from signaal.web import (
        api,
        pages,
        pages_ads,
        pages_directory,
        pages_login,
        pages_monitor,
        pages_network,
        pages_sharing,
        pages_triage,
    )

    for module in (pages_login, pages, pages_triage, pages_sharing, pages_directory, pages_ads, pages_network, api):
        app.include_router(module.router)
    app.include_router(pages_network.api_router)
    app.include_router(pages_sharing.api_router)
    app.include_router(pages_monitor.router)
    app.include_router(pages_monitor.api_router)
    from signaal.web import pages_admin, pages_orgs

    app.include_router(pages_admin.router)
    app.include_router(pages_orgs.router)
    app.include_router(pages_orgs.api_router)
    if settings.oidc_issuer:  # authlib and joserfc are needed only with single sign-on
        from signaal.web import pages_oidc

        app.include_router(pages_oidc.router)
