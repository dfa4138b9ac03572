"""The analyst's walk in a real browser (Playwright driving Debian's Chromium): upload a Dutch CSV with
its own column names, map the columns, page through the groups, open one and look at its picture,
download the groups as CSV, and promote one group to a signal after confirming — in Dutch, in English
and at phone width (390 px). Every page passes the language check and fits the screen; screenshots go
to ``test-artifacts/web/ads-<lang>-<width>/``. Every ad is synthetic (``signaal.ads.synthetic`` plus
invented pairs), marked so in the file name and the ad texts.
"""

from __future__ import annotations

import csv
import io
import random
import re
import socket
import string
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from language_check import assert_language
from playwright.sync_api import Browser, Page, expect, sync_playwright
from web_fixtures import chromium_path

from signaal.ads.synthetic import generate_ads
from signaal.settings import Settings
from signaal.web import create_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# The file's own column names (Dutch, semicolons) and the form fields they are mapped to.
COLUMNS = {
    "kenmerk": "id",
    "titel": "title",
    "tekst": "body",
    "telefoon": "phones",
    "plaats": "city",
    "datum": "posted",
    "naam": "name",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server (uvicorn, SQLite) on a free port of 127.0.0.1; yields its base URL."""
    folder = tmp_path_factory.mktemp("web-ads-browser")
    port = _free_port()
    settings = Settings(
        database_url=f"sqlite:///{folder / 'registry.db'}",
        host="127.0.0.1",
        port=port,
        org="org-a",
        role="analyst",
        ads_job_dir=folder / "ad-jobs",
        key_dir=folder / "keys",
    )
    instance = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(400):
        if instance.started:
            break
        time.sleep(0.05)
    assert instance.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (Playwright's own browser download does not work here)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def dutch_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic dump as a Dutch export: semicolons, its own column names; more than 50 groups."""
    rows = [
        {
            "kenmerk": ad["id"],
            "titel": ad.get("title", ""),
            "tekst": ad.get("body", ""),
            "telefoon": " ".join(ad.get("phones") or []),
            "plaats": ad.get("city", ""),
            "datum": ad.get("posted", ""),
            "naam": ad.get("name", ""),
        }
        for ad in generate_ads(300, seed=11)
    ]
    rng = random.Random(5)
    for i in range(60):  # invented pairs, each under its own number: enough groups for a second page
        words = " ".join("".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(12))
        for j in range(2):
            rows.append(
                {
                    "kenmerk": f"synth-{i}-{j}",
                    "titel": "Synthetisch",
                    "tekst": f"Synthetisch {words}",
                    "telefoon": f"06 71{i:06d}",
                    "plaats": "Utrecht",
                    "datum": f"2026-11-{1 + j:02d}",
                    "naam": f"Naam{i}",
                }
            )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("dump") / "synthetische-advertenties.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def checked(page: Page, lang: str, name: str, folder: str) -> None:
    """The language check and the no-overflow check on the page shown, then a screenshot."""
    assert_language(page.content(), lang, f"{name} ({page.url})")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name}: the page is {overflow} px wider than the screen"
    (ARTIFACTS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / folder / f"{name}.png"), full_page=True)


WORDS = {
    "nl": {"shown": "Groepen 1–50 van", "second": "Groepen 51–", "cancel": "Annuleren", "promoted": "signaal"},
    "en": {"shown": "Groups 1–50 of", "second": "Groups 51–", "cancel": "Cancel", "promoted": "signal"},
}


@pytest.mark.parametrize(("lang", "width"), [("nl", 1280), ("en", 1280), ("nl", 390)])
def test_an_analyst_screens_a_dutch_csv_and_promotes_a_group(
    server: str, browser: Browser, dutch_csv: Path, lang: str, width: int
) -> None:
    words, folder = WORDS[lang], f"ads-{lang}-{width}"
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/lang/{lang}?next=/ads")
    # The analyst uploads the export and says which of its columns is which.
    page.set_input_files("#dump", str(dutch_csv))
    for column, field in COLUMNS.items():
        page.fill(f"#map_{field}", column)
    checked(page, lang, "01-upload-mapped", folder)
    page.click("button.primary")
    expect(page.locator("#groups-shown")).to_contain_text(words["shown"], timeout=180_000)
    checked(page, lang, "02-groups-page-1", folder)
    job_url = page.url.split("?")[0]
    # She pages through the groups.
    page.click("a[rel=next]")
    expect(page.locator("#groups-shown")).to_contain_text(words["second"])
    checked(page, lang, "03-groups-page-2", folder)
    # She downloads the groups as CSV.
    page.goto(job_url)
    with page.expect_download() as download:
        page.click("a[href$='/groups.csv']")
    saved = ARTIFACTS / folder / "groups.csv"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").count("\n") > 50
    # She opens one of the highest-ranked groups: reasons, hubs, the picture, the evidence.
    row = {"nl-1280": 0, "en-1280": 1, "nl-390": 2}[f"{lang}-{width}"]  # each walk promotes another group
    page.locator("table.list tbody tr").nth(row).locator("a").click()
    expect(page.locator("article.ad").first).to_be_visible()
    expect(page.locator("#group-graph")).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))
    checked(page, lang, "04-group", folder)
    group_url = page.url
    # Promoting asks first; cancelling changes nothing.
    page.click("#promote")
    expect(page.locator("#confirm-yes")).to_be_visible()
    checked(page, lang, "05-promote-confirm", folder)
    page.click("#confirm-no")
    assert page.url == group_url
    page.click("#promote")
    page.click("#confirm-yes")
    expect(page.locator(".flash")).to_contain_text(words["promoted"])
    expect(page.locator("#indicators")).to_be_attached()
    checked(page, lang, "06-promoted-signal", folder)
    context.close()
