"""Hole 10: live suggestions take no more text than intake does, and one reading per user at a time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sec_fixtures import LOCAL

from signaal.domain.signal import MAX_NARRATIVE_CHARS
from signaal.settings import Settings
from signaal.web import create_app
from signaal.web.security import CSRF_HEADER

TOO_LONG = "Synthetic: zij moet altijd bereikbaar zijn. " * (MAX_NARRATIVE_CHARS // 40)


@pytest.fixture
def client(settings: Settings) -> TestClient:
    with TestClient(create_app(settings), **LOCAL) as test_client:
        yield test_client  # type: ignore[misc]


def _token(client: TestClient) -> str:
    import re

    page = client.get("/signals/new").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_a_narrative_longer_than_intake_allows_is_refused(client: TestClient) -> None:
    assert len(TOO_LONG) > MAX_NARRATIVE_CHARS
    page = client.post("/signals/suggest", data={"narrative": TOO_LONG}, headers={CSRF_HEADER: _token(client)})
    assert page.status_code == 422
    assert "Traceback" not in page.text
    api = client.post("/api/narrative/suggest", json={"text": TOO_LONG})
    assert api.status_code == 422
    fits = client.post("/api/narrative/suggest", json={"text": TOO_LONG[:2000]})
    assert fits.status_code == 200


def test_one_reading_per_user_at_a_time(client: TestClient) -> None:
    app = client.app.state.signaal  # type: ignore[attr-defined]
    me = client.get("/api/me").json()["user"]
    gate = app.gates["suggest"]
    assert gate.enter(me)  # a reading of this user is under way
    try:
        busy = client.post("/api/narrative/suggest", json={"text": "Synthetic: altijd bereikbaar."})
        assert busy.status_code == 429
        page = client.post("/signals/suggest", data={"narrative": "Synthetic"}, headers={CSRF_HEADER: _token(client)})
        assert page.status_code == 429
        assert gate.enter("someone-else")  # another user is not held up
        gate.leave("someone-else")
    finally:
        gate.leave(me)
    assert client.post("/api/narrative/suggest", json={"text": "Synthetic: altijd bereikbaar."}).status_code == 200
