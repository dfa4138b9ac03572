"""Shelter board, ad screening upload and promotion, and the overview: pages and JSON (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient

from signaal.ads.synthetic import generate_ads
from signaal.settings import Settings


def test_shelter_request_no_place_then_placement(client: TestClient, signal_id: str, token: str) -> None:
    requested = client.post(
        f"/signals/{signal_id}/shelter", data={"csrf_token": token, "type": "youth_care"}, follow_redirects=False
    )
    assert requested.status_code == 303
    board = client.get("/api/shelter").json()
    request_id = board["open"][0]["id"]
    assert board["open"][0]["signal_id"] == signal_id
    client.post(f"/shelter/{request_id}/events", data={"csrf_token": token, "kind": "no_place"})
    page = client.get("/shelter")
    assert request_id in page.text
    assert client.get("/api/shelter").json()["open"][0]["no_place_at"]
    placed = client.post(
        f"/shelter/{request_id}/events",
        data={"csrf_token": token, "kind": "started", "provider": "synthetic provider", "back": signal_id},
        follow_redirects=False,
    )
    assert placed.status_code == 303 and placed.headers["location"].startswith(f"/signals/{signal_id}")
    after = client.get("/api/shelter").json()
    assert after["open"] == []
    assert after["recent"][0]["state"] == "started" and after["recent"][0]["waiting_days"] is not None
    shelter = client.get(f"/api/signals/{signal_id}").json()["shelter"][0]
    assert shelter["provider"] == "synthetic provider"


def test_shelter_events_out_of_order_are_refused_on_the_board(client: TestClient, signal_id: str, token: str) -> None:
    request_id = client.post(f"/api/signals/{signal_id}/shelter", json={"type": "cosm"}).json()["id"]
    assert client.post(f"/api/shelter/{request_id}/events", json={"kind": "started"}).status_code == 200
    again = client.post(f"/shelter/{request_id}/events", data={"csrf_token": token, "kind": "no_place"})
    assert again.status_code == 409 and "already started" in again.text
    unknown = client.post(f"/api/shelter/{request_id}/events", json={"kind": "teleported"})
    assert unknown.status_code == 422


def test_unknown_shelter_type_is_a_form_error_on_the_signal_page(
    client: TestClient, signal_id: str, token: str
) -> None:
    response = client.post(f"/signals/{signal_id}/shelter", data={"csrf_token": token, "type": "castle"})
    assert response.status_code == 422
    assert 'id="err-shelter"' in response.text
    assert client.get("/api/shelter").json()["open"] == []


def _dump(n: int = 120) -> bytes:
    # synthetic ads from the package's generator (marked "synthetic": true)
    return "".join(json.dumps(ad, ensure_ascii=False) + "\n" for ad in generate_ads(n, seed=3)).encode()


def _wait(client: TestClient, job_id: str) -> dict[str, object]:
    for _ in range(600):
        data = client.get(f"/api/ads/jobs/{job_id}").json()
        if data["job"]["finished"]:
            return data  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("screening did not finish")


def test_ad_dump_upload_ranks_groups_and_promotes_one_to_a_signal(client: TestClient, token: str) -> None:
    upload = client.post(
        "/ads",
        data={"csrf_token": token},
        files={"dump": ("ads.jsonl", _dump(), "application/jsonl")},
        follow_redirects=False,
    )
    assert upload.status_code == 303
    job_id = upload.headers["location"].rsplit("/", 1)[1]
    data = _wait(client, job_id)
    assert data["job"]["error"] is None
    groups = data["groups"]
    assert groups and [g["score"] for g in groups] == sorted((g["score"] for g in groups), reverse=True)
    page = client.get(f"/ads/jobs/{job_id}")
    assert groups[0]["id"] in page.text
    group = client.get(f"/api/ads/jobs/{job_id}/groups/{groups[0]['id']}").json()
    assert group["ads"] and group["group"]["id"] == groups[0]["id"]
    detail = client.get(f"/ads/jobs/{job_id}/groups/{groups[0]['id']}")
    assert detail.status_code == 200
    promote = f"/ads/jobs/{job_id}/groups/{groups[0]['id']}/promote"
    asked = client.post(promote, data={"csrf_token": token}, follow_redirects=False)
    assert asked.status_code == 200 and "als signaal vastleggen?" in asked.text  # a confirmation step first
    assert client.get("/api/signals").json()["items"] == []  # nothing recorded yet
    promoted = client.post(promote, data={"csrf_token": token, "confirmed": "yes"}, follow_redirects=False)
    assert promoted.status_code == 303
    signal_id = promoted.headers["location"].split("/")[2].split("?")[0]
    signal = client.get(f"/api/signals/{signal_id}").json()["signal"]
    assert signal["reporter_sector"] == "platform" and groups[0]["id"] in signal["narrative"]
    assert signal["narrative"].startswith(f"Groep {groups[0]['id']} uit een advertentiescreening")  # the page's language
    words = {i["indicator_id"]: i["words"] for i in signal["indicators"]}
    assert words and not any("different" in w or "between" in w or "template shared" in w for w in words.values())
    if "ad_shared_contact" in words:
        assert "verschillende namen" in words["ad_shared_contact"] or "andere nummers" in words["ad_shared_contact"]
    again = client.post(promote, data={"csrf_token": token, "confirmed": "yes"}, follow_redirects=False)
    assert again.status_code == 409 and "al eerder als signaal vastgelegd" in again.text


def test_ad_screening_through_the_api(client: TestClient) -> None:
    started = client.post(
        "/api/ads/jobs",
        params={"filename": "dump.jsonl"},
        content=_dump(60),
        headers={"content-type": "application/octet-stream"},
    )
    assert started.status_code == 202
    data = _wait(client, started.json()["id"])
    assert data["summary"]["ads"] == 60
    if data["groups"]:
        gid = data["groups"][0]["id"]
        promoted = client.post(f"/api/ads/jobs/{started.json()['id']}/groups/{gid}/promote", json={})
        assert promoted.status_code == 201 and promoted.json()["signal_id"]


def test_progress_fragment_reports_the_job(client: TestClient) -> None:
    job = client.post(
        "/api/ads/jobs",
        params={"filename": "d.jsonl"},
        content=_dump(30),
        headers={"content-type": "application/octet-stream"},
    ).json()
    _wait(client, job["id"])
    fragment = client.get(f"/ads/jobs/{job['id']}/progress")
    assert fragment.status_code == 200 and fragment.headers.get("HX-Refresh") == "true"
    assert 'value="100"' in fragment.text


def test_upload_of_the_wrong_type_is_refused_with_a_message(client: TestClient, token: str) -> None:
    response = client.post(
        "/ads", data={"csrf_token": token}, files={"dump": ("ads.pdf", b"%PDF-1.4", "application/pdf")}
    )
    assert response.status_code == 422 and "ads.pdf" in response.text and ".pdf" in response.text
    binary = client.post(
        "/ads", data={"csrf_token": token}, files={"dump": ("ads.csv", b"\xff\xfe\x00bad", "text/csv")}
    )
    assert binary.status_code == 422 and "UTF-8" in binary.text


def test_malformed_dump_finishes_with_skipped_records_not_a_crash(client: TestClient) -> None:
    job = client.post(
        "/api/ads/jobs",
        params={"filename": "bad.jsonl"},
        content=b"{not json}\n[1, 2]\n",
        headers={"content-type": "application/octet-stream"},
    ).json()
    data = _wait(client, job["id"])
    assert data["job"]["error"] is not None or data["summary"]["skipped"] == 2


def test_oversized_upload_is_refused_with_413(settings: Settings) -> None:
    from signaal.web import create_app

    small = settings.model_copy(update={"max_upload_bytes": 2048})
    with TestClient(create_app(small), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as client:
        from web_fixtures import csrf_token

        tok = csrf_token(client, "/ads")
        response = client.post(
            "/ads", data={"csrf_token": tok}, files={"dump": ("ads.jsonl", b"x" * 5000, "text/plain")}
        )
        assert response.status_code == 413 and "te groot" in response.text
        api = client.post(
            "/api/ads/jobs",
            params={"filename": "a.jsonl"},
            content=b"x" * 5000,
            headers={"content-type": "application/octet-stream"},
        )
        assert api.status_code == 413
        assert "grens" in api.json()["error"]


def test_other_users_jobs_are_not_visible(client: TestClient) -> None:
    assert client.get("/api/ads/jobs/ffffffffffff").status_code == 404
    assert client.get("/ads/jobs/ffffffffffff/groups/c1").status_code == 404


def test_overview_counts_per_month_and_draws_svg_charts(client: TestClient, signal_id: str) -> None:
    data = client.get("/api/overview", params={"months": 36}).json()
    month = "2026-01"
    assert data["total"].get(month) == 1
    assert data["by"]["form"]["sexual"][month] == 1
    assert data["by"]["reporter_sector"]["youth"][month] == 1
    assert data["by"]["region"]["midden-nederland"][month] == 1
    page = client.get("/overview", params={"months": 36})
    assert page.status_code == 200 and page.text.count("<svg") == 3
