"""Fixtures for the web application: an app on each storage backend, a client, and CSRF tokens.

Every record these tests create is synthetic (made up here or by the synthetic generators).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_fixtures import SYNTHETIC_SIGNAL, csrf_token

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
