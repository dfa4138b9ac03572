"""Ad screening pages in the reader's language: reasons from codes, indicators by their label, never
an id or an English reason on a Dutch page (synthetic ads: every name and number is invented)."""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.testclient import TestClient
from language_check import assert_language, language_problems

from signaal.ads.reasons import REASON_CODES, contact_shown, reason_lines
from signaal.ads.resources import in_force, lexicon

# Three invented advertisers behind one number, two of them "24/7" (risk), one "eigen baas" (counter).
SYNTHETIC_CSV = (
    "id,name,title,body,city,posted\n"
    "h1,Mia,Mia,Nieuw: Mia 24/7 beschikbaar. Bel 06 1111 2222,Utrecht,2024-05-01\n"
    "h2,Sara,Sara,Nieuw: Sara 24/7 beschikbaar. Bel 06 1111 2222,Zwolle,2024-05-02\n"
    "h3,Eva,Eva,Nieuw: Eva eigen baas. Bel 06 1111 2222,Zwolle,2024-05-03\n"
    "h4,Lea,,,Utrecht,2024-05-04\n"  # an empty ad: skipped, and said why
)


def _screen(client: TestClient) -> tuple[str, str]:
    started = client.post(
        "/api/ads/jobs",
        params={"filename": "synthetisch.csv"},
        content=SYNTHETIC_CSV.encode(),
        headers={"content-type": "application/octet-stream"},
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    for _ in range(600):
        data = client.get(f"/api/ads/jobs/{job_id}").json()
        if data["job"]["finished"]:
            assert data["job"]["error"] is None
            return job_id, next(g["id"] for g in data["groups"] if "h1" in g["ads"])
        time.sleep(0.05)
    raise AssertionError("screening did not finish")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_group_pages_speak_the_readers_language(client: TestClient, lang: str) -> None:
    client.cookies.set("signaal_lang", lang)
    job_id, group_id = _screen(client)
    groups = client.get(f"/ads/jobs/{job_id}").text
    assert_language(groups, lang, "the groups")
    assert ("Regel 5: lege advertentie" if lang == "nl" else "Line 5: empty ad") in groups
    group = client.get(f"/ads/jobs/{job_id}/groups/{group_id}").text
    assert_language(group, lang, "the group")
    label = next(e.label for e in lexicon((lang,)) if e.id == "ad_available_24_7")
    assert label in group and "ad_available_24_7" not in group.split("<body", 1)[1]
    assert ("risicotaal" if lang == "nl" else "risk language") in group
    assert ("tegensignalen" if lang == "nl" else "counter-signals") in group


def test_the_check_fails_a_dutch_page_showing_an_ad_id_or_an_english_reason() -> None:
    page = "<html><body><ul><li>+8 risk phrases: ad_available_24_7</li><li>low_price</li></ul></body></html>"
    problems = language_problems(page, "nl")
    assert any("ad_available_24_7" in p for p in problems) and any("low_price" in p for p in problems)


def test_a_screen_without_reason_codes_shows_its_own_texts() -> None:
    old = {"reasons": ["+25 hub phone:+31611112222: 3 names"]}
    assert reason_lines(old, "nl") == old["reasons"]


def test_every_reason_code_of_the_scoring_has_a_text() -> None:
    for code in REASON_CODES:
        assert in_force().reasons.get("reasons", code, "nl"), code
    line = reason_lines(
        {
            "reason_codes": [
                {
                    "code": "movement",
                    "points": 20,
                    "values": {
                        "via": "contact",
                        "cities": ["Hamilton", "Guelph"],
                        "first": "2026-12-05",
                        "last": "2026-12-08",
                    },
                }
            ]
        },
        "nl",
    )
    assert line == ["+20 verplaatsing (zelfde contact): Hamilton → Guelph, van 5 dec. 2026 tot 8 dec. 2026"]


def test_the_group_page_draws_the_group_and_lists_it_without_javascript(client: TestClient) -> None:
    job_id, group_id = _screen(client)
    page = client.get(f"/ads/jobs/{job_id}/groups/{group_id}").text
    graph = json.loads(page.split('id="group-graph-data">', 1)[1].split("</script>", 1)[0])
    kinds = {n["type"] for n in graph["nodes"]}
    assert kinds == {"ad", "hub", "city"} and len(graph["edges"]) == 3 + 3  # each ad: its number and its city
    contacts = page.split('class="picture-contacts"', 1)[1].split("</ul>", 1)[0]
    assert contact_shown("phone:+31611112222", "nl") == "telefoon +31 6 11112222"
    shown = re.sub(r'<script type="application/json" id="group-graph-data">.*?</script>', "", page, flags=re.S)
    assert "phone:" not in shown.split("<body", 1)[1]  # hubs and each ad's contacts in words, not as keys
    assert "telefoon +31 6 11112222" in contacts and "(hub)" in contacts and "Mia, Sara, Eva" in contacts
    cities = page.split('class="picture-cities"', 1)[1].split("</ol>", 1)[0]
    assert cities.index("Utrecht") < cities.index("Zwolle") and "2 advertenties" in cities
