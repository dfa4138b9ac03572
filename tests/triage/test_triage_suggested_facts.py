"""Suggested facts (the narrative reader's advice under ``facts["suggested"]``) are kept and shown, never routed on.

Every signal and narrative here is synthetic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from signaal.domain.actor import Actor
from signaal.domain.signal import SignalCreate
from signaal.services import narrative as narrative_service
from signaal.services import signals as signal_service
from signaal.services import triage as service
from signaal.settings import Settings
from signaal.store import Store
from signaal.triage.signal_facts import SUGGESTED_KEY, facts_from_signal
from signaal.web import create_app

# synthetic: the reader suggests acute danger, no police and irregular stay from these words
NARRATIVE = "Synthetic: er is acuut gevaar, ze wil geen aangifte doen en heeft geen verblijfsvergunning."


def _bare_signal(facts: dict[str, Any]) -> Any:
    return SimpleNamespace(facts=facts, persons=[], forms=[], reporter_sector="ngo", region=None, indicators=[])


def test_facts_from_signal_ignores_suggested_facts() -> None:
    suggested = {
        "acute_danger": {"value": True, "words": "acuut gevaar", "hedged": False},
        "residence": {"value": "third_country_irregular", "words": "geen verblijfsvergunning", "hedged": False},
    }
    facts = facts_from_signal(_bare_signal({"needs_shelter": True, SUGGESTED_KEY: suggested}))
    assert facts.acute_danger is None and facts.residence == "unknown"
    assert facts.needs_shelter is True  # a fact a person entered still counts


def test_a_suggestion_never_overrides_a_stated_fact() -> None:
    stated = {"acute_danger": False, SUGGESTED_KEY: {"acute_danger": {"value": True, "words": "x", "hedged": False}}}
    assert facts_from_signal(_bare_signal(stated)).acute_danger is False


def _recorded_with_suggestions(store: Store, actor: Actor) -> str:
    data = SignalCreate(
        received_at=date(2026, 3, 2),
        reporter_org="org-a",
        reporter_sector="ngo",
        region="Utrecht",
        narrative=NARRATIVE,
        persons=[{"role": "victim", "age": 30}],  # type: ignore[list-item]
    )
    enriched = narrative_service.apply_suggestions(data, narrative_service.suggest(actor, data.narrative))
    assert SUGGESTED_KEY in enriched.facts, "the synthetic narrative yields suggested facts"
    return signal_service.record_signal(store, actor, enriched).id


def test_a_stored_signal_keeps_its_suggestions_and_routes_without_them(
    store: Store, actor: Actor, settings: Settings
) -> None:
    signal_id = _recorded_with_suggestions(store, actor)
    routed = service.route_signal(store, actor, signal_id, settings=settings)
    assert set(routed.signal.facts[SUGGESTED_KEY]) >= {"acute_danger", "willing_to_talk_to_police", "residence"}
    assert not routed.route.stopped and "acute_danger" not in routed.route.flags
    asked = {q.fact for q in routed.route.open_questions}
    assert {"acute_danger", "willing_to_talk_to_police", "residence"} <= asked
    assert "reflection_period" not in routed.route.flags


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as test_client:
        yield test_client


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signals/new").text)
    assert match is not None
    return match.group(1)


def test_web_intake_keeps_suggested_facts_and_shows_them_as_suggestions(client: TestClient) -> None:
    token = _token(client)
    form = {
        # synthetic intake
        "csrf_token": token,
        "received_at": "2026-02-01",
        "reporter_sector": "ngo",
        "region": "Utrecht",
        "narrative": NARRATIVE,
        "victim_age": "30",
        "apply_suggestions": "1",
    }
    response = client.post("/signals", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    signal_id = response.headers["location"].split("/")[2].split("?")[0]
    data = client.get(f"/api/signals/{signal_id}").json()
    suggested = data["signal"]["facts"][SUGGESTED_KEY]
    assert suggested["willing_to_talk_to_police"]["value"] is False
    assert not data["route"]["stopped"]
    assert "willing_to_talk_to_police" in {q["fact"] for q in data["route"]["open_questions"]}
    page = client.get(f"/signals/{signal_id}").text
    assert 'id="suggested-facts"' in page and "geen aangifte" in page
    assert 'name="fact_willing_to_talk_to_police" value="no"' in page
    # Confirming the suggestion answers the question; only then does the route use it.
    adopted = client.post(
        f"/signals/{signal_id}/facts",
        data={"csrf_token": token, "fact_willing_to_talk_to_police": "no"},
        follow_redirects=False,
    )
    assert adopted.status_code == 303
    after = client.get(f"/api/signals/{signal_id}/route").json()
    assert after["facts"]["willing_to_talk_to_police"] is False
    assert "care-route" in {s["rule"] for s in after["route"]["steps"]}
    page = client.get(f"/signals/{signal_id}").text
    # answered: no second confirm button (the facts panel's own radio buttons stay)
    assert '<input type="hidden" name="fact_willing_to_talk_to_police" value="no">' not in page
