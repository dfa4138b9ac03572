"""The sharing section of the signal page: grant, list, revoke and assign through forms that work
without JavaScript, in Dutch and English; a bad basis shows the form again with the error.
All data synthetic."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from language_check import assert_language

pytestmark = pytest.mark.storage


def _grant(client: TestClient, token: str, signal_id: str, basis: str = "meldcode") -> object:
    data = {
        "csrf_token": token,
        "org": "org-b",
        "basis": basis,
        "purpose": "synthetisch overleg",
        "scope": ["narrative", "route"],
        "expires_at": "",
    }
    return client.post(f"/signals/{signal_id}/shares", data=data, follow_redirects=False)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_grant_show_and_revoke_an_act_on_the_signal_page(
    client: TestClient, token: str, signal_id: str, lang: str
) -> None:
    client.get(f"/lang/{lang}?next=/signals")
    page = client.get(f"/signals/{signal_id}").text
    assert ("Delen met een andere organisatie" if lang == "nl" else "Share with another organisation") in page
    response = _grant(client, token, signal_id)
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/signals/{signal_id}?done=shared").text
    assert_language(page, lang, "signal page with an act")
    assert "org-b" in page
    assert ("Meldcode huiselijk geweld" if lang == "nl" else "Reporting code for domestic violence") in page
    act_id = re.search(r'/shares/([0-9a-f]+)/revoke"', page)
    assert act_id is not None
    revoked = client.post(
        f"/signals/{signal_id}/shares/{act_id.group(1)}/revoke",
        data={"csrf_token": token, "reason": "synthetisch"},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    page = client.get(f"/signals/{signal_id}").text
    assert f"/shares/{act_id.group(1)}/revoke" not in page
    assert_language(page, lang, "signal page after revoking")


def test_an_unknown_basis_shows_the_form_again_with_the_error(client: TestClient, token: str, signal_id: str) -> None:
    client.get("/lang/nl?next=/signals")
    response = _grant(client, token, signal_id, basis="onderbuik")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Kies een grondslag uit de lijst." in response.text  # type: ignore[attr-defined]
    assert client.get(f"/api/signals/{signal_id}/shares").json() == []


def test_assigning_a_signal_shows_who_handles_it(client: TestClient, token: str, signal_id: str) -> None:
    client.get("/lang/nl?next=/signals")
    response = client.post(
        f"/signals/{signal_id}/assignment",
        data={"csrf_token": token, "assignee": "synthetische medewerker", "team": "team-zorg"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/signals/{signal_id}").text
    assert "synthetische medewerker" in page and "team-zorg" in page
    history = client.get(f"/api/signals/{signal_id}/history").json()
    assert history[-1]["kind"] == "assigned"


def test_the_form_offers_the_register_and_refuses_an_unknown_organisation(
    client: TestClient, token: str, signal_id: str
) -> None:
    client.get("/lang/nl?next=/signals")
    page = client.get(f"/signals/{signal_id}").text
    assert '<select id="sh-org" name="org">' in page and '<option value="org-b">' in page
    assert '<option value="org-a">' not in page  # the owner itself is not offered
    data = {"csrf_token": token, "org": "org-z", "basis": "meldcode", "purpose": "synthetisch", "expires_at": ""}
    response = client.post(f"/signals/{signal_id}/shares", data=data, follow_redirects=False)
    assert response.status_code == 422
    assert "Organisatie org-z staat niet in het organisatieregister" in response.text
    assert client.get(f"/api/signals/{signal_id}/shares").json() == []
