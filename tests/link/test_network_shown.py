"""What a network discloses is computed over the cases the actor may see, on both databases;
another organisation's cases appear only as "k matches held by other organisations: contact ORG".
SYNTHETIC data: invented phones, places and dates.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from link_fixtures import ANALYST, PHONE_A, share, signal

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import IdentifierIn, PersonIn, SignalCreate
from signaal.services.link import run_linking
from signaal.services.network import export_network, list_networks, show_network
from signaal.services.signals import record_signal
from signaal.store import Store

pytestmark = pytest.mark.storage

CARE = Actor("coo", "care-synth", Role.COORDINATOR)


def _hidden_signal(store: Store) -> str:
    """care-synth's SYNTHETIC signal: another month, another place, two victims and a suspect."""
    data = SignalCreate(
        received_at=date(2025, 11, 2),
        reporter_org=CARE.org,
        reporter_sector="care",
        region="Utrecht",
        persons=[
            PersonIn(role="victim", age=17, nationality="BG"),
            PersonIn(role="victim", age=22, nationality="BG"),
            PersonIn(role="suspect", age=40, nationality="BG"),
        ],
        identifiers=[IdentifierIn(kind="phone", value=PHONE_A)],
        forms=[{"form": "labour"}],  # type: ignore[list-item]
    )
    return record_signal(store, CARE, data).id


def _world(store: Store, ours_org: str = ANALYST.org) -> tuple[str, str]:
    theirs = _hidden_signal(store)
    ours = signal(store, Actor("rep", ours_org, Role.REPORTER), PHONE_A, "ours-1")
    run_linking(store, Actor("root", ours_org, Role.ADMIN))
    return theirs, ours


def _net(store: Store, actor: Actor, ours: str) -> dict[str, object]:
    [net] = [n for n in list_networks(store, actor) if any(s["id"] == ours for s in n["signals"])]
    return net


def test_facts_timeline_and_size_count_only_the_cases_in_sight(store: Store) -> None:
    theirs, ours = _world(store)
    net = _net(store, ANALYST, ours)
    shown = show_network(store, ANALYST, str(net["id"]))
    for view in (net, shown):
        assert view["size"] == {"cases": 1, "persons": 1, "identifiers": 1}
        facts = view["facts"]
        assert (facts["cases"], facts["victims"], facts["suspects"], facts["organisations"]) == (1, 1, 0, 1)
        assert (facts["first"], facts["last"], facts["cities"]) == ("2026-03-01", "2026-03-01", 1)
        assert view["timeline"]["cases_per_month"] == {"2026-03": 1}
        assert view["forms"] == ["sexual"]
        held = view["held_by_other_organisations"]
        assert held == [
            {"org": "care-synth", "cases": 1, "contact": "another organisation holds a match: contact care-synth"}
        ]
        assert view["classification"]["also_counts_held_cases"] == 1
    text = json.dumps(shown) + export_network(store, ANALYST, str(net["id"]), "graphml").decode()
    assert theirs not in text and "2025-11" not in text and "Utrecht" not in text and "labour" not in text
    assert "held:care-synth" in text and "hidden:" not in text


def test_with_an_act_the_shared_case_counts_and_the_owner_sees_everything(store: Store) -> None:
    theirs, ours = _world(store)
    share(store, theirs, ["persons", "identifiers"])
    net = _net(store, ANALYST, ours)
    assert net["size"]["cases"] == 2 and net["facts"]["victims"] == 3 and net["held_by_other_organisations"] == []
    assert net["timeline"]["cases_per_month"] == {"2025-11": 1, "2026-03": 1}
    assert net["classification"]["also_counts_held_cases"] == 0


def test_the_classification_uses_every_case_and_names_none(store: Store) -> None:
    theirs, ours = _world(store)
    hidden = _net(store, ANALYST, ours)
    share(store, theirs, ["persons", "identifiers"])
    whole = _net(store, ANALYST, ours)
    assert hidden["classification"]["label"] == whole["classification"]["label"]
    assert "3 victims" in json.dumps(whole["classification"]) and "3 victims" not in json.dumps(hidden)


def test_the_command_line_shows_the_held_matches(
    store: Store, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs, _ = _world(store, "org-a")  # the CLI user is a coordinator of org-a
    capsys.readouterr()
    assert main(["network", "list", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "1 cases, 1 persons" in out and "1 match(es) held by other organisations: contact care-synth" in out
    assert theirs not in out
