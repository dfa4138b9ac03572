"""Holes 5 and 6: server-side sessions end on logout, password change, expiry and revocation;
sign-in is throttled per account and address, costs the same for unknown names, uses argon2id
with a pepper from the key store, and asks for a TOTP code where one is set (synthetic users)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sec_fixtures import PASSWORDS, STRONG_SECRET, login, write_users
from sqlalchemy import text

from signaal.keystore import KeyStore
from signaal.settings import Settings
from signaal.web import auth as auth_module
from signaal.web import create_app
from signaal.web.auth import SESSION_COOKIE
from signaal.web.passwords import PEPPER_KEY, hash_password, verify_password

pytestmark = pytest.mark.storage


@pytest.fixture
def multi(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={"auth_users_file": write_users(tmp_path / "users.yaml"), "secret_key": STRONG_SECRET}
    )


@pytest.fixture
def app(multi: Settings) -> Iterator[object]:
    application = create_app(multi)
    with TestClient(application, base_url="https://testserver"):
        yield application


def _client(app: object, address: str = "203.0.113.10") -> TestClient:
    return TestClient(app, base_url="https://testserver", client=(address, 50000))  # type: ignore[arg-type]


def _signed_in(app: object, name: str) -> tuple[TestClient, str]:
    client = _client(app)
    assert login(client, name).status_code == 303
    return client, client.cookies[SESSION_COOKIE]


def _me(app: object, cookie: str) -> int:
    fresh = _client(app, "203.0.113.99")
    fresh.cookies.set(SESSION_COOKIE, cookie)
    return fresh.get("/api/me").status_code


def test_an_old_cookie_is_dead_after_logout(app: object) -> None:
    client, cookie = _signed_in(app, "reporter-b")
    assert _me(app, cookie) == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signals").text)
    assert token is not None
    client.post("/logout", data={"csrf_token": token.group(1)})
    assert _me(app, cookie) == 401


def test_a_password_change_ends_the_users_sessions(app: object, multi: Settings) -> None:
    _, cookie = _signed_in(app, "reporter-b")
    _, other = _signed_in(app, "coordinator-a")
    path = multi.auth_users_file
    assert path is not None
    entries = path.read_text(encoding="utf-8")
    changed = re.sub(
        r"(- name: reporter-b\n(?:  .*\n)*?  password_hash: ')[^']+'",
        lambda m: m.group(1) + hash_password("synthetic-new-password-b") + "'",
        entries,
    )
    assert changed != entries
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different stamp even within the file system's time resolution
    assert _me(app, cookie) == 401
    assert _me(app, other) == 200


@pytest.mark.parametrize("column", ["expires_at", "idle_expires_at"])
def test_an_expired_session_is_refused(app: object, column: str) -> None:
    _, cookie = _signed_in(app, "reporter-b")
    store = app.state.signaal.store  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE web_sessions SET {column} = :past"), {"past": "2020-01-01 00:00:00"})
    assert _me(app, cookie) == 401


def test_admins_list_and_end_sessions_others_may_not(app: object) -> None:
    _, victim = _signed_in(app, "reporter-b")
    reporter, _ = _signed_in(app, "reporter-a")
    assert reporter.get("/admin/sessions").status_code == 403
    admin, _ = _signed_in(app, "admin-a")
    page = admin.get("/admin/sessions")
    assert page.status_code == 200 and "reporter-b" in page.text and "203.0.113.10" in page.text
    assert victim not in page.text  # the cookie value is never shown
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    ids = re.findall(r'action="/admin/sessions/([0-9a-f]{64})/revoke"', page.text)
    store = app.state.signaal.store  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        victim_id = conn.execute(text("SELECT id FROM web_sessions WHERE user_name = 'reporter-b'")).scalar_one()
    assert victim_id in ids
    asked = admin.post(f"/admin/sessions/{victim_id}/revoke", data={"csrf_token": token.group(1)})
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.text  # a confirmation step first
    assert _me(app, victim) == 200
    done = {"csrf_token": token.group(1), "confirmed": "yes"}
    ended = admin.post(f"/admin/sessions/{victim_id}/revoke", data=done)
    assert ended.status_code == 200 and "De sessie is beëindigd." in ended.text
    assert _me(app, victim) == 401
    _, second = _signed_in(app, "reporter-b")
    admin.post("/admin/users/reporter-b/revoke", data={"csrf_token": token.group(1)})
    assert _me(app, second) == 200
    every = admin.post("/admin/users/reporter-b/revoke", data=done)
    assert "Alle sessies van reporter-b zijn beëindigd." in every.text
    assert _me(app, second) == 401


def test_an_account_is_throttled_after_five_failures(app: object) -> None:
    client = _client(app)
    for _ in range(5):
        assert login(client, "reporter-b", "wrong-password").status_code == 401
    blocked = login(client, "reporter-b")  # the right password, too late
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert login(_client(app, "198.51.100.7"), "reporter-b").status_code == 429  # from anywhere
    assert login(client, "coordinator-a").status_code == 303  # another account is not held up


def test_an_address_is_throttled_after_twenty_failures(app: object) -> None:
    client = _client(app, "198.51.100.20")
    for i in range(20):
        assert login(client, f"nobody-{i}", "wrong-password").status_code == 401
    assert login(client, "coordinator-a").status_code == 429
    assert login(_client(app, "198.51.100.21"), "coordinator-a").status_code == 303


def test_an_unknown_name_costs_the_same_work_as_a_known_one(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("hash_password", "verify_password"):
        real = getattr(auth_module, name)

        def counted(*args: object, _real: object = real, _name: str = name, **kwargs: object) -> object:
            calls.append(_name)
            return _real(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(auth_module, name, counted)
    login(_client(app, "198.51.100.30"), "reporter-b", "wrong-password")
    known = list(calls)
    calls.clear()
    login(_client(app, "198.51.100.31"), "no-such-user", "wrong-password")
    assert calls == known == ["verify_password"]


def test_new_hashes_are_argon2id_and_peppered_from_the_key_store(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir(mode=0o700)
    keys = KeyStore(keys_dir)
    pepper = keys.new(PEPPER_KEY)
    plain = hash_password("synthetic-password")
    assert plain.startswith("$argon2id$") and verify_password("synthetic-password", plain)
    peppered = hash_password("synthetic-password", pepper)
    assert peppered.startswith(f"peppered${pepper.key_id}$$argon2id$")
    assert verify_password("synthetic-password", peppered, keys)
    assert not verify_password("synthetic-password", peppered)  # without the key directory: useless
    assert not verify_password("other-password", peppered, keys)


def test_a_peppered_users_file_signs_in_with_the_key_store(settings: Settings, tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir(mode=0o700)
    pepper = KeyStore(keys_dir).new(PEPPER_KEY)
    users = tmp_path / "users.yaml"
    users.write_text(
        "- name: reporter-b\n  org: org-b\n  role: reporter\n"
        f"  password_hash: '{hash_password(PASSWORDS['reporter-b'][2], pepper)}'\n",
        encoding="utf-8",
    )
    multi = settings.model_copy(update={"auth_users_file": users, "secret_key": STRONG_SECRET, "key_dir": keys_dir})
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        assert login(client, "reporter-b").status_code == 303


def test_a_user_with_totp_needs_the_code(settings: Settings, tmp_path: Path) -> None:
    secret = pyotp.random_base32()
    users = write_users(tmp_path / "users.yaml")
    users.write_text(
        users.read_text(encoding="utf-8").replace(
            "- name: reporter-b\n", f"- name: reporter-b\n  totp_secret: '{secret}'\n"
        ),
        encoding="utf-8",
    )
    multi = settings.model_copy(update={"auth_users_file": users, "secret_key": STRONG_SECRET})
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        assert login(client, "reporter-b").status_code == 401
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token is not None
        form = {"csrf_token": token.group(1), "name": "reporter-b", "password": PASSWORDS["reporter-b"][2]}
        wrong = "111111" if pyotp.TOTP(secret).verify("000000", valid_window=1) else "000000"
        assert client.post("/login", data={**form, "code": wrong}, follow_redirects=False).status_code == 401
        good = client.post("/login", data={**form, "code": pyotp.TOTP(secret).now()}, follow_redirects=False)
        assert good.status_code == 303
