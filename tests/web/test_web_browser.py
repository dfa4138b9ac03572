"""Browser walks with Playwright driving Debian's Chromium against the real server on 127.0.0.1.

A working day, in Dutch and in English, at desktop and at phone width (390 px): a care worker records
a signal, answers the questions, ticks off the first step and refers; days later a coordinator sees a
step overdue on the worklist, changes a fact, arranges shelter, decides the route and closes. Every
page of the walk passes the language check (no text of the other language, no internal id) and has no
horizontal overflow. Also: intake → decision → close, a shelter request → placement, and an ad-dump
upload → ranked groups → promotion. Screenshots go to ``test-artifacts/web/``. All data is synthetic.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from language_check import assert_language
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import create_engine, select, update
from web_fixtures import chromium_path

from signaal.ads.synthetic import generate_ads
from signaal.settings import Settings
from signaal.store.tables import SignalRow
from signaal.web import create_app
from signaal.web.passwords import hash_password

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: The database of each running test server, so a walk can let time pass for one signal.
SERVER_DB: dict[str, object] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server (uvicorn, SQLite) on a free port of 127.0.0.1; yields its base URL."""
    folder = tmp_path_factory.mktemp("web-browser")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'registry.db'}",
        analytics_dir=folder / "analytics",
        host="127.0.0.1",
        port=_free_port(),
        user="coordinator",
        org="org-a",
        role="coordinator",
    )
    yield from _serve(settings)


#: The synthetic team of the working-day walk: a care worker and a coordinator of her organisation (another
#: organisation would see the signal only through a sharing act).
TEAM = {
    "zorg-synthetisch": ("org-a", "reporter", "synthetic-care-worker-password-1"),
    "coordinator-synthetisch": ("org-a", "coordinator", "synthetic-coordinator-password-2"),
}
TEAM_SECRET = "synthetic-team-secret-" + "x" * 40


def _serve(settings: Settings) -> Iterator[str]:
    """Run the real server (uvicorn) for ``settings`` on their port; yields its base URL."""
    port = settings.port
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    engine = create_engine(settings.database_url)
    SERVER_DB[f"http://127.0.0.1:{port}"] = engine
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    assert instance.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    engine.dispose()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server in multi-user mode: a users file with the two synthetic users of ``TEAM``."""
    folder = tmp_path_factory.mktemp("web-team")
    users = folder / "users.yaml"
    users.write_text(
        "".join(
            f"- name: {name}\n  org: {org}\n  role: {role}\n  password_hash: '{hash_password(password)}'\n"
            for name, (org, role, password) in TEAM.items()
        ),
        encoding="utf-8",
    )
    settings = Settings(
        database_url=f"sqlite:///{folder / 'registry.db'}",
        analytics_dir=folder / "analytics",
        host="127.0.0.1",
        port=_free_port(),
        auth_users_file=users,
        secret_key=TEAM_SECRET,
        insecure_cookies=True,  # plain HTTP on the loopback address, as in development
    )
    yield from _serve(settings)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (Playwright's own browser download does not work here)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser page (own cookies)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_intake_to_action_perspective_decision_referral_and_close(server: str, page: Page) -> None:
    page.goto(f"{server}/signals/new?setting=sexual_care_youth")
    page.select_option("#f-reporter_sector", "youth")
    page.fill("#f-region", "Utrecht")
    page.fill(
        "#f-narrative",
        "Synthetic: het meisje van 15 moet altijd bereikbaar zijn en wordt steeds opgehaald door een oudere man.",
    )
    expect(page.locator("#suggestions")).to_contain_text("bereikbaar", timeout=10_000)  # live suggestions (htmx)
    page.check("#ind-always_reachable")
    page.fill("#f-victim_age", "15")
    page.check("#fact-needs_shelter-yes")
    shot(page, "01-intake")
    page.click("button.primary")
    expect(page.locator("h1")).to_contain_text("Signaal")
    expect(page.locator("#perspective")).to_contain_text("Volgende stap")
    shot(page, "02-signal-action-perspective")
    signal_url = page.url.split("?")[0]

    page.check("#d-route-1")  # one of the proposed routes
    page.fill("#d-reason", "Minderjarige met signalen van seksuele uitbuiting (synthetisch).")
    page.focus("#d-route-text")
    page.keyboard.press("Enter")  # the keyboard alone records the decision
    expect(page.locator(".flash")).to_contain_text("routebesluit")
    expect(page.locator(".summary .status")).to_have_text("Doorgeleid")
    shot(page, "03-routing-decision")

    page.select_option("#ref-contact", "veilig-thuis")
    page.fill("#ref-note", "synthetisch: advies gevraagd")
    page.click("#referrals button[type=submit] >> text=Doorverwijzing vastleggen")
    expect(page.locator("#referrals .referrals")).to_contain_text("verstuurd")
    shot(page, "04-referral")

    page.click("#status summary")
    page.select_option("#st-status", "closed")
    page.fill("#st-reason", "overgedragen aan Veilig Thuis")
    page.click("#status button[type=submit]")
    page.click("#confirm-yes")  # closing asks first
    expect(page.locator(".summary .status")).to_have_text("Afgesloten")
    page.click("#history summary")
    expect(page.locator("#history")).to_contain_text("Routebesluit")
    shot(page, "05-closed-with-history")
    assert page.url.startswith(signal_url)

    page.goto(f"{server}/signals?status=closed")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    shot(page, "06-worklist")
    page.goto(f"{server}/overview")
    expect(page.locator("svg")).to_have_count(3)
    shot(page, "07-overview")


def test_shelter_request_to_placement(server: str, page: Page) -> None:
    signal = {  # synthetic
        "received_at": "2026-03-01",
        "reporter_org": "org-a",
        "reporter_sector": "care",
        "region": "Rotterdam",
        "narrative": "Synthetic: vrouw zonder paspoort slaapt op het werk.",
        "forms": [{"form": "labour"}],
        "persons": [{"role": "victim", "age": 30, "residence": "third_country_irregular"}],
        "facts": {"needs_shelter": True},
    }
    created = httpx.post(f"{server}/api/signals", json=signal, timeout=30)
    assert created.status_code == 201, created.text
    signal_id = created.json()["id"]
    page.goto(f"{server}/signals/{signal_id}")
    page.select_option("#sh-type", "cosm")
    page.click("#shelter button[type=submit] >> text=Opvang aanvragen")
    expect(page.locator("#shelter .timeline")).to_contain_text("Aangevraagd")
    shot(page, "10-shelter-requested")

    page.goto(f"{server}/shelter")
    row = page.locator("table.list tbody tr", has_text=signal_id)
    expect(row).to_have_count(1)
    row.locator("select").select_option("no_place")
    row.locator("button").click()
    row = page.locator("table.list tbody tr", has_text=signal_id)
    expect(row.locator("td").nth(6)).to_have_text("1")
    shot(page, "11-shelter-board-no-place")
    row.locator("select").select_option("started")
    row.locator("input[name=provider]").fill("synthetische opvanglocatie")
    row.locator("button").click()
    expect(page.locator("table.list tbody tr", has_text=signal_id)).to_have_count(0)
    expect(page.locator("body")).to_contain_text("Geplaatst")
    shot(page, "12-shelter-placed")
    page.goto(f"{server}/signals/{signal_id}#shelter")
    expect(page.locator("#shelter .timeline")).to_contain_text("Geen plek")
    expect(page.locator("#shelter .timeline")).to_contain_text("synthetische opvanglocatie")


def test_ad_dump_upload_to_ranked_groups_and_promotion(server: str, page: Page, tmp_path: Path) -> None:
    dump = tmp_path / "synthetic-ads.jsonl"
    dump.write_text("".join(json.dumps(ad, ensure_ascii=False) + "\n" for ad in generate_ads(400, seed=11)))
    page.goto(f"{server}/ads")
    shot(page, "20-ads-upload")
    page.set_input_files("#dump", str(dump))
    page.click("button.primary")
    expect(page.locator("table.list caption")).to_be_visible(timeout=120_000)  # progress polls, then the results
    shot(page, "21-ads-ranked-groups")
    first = page.locator("table.list tbody tr").first.locator("a")
    group_id = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(group_id)
    expect(page.locator("article.ad").first).to_be_visible()
    shot(page, "22-ads-group-evidence")
    page.click("#promote")
    page.click("#confirm-yes")
    expect(page.locator(".flash")).to_contain_text("signaal")
    expect(page.locator("#indicators")).to_be_visible()
    expect(page.locator("blockquote.narrative")).to_contain_text(group_id)
    shot(page, "23-ads-promoted-signal")


def checked(page: Page, lang: str, name: str, folder: str) -> None:
    """The language check and the no-overflow check on the page shown, then a screenshot."""
    assert_language(page.content(), lang, f"{name} ({page.url})")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name}: the page is {overflow} px wider than the screen"
    shot(page, f"{folder}/{name}")


def _days_pass(server: str, signal_id: str, days: int) -> None:
    """Let ``days`` pass for one signal: its recording moment moves back (the deadlines count from it)."""
    engine = SERVER_DB[server]
    with engine.begin() as connection:  # type: ignore[attr-defined]
        recorded = connection.execute(select(SignalRow.created_at).where(SignalRow.id == signal_id)).scalar_one()
        moved = recorded - timedelta(days=days)
        connection.execute(update(SignalRow).where(SignalRow.id == signal_id).values(created_at=moved))


WORDS = {
    "nl": {
        "narrative": "Synthetisch: het meisje van 16 moet altijd bereikbaar zijn en slaapt soms bij een oudere man.",
        "flash_step": "afgevinkt",
        "closed": "Afgesloten",
        "overdue": "Te laat",
        "yes": "Ja",
        "reason": "Minderjarige met signalen van seksuele uitbuiting (synthetisch).",
    },
    "en": {
        "narrative": "Synthetic: the girl of 16 must always be reachable and sometimes sleeps at an older man's place.",
        "flash_step": "ticked off",
        "closed": "Closed",
        "overdue": "Overdue",
        "yes": "Yes",
        "reason": "A minor with signs of sexual exploitation (synthetic).",
    },
}


def _sign_in(page: Page, server: str, lang: str, name: str, folder: str, shot_name: str) -> None:
    """Sign ``name`` of the synthetic team in through the login form, in ``lang``."""
    page.goto(f"{server}/lang/{lang}?next=/login")
    page.fill("#name", name)
    page.fill("#password", TEAM[name][2])
    checked(page, lang, shot_name, folder)
    page.locator("main form[action='/login'] button[type=submit]").click()
    expect(page.locator("header .actor")).to_contain_text(name)


def _menu_to(page: Page, href: str, width: int) -> None:
    """Go to a page through the main menu: the menu button on a phone, the row of links on a desk."""
    if width < 700:
        expect(page.locator(".nav-wide")).to_be_hidden()
        page.locator(".nav-menu > summary").click()
        link = page.locator(f".nav-menu a[href='{href}']")
    else:
        expect(page.locator(".nav-menu")).to_be_hidden()
        link = page.locator(f".nav-wide a[href='{href}']")
    expect(link).to_be_visible()
    link.click()


@pytest.mark.parametrize(("lang", "width"), [("nl", 1280), ("en", 1280), ("nl", 390), ("en", 390)])
def test_a_working_day_of_a_care_worker_and_a_coordinator(
    team_server: str, browser: Browser, lang: str, width: int
) -> None:
    """Two users of a multi-user install, each in a browser of their own."""
    server = team_server
    words = WORDS[lang]
    folder = f"day-{lang}-{width}"
    worker = browser.new_context(viewport={"width": width, "height": 900})
    page = worker.new_page()
    _sign_in(page, server, lang, "zorg-synthetisch", folder, "00-login-care-worker")
    _menu_to(page, "/signals/new", width)
    page.goto(f"{server}/signals/new?setting=sexual_care_youth")
    # The care worker records what she saw.
    page.select_option("#f-reporter_sector", "youth")
    page.fill("#f-region", "Utrecht")
    page.fill("#f-narrative", words["narrative"])
    page.check("#ind-always_reachable")
    page.fill("#f-victim_age", "16")
    checked(page, lang, "01-intake", folder)
    page.click("button.primary")
    expect(page.locator(".flash")).to_be_visible()
    signal_id = page.url.split("/signals/")[1].split("?")[0]
    checked(page, lang, "02-recorded", folder)
    # She answers the open questions she can answer.
    questions = page.locator("#facts-questions")
    if questions.count():
        if page.locator("#q-person_identifiable-yes").count():
            page.check("#q-person_identifiable-yes")
        if page.locator("#q-acute_danger-no").count():
            page.check("#q-acute_danger-no")
        questions.locator("button[type=submit]").click()
        expect(page.locator(".flash")).to_be_visible()
        checked(page, lang, "03-answered", folder)
    # She ticks off the first step and refers.
    first = page.locator("#perspective li.step.next")
    step_id = first.get_attribute("id")
    first.locator("form.tick button").click()
    expect(page.locator(".flash")).to_contain_text(words["flash_step"])
    expect(page.locator(f"li[id='{step_id}']")).to_have_class(re.compile(r"\bdone\b"))
    checked(page, lang, "04-step-ticked", folder)
    if not page.locator("#referrals[open]").count():
        page.click("#referrals summary")
    page.select_option("#ref-contact", "veilig-thuis")
    page.locator("#referrals form[action$='/referrals'] button[type=submit]").click()
    expect(page.locator("#referrals .referrals")).to_be_visible()
    checked(page, lang, "05-referred", folder)
    page.locator("header form[action='/logout'] button").click()
    expect(page.locator("#name")).to_be_visible()
    worker.close()

    # Three days later the coordinator finds it overdue on the worklist.
    _days_pass(server, signal_id, 3)
    coordinator = browser.new_context(viewport={"width": width, "height": 900})
    page = coordinator.new_page()
    _sign_in(page, server, lang, "coordinator-synthetisch", folder, "06-login-coordinator")
    _menu_to(page, "/signals", width)
    row = page.locator("table.list tbody tr", has_text=signal_id)
    expect(row.locator(".overdue").first).to_contain_text(words["overdue"])
    checked(page, lang, "07-worklist-overdue", folder)
    row.locator(f"a[href='/signals/{signal_id}']").click()
    expect(page.locator("#summary-next .overdue")).to_be_visible()
    checked(page, lang, "08-signal-overdue", folder)
    # She changes a fact: shelter is needed after all.
    page.click("#facts details.edit-facts summary")
    page.check("#fe-needs_shelter-yes")
    page.click("#facts-form button[type=submit]")
    expect(page.locator(".fact-line[data-fact=needs_shelter] dd strong")).to_have_text(words["yes"])
    checked(page, lang, "09-fact-changed", folder)
    # She arranges shelter: requested, then placed; the board shows the wait as a bar.
    page.select_option("#sh-type", "cosm")
    page.locator("#shelter form[action$='/shelter'] button[type=submit]").click()
    expect(page.locator("#shelter .timeline")).to_be_visible()
    page.locator("#shelter select[name=kind]").select_option("started")
    page.locator("#shelter input[name=provider]").fill("synthetische opvang")
    page.locator("#shelter form.shelter-event button[type=submit]").click()
    expect(page.locator("#shelter .timeline")).to_contain_text("synthetische opvang")
    checked(page, lang, "10-shelter-arranged", folder)
    _menu_to(page, "/shelter", width)
    expect(page.locator("#wait-placed")).to_contain_text(signal_id)
    checked(page, lang, "11-shelter-board", folder)
    page.goto(f"{server}/signals/{signal_id}")
    # She decides the route (one of the proposed ones) and closes, after a confirmation.
    if not page.locator("#decision[open]").count():
        page.click("#decision summary")
    page.check("#d-route-1")
    page.fill("#d-reason", words["reason"])
    page.locator("#decision button.primary").click()
    expect(page.locator(".flash")).to_be_visible()
    checked(page, lang, "12-decided", folder)
    page.click("#status summary")
    page.select_option("#st-status", "closed")
    page.click("#status button[type=submit]")
    expect(page.locator("#confirm-yes")).to_be_visible()
    checked(page, lang, "13-confirm-close", folder)
    page.click("#confirm-yes")
    expect(page.locator(".summary .status")).to_have_text(words["closed"])
    page.click("#history summary")
    checked(page, lang, "14-closed", folder)
    # Closed, it sorts below every open signal.
    page.goto(f"{server}/signals")
    texts = page.locator("table.list tbody tr").all_inner_texts()
    mine = next(i for i, text in enumerate(texts) if signal_id in text)
    assert all(words["closed"] in text for text in texts[mine:]), "an open signal sorts below a closed one"
    for path in ("/referrals", "/shelter", "/overview", "/monitor"):
        page.goto(f"{server}{path}")
        checked(page, lang, "15-" + path.strip("/"), folder)
    coordinator.close()


def test_the_phone_menu_and_a_confirmation_work_without_javascript(server: str, browser: Browser) -> None:
    """At 390 px with JavaScript off: the menu button opens the menu, and closing asks and closes."""
    created = httpx.post(
        f"{server}/api/signals",
        json={  # synthetic
            "received_at": "2026-03-02",
            "reporter_org": "org-a",
            "reporter_sector": "care",
            "region": "Utrecht",
            "narrative": "Synthetisch: man werkt zeven dagen per week zonder loon.",
            "forms": [{"form": "labour"}],
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    signal_id = created.json()["id"]
    decided = httpx.post(
        f"{server}/api/signals/{signal_id}/decision", json={"route": "care", "reason": "synthetisch"}, timeout=30
    )
    assert decided.status_code == 201, decided.text
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/signals")
    expect(page.locator(".nav-menu a[href='/shelter']")).to_be_hidden()
    page.locator(".nav-menu > summary").click()
    checked(page, "nl", "01-menu-open", "no-js-390")
    page.locator(".nav-menu a[href='/shelter']").click()
    expect(page.locator("h1")).to_have_text("Opvangbord")
    page.goto(f"{server}/signals/{signal_id}")
    page.click("#status summary")
    page.select_option("#st-status", "closed")
    page.click("#status button[type=submit]")
    checked(page, "nl", "02-confirm", "no-js-390")
    page.click("#confirm-yes")
    expect(page.locator(".summary .status")).to_have_text("Afgesloten")
    context.close()
