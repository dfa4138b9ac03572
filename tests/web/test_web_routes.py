"""Every route answers: the parameterless pages and API reads, and the remaining judgement forms."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_fixtures import SYNTHETIC_SIGNAL

PAGES = ("/", "/signals", "/signals/new", "/shelter", "/ads", "/overview", "/login", "/lang/en", "/api/docs")


def test_every_parameterless_get_route_answers(client: TestClient) -> None:
    api = [
        path
        for path, methods in client.get("/api/openapi.json").json()["paths"].items()
        # the monitor needs a complete year of analytics events: tests/analytics/test_build.py
        if "get" in methods and "{" not in path and path != "/api/monitor"
    ]
    assert {"/api/signals", "/api/me", "/api/shelter", "/api/overview", "/api/intake"} <= set(api)
    for path in [*PAGES, *api]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_judging_suggestions_on_the_page_and_through_the_api(client: TestClient, token: str) -> None:
    body = {
        **SYNTHETIC_SIGNAL,
        "indicators": [],
        "forms": [],
        "narrative": "Synthetic: ze moet altijd bereikbaar zijn en spijbelt.",
    }
    signal = client.post("/api/signals", params={"apply_suggestions": "true"}, json=body).json()
    suggested = [i["indicator_id"] for i in signal["indicators"]]
    assert len(suggested) >= 2
    confirmed = client.post(f"/api/signals/{signal['id']}/indicators/{suggested[0]}/confirm", json={}).json()
    assert {i["indicator_id"]: i["origin"] for i in confirmed["indicators"]}[suggested[0]] == "confirmed"
    rejected = client.post(
        f"/signals/{signal['id']}/indicators/{suggested[1]}/reject", data={"csrf_token": token}, follow_redirects=False
    )
    assert rejected.status_code == 303
    assert (
        client.post(
            f"/signals/{signal['id']}/indicators/{suggested[1]}/confirm", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/signals/{signal['id']}/forms/labour/confirm", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/signals/{signal['id']}/forms/labour/reject", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    assert client.post(f"/signals/{signal['id']}/forms/labour/maybe", data={"csrf_token": token}).status_code == 404
    assert all(f["form"] != "labour" for f in client.get(f"/api/signals/{signal['id']}").json()["signal"]["forms"])
