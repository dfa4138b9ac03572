"""The ad upload form: a Dutch CSV with its own column names and a phone region, errors in the page's
language naming the uploaded file (synthetic ads: every name and number here is invented)."""

from __future__ import annotations

import html
import time

import pytest
from fastapi.testclient import TestClient
from language_check import assert_language

# synthetic: two women under one telefonist number, one independent worker; ';' as Excel writes it
DUTCH_CSV = (
    b"kenmerk;titel;tekst;telefoon;plaats;datum\n"
    b"a1;Nieuw: Mia;Mia, nieuw in de stad, 24/7 beschikbaar;06 1111 2222;Utrecht;2024-05-01\n"
    b"a2;Nieuw: Sara;Sara, nieuw in de stad, 24/7 beschikbaar;06 1111 2222;Utrecht;2024-05-02\n"
    b"a3;Nieuw: Eva;Eva, nieuw in de stad, 24/7 beschikbaar;06 1111 2222;Zwolle;2024-05-03\n"
    b"a4;Lisa;Lisa, zelfstandig, alleen op afspraak;06 3333 4444;Leiden;2024-05-04\n"
)
MAPPING = {
    "map_id": "kenmerk",
    "map_title": "titel",
    "map_body": "tekst",
    "map_phones": "telefoon",
    "map_city": "plaats",
    "map_posted": "datum",
}


def _wait(client: TestClient, job_id: str) -> dict[str, object]:
    for _ in range(600):
        data = client.get(f"/api/ads/jobs/{job_id}").json()
        if data["job"]["finished"]:
            return data  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("screening did not finish")


def _upload(client: TestClient, token: str, fields: dict[str, str], name: str = "advertenties.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/ads",
        data={"csrf_token": token, **fields},
        files={"dump": (name, DUTCH_CSV, "text/csv")},
        follow_redirects=False,
    )


def test_a_dutch_csv_with_its_own_column_names_is_screened(client: TestClient, token: str) -> None:
    form = client.get("/ads").text
    assert 'name="map_body"' in form and 'name="region"' in form
    response = _upload(client, token, {**MAPPING, "region": "NL"})
    assert response.status_code == 303, response.text
    data = _wait(client, response.headers["location"].rsplit("/", 1)[1])
    assert data["job"]["error"] is None
    assert data["summary"]["ads"] == 4  # type: ignore[index]
    groups = data["groups"]
    assert isinstance(groups, list)
    shared = next(g for g in groups if "a1" in g["ads"])
    assert {"a1", "a2", "a3"} <= set(shared["ads"]) and "phone:+31611112222" in shared["contacts"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_missing_column_is_told_in_the_page_language_naming_the_file(
    client: TestClient, token: str, lang: str
) -> None:
    client.get(f"/lang/{lang}?next=/ads")
    response = _upload(client, token, {"region": "BE"})  # no mapping: the file has no 'body' column
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "advertenties.csv" in page and "'tekst'" in page
    assert "--map" not in page and "skipped.jsonl" not in page and "dump.csv" not in page
    assert ("geen kolom met de titel" if lang == "nl" else "no column with the title") in page
    assert '<option value="BE" selected>' in page  # the choices are kept
    assert_language(page, lang)
    wrong = _upload(client, token, {**MAPPING, "map_body": "omschrijving"})
    assert wrong.status_code == 422 and "'omschrijving'" in html.unescape(wrong.text) and "--map" not in wrong.text
    assert 'value="omschrijving"' in wrong.text


def test_an_unknown_phone_region_is_refused(client: TestClient, token: str) -> None:
    response = _upload(client, token, {**MAPPING, "region": "XX"})
    assert response.status_code == 422 and "XX" in response.text


def test_the_api_takes_the_mapping_and_region(client: TestClient) -> None:
    started = client.post(
        "/api/ads/jobs",
        params=[
            ("filename", "advertenties.csv"),
            ("region", "NL"),
            ("map", "title=titel"),
            ("map", "body=tekst"),
            ("map", "id=kenmerk"),
            ("map", "phones=telefoon"),
        ],
        content=DUTCH_CSV,
        headers={"content-type": "application/octet-stream"},
    )
    assert started.status_code == 202, started.text
    assert _wait(client, started.json()["id"])["summary"]["ads"] == 4  # type: ignore[index]
