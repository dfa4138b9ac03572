"""Ad screening jobs outlive the server: a restarted server lists finished screens, marks the one it
was running as interrupted, removes outputs after the retention, and deletes a screening only when
asked twice (synthetic ads: every name and number is invented)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_fixtures import csrf_token

from signaal.services.ad_jobs import AdJobRecord, save_job, stored_jobs
from signaal.settings import Settings
from signaal.store import open_store
from signaal.web import create_app
from signaal.web.ads_job_store import expire_jobs
from signaal.web.auth import local_actor

SYNTHETIC_CSV = (
    "id,name,title,body,city,posted\n"
    "k1,Mia,Mia,Nieuw: Mia 24/7 beschikbaar. Bel 06 1111 3333,Utrecht,2024-05-01\n"
    "k2,Sara,Sara,Nieuw: Sara 24/7 beschikbaar. Bel 06 1111 3333,Zwolle,2024-05-02\n"
    "k3,Eva,Eva,Nieuw: Eva beschikbaar. Bel 06 1111 3333,Zwolle,2024-05-03\n"
)


@pytest.fixture
def kept(settings: Settings, tmp_path: Path) -> Settings:
    """Settings with the jobs' outputs in a folder of this test."""
    return settings.model_copy(update={"ads_job_dir": tmp_path / "ad-jobs"})


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000))


def _screen(client: TestClient) -> str:
    started = client.post(
        "/api/ads/jobs",
        params={"filename": "synthetisch.csv"},
        content=SYNTHETIC_CSV.encode(),
        headers={"content-type": "application/octet-stream"},
    )
    assert started.status_code == 202, started.text
    job_id: str = started.json()["id"]
    for _ in range(600):
        if client.get(f"/api/ads/jobs/{job_id}").json()["job"]["finished"]:
            return job_id
        time.sleep(0.05)
    raise AssertionError("screening did not finish")


@pytest.fixture
def screened(kept: Settings) -> Iterator[str]:
    """A finished screen of a server that has since stopped; its job id."""
    with _client(kept) as client:
        job_id = _screen(client)
    yield job_id


def test_a_restarted_server_lists_a_finished_screen_with_its_groups(kept: Settings, screened: str) -> None:
    with _client(kept) as client:
        listing = client.get("/ads").text
        assert f"/ads/jobs/{screened}" in listing and "synthetisch.csv" in listing and "Klaar" in listing
        data = client.get(f"/api/ads/jobs/{screened}").json()
        assert data["job"]["stage"] == "done" and data["summary"]["ads"] == 3 and data["groups"]
        assert client.get(f"/ads/jobs/{screened}/groups.csv").status_code == 200
    folder = kept.ads_job_dir / screened  # type: ignore[operator]
    assert (folder / "out").is_dir() and not list(folder.glob("*.csv"))  # the upload itself is not kept


def test_a_screen_running_when_the_server_stopped_is_marked_interrupted(kept: Settings) -> None:
    store = open_store(kept)
    folder = kept.ads_job_dir / "0123456789ab"  # type: ignore[operator]
    folder.mkdir(parents=True)
    actor = local_actor(kept)  # the single user of this server
    running = AdJobRecord("0123456789ab", actor, "half.csv", "queued", str(folder), 999_999_999, datetime.now(UTC))
    save_job(store, running)
    store.close()
    with _client(kept) as client:
        page = client.get("/ads/jobs/0123456789ab").text
        assert "De server is gestopt terwijl deze screening liep" in page
        assert "Onderbroken" in client.get("/ads").text
    assert not folder.exists()
    store = open_store(kept)
    assert [r.stage for r in stored_jobs(store)] == ["interrupted"]
    store.close()


def test_outputs_are_removed_after_the_retention(kept: Settings, screened: str) -> None:
    with _client(kept) as client:
        jobs = client.app.state.signaal.jobs  # type: ignore[attr-defined]
        assert expire_jobs(jobs, kept, now=datetime.now(UTC) + timedelta(days=29)) == 0
        assert expire_jobs(jobs, kept, now=datetime.now(UTC) + timedelta(days=31)) == 1
        assert "na 30 dagen verwijderd" in client.get(f"/ads/jobs/{screened}").text
        assert client.get(f"/ads/jobs/{screened}/groups.csv").status_code == 404
    assert not (kept.ads_job_dir / screened).exists()  # type: ignore[operator]
    with _client(kept) as client:
        assert "Verlopen" in client.get("/ads").text


def test_a_screening_is_deleted_only_once_confirmed(kept: Settings, screened: str) -> None:
    with _client(kept) as client:
        token = csrf_token(client)
        asked = client.post(f"/ads/jobs/{screened}/delete", data={"csrf_token": token}, follow_redirects=False)
        assert asked.status_code == 200 and "Screening synthetisch.csv verwijderen?" in asked.text
        assert (kept.ads_job_dir / screened).exists()  # type: ignore[operator]
        done = client.post(f"/ads/jobs/{screened}/delete", data={"csrf_token": token, "confirmed": "yes"})
        assert "Screening synthetisch.csv is verwijderd." in done.text
        assert client.get(f"/ads/jobs/{screened}").status_code == 404
    assert not (kept.ads_job_dir / screened).exists()  # type: ignore[operator]
    store = open_store(kept)
    assert stored_jobs(store) == []
    store.close()


def test_another_user_cannot_see_or_delete_a_stored_screening(kept: Settings, screened: str) -> None:
    other = kept.model_copy(update={"org": "org-b"})  # the single user of another organisation
    with _client(other) as client:
        assert client.get(f"/ads/jobs/{screened}").status_code == 404
        token = csrf_token(client)
        refused = client.post(f"/ads/jobs/{screened}/delete", data={"csrf_token": token, "confirmed": "yes"})
        assert refused.status_code == 404
    assert (kept.ads_job_dir / screened).exists()  # type: ignore[operator]
