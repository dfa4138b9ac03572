"""Holes 1 and 4: multi-user mode needs a strong secret wherever it binds and sends Secure cookies;
single-user mode answers only a loopback peer that names a loopback host (no DNS rebinding)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sec_fixtures import LOCAL, STRONG_SECRET, login, write_users

from signaal.cli import main
from signaal.errors import ConfigError
from signaal.settings import DEFAULT_SECRET, Settings
from signaal.web import create_app
from signaal.web.auth import SESSION_COOKIE


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    return write_users(tmp_path / "users.yaml")


@pytest.mark.parametrize("secret", [DEFAULT_SECRET, "short-secret", "a" * 40])
def test_multi_user_mode_refuses_to_start_with_a_weak_secret_even_on_loopback(
    settings: Settings, users_file: Path, secret: str
) -> None:
    multi = settings.model_copy(update={"auth_users_file": users_file, "secret_key": secret, "host": "127.0.0.1"})
    with pytest.raises(ConfigError, match="SIGNAAL_SECRET_KEY"):
        create_app(multi)


def test_a_session_signed_with_the_default_secret_gets_nowhere(settings: Settings, users_file: Path) -> None:
    forged = URLSafeTimedSerializer(DEFAULT_SECRET, salt="signaal-session").dumps({"user": "admin-a"})
    multi = settings.model_copy(update={"auth_users_file": users_file, "secret_key": STRONG_SECRET})
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        client.cookies.set(SESSION_COOKIE, forged)
        assert client.get("/api/me").status_code == 401


def test_serve_refuses_a_users_file_without_a_secret(
    monkeypatch: pytest.MonkeyPatch, users_file: Path, db_url: str
) -> None:
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", db_url)
    monkeypatch.setenv("SIGNAAL_AUTH_USERS_FILE", str(users_file))
    monkeypatch.delenv("SIGNAAL_SECRET_KEY", raising=False)

    def started(*args: object, **kwargs: object) -> None:
        pytest.fail("the server started with the default secret")

    monkeypatch.setattr("uvicorn.run", started)  # a broken guard fails the test instead of serving forever
    assert main(["serve", "--host", "127.0.0.1", "--port", "8124"]) == 8


def test_session_cookies_are_secure_unless_explicitly_insecure(settings: Settings, users_file: Path) -> None:
    multi = settings.model_copy(update={"auth_users_file": users_file, "secret_key": STRONG_SECRET})
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        response = login(client, "reporter-b")
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(SESSION_COOKIE) and "Secure" in cookie and "HttpOnly" in cookie
        assert client.get("/api/me").json()["user"] == "reporter-b"
    dev = multi.model_copy(update={"insecure_cookies": True})
    with TestClient(create_app(dev)) as client:
        response = login(client, "reporter-b")
        assert "Secure" not in response.headers["set-cookie"]


@pytest.mark.parametrize(
    ("host", "peer"),
    [
        ("attacker.example", "127.0.0.1"),  # DNS rebinding: a foreign name resolved to loopback
        ("attacker.example:8000", "127.0.0.1"),
        ("127.0.0.1.attacker.example", "127.0.0.1"),
        ("127.0.0.1:8000", "203.0.113.7"),  # a remote peer (served on 0.0.0.0 by another server)
        ("localhost", "192.168.1.20"),
        ("localhost", "testclient"),  # no address at all
    ],
)
def test_single_user_mode_refuses_foreign_hosts_and_remote_peers(settings: Settings, host: str, peer: str) -> None:
    with TestClient(create_app(settings), base_url=f"http://{host}", client=(peer, 50000)) as client:
        for path in ("/signals", "/api/me", "/api/signals"):
            response = client.get(path)
            assert response.status_code == 403, (host, peer, path)
            assert "org-a" not in response.text


@pytest.mark.parametrize(
    ("host", "peer"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("localhost:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("localhost", "127.0.0.5"),
    ],
)
def test_single_user_mode_serves_the_local_browser(settings: Settings, host: str, peer: str) -> None:
    with TestClient(create_app(settings), base_url=f"http://{host}", client=(peer, 50000)) as client:
        assert client.get("/api/me").json()["org"] == "org-a"


def test_local_client_arguments_are_loopback(settings: Settings) -> None:
    with TestClient(create_app(settings), **LOCAL) as client:
        assert client.get("/signals").status_code == 200
