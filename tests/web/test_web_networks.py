"""The network pages, their JSON twins and the "linked to" section, on both databases; SYNTHETIC data."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

from signaal.domain.actor import Actor, Role
from signaal.link.synthetic import generate, registration_rows
from signaal.services.link import import_registrations, run_linking
from signaal.settings import Settings
from signaal.store import open_store

ANALYST = Actor("ana", "riec-synth", Role.ANALYST)


def linked_registry(settings: Settings, tmp_path: Path) -> str:
    """A SYNTHETIC world imported and linked, plus one signal sharing a controller's number; its id."""
    from signaal.domain.signal import IdentifierIn, PersonIn, SignalCreate
    from signaal.services.signals import record_signal

    world = generate(21, organised=1, criminal=2, small=3, background=5)
    rows = registration_rows(world)
    path = tmp_path / "synthetic-registrations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({k for r in rows for k in r}))
        writer.writeheader()
        writer.writerows(rows)
    contact = next(c.keys[0].value for c in world.cases if "drugs" in c.crimes and c.keys)
    store = open_store(settings)
    try:
        import_registrations(store, Actor("root", "riec-synth", Role.ADMIN), path)
        signal = record_signal(
            store,
            Actor("tester", "org-a", Role.COORDINATOR),
            SignalCreate(
                received_at="2026-02-02",  # type: ignore[arg-type]
                reporter_org="org-a",
                reporter_sector="youth",
                region="Utrecht",
                persons=[PersonIn(role="victim", age=15)],
                identifiers=[IdentifierIn(kind="phone", value=contact)],
                forms=[{"form": "criminal"}],  # type: ignore[list-item]
            ),
        )
        run_linking(store, ANALYST)
    finally:
        store.close()
    return signal.id


def test_network_pages_json_and_linked_section(settings: Settings, client: TestClient, tmp_path: Path) -> None:
    signal_id = linked_registry(settings, tmp_path)
    nets = client.get("/api/networks").json()
    assert nets and {"id", "signals", "classification", "roles"} <= set(nets[0])
    mine = next(n for n in nets if any(s["id"] == signal_id for s in n["signals"]))
    assert mine["classification"]["label"] == "organised"
    page = client.get("/networks")
    assert page.status_code == 200 and mine["id"] in page.text
    shown = client.get(f"/networks/{mine['id']}")
    assert shown.status_code == 200 and 'id="network-graph"' in shown.text
    assert "cytoscape-3.35.0.min.js" in shown.text and "organised" in client.get(f"/api/networks/{mine['id']}").text
    linked = client.get(f"/signals/{signal_id}/linked", headers={"HX-Request": "true"})
    assert linked.status_code == 200 and f"/networks/{mine['id']}" in linked.text
    assert 'hx-get="/signals/' in client.get(f"/signals/{signal_id}").text
    export = client.get(f"/networks/{mine['id']}/export.graphml")
    assert export.status_code == 200 and export.content.startswith(b"<?xml")
    assert client.get("/networks/net-none").status_code == 404
    assert client.get("/api/signals/S-NOPE/links").status_code == 404


def test_another_organisations_signal_stays_hidden_in_the_api(
    settings: Settings, client: TestClient, tmp_path: Path
) -> None:
    """org-b's signal on the same number shows to org-a (the client) only as held by org-b, until shared."""
    from signaal.domain.signal import IdentifierIn, SignalCreate
    from signaal.services.sharing import grant_act, revoke_act
    from signaal.services.signals import record_signal

    signal_id = linked_registry(settings, tmp_path)
    store = open_store(settings)
    try:
        contact = client.get(f"/api/signals/{signal_id}/links").json()["links"][0]["key"].split(":", 1)[1]
        org_b = Actor("coo", "org-b", Role.COORDINATOR)
        data = SignalCreate(
            received_at="2026-02-03",  # type: ignore[arg-type]
            reporter_org="org-b",
            reporter_sector="care",
            region="Utrecht",
            identifiers=[IdentifierIn(kind="phone", value=contact), IdentifierIn(kind="phone", value="+31612349999")],
        )
        theirs = record_signal(store, org_b, data).id
        run_linking(store, ANALYST)
        mine = next(n for n in client.get("/api/networks").json() if any(s["id"] == signal_id for s in n["signals"]))
        text = client.get(f"/api/networks/{mine['id']}").text + client.get(f"/api/signals/{signal_id}/links").text
        assert theirs not in text and "+31612349999" not in text and "org-b" in text
        act = grant_act(
            store, org_b, theirs, org="org-a", basis="wgs_convenant", purpose="synthetic", scope=["identifiers"]
        )
        text = client.get(f"/api/networks/{mine['id']}").text + client.get(f"/api/signals/{signal_id}/links").text
        assert theirs in text and "+31612349999" in text
        revoke_act(store, org_b, theirs, act.act.id, "synthetic")
        text = client.get(f"/api/networks/{mine['id']}").text + client.get(f"/api/signals/{signal_id}/links").text
        assert theirs not in text and "+31612349999" not in text
    finally:
        store.close()
