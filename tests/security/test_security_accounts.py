"""Accounts: a one-time code is accepted once, an account locks after failures in a row until an
administrator unlocks it, and the administrators' page lists users with their state (synthetic
users only)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sec_fixtures import PASSWORDS, STRONG_SECRET, csrf_of, login, write_users
from sqlalchemy import text

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, NotFound
from signaal.services import accounts
from signaal.settings import Settings
from signaal.store import Store
from signaal.web import create_app

pytestmark = pytest.mark.storage

SECRET = pyotp.random_base32()
ADMIN = Actor("admin-a", "org-a", Role.ADMIN)


@pytest.fixture
def multi(settings: Settings, tmp_path: Path) -> Settings:
    users = write_users(tmp_path / "users.yaml")
    users.write_text(
        users.read_text(encoding="utf-8").replace(
            "- name: reporter-b\n", f"- name: reporter-b\n  totp_secret: '{SECRET}'\n"
        ),
        encoding="utf-8",
    )
    return settings.model_copy(update={"auth_users_file": users, "secret_key": STRONG_SECRET, "lockout_failures": 3})


@pytest.fixture
def client(multi: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(multi), base_url="https://testserver", client=("203.0.113.7", 50000)) as c:
        yield c


def _with_code(client: TestClient, code: str, name: str = "reporter-b") -> int:
    form = {"csrf_token": csrf_of(client), "name": name, "password": PASSWORDS[name][2], "code": code}
    return client.post("/login", data=form, follow_redirects=False).status_code


def _audit_actions(client: TestClient) -> list[str]:
    store = client.app.state.signaal.store  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT action FROM audit_log ORDER BY seq"))]


def test_a_one_time_code_is_accepted_once(client: TestClient) -> None:
    code = pyotp.TOTP(SECRET).now()
    assert _with_code(client, code) == 303
    client.cookies.clear()
    assert _with_code(client, code) == 401  # the same code again, within its window
    assert "login_refused" in _audit_actions(client)


def test_an_older_code_is_refused_after_a_newer_one(store: Store) -> None:
    assert accounts.accept_totp_step(store, "someone", 1000)
    assert not accounts.accept_totp_step(store, "someone", 1000)
    assert not accounts.accept_totp_step(store, "someone", 999)
    assert accounts.accept_totp_step(store, "someone", 1001)


def test_an_account_locks_after_failures_in_a_row_until_an_admin_unlocks_it(client: TestClient) -> None:
    for _ in range(2):
        assert login(client, "reporter-a", "wrong-password").status_code == 401
    locked = login(client, "reporter-a", "wrong-password")
    assert locked.status_code == 403 and "geblokkeerd" in locked.text
    assert login(client, "reporter-a").status_code == 403  # the right password does not open it
    assert login(client, "admin-a").status_code == 303
    page = client.get("/admin/sessions")
    assert page.status_code == 200 and 'action="/admin/users/reporter-a/unlock"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    unlocked = client.post("/admin/users/reporter-a/unlock", data={"csrf_token": token.group(1)})
    assert unlocked.status_code == 200 and "Het account reporter-a is ontgrendeld." in unlocked.text
    client.cookies.clear()
    assert login(client, "reporter-a").status_code == 303
    actions = _audit_actions(client)
    assert actions.count("login_refused") == 4 and "unlock" in actions and actions.count("login") == 2


def test_the_page_says_what_an_action_did_in_the_readers_language(client: TestClient) -> None:
    assert login(client, "admin-a").status_code == 303
    assert (
        "Alle sessies van reporter-b zijn beëindigd."
        in client.get("/admin/sessions?done=user_revoked&user=reporter-b").text
    )
    client.cookies.set("signaal_lang", "en")
    assert "The session was ended." in client.get("/admin/sessions?done=session_revoked").text
    hostile = client.get("/admin/sessions", params={"done": "unlocked", "user": "<b>x</b>"}).text
    assert "The account &lt;b&gt;x&lt;/b&gt; was unlocked." in hostile
    plain = client.get("/admin/sessions?done=anything_else").text
    assert 'class="flash"' not in plain and 'class="flash"' not in client.get("/admin/sessions").text


def test_a_success_resets_the_count(store: Store) -> None:
    assert not accounts.sign_in_failed(store, "reporter-a", 2, "password")
    accounts.sign_in_succeeded(store, Actor("reporter-a", "org-a", Role.REPORTER), "local")
    assert not accounts.sign_in_failed(store, "reporter-a", 2, "password")
    assert accounts.sign_in_failed(store, "reporter-a", 2, "password")
    assert accounts.is_locked(store, "reporter-a")


def test_an_unknown_name_locks_like_a_known_one(store: Store) -> None:
    assert not accounts.sign_in_failed(store, "nobody-synthetic", 2, "password")
    assert accounts.sign_in_failed(store, "nobody-synthetic", 2, "password")


def test_only_admins_unlock_and_list(store: Store) -> None:
    accounts.sign_in_failed(store, "reporter-a", 1, "password")
    reporter = Actor("reporter-b", "org-b", Role.REPORTER)
    with pytest.raises(Forbidden):
        accounts.unlock(store, reporter, "reporter-a")
    with pytest.raises(Forbidden):
        accounts.account_states(store, reporter)
    with pytest.raises(NotFound):
        accounts.unlock(store, ADMIN, "reporter-b")  # not locked
    accounts.unlock(store, ADMIN, "reporter-a")
    assert not accounts.account_states(store, ADMIN)["reporter-a"].locked


def test_the_admin_page_shows_role_org_second_factor_and_lock_in_both_languages(client: TestClient) -> None:
    assert login(client, "admin-a").status_code == 303
    dutch = client.get("/admin/sessions").text
    assert "authenticator-app" in dutch and "Geblokkeerd" in dutch and "gebruikersbestand" in dutch
    client.get("/lang/en")
    english = client.get("/admin/sessions").text
    assert "authenticator app" in english and "Locked" in english and "users file" in english
    assert "Geblokkeerd" not in english
