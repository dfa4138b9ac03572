"""Security groundwork: headers, CSRF, the actor on every request, login mode, the serve command, OpenAPI."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_fixtures import SYNTHETIC_SIGNAL, csrf_token

from signaal.cli import main
from signaal.errors import ConfigError
from signaal.settings import Settings, load_settings
from signaal.web import create_app
from signaal.web.auth import hash_password, verify_password

STRONG_SECRET = "synthetic-test-secret-0123456789-abcdefghij"  # synthetic, long enough for multi-user mode


def test_pages_carry_security_headers(client: TestClient) -> None:
    response = client.get("/signals")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert "signaal_csrf=" in response.headers.get("set-cookie", "")


def test_htmx_is_served_from_the_package(client: TestClient) -> None:
    page = client.get("/signals/new").text
    assert '<script src="/static/htmx.min.js"' in page and "unpkg" not in page and "cdn" not in page.lower()
    script = client.get("/static/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text[:200]


def test_the_actor_of_single_user_mode_comes_from_the_settings(client: TestClient, signal_id: str) -> None:
    local = f"local:{getpass.getuser()}"  # the machine account of the embedded install, not a setting
    assert client.get("/api/me").json() == {"user": local, "org": "org-a", "role": "coordinator"}
    history = client.get(f"/api/signals/{signal_id}/history").json()
    assert history[0]["user"] == local and history[0]["org"] == "org-a"


def test_csrf_token_of_another_client_is_refused(client: TestClient, settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50001)) as other:
        foreign = csrf_token(other)
    response = client.post("/signals", data={"csrf_token": foreign, "received_at": "2026-01-01"})
    assert response.status_code == 403


def test_api_form_posts_need_the_csrf_header(client: TestClient, token: str) -> None:
    refused = client.post("/api/signals/abc/status", data={"status": "closed"})
    assert refused.status_code == 403
    allowed = client.post("/api/narrative/suggest", json={"text": "synthetic"})
    assert allowed.status_code == 200


def test_language_switch_sets_english_and_refuses_foreign_redirects(client: TestClient) -> None:
    switched = client.get("/lang/en", params={"next": "https://example.org/"}, follow_redirects=False)
    assert switched.headers["location"] == "/signals"
    assert "Worklist" in client.get("/signals").text
    client.get("/lang/nl")
    assert "Werklijst" in client.get("/signals").text


def test_pages_work_without_javascript_every_form_posts_plainly(client: TestClient, signal_id: str) -> None:
    page = client.get(f"/signals/{signal_id}").text
    assert page.count('<form method="post"') >= 5
    assert "onclick" not in page and "<script>" not in page


def test_every_api_route_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/signals", "/api/signals/{signal_id}", "/api/shelter", "/api/overview", "/api/ads/jobs"} <= set(paths)
    assert all(p.startswith("/api/") for p in paths)


def test_password_hashes_are_salted_and_verify() -> None:
    first, second = hash_password("synthetic-secret"), hash_password("synthetic-secret")
    assert first != second
    assert verify_password("synthetic-secret", first) and not verify_password("wrong", first)


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    # synthetic users
    path = tmp_path / "users.yaml"
    path.write_text(
        "- name: coordinator-a\n  org: org-a\n  role: coordinator\n"
        f"  password_hash: '{hash_password('synthetic-password-a')}'\n"
        "- name: reporter-b\n  org: org-b\n  role: reporter\n"
        f"  password_hash: '{hash_password('synthetic-password-b')}'\n",
        encoding="utf-8",
    )
    return path


def test_login_mode_requires_a_session_and_carries_the_users_actor(settings: Settings, users_file: Path) -> None:
    multi = settings.model_copy(update={"auth_users_file": users_file, "secret_key": STRONG_SECRET})
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        assert client.get("/signals", follow_redirects=False).headers["location"].startswith("/login")
        assert client.get("/api/me").status_code == 401
        token = csrf_token(client, "/login")
        bad = client.post("/login", data={"csrf_token": token, "name": "reporter-b", "password": "nope"})
        assert bad.status_code == 401 and 'value="reporter-b"' in bad.text
        good = client.post(
            "/login",
            data={"csrf_token": token, "name": "reporter-b", "password": "synthetic-password-b", "next": "/signals"},
            follow_redirects=False,
        )
        assert good.status_code == 303 and good.headers["location"] == "/signals"
        assert client.get("/api/me").json() == {"user": "reporter-b", "org": "org-b", "role": "reporter"}
        created = client.post("/api/signals", json={**SYNTHETIC_SIGNAL, "reporter_org": "org-b"}).json()
        assert created["owner_org"] == "org-b"
        client.post("/logout", data={"csrf_token": token})
        assert client.get("/api/me").status_code == 401


def test_a_reporter_does_not_see_another_organisations_signal(settings: Settings, users_file: Path) -> None:
    multi = settings.model_copy(update={"auth_users_file": users_file, "secret_key": STRONG_SECRET})
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        token = csrf_token(client, "/login")
        client.post("/login", data={"csrf_token": token, "name": "coordinator-a", "password": "synthetic-password-a"})
        signal_id = client.post("/api/signals", json=SYNTHETIC_SIGNAL).json()["id"]
        client.post("/logout", data={"csrf_token": token})
        client.post("/login", data={"csrf_token": token, "name": "reporter-b", "password": "synthetic-password-b"})
        assert client.get(f"/signals/{signal_id}").status_code == 404
        assert client.get("/api/signals").json()["total"] == 0


def test_settings_refuse_a_public_address_without_authentication() -> None:
    with pytest.raises(ConfigError, match="non-loopback"):
        load_settings(host="0.0.0.0")


def test_serve_refuses_a_public_host_without_authentication(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIGNAAL_AUTH_USERS_FILE", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 8


def test_hash_password_command_prints_a_usable_hash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("synthetic-password-c\n"))
    assert main(["hash-password", "--stdin"]) == 0
    printed = capsys.readouterr().out.strip()
    assert verify_password("synthetic-password-c", printed)


def test_hash_password_refuses_a_short_password(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["hash-password", "--stdin"]) == 2
