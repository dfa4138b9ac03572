"""Fixtures for the web application: an app on each storage backend, a client, and CSRF tokens.

Every record these tests create is synthetic (made up here or by the synthetic generators).

Browser tests (marker ``browser``) need Chromium (``SIGNAAL_CHROMIUM``, default /usr/bin/chromium).
On a machine without it they are skipped with a loud reason, unless ``SIGNAAL_REQUIRE_BROWSER=1``
(set by ``.ci/run``), which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_fixtures import SYNTHETIC_SIGNAL, chromium_path, csrf_token

from signaal.settings import Settings
from signaal.web import create_app


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of the web application in single-user mode (the settings' coordinator of org-a)."""
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as test_client:
        yield test_client


@pytest.fixture
def token(client: TestClient) -> str:
    """A valid CSRF token for ``client``."""
    return csrf_token(client)


@pytest.fixture
def signal_id(client: TestClient) -> str:
    """A recorded synthetic signal (through the JSON API)."""
    response = client.post("/api/signals", json=SYNTHETIC_SIGNAL)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _chromium_missing() -> str | None:
    path = chromium_path()
    if Path(path).is_file() or shutil.which(path):
        return None
    return (
        f"Chromium not found at {path}: the browser tests are NOT run. Install it (Debian: apt-get install "
        "chromium) or point SIGNAAL_CHROMIUM at it; .ci/run requires them (SIGNAAL_REQUIRE_BROWSER=1)."
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests loudly without Chromium, or fail them when the browser is required."""
    missing = _chromium_missing()
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    if missing is None or not browser_items:
        return
    if os.environ.get("SIGNAAL_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(missing)
    config.stash[_SKIPPED] = (missing, len(browser_items))
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=missing))


_SKIPPED = pytest.StashKey[tuple[str, int]]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say at the end of the run, where nobody misses it, that the browser tests were skipped."""
    skipped = config.stash.get(_SKIPPED, None)
    if skipped is not None:
        terminalreporter.write_sep("!", f"{skipped[1]} browser tests skipped", red=True, bold=True)
        terminalreporter.write_line(skipped[0], red=True)
