"""Item 7: the authorisation matrix — every role of the owning and of other organisations, with and
without a sharing act (on the signal, or standing: all signals of the owning organisation),
against every route that takes a signal id; a leak (a read, a change, a
field outside the act's scope, or telling that the signal exists) fails the test. Synthetic users
and signal, multi-user mode, both databases."""

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
#: A phone number in the signal (synthetic), which no other organisation may see in clear.
PHONE = "0612347731"
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
        visible = org == "org-a"  # another organisation sees a signal only through a sharing act
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
    for user, (org, _role, _) in sorted(PASSWORDS.items()):
        client = _client(app, user)
        visible = org == "org-a"
        shown = client.get(f"/api/signals/{signal_id}")
        assert (shown.status_code == 200) == visible, (user, shown.status_code)


def _record(client: TestClient) -> str:
    body = {
        "received_at": "2026-01-05",
        "reporter_org": "org-a",
        "reporter_sector": "youth",
        "region": "Utrecht",
        "narrative": MARKER,
        "identifiers": [{"kind": "phone", "value": PHONE}],
        "persons": [{"role": "victim", "age": 15}],
    }
    response = client.post("/api/signals", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _grant(app: Any, owner: TestClient, signal_id: str, kind: str) -> str:
    """An act with the smallest scope to org-b: on the signal, or standing (all of org-a's signals);
    the path that revokes it."""
    body = {"org": "org-b", "basis": "wgs_convenant", "purpose": "synthetic matrix", "scope": []}
    if kind == "signal":
        granted = owner.post(f"/api/signals/{signal_id}/shares", json=body)
        revoke = f"/api/signals/{signal_id}/shares/{{}}/revoke"
    else:
        granted = _client(app, "admin-a").post("/api/standing-acts", json=body)
        revoke = "/api/standing-acts/{}/revoke"
    assert granted.status_code == 201, granted.text
    assert granted.json()["scope"] == ["summary"]
    return revoke.format(granted.json()["id"])


@pytest.mark.parametrize("kind", ["signal", "standing"])
def test_a_sharing_act_leaks_nothing_beyond_its_scope_on_any_route(app: Any, kind: str) -> None:
    owner = _client(app, "coordinator-a")
    signal_id = _record(owner)
    revoke = _grant(app, owner, signal_id, kind)

    def history() -> int:
        return len(owner.get(f"/api/signals/{signal_id}/history").json())

    secrets = (MARKER, PHONE, "+31612347731", "1234 7731")
    routes = _routes(app)
    leaks: list[str] = []
    for user in ("reporter-b", "moderator-b", "analyst-c"):
        org, role, _ = PASSWORDS[user]
        client = _client(app, user)
        token = _token(client)
        for method, path in routes:
            before = history()
            real = _call(client, method, _fill(path, signal_id), token)
            ghost = _call(client, method, _fill(path, "ffffffffffff"), token)
            where = f"{user} ({role}@{org}, {'act' if org == 'org-b' else 'no act'}) {method} {path}"
            if real.status_code < 400 and (method != "GET" or org != "org-b"):
                leaks.append(f"{where}: {real.status_code}")
            if org != "org-b" and real.status_code != ghost.status_code:
                leaks.append(f"{where}: {real.status_code} for the signal, {ghost.status_code} for none")
            leaks += [f"{where}: {secret!r} is in the answer" for secret in secrets if secret in real.text]
            if history() != before:
                leaks.append(f"{where}: the signal's history changed")
        items = client.get("/api/signals").json()["items"]
        listed = [i for i in items if i["id"] == signal_id]
        if org == "org-b" and (len(listed) != 1 or listed[0]["youngest_age"] is not None):
            leaks.append(f"{user}: the worklist does not show the shared summary only: {listed}")
        if org != "org-b" and listed:
            leaks.append(f"{user}: the worklist shows a signal not shared with {org}")
    assert not leaks, "\n".join(leaks)

    # Revoked: from this moment org-b gets the answer of a signal that does not exist.
    revoker = owner if kind == "signal" else _client(app, "admin-a")
    assert revoker.post(revoke, json={"reason": "synthetic"}).status_code == 200
    receiver = _client(app, "reporter-b")
    for path in ("/api/signals/{}", "/signals/{}", "/api/signals/{}/shares"):
        real, ghost = receiver.get(path.format(signal_id)), receiver.get(path.format("ffffffffffff"))
        assert (real.status_code, ghost.status_code) == (404, 404), path
    assert all(i["id"] != signal_id for i in receiver.get("/api/signals").json()["items"])


def test_a_sharing_act_with_a_scope_shows_that_scope_on_the_page_and_the_api(app: Any) -> None:
    owner = _client(app, "coordinator-a")
    signal_id = _record(owner)
    body = {"org": "org-c", "basis": "consent", "purpose": "synthetic", "scope": ["narrative"]}
    assert owner.post(f"/api/signals/{signal_id}/shares", json=body).status_code == 201
    analyst = _client(app, "analyst-c")
    shown = analyst.get(f"/api/signals/{signal_id}").json()
    assert shown["signal"]["narrative"] == MARKER
    assert shown["signal"]["persons"] == [] and shown["history"] == []
    identifiers = shown["signal"]["identifiers"]
    assert len(identifiers) == 1 and re.fullmatch(r"[0-9a-f]{64}", identifiers[0]["value"])  # a keyed pseudonym
    page = analyst.get(f"/signals/{signal_id}")
    assert page.status_code == 200 and MARKER in page.text and PHONE not in page.text
    assert analyst.get(f"/api/signals/{signal_id}/history").status_code == 403
