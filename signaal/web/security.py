"""Request guards: CSRF tokens, security headers and the upload size limit (pure ASGI middleware)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from signaal.errors import Busy

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SecurityMiddleware",
    "UploadTooLarge",
    "UserGate",
    "client_address",
    "csrf_token",
    "csrf_valid",
    "local_refusal",
    "user_slot",
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


_LOCAL_NAMES = ("localhost",)


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def _host_name(host_header: str) -> str:
    """The host name of a Host header, without port and IPv6 brackets."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.rpartition(":")[0] if host_header.count(":") == 1 else host_header


def local_refusal(scope: Scope) -> str | None:
    """Why a single-user server refuses this request, or None when it comes from this machine.

    The socket's peer address must be loopback (not a setting: a server started on 0.0.0.0 by
    another program still refuses remote peers), and the Host header must name a loopback host,
    so a page on another site cannot reach the server through a name rebound to 127.0.0.1.
    """
    client = scope.get("client")
    if not client or not _loopback(str(client[0])):
        return "this single-user server answers only this machine"
    host = next((v.decode("latin-1") for k, v in scope.get("headers") or [] if k == b"host"), "")
    name = _host_name(host.strip().lower())
    if name not in _LOCAL_NAMES and not _loopback(name):
        return "this single-user server answers only requests for localhost or a loopback address"
    return None


def client_address(scope: Scope, trusted_proxy: str | None = None) -> str:
    """The client's address: the socket peer, or the last X-Forwarded-For hop when the peer is the trusted proxy."""
    client = scope.get("client")
    peer = str(client[0]) if client else ""
    if trusted_proxy and peer == trusted_proxy:
        forwarded = next((v.decode("latin-1") for k, v in scope.get("headers") or [] if k == b"x-forwarded-for"), "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1][:64]
    return peer[:64]


async def _refuse(scope: Scope, send: Send, reason: str) -> None:
    """A plain 403 answer that reveals nothing of the registry."""
    body = f"403 forbidden: {reason}\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 403, "headers": headers + HEADERS})
    await send({"type": "http.response.body", "body": body})


class UserGate:
    """At most ``limit`` calls of one kind per user at a time (thread-safe); others are refused, not queued."""

    def __init__(self, limit: int = 1) -> None:
        self.limit = limit
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    def enter(self, user: str) -> bool:
        """Take a place for ``user``; False when they already have ``limit`` calls running."""
        with self._lock:
            if self._running.get(user, 0) >= self.limit:
                return False
            self._running[user] = self._running.get(user, 0) + 1
            return True

    def leave(self, user: str) -> None:
        """Give the place back."""
        with self._lock:
            left = self._running.get(user, 0) - 1
            if left > 0:
                self._running[user] = left
            else:
                self._running.pop(user, None)


@contextmanager
def user_slot(gate: UserGate, user: str, message: str = "a reading of yours is still under way") -> Iterator[None]:
    """Hold a place of ``gate`` for ``user`` while the block runs; Busy (429) when none is free."""
    if not gate.enter(user):
        raise Busy(message)
    try:
        yield
    finally:
        gate.leave(user)


class UploadTooLarge(Exception):
    """A request body exceeded the upload limit."""


class SecurityMiddleware:
    """Adds security headers to every response and refuses bodies over ``max_bytes`` with 413.

    With ``local_only`` (single-user mode) it refuses every request :func:`local_refusal` refuses;
    with ``secure_cookies`` the CSRF cookie is sent only over HTTPS.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, on_too_large: Any, local_only: bool = False, secure_cookies: bool = False
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_too_large = on_too_large
        self.local_only = local_only
        self.cookie_flags = "; Secure" if secure_cookies else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = local_refusal(scope) if self.local_only else None
        if refusal is not None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _refuse(scope, send, refusal)
            return
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
                            (
                                b"set-cookie",
                                f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{self.cookie_flags}".encode(),
                            )
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
