"""The signal page and /api/signals/{id}/route show the action perspective in the request's language.

Every signal here is synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from signaal.settings import Settings
from signaal.web import create_app
from signaal.web.context import LANG_COOKIE

SIGNAL: dict[str, Any] = {
    # synthetic: a made-up signal of a 15-year-old seen by a youth worker
    "received_at": "2026-01-05",
    "reporter_org": "org-a",
    "reporter_sector": "youth",
    "region": "Utrecht",
    "narrative": "Synthetic: het meisje moet altijd bereikbaar zijn.",
    "forms": [{"form": "sexual"}],
    "persons": [{"role": "victim", "age": 15, "residence": "dutch"}],
    "facts": {"needs_shelter": True},
}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as test_client:
        yield test_client


@pytest.fixture
def signal_id(client: TestClient) -> str:
    response = client.post("/api/signals", json=SIGNAL)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _route(client: TestClient, signal_id: str, lang: str | None) -> dict[str, Any]:
    if lang is None:
        client.cookies.delete(LANG_COOKIE)
    else:
        client.cookies.set(LANG_COOKIE, lang)
    return client.get(f"/api/signals/{signal_id}/route").json()["route"]  # type: ignore[no-any-return]


def test_route_api_follows_the_language_cookie_with_the_same_keys(client: TestClient, signal_id: str) -> None:
    default, nl, en = _route(client, signal_id, None), _route(client, signal_id, "nl"), _route(client, signal_id, "en")
    assert default == nl
    assert set(nl) == set(en) and nl["contacts"] == en["contacts"] and nl["flags"] == en["flags"]
    titles_nl = [s["title"] for s in nl["steps"]]
    titles_en = [s["title"] for s in en["steps"]]
    assert "Signalen vastleggen" in titles_nl and "Record the signals" in titles_en
    assert nl["flag_texts"]["meldcode"] != en["flag_texts"]["meldcode"]


def test_signal_page_shows_steps_contacts_and_meldcode_in_the_page_language(client: TestClient, signal_id: str) -> None:
    client.cookies.set(LANG_COOKIE, "en")
    english = unescape(client.get(f"/signals/{signal_id}").text)
    client.cookies.set(LANG_COOKIE, "nl")
    dutch = unescape(client.get(f"/signals/{signal_id}").text)
    assert "Record the signals" in english and "Record the signals" not in dutch
    assert "Signalen vastleggen" in dutch and "Signalen vastleggen" not in english
    assert "Signalen in kaart brengen" in dutch and "Map the signals" in english  # meldcode step 1
    assert "Raad voor de Kinderbescherming" in dutch and "Child Protection Board" in english
    assert "Volgende stap" in dutch


def test_signal_json_twin_uses_the_same_language_as_the_page(client: TestClient, signal_id: str) -> None:
    client.cookies.set(LANG_COOKIE, "en")
    data = client.get(f"/api/signals/{signal_id}").json()
    assert data["route"]["steps"][0]["title"] == "Record the signals"
    assert data["meldcode"]["items"][0]["title"] == "Map the signals"
