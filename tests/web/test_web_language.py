"""Every page of the registry in Dutch and in English: no text of the other language, no internal id.

The signal page is checked in its states along a working day (recorded, facts changed, a step ticked
off, decided, referred, shelter requested, closed) and after a refused action. All data is synthetic.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from language_check import assert_language, language_problems
from web_fixtures import SYNTHETIC_SIGNAL

from signaal.settings import Settings

PAGES = ("/signals", "/signals/new", "/referrals", "/shelter", "/overview", "/signals?status=closed")


def _walk(client: TestClient, token: str, signal_id: str) -> list[tuple[str, str]]:
    """Act on the signal as a coordinator would; returns (label, html) of every page shown."""
    shown: list[tuple[str, str]] = []

    def post(label: str, path: str, data: dict[str, object], ok: tuple[int, ...] = (200,)) -> None:
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code in ok, (label, response.status_code)
        shown.append((label, response.text))

    shown.append(("signal recorded", client.get(f"/signals/{signal_id}?recorded=1").text))
    post("close refused", f"/signals/{signal_id}/status", {"status": "closed"}, (409,))
    post("facts", f"/signals/{signal_id}/facts", {"fact_person_identifiable": "yes", "fact_residence": "eu"})
    step = client.get(f"/api/signals/{signal_id}").json()["steps"][0]["key"]
    post("step", f"/signals/{signal_id}/steps/{step}", {"note": ""})
    post("decision refused", f"/signals/{signal_id}/decision", {"route": "", "reason": ""}, (422,))
    route = client.get(f"/api/signals/{signal_id}").json()["steps"][0]["title"]
    post("decision", f"/signals/{signal_id}/decision", {"route": route, "reason": "synthetisch", "contact": []})
    post("referral", f"/signals/{signal_id}/referrals", {"contact_id": "veilig-thuis", "note": ""})
    post("shelter", f"/signals/{signal_id}/shelter", {"type": "cosm", "note": ""})
    post("close asked", f"/signals/{signal_id}/status", {"status": "closed", "reason": ""})
    post("closed", f"/signals/{signal_id}/status", {"status": "closed", "reason": "", "confirmed": "yes"})
    shown.append(("missing signal", client.get("/signals/doesnotexist").text))
    shown += [(path, client.get(path).text) for path in PAGES]
    return shown


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_of_a_working_day_is_in_one_language(
    client: TestClient, token: str, settings: Settings, lang: str
) -> None:
    client.get(f"/lang/{lang}?next=/signals")
    signal = dict(SYNTHETIC_SIGNAL)
    if lang == "en":
        signal["narrative"] = "Synthetic: the girl of 15 must always be reachable and is picked up every time."
    created = client.post("/api/signals", json=signal)
    assert created.status_code == 201, created.text
    problems = {
        label: found
        for label, html in _walk(client, token, created.json()["id"])
        if (found := language_problems(html, lang))
    }
    assert not problems, "\n".join(f"{label}: {found[:8]}" for label, found in problems.items())


def test_the_check_catches_an_id_and_the_other_language() -> None:
    html = '<body><p>Waarom: sleeps_at_workplace</p><p>The signal cannot be closed</p><q translate="no">the</q></body>'
    found = language_problems(html, "nl")
    assert any("sleeps_at_workplace" in p for p in found) and any("'The'" in p for p in found)
    assert_language("<body><p>Het signaal is vastgelegd.</p><q translate='no'>the user typed this</q></body>", "nl")
