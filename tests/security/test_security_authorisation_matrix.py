"""Item 7: the authorisation matrix — every role of the owning and of other organisations against
every route that takes a signal id; a leak (a read, a change, or telling that the signal exists)
fails the test. Synthetic users and signal, multi-user mode, both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sec_fixtures import PASSWORDS, STRONG_SECRET, login, write_users

from signaal.settings import Settings
from signaal.web import create_app

pytestmark = pytest.mark.storage

MARKER = "Synthetic-matrix-narrative-7731"
#: Who may see a signal of org-a today: its own organisation, and the roles that work across them.
SEES_ALL = {"coordinator", "analyst", "admin"}
PARAMS = {
    "indicator_id": "always_reachable",
    "form": "sexual",
    "verdict": "confirm",
    "step_key": "ask_safety",
    "step": "1",
}


def _routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) of the app that takes a signal id."""

    def walk(routes: Any) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes)
            elif "{signal_id}" in getattr(route, "path", ""):
                for method in sorted(getattr(route, "methods", None) or []):
                    if method != "HEAD":
                        yield method, route.path

    return sorted(set(walk(app.routes)))


def _fill(path: str, signal_id: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: signal_id if m.group(1) == "signal_id" else PARAMS.get(m.group(1), "x"), path)


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signals").text)
    assert match is not None
    return match.group(1)


def _call(client: TestClient, method: str, path: str, token: str) -> Any:
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        return client.post(path, json={}, follow_redirects=False)
    return client.post(path, data={"csrf_token": token}, follow_redirects=False)


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> Iterator[Any]:
    multi = settings.model_copy(
        update={"auth_users_file": write_users(tmp_path / "users.yaml"), "secret_key": STRONG_SECRET}
    )
    application = create_app(multi)
    with TestClient(application, base_url="https://testserver"):
        yield application


def _client(app: Any, user: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver", client=(f"198.51.100.{len(user)}", 50000))
    assert login(client, user).status_code == 303
    return client


def test_no_route_leaks_a_signal_to_another_organisation(app: Any) -> None:
    owner = _client(app, "reporter-a")
    body = {
        "received_at": "2026-01-05",
        "reporter_org": "org-a",
        "reporter_sector": "youth",
        "region": "Utrecht",
        "narrative": MARKER,
    }
    signal_id = owner.post("/api/signals", json=body).json()["id"]
    admin = _client(app, "admin-a")

    def history() -> int:
        return len(admin.get(f"/api/signals/{signal_id}/history").json())

    routes = _routes(app)
    assert len(routes) >= 20, routes
    leaks: list[str] = []
    checked = 0
    for user, (org, role, _) in sorted(PASSWORDS.items()):
        visible = org == "org-a" or role in SEES_ALL
        if visible:
            continue
        client = _client(app, user)
        token = _token(client)
        for method, path in routes:
            before = history()
            real = _call(client, method, _fill(path, signal_id), token)
            ghost = _call(client, method, _fill(path, "ffffffffffff"), token)
            checked += 1
            where = f"{user} ({role}@{org}) {method} {path}"
            if real.status_code < 400:
                leaks.append(f"{where}: {real.status_code}")
            if real.status_code != ghost.status_code:
                leaks.append(
                    f"{where}: {real.status_code} for the signal, {ghost.status_code} for none (tells it exists)"
                )
            if MARKER in real.text:
                leaks.append(f"{where}: the narrative is in the answer")
            if history() != before:
                leaks.append(f"{where}: the signal's history changed")
        listed = client.get("/api/signals").json()
        if any(item["id"] == signal_id for item in listed["items"]) or signal_id in client.get("/signals").text:
            leaks.append(f"{user}: the worklist shows the signal")
    assert checked >= 40
    assert not leaks, "\n".join(leaks)


def test_the_roles_that_see_it_do(app: Any) -> None:
    owner = _client(app, "reporter-a")
    body = {"received_at": "2026-01-05", "reporter_org": "org-a", "reporter_sector": "youth", "region": "Utrecht"}
    signal_id = owner.post("/api/signals", json={**body, "narrative": MARKER}).json()["id"]
    for user, (org, role, _) in sorted(PASSWORDS.items()):
        client = _client(app, user)
        visible = org == "org-a" or role in SEES_ALL
        shown = client.get(f"/api/signals/{signal_id}")
        assert (shown.status_code == 200) == visible, (user, shown.status_code)
