"""The action-perspective and shelter commands end to end (synthetic signals and facts)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from signaal.cli import main
from signaal.domain.actor import Actor
from signaal.domain.signal import SignalCreate
from signaal.services import signals as signal_service
from signaal.store import Store


def _signal(store: Store, actor: Actor) -> str:
    data = SignalCreate(
        received_at=date(2026, 3, 2),
        reporter_org="org-a",
        reporter_sector="ngo",
        region="Utrecht",
        narrative="[synthetisch] Vrouw zonder verblijfsstatus wil opvang, geen politie.",
        forms=[{"form": "sexual"}],  # type: ignore[list-item]
        persons=[{"role": "victim", "age": 28, "residence": "third_country_irregular"}],  # type: ignore[list-item]
        facts={
            "acute_danger": False,
            "person_identifiable": True,
            "willing_to_talk_to_police": False,
            "needs_shelter": True,
            "complex_needs": False,
        },
    )
    return signal_service.record_signal(store, actor, data).id


def test_route_dry_run_prints_the_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(
        json.dumps(
            {
                "synthetic": True,
                "acute_danger": False,
                "person_identifiable": True,
                "age": 16,
                "forms": ["criminal"],
                "residence": "dutch",
                "reporter_sector": "education",
                "needs_shelter": False,
            }
        )
    )
    assert main(["route", "--facts", str(facts), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"contacts", "steps", "open_questions", "flags"}
    assert out["contacts"] == ["veilig-thuis", "child-protection", "police-avim"]
    assert "non_punishment" in out["flags"]


def test_route_dry_run_refuses_contradictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "bad.json"
    facts.write_text(json.dumps({"age": 15, "minor": False}))
    assert main(["route", "--facts", str(facts), "--format", "json"]) == 2
    assert "age 15 contradicts minor: false" in capsys.readouterr().err


def test_unknown_region_warns_and_uses_national_contacts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "nowhere.json"
    facts.write_text(
        json.dumps(
            {
                "acute_danger": False,
                "person_identifiable": False,
                "forms": ["labour"],
                "reporter_sector": "citizen",
                "region": "Atlantis",
            }
        )
    )
    assert main(["route", "--facts", str(facts), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "unknown region 'Atlantis'" in out and "0900-8844" in out
    assert main(["route", "--facts", str(facts)]) == 0
    assert "onbekende regio 'Atlantis'" in capsys.readouterr().out  # Dutch by default


def test_signal_workflow_on_the_command_line(
    cli_env: str, store: Store, actor: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _signal(store, actor)
    assert main(["route", sid, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "reflection period" in text.lower() and "033-448 11 86" in text
    assert main(["route", sid]) == 0
    assert "bedenktijd" in capsys.readouterr().out.lower()  # Dutch by default
    assert main(["close", sid]) == 6
    assert "routing decision" in capsys.readouterr().err
    assert main(["decide", sid, "--route", "care route, COSM", "--reason", "no police yet", "--at", "2026-03-03"]) == 0
    assert main(["referrals", "add", sid, "comensha", "--at", "2026-03-03"]) == 0
    referral_id = capsys.readouterr().out.split("#")[1].split()[0]
    assert main(["referrals", "add", sid, "nobody"]) == 2
    assert main(["referrals", "list", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["referrals", "overdue", "--days", "1", "--format", "json"]) == 0
    overdue = json.loads(capsys.readouterr().out)
    assert [r["contact_id"] for r in overdue] == ["comensha"]
    assert main(["referrals", "update", referral_id, "feedback_received", "--at", "2026-03-05"]) == 0
    assert main(["meldcode", sid, "--complete", "1", "--at", "2026-03-03"]) == 0
    assert "[x] 1." in capsys.readouterr().out
    assert main(["delphi", sid, "--format", "json"]) == 0
    lists = [a["list"] for a in json.loads(capsys.readouterr().out)]
    assert lists == ["adult_sexual"]
    assert main(["close", sid, "--reason", "placed"]) == 0


def test_shelter_commands(cli_env: str, store: Store, actor: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    sid = _signal(store, actor)
    assert main(["shelter", "request", sid, "--type", "cosm", "--at", "2026-03-03"]) == 0
    request_id = capsys.readouterr().out.split()[0]
    assert main(["shelter", "no-place", request_id, "--at", "2026-03-04"]) == 0
    assert main(["shelter", "offer", request_id, "--at", "2026-03-06"]) == 0
    assert main(["shelter", "start", request_id, "--at", "2026-03-02"]) == 2
    assert "before" in capsys.readouterr().err
    assert main(["shelter", "start", request_id, "--at", "2026-03-07"]) == 0
    assert main(["shelter", "end", request_id, "--at", "2026-05-07", "--destination", "own home"]) == 0
    assert main(["shelter", "request", sid, "--type", "omm", "--at", "2026-03-10"]) == 0
    second = capsys.readouterr().out.strip().splitlines()[-1].split()[0]
    assert main(["shelter", "withdraw", second, "--at", "2026-03-11"]) == 0
    assert main(["shelter", "list", "--waiting"]) == 0
    assert "no shelter requests" in capsys.readouterr().out
    assert main(["shelter", "list", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["shelter", "stats", "--by", "type", "--by", "month", "--as-of", "2026-04-01", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    cosm = next(g for g in stats["groups"] if g["type"] == "cosm")
    assert cosm["median_days"] == 4.0 and cosm["no_place_events"] == 1
    assert main(["shelter", "stats", "--by", "colour"]) == 2
