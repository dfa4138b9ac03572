"""Downloads of a screen: groups and ads as CSV with formula cells neutralised, and the HTML report
escaped (synthetic, hostile ads: every name and number here is invented)."""

from __future__ import annotations

import csv
import io
import time

import pytest
from fastapi.testclient import TestClient

from signaal.web.ads_downloads import _csv_lines

HOSTILE = (
    "id,name,title,body,city,posted\n"
    'x1,Mia,"=HYPERLINK(""http://example.invalid"",""klik"")",Nieuw: Mia 24/7. Bel 06 1111 2222,Utrecht,2024-05-01\n'
    "x2,Sara,<script>alert(1)</script>,Nieuw: Sara 24/7. Bel 06 1111 2222,@Zwolle,2024-05-02\n"
    "x3,Eva,Eva,-1+1 Nieuw: Eva 24/7. Bel 06 1111 2222,Utrecht,2024-05-03\n"
)


def _job(client: TestClient) -> str:
    started = client.post(
        "/api/ads/jobs",
        params={"filename": "vijandig.csv"},
        content=HOSTILE.encode(),
        headers={"content-type": "application/octet-stream"},
    )
    job_id: str = started.json()["id"]
    for _ in range(600):
        if client.get(f"/api/ads/jobs/{job_id}").json()["job"]["finished"]:
            return job_id
        time.sleep(0.05)
    raise AssertionError("screening did not finish")


def _rows(text: str, delimiter: str = ";") -> list[dict[str, str]]:
    """The rows of a CSV download (Dutch by default: semicolons)."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_csv_downloads_hold_every_group_and_ad_with_formulas_neutralised(client: TestClient) -> None:
    job_id = _job(client)
    page = client.get(f"/ads/jobs/{job_id}").text
    assert f"/ads/jobs/{job_id}/groups.csv" in page and f"/ads/jobs/{job_id}/report.html" in page
    groups = client.get(f"/ads/jobs/{job_id}/groups.csv")
    assert groups.status_code == 200 and "attachment" in groups.headers["content-disposition"]
    group_rows = _rows(groups.text)
    assert len(group_rows) == client.get(f"/api/ads/jobs/{job_id}").json()["paging"]["total"] >= 1
    ads = _rows(client.get(f"/ads/jobs/{job_id}/ads.csv").text)
    by_id = {r["advertentie"]: r for r in ads}  # column names in the page's language (Dutch by default)
    assert set(by_id) == {"x1", "x2", "x3"}
    assert by_id["x1"]["titel"].startswith("'=HYPERLINK(")
    assert by_id["x3"]["tekst"].startswith("'-1+1")
    assert by_id["x2"]["plaats"] == "'@Zwolle"
    cells = [c for r in [*ads, *group_rows] for c in r.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_report_download_escapes_the_ads(client: TestClient) -> None:
    job_id = _job(client)
    report = client.get(f"/ads/jobs/{job_id}/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert "<script>alert(1)" not in report.text and "&lt;script&gt;alert(1)" in report.text


def test_another_users_downloads_are_not_found(client: TestClient) -> None:
    for name in ("groups.csv", "ads.csv", "report.html"):
        assert client.get(f"/ads/jobs/ffffffffffff/{name}").status_code == 404


def test_csv_downloads_speak_the_readers_language(client: TestClient) -> None:
    job_id = _job(client)
    dutch = client.get(f"/ads/jobs/{job_id}/groups.csv").text.lstrip("\ufeff").splitlines()[0]
    assert dutch.startswith("rang;groep;score;advertenties") and dutch.endswith("redenen")
    client.get(f"/lang/en?next=/ads/jobs/{job_id}")
    english = client.get(f"/ads/jobs/{job_id}/ads.csv").text.lstrip("\ufeff").splitlines()[0]
    assert english.startswith("group,ad,score,city") and "counter-signals" in english


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "\ufeffa;b;c\r\n42,5;3;'-1.5\r\n-0,25;x,y;\r\n"),
        ("en", '\ufeffa,b,c\r\n42.5,3,\'-1.5\r\n-0.25,"x,y",\r\n'),
    ],
)
def test_a_dutch_csv_has_semicolons_and_decimal_commas(lang: str, text: str) -> None:
    # numbers are numbers in either language; text that looks like a formula stays neutralised
    assert "".join(_csv_lines(["a", "b", "c"], [[42.5, 3, "-1.5"], [-0.25, "x,y", None]], lang)) == text


def test_the_scores_of_a_download_read_as_numbers_in_the_pages_language(client: TestClient) -> None:
    job_id = _job(client)
    dutch = _rows(client.get(f"/ads/jobs/{job_id}/ads.csv").text)
    scores = [r["score"] for r in dutch]
    assert scores and all("." not in s for s in scores)
    assert all(float(s.replace(",", ".")) >= 0 for s in scores)
    client.get(f"/lang/en?next=/ads/jobs/{job_id}")
    english = _rows(client.get(f"/ads/jobs/{job_id}/ads.csv").text, ",")
    assert sorted(float(r["score"]) for r in english) == sorted(float(s.replace(",", ".")) for s in scores)
    assert any("." in r["score"] for r in english) == any("," in s for s in scores)


def test_the_report_download_is_in_the_pages_language(client: TestClient) -> None:
    job_id = _job(client)
    assert "Screening van advertenties" in client.get(f"/ads/jobs/{job_id}/report.html").text
    client.get(f"/lang/en?next=/ads/jobs/{job_id}")
    english = client.get(f"/ads/jobs/{job_id}/report.html").text
    assert "Ad screening report" in english and "Screening van advertenties" not in english
