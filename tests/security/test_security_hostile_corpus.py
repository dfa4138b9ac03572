"""Hole 12: the hostile corpus gives a clear message or a clean import, never a traceback or a 500,
and never a partial write, on SQLite and PostgreSQL (fixtures in tests/security/fixtures/, synthetic)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sec_fixtures import LOCAL

from signaal.cli import main
from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput
from signaal.ingest.tabular import read_rows
from signaal.services import intake
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store
from signaal.web import create_app

pytestmark = pytest.mark.storage

FIXTURES = Path(__file__).parent / "fixtures"

#: fixture -> rows a clean import writes (None: the file must be refused, writing nothing)
EXPECTED: dict[str, int | None] = {
    "cr_only.csv": 3,
    "formula.csv": 2,
    "header_only.csv": 0,
    "empty.csv": 0,
    "nul.csv": None,
    "nul.jsonl": None,
    "nested.jsonl": None,
    "nested_facts.csv": None,
    "huge_int.jsonl": None,
    "huge_int.csv": None,
    "long_identifier.csv": None,
    "long_source_id.csv": None,
    "unclosed_quote.csv": None,
    "binary.csv": None,
}

BASE = {"received_at": "2026-01-05", "reporter_org": "org-a", "reporter_sector": "youth", "region": "Utrecht"}


def _count(store: Store, actor: Actor) -> int:
    return service.list_signals(store, actor).total


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_is_refused_clearly_or_imported_whole(
    name: str, store: Store, actor: Actor, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    code = main(["signals", "import", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    written = _count(store, actor)
    if EXPECTED[name] is None:
        assert code == 2, (name, out, err)
        assert name in err  # the message names the file
        assert written == 0
    else:
        assert code == 0, (name, out, err)
        assert written == EXPECTED[name]


def test_cr_only_rows_keep_their_line_numbers() -> None:
    rows = list(read_rows(FIXTURES / "cr_only.csv"))
    assert [r.line for r in rows] == [2, 3, 4]
    assert all(not isinstance(r.values, str) and r.values["region"] == "Utrecht" for r in rows)  # type: ignore[union-attr]


def test_an_unclosed_quote_in_a_large_file_is_read_in_linear_time(tmp_path: Path) -> None:
    # 240 KB after an unclosed quote: each line used to re-join every line before it
    path = tmp_path / "unclosed.csv"
    body = "".join(f"2026-01-05,org-a,youth,Utrecht,synthetic line {i}\n" for i in range(5000))
    path.write_text(
        "received_at,reporter_org,reporter_sector,region,narrative\n" + '2026-01-05,org-a,youth,Utrecht,"open\n' + body,
        encoding="utf-8",
    )
    assert path.stat().st_size > 240_000
    rows = list(read_rows(path))
    assert len(rows) == 1 and not hasattr(rows[0], "values")
    assert rows[0].line == 2 and "quote" in rows[0].reason  # type: ignore[union-attr]


def test_two_imports_of_one_file_at_once_write_it_once(store: Store, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        "source_id,received_at,reporter_org,reporter_sector,region\n"
        + "".join(f"t-{i},2026-01-05,org-a,youth,Utrecht\n" for i in range(300)),
        encoding="utf-8",
    )
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(intake.import_signals(store, actor, path))
        except (Conflict, InvalidInput) as exc:  # a clear refusal is fine; anything else fails the test
            outcomes.append(exc)
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, (intake.ImportReport, Conflict)) for o in outcomes), outcomes
    assert _count(store, actor) == 300


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False, **LOCAL) as test_client:
        yield test_client


def test_hostile_requests_get_a_clear_answer_never_a_500(client: TestClient) -> None:
    json = {"content-type": "application/json"}
    answers = {
        "nested body": client.post("/api/signals", content='{"a": ' + "[" * 50000 + "]" * 50000 + "}", headers=json),
        "huge number": client.post("/api/signals", content='{"suspects": ' + "9" * 5000 + "}", headers=json),
        "NUL narrative": client.post("/api/signals", json={**BASE, "narrative": "a\x00b"}),
        "NUL source id": client.post("/api/signals", json={**BASE, "source_id": "a\x00b"}),
        "NUL in a filter": client.get("/api/signals", params={"status": "new\x00"}),
        "page overflow api": client.get("/api/signals", params={"page": str(2**62)}),
        "page overflow html": client.get("/signals", params={"page": "9" * 30}),
        "long identifier": client.post(
            "/api/signals", json={**BASE, "identifiers": [{"kind": "handle", "value": "h" * 499}]}
        ),
        "long id": client.get("/api/signals/" + "a" * 6000),
    }
    for label, response in answers.items():
        assert response.status_code < 500, (label, response.status_code, response.text[:300])
        assert "Traceback" not in response.text
    assert client.get("/api/signals").json()["total"] == 0  # nothing half written


def test_the_same_source_id_posted_at_once_is_one_signal_and_a_409(client: TestClient) -> None:
    statuses: list[int] = []
    barrier = threading.Barrier(4)

    def post() -> None:
        barrier.wait()
        statuses.append(client.post("/api/signals", json={**BASE, "source_id": "same-1"}).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409]


def test_a_locked_database_keeps_the_typed_narrative_and_hides_the_path(settings: Settings, client: TestClient) -> None:
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("a writer holding the file lock is SQLite's way of being busy")
    import re
    import sqlite3

    path = settings.database_url.removeprefix("sqlite:///")
    page = client.get("/signals/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        narrative = "Synthetic: typed with care, must not be lost 4821"
        form = {
            "csrf_token": token.group(1),
            "received_at": "2026-01-05",
            "reporter_sector": "youth",
            "region": "Utrecht",
            "narrative": narrative,
        }
        response = client.post("/signals", data=form)
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503, response.text[:500]
    assert narrative in response.text
    assert path not in response.text and "registry.db" not in response.text
    assert client.get("/api/signals").json()["total"] == 0
