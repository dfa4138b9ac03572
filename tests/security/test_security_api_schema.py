"""Every operation of the JSON API's OpenAPI, called with generated input as a signed-in user:
no answer is a server error, every status is one the operation declares, and every answer matches
the response model the schema declares.

Schemathesis reads ``/api/openapi.json`` from the app and generates requests from it (valid and
invalid ones); the number of examples per operation is bounded so the suite stays fast. It runs on
each backend, on a registry holding one signal so that the lists answer with items. The registry,
users and requests are synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis.errors import Unsatisfiable
from sec_fixtures import STRONG_SECRET, login, write_users

from signaal.settings import Settings
from signaal.web import create_app
from signaal.web.auth import SESSION_COOKIE

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extra: pip install -e '.[dev]'")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: Examples per operation: enough to reach each parameter's edges, few enough for a fast suite.
MAX_EXAMPLES = 8


#: A synthetic signal, so that the lists answer with items to check against their schema.
SYNTHETIC = {
    "received_at": "2026-01-05",
    "reporter_org": "org-a",
    "reporter_sector": "youth",
    "region": "Utrecht",
    "narrative": "Synthetic: het meisje van 15 moet altijd bereikbaar zijn.",
    "indicators": [{"indicator_id": "always_reachable", "words": "altijd bereikbaar"}],
    "persons": [{"role": "victim", "age": 15, "residence": "dutch"}],
}


@pytest.fixture
def signed_in(db_url: str, tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """The app on a fresh registry (each backend) with synthetic users, one signal with a referral and a
    shelter request, and a coordinator's session cookie."""
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    settings = Settings(
        database_url=db_url,
        auth_users_file=write_users(tmp_path / "users.yaml"),
        secret_key=STRONG_SECRET,
        key_dir=keys,
    )
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        assert login(client, "coordinator-a").status_code == 303
        _seed(client)
        yield app, client.cookies[SESSION_COOKIE]


def _seed(client: TestClient) -> None:
    """One synthetic signal, referred and waiting for shelter."""
    signal = client.post("/api/signals", json=SYNTHETIC)
    assert signal.status_code == 201, signal.text
    signal_id = signal.json()["id"]
    referral = client.post(f"/api/signals/{signal_id}/referrals", json={"contact_id": "comensha"})
    shelter = client.post(f"/api/signals/{signal_id}/shelter", json={"type": "cosm"})
    assert referral.status_code == 201 and shelter.status_code == 201, (referral.text, shelter.text)


def _check_operation(operation: Any, mode: GenerationMode, cookie: str) -> None:
    """Run one operation with generated input; hypothesis raises on the first answer that fails a check."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @examples(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(cookies={SESSION_COOKIE: cookie})
        case.validate_response(
            response,
            checks=(not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance),
        )

    run()


def test_no_operation_fails_on_generated_input(signed_in: tuple[Any, str]) -> None:
    app, cookie = signed_in
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _check_operation(operation, mode, cookie)
            except Unsatisfiable:  # no input breaks this operation's schema (e.g. no parameters at all)
                continue
            except Exception as exc:  # every failing operation is listed, not only the first
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)


def test_a_follow_up_window_past_any_date_is_refused_not_a_crash(signed_in: tuple[Any, str]) -> None:
    app, cookie = signed_in
    client = TestClient(app, base_url="https://testserver", cookies={SESSION_COOKIE: cookie})
    assert client.get("/api/referrals", params={"days": 10**8}).status_code == 422
    assert client.get("/referrals", params={"days": 10**8}).status_code == 422
