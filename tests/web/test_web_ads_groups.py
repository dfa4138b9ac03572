"""The groups of a screen in the web app: every group reachable by paging; hub numbers and
counter-signals marked apart from risk language (synthetic ads: every name and number is invented)."""

from __future__ import annotations

import random
import re
import string
import time

from fastapi.testclient import TestClient


def _wait(client: TestClient, job_id: str) -> dict[str, object]:
    for _ in range(600):
        data = client.get(f"/api/ads/jobs/{job_id}").json()
        if data["job"]["finished"]:
            return data  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("screening did not finish")


def _start(client: TestClient, csv: str) -> str:
    started = client.post(
        "/api/ads/jobs",
        params={"filename": "synthetisch.csv"},
        content=csv.encode(),
        headers={"content-type": "application/octet-stream"},
    )
    assert started.status_code == 202, started.text
    job_id: str = started.json()["id"]
    assert _wait(client, job_id)["job"]["error"] is None  # type: ignore[index]
    return job_id


def test_every_group_is_listed_page_by_page(client: TestClient) -> None:
    # 120 pairs of ads, each pair under its own invented number: 120 groups, more than one page
    rows = ["id,title,body,phones,city"]
    rng = random.Random(7)
    for i in range(120):
        words = " ".join("".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(12))
        for j in range(2):
            rows.append(f"p{i}-{j},Ad,{words},+3161{i:07d},Utrecht")
    job_id = _start(client, "\n".join(rows) + "\n")
    first = client.get(f"/api/ads/jobs/{job_id}").json()
    paging = first["paging"]
    assert paging["total"] == 120 and paging["pages"] > 1 and paging["first"] == 1
    seen: list[str] = []
    for page in range(1, paging["pages"] + 1):
        seen += [g["id"] for g in client.get(f"/api/ads/jobs/{job_id}", params={"page": page}).json()["groups"]]
    assert len(seen) == 120 == len(set(seen))
    html = client.get(f"/ads/jobs/{job_id}?page=2").text
    assert re.search(r"Groepen 51–100 van 120", html)
    assert 'aria-current="page">2<' in html and 'href="?page=3"' in html and 'href="?page=1"' in html
    last = client.get(f"/ads/jobs/{job_id}", params={"page": 999}).text  # past the end: the last page
    assert "Groepen 101–120 van 120" in last


def test_hub_numbers_and_counter_signals_are_marked_apart(client: TestClient) -> None:
    csv = (
        "id,name,title,body,city,posted\n"
        "h1,Mia,Mia,Nieuw: Mia 24/7 beschikbaar. Bel 06 1111 2222,Utrecht,2024-05-01\n"
        "h2,Sara,Sara,Nieuw: Sara 24/7 beschikbaar. Bel 06 1111 2222,Utrecht,2024-05-02\n"
        "h3,Eva,Eva,Nieuw: Eva eigen baas. Bel 06 1111 2222,Zwolle,2024-05-03\n"
    )
    job_id = _start(client, csv)
    data = client.get(f"/api/ads/jobs/{job_id}").json()
    group = next(g for g in data["groups"] if "h1" in g["ads"])
    assert any(h["contact"] == "phone:+31611112222" for h in group["hubs"])
    detail = client.get(f"/api/ads/jobs/{job_id}/groups/{group['id']}").json()
    eva = next(a for a in detail["ads"] if a["id"] == "h3")
    assert eva["counter_signals"] == ["ad_independent"] and "ad_independent" not in eva["indicators"]
    marks = {(p["mark"], p["text"]) for a in detail["ads"] for p in a["body"] if p["mark"]}
    assert ("hub", "06 1111 2222") in marks and ("counter", "eigen baas") in marks
    html = client.get(f"/ads/jobs/{job_id}/groups/{group['id']}").text
    assert '<mark class="ev-hub" title="nummer van de hub">06 1111 2222</mark>' in html
    assert '<mark class="ev-counter"' in html and "Tegensignalen" in html
