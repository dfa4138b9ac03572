"""Small helpers shared by the app factory and the routers."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["LOCAL_HOSTS", "safe_next"]

LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")


def safe_next(target: str | None, default: str = "/signals") -> str:
    """A redirect target only when it stays on this site (no scheme, no host, no '//')."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
