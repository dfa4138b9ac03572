"""Browser walk: from a signal page's "linked to" section to its network picture (Chromium, SYNTHETIC data)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright
from test_web_networks import linked_registry

from signaal.settings import Settings
from signaal.web import create_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The real server on a linked SYNTHETIC registry; its base URL and the linked signal's id."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'registry.db'}", port=port, user="ana", org="org-a", role="analyst"
    )
    signal_id = linked_registry(settings, tmp_path)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}", signal_id
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    """A page of Debian's Chromium."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("SIGNAAL_CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def test_open_a_network_from_a_signal_page(served: tuple[str, str], page: Page) -> None:
    base, signal_id = served
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/signals/{signal_id}")
    link = page.locator("a.open-network")
    expect(link).to_be_visible(timeout=15000)  # the section arrives through htmx
    expect(page.locator("#linked")).to_contain_text("+316")
    link.click()
    expect(page).to_have_url(f"{base}/networks/net-" + page.url.rsplit("net-", 1)[-1])
    expect(page.locator(".classification")).to_have_text("georganiseerd")
    graph = page.locator("#network-graph")
    expect(graph).to_have_attribute("data-drawn", __import__("re").compile(r"^[1-9][0-9]*$"), timeout=15000)
    assert graph.locator("canvas").count() > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network.png"), full_page=True)
    assert not errors, errors
