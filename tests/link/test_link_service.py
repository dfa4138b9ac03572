"""Linking use cases on both databases: import, run, judge, visibility, incremental, networks, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from link_fixtures import ADMIN, ANALYST, PHONE_A, PHONE_B, police_rows, share, signal, write_csv
from sqlalchemy import func, select

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput, NotFound
from signaal.services import sharing
from signaal.services.link import import_registrations, link_new_signal, run_linking
from signaal.services.link_review import confirm_link, linked_to, list_links, reject_link
from signaal.services.network import export_network, list_networks, show_network
from signaal.services.signals import signal_history
from signaal.store import Store
from signaal.store.tables_link import LinkCaseRow, LinkPersonRow


def test_import_links_a_signal_to_a_registration_by_phone(store: Store, tmp_path: Path) -> None:
    report = import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    assert report["cases"] == 1 and report["persons"] == 2
    assert any("kept as written" in line and "case_phone" in line for line in report["kept_as_written"])
    own = Actor("rep", "care-synth", Role.REPORTER)
    sid = signal(store, own, PHONE_A, "care-1")
    other = signal(store, own, PHONE_B, "care-2")
    run = run_linking(store, ANALYST)
    assert run.cases_added == 2 and run.exact_links >= 1
    # the coordinator of the signal's organisation sees its links and the registration
    links = list_links(store, Actor("coo", "care-synth", Role.COORDINATOR), kind="exact")
    pair = {(link["left"]["ref"], link["right"]["ref"]) for link in links}
    assert ("reg:politie-synth:Z1", f"signal:{sid}") in pair
    assert all(f"signal:{other}" not in p for p in pair)
    # the reporter sees that another organisation holds a match, and whom to contact, not its ids or values
    seen = linked_to(store, own, sid)
    assert seen and seen[0]["other"]["hidden"] and "politie-synth" in seen[0]["other"]["contact"]
    assert "Z1" not in json.dumps(seen) and seen[0]["key"] == "phone"
    # the analyst of another organisation sees the signal's links only through a sharing act
    with pytest.raises(NotFound):
        linked_to(store, ANALYST, sid)
    coordinator = Actor("coo", "care-synth", Role.COORDINATOR)
    sharing.grant_act(
        store, coordinator, sid, org=ANALYST.org, basis="wgs_convenant", purpose="synthetic", scope=["identifiers"]
    )
    # and then, the act granting the identifiers, the registration and the shared number
    seen = linked_to(store, ANALYST, sid)
    assert seen[0]["other"]["ref"] == "reg:politie-synth:Z1" and seen[0]["key"] == f"phone:{PHONE_A}"


def test_confirm_and_reject_are_events_and_rejection_splits_the_network(store: Store, tmp_path: Path) -> None:
    import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    own = Actor("rep", "care-synth", Role.REPORTER)
    sid = signal(store, own, PHONE_A, "care-1")
    share(store, sid, ["identifiers"])
    run_linking(store, ANALYST)
    link = next(x for x in list_links(store, ANALYST) if x["right"].get("signal_id") == sid)
    with pytest.raises(Forbidden):
        confirm_link(store, own, link["id"])
    assert confirm_link(store, ANALYST, link["id"], "same number")["status"] == "confirmed"
    nets = list_networks(store, ANALYST)
    assert any(sid in [s["id"] for s in n["signals"]] and n["registrations"] for n in nets)
    reject_link(store, ANALYST, link["id"], "number reused")
    kinds = [e.kind for e in signal_history(store, own, sid)]  # the owning organisation reads the history
    assert "link_confirmed" in kinds and "link_rejected" in kinds
    nets = list_networks(store, ANALYST)
    assert not any(sid in [s["id"] for s in n["signals"]] and n["registrations"] for n in nets)


def test_bad_registration_row_refuses_the_file_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    rows = police_rows()
    rows[1]["birth_date"] = "2003-13-45"
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InvalidInput) as caught:
        import_registrations(store, ADMIN, path)
    problem = caught.value.problems[0]
    assert problem.line == 3 and problem.field == "birth_date" and problem.file == str(path)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(LinkCaseRow)) == 0
        assert session.scalar(select(func.count()).select_from(LinkPersonRow)) == 0
    with pytest.raises(Forbidden):
        import_registrations(store, Actor("rep", "x", Role.REPORTER), write_csv(tmp_path / "ok.csv", police_rows()))
    import_registrations(store, ADMIN, write_csv(tmp_path / "ok.csv", police_rows()))
    with pytest.raises(InvalidInput, match="imported before"):
        import_registrations(store, ADMIN, tmp_path / "ok.csv")


def test_a_new_signal_is_linked_incrementally(store: Store, tmp_path: Path) -> None:
    import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    run_linking(store, ANALYST)
    sid = signal(store, Actor("rep", "care-synth", Role.REPORTER), PHONE_A, "care-9")
    run = link_new_signal(store, ANALYST, sid)
    assert run.cases_added == 1 and run.exact_links == 1
    assert link_new_signal(store, ANALYST, sid).exact_links == 0  # nothing twice


def test_network_json_show_and_exports(store: Store, tmp_path: Path) -> None:
    import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    sid = signal(store, Actor("rep", "care-synth", Role.REPORTER), PHONE_A, "care-1")
    share(store, sid, ["identifiers", "persons"])
    run_linking(store, ANALYST)
    net = next(n for n in list_networks(store, ANALYST) if any(s["id"] == sid for s in n["signals"]))
    assert net["classification"]["label"] in ("organised", "small_scale", "unknown")
    assert net["classification"]["reasons"]
    top = net["roles"][0]
    assert top["about"]["type"] in ("person", "identifier") and top["evidence"]
    shown = show_network(store, ANALYST, net["id"])
    assert any(e["type"] == "contact" for e in shown["edges"]) and shown["drawable"]
    graphml = export_network(store, ANALYST, net["id"], "graphml").decode()
    assert graphml.startswith("<?xml") and PHONE_A in graphml
    reporter = Actor("rep2", "politie-synth", Role.REPORTER)
    hidden = show_network(store, reporter, net["id"])
    assert hidden["held_by_other_organisations"] and sid not in json.dumps(hidden)


def test_cli_run_and_network_list_json(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNAAL_ROLE", "admin")
    inspection = {"source": "inspectie-synth", "case_id": "I7", "record_date": "2026-01-05", "case_phone": PHONE_A}
    assert main(["link", "import", str(write_csv(tmp_path / "police.csv", [*police_rows(), inspection]))]) == 0
    monkeypatch.setenv("SIGNAAL_ROLE", "analyst")
    assert main(["link", "run"]) == 0
    capsys.readouterr()
    assert main(["network", "list", "--format", "json"]) == 0
    nets = json.loads(capsys.readouterr().out)
    assert isinstance(nets, list) and nets
    for net in nets:
        assert {"id", "signals", "classification", "roles"} <= set(net)
        assert net["classification"]["label"] in ("organised", "small_scale", "unknown")
        for role in net["roles"]:
            assert {"about", "score", "evidence"} <= set(role)
    assert main(["link", "list", "--format", "json"]) == 0
    link_id = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["link", "confirm", str(link_id), "--reason", "checked"]) == 0
    assert main(["link", "confirm", str(link_id)]) == 6
    out = tmp_path / "net.graphml"
    assert main(["network", "export", nets[0]["id"], str(out)]) == 0 and out.read_bytes().startswith(b"<?xml")
    assert main(["network", "show", "net-nothing"]) == 4


def test_incremental_import_finds_what_a_full_run_finds(store: Store, tmp_path: Path) -> None:
    from signaal.link.synthetic import generate, registration_rows
    from signaal.store.tables_link import LinkRow

    world = generate(31, organised=2, criminal=3, small=10, background=40)
    rows = registration_rows(world)
    cut = int(len(rows) * 0.8)
    while rows[cut]["case_id"] == rows[cut - 1]["case_id"] and rows[cut]["source"] == rows[cut - 1]["source"]:
        cut += 1
    import_registrations(store, ADMIN, write_csv(tmp_path / "first.csv", rows[:cut]))
    first = run_linking(store, ANALYST)
    import_registrations(store, ADMIN, write_csv(tmp_path / "second.csv", rows[cut:]))
    second = run_linking(store, ANALYST)
    assert first.person_links and second.person_links and second.persons_added == len(rows) - cut
    with store.session() as session:
        incremental = set(session.execute(select(LinkRow.left_ref, LinkRow.right_ref).where(LinkRow.kind == "person")))
    full = run_linking(store, ANALYST, full=True)
    with store.session() as session:
        everything = set(session.execute(select(LinkRow.left_ref, LinkRow.right_ref).where(LinkRow.kind == "person")))
    assert len(incremental) >= 0.95 * len(everything)
    assert full.cases_added == 0


def test_reading_links_and_networks_is_audited(store: Store, tmp_path: Path) -> None:
    from signaal.services.audit import list_audit

    import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    sid = signal(store, Actor("rep", "care-synth", Role.REPORTER), PHONE_A, "care-1")
    run_linking(store, ANALYST)
    coordinator = Actor("coo", "care-synth", Role.COORDINATOR)
    sharing.grant_act(store, coordinator, sid, org=ANALYST.org, basis="wgs_convenant", purpose="synthetic", scope=[])
    linked_to(store, ANALYST, sid)
    net = next(n for n in list_networks(store, ANALYST) if any(s["id"] == sid for s in n["signals"]))
    show_network(store, ANALYST, net["id"])
    actions = {e.action for e in list_audit(store, ADMIN)}
    assert {"link_list", "network_list", "network_read"} <= actions


def test_imported_signals_link_as_their_reporting_organisations(store: Store, tmp_path: Path) -> None:
    from signaal.services.intake import import_signals

    rows = [
        {
            "source_id": f"{org}-1",
            "received_at": "2026-03-01",
            "reporter_org": org,
            "reporter_sector": "care",
            "phones": PHONE_B,
        }
        for org in ("politie-synth", "opvang-synth")
    ]
    import_signals(store, ADMIN, write_csv(tmp_path / "signals.csv", rows))
    run_linking(store, ANALYST)
    link = list_links(store, ANALYST)[0]
    assert {link["left"]["org"], link["right"]["org"]} == {"politie-synth", "opvang-synth"}
