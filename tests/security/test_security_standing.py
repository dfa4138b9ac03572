"""The organisation register and standing acts through the services, the CLI and the API, on SQLite
and PostgreSQL: an act names a registered organisation; a standing act gives sight of every signal
of the granting organisation it covers (form, police unit), with its scope, through the same one
check — and from its revocation nothing. All data synthetic."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from test_security_sharing import OWNER, RECEIVER, THIRD, make_signal

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.errors import EXIT_CODES, Conflict, Forbidden, InvalidInput, NotFound
from signaal.services import audit, organisations, sharing, standing
from signaal.services import signals as service
from signaal.services.signal_page import signal_page
from signaal.services.signals import SignalQuery
from signaal.settings import Settings
from signaal.store import Store
from signaal.web import create_app

pytestmark = pytest.mark.storage

ADMIN_A = Actor("admin-a", "org-a", Role.ADMIN)


def _listed(store: Store, actor: Actor) -> set[str]:
    return {s.id for s in service.list_signals(store, actor, SignalQuery()).items}


def _standing(store: Store, *scope: str, **filters: str) -> standing.StandingPublic:
    return standing.grant_standing(
        store, ADMIN_A, org="org-b", basis="legal_task", purpose="synthetic regional watch", scope=scope, **filters
    )


def test_an_act_names_a_registered_organisation(store: Store) -> None:
    signal_id = service.record_signal(store, OWNER, make_signal()).id
    with pytest.raises(InvalidInput, match="unknown organisation 'org-z': not in the organisation register"):
        sharing.grant_act(store, OWNER, signal_id, org="org-z", basis="consent", purpose="x", scope=[])
    with pytest.raises(Forbidden):
        organisations.add_organisation(store, OWNER, "org-z", name="Synthetic Z", kind="zorg")
    with pytest.raises(InvalidInput, match="unknown kind"):
        organisations.add_organisation(store, ADMIN_A, "org-z", name="Synthetic Z", kind="bakery")
    organisations.add_organisation(store, ADMIN_A, "org-z", name="Synthetic Z", kind="zorg")
    with pytest.raises(Conflict):
        organisations.add_organisation(store, ADMIN_A, "org-z", name="Synthetic Z", kind="zorg")
    assert sharing.grant_act(store, OWNER, signal_id, org="org-z", basis="consent", purpose="x", scope=[]).active
    organisations.retire_organisation(store, ADMIN_A, "org-z")
    with pytest.raises(InvalidInput, match="unknown organisation"):
        sharing.grant_act(store, OWNER, signal_id, org="org-z", basis="consent", purpose="x", scope=[])
    assert "org-z" not in {o.id for o in organisations.list_organisations(store, OWNER)}
    assert [a.act.org for a in sharing.list_acts(store, OWNER, signal_id)] == ["org-z"]  # nothing else stored


def test_a_standing_act_shares_every_signal_it_covers_until_revoked(store: Store) -> None:
    before = service.record_signal(store, OWNER, make_signal(1)).id
    with pytest.raises(Forbidden):  # a coordinator shares one signal at a time; an admin all of them
        standing.grant_standing(store, OWNER, org="org-b", basis="consent", purpose="x", scope=[])
    act = _standing(store, "narrative")
    after = service.record_signal(store, OWNER, make_signal(2)).id
    assert {before, after} <= _listed(store, RECEIVER) and not _listed(store, THIRD)
    shown = service.get_signal(store, RECEIVER, after)
    assert shown.narrative.startswith("[synthetisch 2]") and shown.persons == [] and shown.identifiers == []
    assert "persons" in shown.withheld
    with pytest.raises(NotFound):
        service.get_signal(store, THIRD, after)
    with pytest.raises(Forbidden):  # the record stays the owner's
        service.reject_form(store, RECEIVER, after, "sexual")
    for actor in (RECEIVER, OWNER):  # the page names the standing act the sight rests on
        [shown_act] = signal_page(store, actor, after).sharing.as_dict()["acts"]
        assert (shown_act["id"], shown_act["standing"], shown_act["org"]) == (act.act.id, True, "org-b")
    entries = audit.list_audit(store, ADMIN_A, signal_id=after, limit=200)
    reads = [e for e in entries if e.action == "read" and e.org == "org-b"]
    assert reads and reads[0].detail.get("acts") == [act.act.id]  # a read records the act it rests on
    standing.revoke_standing(store, ADMIN_A, act.act.id, "synthetic")
    assert not _listed(store, RECEIVER)
    with pytest.raises(NotFound):
        service.get_signal(store, RECEIVER, before)
    kinds = [e.action for e in audit.list_audit(store, ADMIN_A, limit=200)]
    assert "standing_disclose" in kinds and "standing_revoke" in kinds


def test_a_standing_act_filters_by_form_and_police_unit(store: Store) -> None:
    sexual = service.record_signal(store, OWNER, make_signal(3)).id
    labour_data = make_signal(4).model_copy(update={"forms": []})
    labour = service.record_signal(store, OWNER, labour_data).id
    service.confirm_form(store, OWNER, labour, "labour")
    unit = service.get_signal(store, OWNER, sexual).police_unit
    assert unit
    act = _standing(store, form="labour")
    assert _listed(store, RECEIVER) == {labour}
    with pytest.raises(NotFound):
        service.get_signal(store, RECEIVER, sexual)
    standing.revoke_standing(store, ADMIN_A, act.act.id)
    _standing(store, police_unit=unit)
    assert _listed(store, RECEIVER) == {sexual, labour}
    with pytest.raises(InvalidInput, match="unknown police unit"):
        _standing(store, police_unit="atlantis")


def test_a_standing_act_is_bounded_and_named(store: Store) -> None:
    with pytest.raises(InvalidInput, match="at most 730 days"):
        standing.grant_standing(
            store, ADMIN_A, org="org-b", basis="consent", purpose="x", scope=[],
            expires_at=datetime.now(UTC) + timedelta(days=731),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="unknown organisation"):
        standing.grant_standing(store, ADMIN_A, org="org-z", basis="consent", purpose="x", scope=[])
    with pytest.raises(NotFound):
        standing.revoke_standing(store, Actor("admin-b", "org-b", Role.ADMIN), _standing(store).act.id)
    assert [a.act.org for a in standing.list_standing(store, RECEIVER)] == ["org-b"]
    assert standing.list_standing(store, THIRD) == []


def test_the_command_line_keeps_the_register_and_standing_acts(
    cli_env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = main(["share", "standing", "grant", "--org", "org-z", "--basis", "consent", "--purpose", "x"])
    assert code == EXIT_CODES[Forbidden]  # the CLI user is a coordinator
    monkeypatch.setenv("SIGNAAL_ROLE", "admin")
    capsys.readouterr()
    code = main(["share", "standing", "grant", "--org", "org-z", "--basis", "consent", "--purpose", "x"])
    assert code == EXIT_CODES[InvalidInput] and "unknown organisation 'org-z'" in capsys.readouterr().err
    assert main(["org", "add", "org-z", "--name", "Synthetic Z", "--kind", "gemeente"]) == 0
    assert main(["org", "list", "--format", "json"]) == 0 and "org-z" in capsys.readouterr().out
    assert main(["share", "standing", "grant", "--org", "org-z", "--basis", "consent", "--purpose", "x",
                 "--scope", "route", "--form", "labour"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "all signals of org-a -> org-z  form labour" in out and "route,summary" in out
    act_id = out.split()[0]
    assert main(["share", "standing", "revoke", act_id, "--reason", "synthetic"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["share", "standing", "list", "--format", "json"]) == 0
    assert [a["active"] for a in json.loads(capsys.readouterr().out)] == [False]


def test_the_api_refuses_an_unknown_organisation_and_grants_a_standing_act(settings: Settings) -> None:
    admin = settings.model_copy(update={"role": "admin"})
    with TestClient(create_app(admin), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50002)) as client:
        signal_id = client.post("/api/signals", json=json.loads(make_signal(5).model_dump_json())).json()["id"]
        body = {"org": "org-z", "basis": "consent", "purpose": "synthetic", "scope": []}
        refused = client.post(f"/api/signals/{signal_id}/shares", json=body)
        assert refused.status_code == 422 and "org-z" in refused.text
        assert client.post("/api/standing-acts", json=body).status_code == 422
        assert client.post("/api/organisations", json={"id": "org-z", "name": "Z", "kind": "zorg"}).status_code == 201
        granted = client.post("/api/standing-acts", json=body)
        assert granted.status_code == 201 and granted.json()["owner_org"] == "org-a"
        assert [a["id"] for a in client.get("/api/standing-acts").json()] == [granted.json()["id"]]
        page = client.get("/admin/organisations")
        assert page.status_code == 200 and "org-z" in page.text and "/admin/standing-acts/" in page.text
