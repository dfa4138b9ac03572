"""Request guards: CSRF tokens, security headers and the upload size limit (pure ASGI middleware)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SecurityMiddleware",
    "UploadTooLarge",
    "csrf_token",
    "csrf_valid",
]

CSRF_COOKIE = "signaal_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

# No inline script or style anywhere: the pages work without JavaScript, htmx is served from /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def new_csrf_secret() -> str:
    """A fresh random value for the CSRF cookie."""
    return secrets.token_urlsafe(24)


def csrf_token(secret_key: str, cookie_value: str) -> str:
    """The token a form must carry: an HMAC of the client's CSRF cookie under the server secret."""
    return hmac.new(secret_key.encode(), cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret_key: str, cookie_value: str | None, token: str | None) -> bool:
    """Whether a submitted token belongs to the client's cookie."""
    if not cookie_value or not token:
        return False
    return hmac.compare_digest(csrf_token(secret_key, cookie_value), token)


def _csrf_cookie(scope: Scope) -> tuple[str, bool]:
    """The client's CSRF cookie value, or a fresh one (and True) when it has none."""
    for name, value in scope.get("headers") or []:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == CSRF_COOKIE and val:
                    return val, False
    return new_csrf_secret(), True


class UploadTooLarge(Exception):
    """A request body exceeded the upload limit."""


class SecurityMiddleware:
    """Adds security headers to every response and refuses bodies over ``max_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_too_large: Any) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_too_large = on_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        cookie, fresh = _csrf_cookie(scope)
        scope.setdefault("state", {})["csrf_cookie"] = cookie

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(HEADERS)]
                headers += HEADERS
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                    if fresh:
                        headers.append(
                            (b"set-cookie", f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict".encode())
                        )
                message["headers"] = headers
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self.on_too_large(scope, receive, send_with_headers)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise UploadTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except UploadTooLarge:
            if started:
                raise
            await self.on_too_large(scope, receive, send_with_headers)
