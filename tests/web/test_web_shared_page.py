"""The signal page shows only the actions its reader may take: a coordinator of an organisation that
received a sharing act gets no indicator or form buttons (the record stays the owner's), and the
route's forms only when the act grants the route. On both databases; all data synthetic."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_fixtures import csrf_token

from signaal.domain.actor import Actor, Role
from signaal.services.sharing import grant_act
from signaal.settings import Settings
from signaal.store import open_store
from signaal.web import create_app

pytestmark = pytest.mark.storage

RECORD = ("/forms/sexual/reject", "/forms/sexual/confirm", "/indicators/")
ROUTE = ("/status", "/referrals", "/shelter")


@pytest.fixture
def receiver(settings: Settings) -> Iterator[TestClient]:
    """A client signed in (single-user mode) as a coordinator of org-b."""
    other = settings.model_copy(update={"org": "org-b", "user": "coo-b"})
    with TestClient(create_app(other), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50001)) as test_client:
        yield test_client


def _actions(page: str, signal_id: str) -> set[str]:
    return {m for m in re.findall(r'<form method="post" action="([^"]+)"', page) if signal_id in m}


def _share(settings: Settings, signal_id: str, scope: list[str]) -> None:
    store = open_store(settings)
    try:
        owner = Actor("tester", "org-a", Role.COORDINATOR)
        grant_act(store, owner, signal_id, org="org-b", basis="meldcode", purpose="synthetic", scope=scope)
    finally:
        store.close()


def _offered(actions: set[str], parts: tuple[str, ...]) -> set[str]:
    return {a for a in actions if any(p in a for p in parts)}


@pytest.mark.parametrize("scope", [["narrative"], ["narrative", "route"]], ids=["summary", "route"])
def test_a_receiving_coordinator_sees_only_the_actions_allowed(
    settings: Settings, client: TestClient, receiver: TestClient, signal_id: str, scope: list[str]
) -> None:
    own = _actions(client.get(f"/signals/{signal_id}").text, signal_id)
    assert _offered(own, RECORD) and _offered(own, ROUTE)  # the owner's coordinator gets both
    _share(settings, signal_id, scope)
    page = receiver.get(f"/signals/{signal_id}")
    assert page.status_code == 200
    theirs = _actions(page.text, signal_id)
    assert not _offered(theirs, RECORD)
    assert bool(_offered(theirs, ROUTE)) == ("route" in scope)
    data = receiver.get(f"/api/signals/{signal_id}").json()
    assert (data["may_change_record"], data["may_change_route"]) == (False, "route" in scope)
    token = csrf_token(receiver)
    refused = receiver.post(f"/signals/{signal_id}/forms/sexual/reject", data={"csrf_token": token})
    assert refused.status_code == 403  # what the page no longer offers, the service still refuses
