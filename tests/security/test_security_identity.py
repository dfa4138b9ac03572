"""Hole 7: the organisation comes from the authenticated actor, never from input; the CLI acts as
an authenticated user (a personal token, or the machine account of an embedded install).

Every organisation, user, token and signal here is synthetic.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sec_fixtures import PASSWORDS, STRONG_SECRET, login, write_users

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalCreate
from signaal.services import intake
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store
from signaal.web import create_app
from signaal.web.auth import hash_password, new_token

pytestmark = pytest.mark.storage

ORG_A = Actor("coordinator-a", "org-a", Role.COORDINATOR)
ORG_B = Actor("reporter-b", "org-b", Role.REPORTER)
ADMIN = Actor("admin-x", "org-x", Role.ADMIN)
HEADER = "source_id,received_at,reporter_org,reporter_sector,region\n"


def _signal(reporter_org: str, source_id: str) -> SignalCreate:
    return SignalCreate(
        received_at="2026-01-05",  # type: ignore[arg-type]
        reporter_org=reporter_org,
        reporter_sector="youth",
        region="Utrecht",
        source_id=source_id,
    )


def test_a_claimed_reporter_org_is_replaced_by_the_actors(store: Store, tmp_path: Path) -> None:
    # org-b claims org-a's case id: it stays org-b's, and org-a's own import is not skipped
    claimed = service.record_signal(store, ORG_B, _signal("org-a", "case-1"))
    assert claimed.reporter_org == "org-b"
    file = tmp_path / "org-a.csv"
    file.write_text(HEADER + "case-1,2026-01-05,org-a,youth,Utrecht\n", encoding="utf-8")
    report = intake.import_signals(store, ORG_A, file)
    assert (report.imported, report.already_present) == (1, 0)


def test_another_organisations_case_ids_cannot_be_confirmed(store: Store) -> None:
    service.record_signal(store, ORG_A, _signal("org-a", "case-2"))
    # posting org-a's id again as org-b is not refused (that would confirm the id exists)
    again = service.record_signal(store, ORG_B, _signal("org-a", "case-2"))
    assert again.reporter_org == "org-b"


def test_an_import_by_a_non_admin_is_its_own_organisations(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "mixed.csv"
    file.write_text(
        HEADER + "m-1,2026-01-05,org-a,youth,Utrecht\nm-2,2026-01-05,org-c,youth,Utrecht\n", encoding="utf-8"
    )
    assert intake.import_signals(store, ORG_B, file).imported == 2
    page = service.list_signals(store, ORG_B)  # its own organisation's signals, whatever the file said
    assert {s.reporter_org for s in page.items} == {"org-b"} and page.total == 2
    assert service.list_signals(store, Actor("admin", "org-x", Role.ADMIN)).total == 0  # nobody else's


def test_an_admin_imports_several_organisations_recorded_as_such(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "partners.csv"
    file.write_text(
        HEADER + "p-1,2026-01-05,org-a,youth,Utrecht\np-2,2026-01-05,org-c,youth,Utrecht\n", encoding="utf-8"
    )
    assert intake.import_signals(store, ADMIN, file).imported == 2
    page = service.list_signals(store, ADMIN)
    assert {s.reporter_org for s in page.items} == {"org-a", "org-c"}
    from sqlalchemy import text

    with store.engine.connect() as conn:
        data = conn.execute(text("SELECT data FROM events WHERE kind = 'imported'")).scalar_one()
    data = json.loads(data) if isinstance(data, str) else data
    assert data["on_behalf_of"] == ["org-a", "org-c"] and data["as_admin"] is True


def test_the_api_ignores_a_claimed_reporter_org(settings: Settings, tmp_path: Path) -> None:
    multi = settings.model_copy(
        update={"auth_users_file": write_users(tmp_path / "users.yaml"), "secret_key": STRONG_SECRET}
    )
    with TestClient(create_app(multi), base_url="https://testserver") as client:
        login(client, "reporter-b")
        body = {
            "received_at": "2026-01-05",
            "reporter_org": "org-a",
            "reporter_sector": "youth",
            "region": "Utrecht",
            "source_id": "case-9",
        }
        created = client.post("/api/signals", json=body)
        assert created.status_code == 201, created.text
        assert created.json()["reporter_org"] == "org-b"


def _history_user(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert main(["signals", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    signal_id = (listed["items"] if isinstance(listed, dict) else listed)[0]["id"]
    assert main(["signals", "show", signal_id, "--format", "json", "--history"]) == 0
    shown = json.loads(capsys.readouterr().out)
    return dict(shown["history"][0])


def _add(capsys: pytest.CaptureFixture[str]) -> int:
    code = main(
        ["signals", "add", "--received", "2026-01-05", "--sector", "youth", "--region", "Utrecht", "--format", "json"]
    )
    capsys.readouterr()
    return code


def test_an_embedded_cli_records_the_machine_account_not_a_claimed_user(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIGNAAL_USER", "someone-else")
    assert _add(capsys) == 0
    event = _history_user(capsys)
    assert event["user"] == f"local:{getpass.getuser()}"


def test_a_multi_user_cli_needs_a_personal_token(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token, token_hash = new_token("reporter-b")
    users = write_users(tmp_path / "users.yaml")
    text = users.read_text(encoding="utf-8").replace(
        "- name: reporter-b\n", f"- name: reporter-b\n  token_hash: '{token_hash}'\n"
    )
    users.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SIGNAAL_AUTH_USERS_FILE", str(users))
    monkeypatch.setenv("SIGNAAL_ROLE", "admin")  # a claim: ignored
    monkeypatch.delenv("SIGNAAL_TOKEN", raising=False)
    assert _add(capsys) == 5
    monkeypatch.setenv("SIGNAAL_TOKEN", "reporter-b." + "x" * 40)
    assert _add(capsys) == 5
    monkeypatch.setenv("SIGNAAL_TOKEN", token.replace("reporter-b", "coordinator-a"))
    assert _add(capsys) == 5
    monkeypatch.setenv("SIGNAAL_TOKEN", token)
    assert _add(capsys) == 0
    event = _history_user(capsys)
    assert (event["user"], event["org"], event["role"]) == ("reporter-b", "org-b", "reporter")
    assert PASSWORDS["reporter-b"][0] == "org-b" and hash_password("x") != token_hash
