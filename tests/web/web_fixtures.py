"""Helpers and synthetic data shared by the web tests."""

from __future__ import annotations

import os
import re

from fastapi.testclient import TestClient

__all__ = ["SYNTHETIC_SIGNAL", "chromium_path", "csrf_token"]


def csrf_token(client: TestClient, page: str = "/signals") -> str:
    """The CSRF token the server puts in its forms for this client."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    if match is None:
        match = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get(page).text)
    assert match is not None
    return match.group(1)


SYNTHETIC_SIGNAL = {
    # synthetic: a made-up signal of a 15-year-old in Utrecht seen by a youth worker
    "received_at": "2026-01-05",
    "reporter_org": "org-a",
    "reporter_sector": "youth",
    "region": "Utrecht",
    "narrative": "Synthetic: het meisje van 15 moet altijd bereikbaar zijn en wordt steeds opgehaald.",
    "indicators": [{"indicator_id": "always_reachable", "words": "altijd bereikbaar"}],
    "forms": [{"form": "sexual"}],
    "persons": [{"role": "victim", "age": 15, "residence": "dutch"}],
    "facts": {"needs_shelter": True},
}


def chromium_path() -> str:
    """The Chromium the browser tests drive (SIGNAAL_CHROMIUM, default Debian's)."""
    return os.environ.get("SIGNAAL_CHROMIUM", "/usr/bin/chromium")
