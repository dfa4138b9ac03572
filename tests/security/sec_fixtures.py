"""Helpers shared by the security tests: synthetic users, a strong test secret, clients, logging in.

Every user, password and record here is synthetic, made up for these tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from signaal.web.auth import hash_password

__all__ = ["LOCAL", "PASSWORDS", "STRONG_SECRET", "csrf_of", "login", "write_users"]

#: A secret long and varied enough for multi-user mode (synthetic, for tests only).
STRONG_SECRET = "synthetic-test-secret-0123456789-abcdefghij"

#: Client arguments of a browser on the same machine as a single-user server.
LOCAL: dict[str, Any] = {"base_url": "http://127.0.0.1:8000", "client": ("127.0.0.1", 50000)}

#: Synthetic users: name -> (organisation, role, password).
PASSWORDS: dict[str, tuple[str, str, str]] = {
    "coordinator-a": ("org-a", "coordinator", "synthetic-password-a"),
    "reporter-a": ("org-a", "reporter", "synthetic-password-ra"),
    "reporter-b": ("org-b", "reporter", "synthetic-password-b"),
    "analyst-c": ("org-c", "analyst", "synthetic-password-c"),
    "admin-a": ("org-a", "admin", "synthetic-password-admin"),
    "moderator-b": ("org-b", "moderator", "synthetic-password-mod"),
}


def write_users(path: Path) -> Path:
    """Write the synthetic users file and return its path."""
    lines = []
    for name, (org, role, password) in PASSWORDS.items():
        lines.append(f"- name: {name}\n  org: {org}\n  role: {role}\n  password_hash: '{hash_password(password)}'\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """The CSRF token the server puts in the forms of ``page`` for this client."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match is not None
    return match.group(1)


def login(client: TestClient, name: str, password: str | None = None) -> Any:
    """Log a synthetic user in through the login form; returns the response."""
    token = csrf_of(client)
    return client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password or PASSWORDS[name][2]},
        follow_redirects=False,
    )
