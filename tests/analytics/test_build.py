"""The analytics events: built from the registry on both backends, refreshed incrementally, no identifiers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from signaal.analytics.synthetic import synthetic_signals
from signaal.cli import app
from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden
from signaal.services import analytics as service
from signaal.services.signals import change_status
from signaal.settings import Settings
from signaal.store import Store, open_store

ANALYST = Actor("ana", "org-a", Role.ANALYST)


@pytest.fixture
def registry(settings: Settings, tmp_path: Path) -> Any:
    opened = open_store(settings.model_copy(update={"analytics_dir": tmp_path / "analytics"}))
    yield opened
    opened.close()


@pytest.mark.storage
def test_refresh_reads_only_what_changed(registry: Store, load: Any) -> None:
    load(registry, ANALYST, synthetic_signals(2020, 2023, per_year=60, seed=2))
    first = service.refresh_analytics(registry, ANALYST)
    assert first.full and first.rows >= first.signals_read > 0
    again = service.refresh_analytics(registry, ANALYST)
    assert not again.full and again.signals_read == 0 and again.rows == first.rows
    with registry.session() as session:
        from sqlalchemy import select

        from signaal.store.tables import SignalRow

        some = session.scalars(select(SignalRow.id).limit(1)).one()
    added = load(registry, ANALYST, synthetic_signals(2024, 2024, per_year=20, seed=3))
    change_status(registry, Actor("c", "org-a", Role.COORDINATOR), some, "in_triage")
    later = service.refresh_analytics(registry, ANALYST)
    assert not later.full and later.signals_read == added + 1  # the new ones and the one whose status changed
    assert later.rows == first.rows + added


@pytest.mark.storage
def test_events_carry_codings_and_no_identifiers(registry: Store, load: Any) -> None:
    load(registry, ANALYST, synthetic_signals(2022, 2023, per_year=40, seed=5))
    service.refresh_analytics(registry, ANALYST)
    table = pq.read_table(registry.settings.analytics_dir / "events.parquet")
    columns = set(table.column_names)
    assert {
        "month",
        "police_unit",
        "care_region",
        "nationality_group",
        "world_region",
        "age_band",
        "referral_path",
    } <= columns
    assert not columns & {"id", "signal_id", "narrative", "phone", "value", "nationality", "received_at"}
    with registry.session() as session:
        from sqlalchemy import select

        from signaal.store.tables import IdentifierRow, SignalRow

        ids = set(session.scalars(select(SignalRow.id)))
        values = set(session.scalars(select(IdentifierRow.value)))
    text = json.dumps(table.to_pylist(), default=str)
    assert not any(i in text for i in ids) and not any(v in text for v in values)
    assert set(table.column("nationality_group").to_pylist()) <= {"nl", "eu", "non_eu", "unknown"}


@pytest.mark.storage
def test_only_analytics_roles_read_and_only_analysts_see_small_cells(registry: Store, load: Any) -> None:
    load(registry, ANALYST, synthetic_signals(2018, 2023, per_year=25, seed=6))
    with pytest.raises(Forbidden):
        service.ask(registry, Actor("r", "org-a", Role.REPORTER), "falling-signals")
    raw = service.series_question(registry, ANALYST, {"reporter_sector": "kmar"})
    guarded = service.series_question(registry, Actor("c", "org-a", Role.COORDINATOR), {"reporter_sector": "kmar"})
    assert any(0 < v < 10 for v in raw.data[0]["counts"])
    assert guarded.verdict == "suppressed" and all(v is None or v == 0 or v >= 10 for v in guarded.data[0]["counts"])


def test_cli_answers_questions_and_writes_the_monitor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load: Any
) -> None:
    db = tmp_path / "r.db"
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    load(store, ANALYST, synthetic_signals(2016, 2024, per_year=150, seed=8))
    store.close()
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SIGNAAL_ANALYTICS_DIR", str(tmp_path / "an"))
    monkeypatch.setenv("SIGNAAL_ROLE", "analyst")
    runner = CliRunner()
    result = runner.invoke(app, ["trends", "riec-labour", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["question"] == "riec-labour" and answer["findings"]
    result = runner.invoke(app, ["trends", "--series", "form=labour", "--by", "month", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["data"][0]["periods"]) == 9 * 12
    result = runner.invoke(app, ["trends", "--series", "form=labour", "--per", "all", "--format", "json"])
    assert result.exit_code == 0, result.output
    rate = json.loads(result.output)["data"][0]
    assert rate["exposure"] and all(c <= e for c, e in zip(rate["counts"], rate["exposure"], strict=True))
    result = runner.invoke(app, ["trends", "--series", "colour=red"])
    assert result.exit_code != 0
    out = tmp_path / "monitor"
    result = runner.invoke(app, ["report", "monitor", "--year", "2024", "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    html = (out / "monitor-2024.html").read_text()
    assert "<svg" in html and "Trafficking monitor 2024" in html
    assert "No estimate of the hidden number" in html  # no linked persons in this registry
    assert (out / "monitor-2024.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "tables" / "forms.csv").read_text().startswith("form,2016")


def test_monitor_page_and_json_show_suppressed_tables(tmp_path: Path, load: Any) -> None:
    from fastapi.testclient import TestClient

    from signaal.web.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'r.db'}", analytics_dir=tmp_path / "an", role="coordinator"
    )
    store = open_store(settings)
    load(store, ANALYST, synthetic_signals(2019, 2023, per_year=80, seed=12))
    store.close()
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as client:
        page = client.get("/monitor?year=2023")
        assert page.status_code == 200 and "<svg" in page.text and "Monitor 2023" in page.text
        data = client.get("/api/monitor?year=2023").json()
        assert data["year"] == 2023 and data["tables"] and data["answers"]
        for table in data["tables"]:
            for row in table["rows"]:
                assert all(v is None or v == 0 or v >= 10 for v in row["values"])
        assert client.get("/api/monitor?year=1999").status_code == 422


@pytest.mark.storage
def test_shelter_times_reach_the_events_and_the_report(registry: Store, load: Any) -> None:
    from datetime import datetime, time, timedelta

    from sqlalchemy import select

    from signaal.services.monitor import build_monitor
    from signaal.services.shelter import no_place, request_shelter, start_shelter
    from signaal.store.tables import SignalRow

    load(registry, ANALYST, synthetic_signals(2022, 2023, per_year=60, seed=14))
    coordinator = Actor("c", "org-a", Role.COORDINATOR)
    with registry.session() as session:
        rows = session.execute(select(SignalRow.id, SignalRow.received_at).order_by(SignalRow.id)).all()
    placed = [(sid, received) for sid, received in rows if received.year == 2023][:12]
    for sid, received in placed:
        asked = datetime.combine(received, time(9)) + timedelta(days=1)
        request = request_shelter(registry, coordinator, sid, "cosm", at=asked)
        no_place(registry, coordinator, request.record.id, at=asked + timedelta(days=2))
        start_shelter(registry, coordinator, request.record.id, at=asked + timedelta(days=4))
    report, published = build_monitor(registry, coordinator, 2023)
    shelter = next(p for p in published if p.id == "shelter")
    assert shelter.source.rows == ("cosm",) and shelter.values[0][-2] == 12
    section = next(s for s in report.sections if s.id == "shelter")
    assert "4.0 days (n = 12)" in section.caveats[0]["en"]
    rows_out = pq.read_table(registry.settings.analytics_dir / "events.parquet").to_pylist()
    waits = [r for r in rows_out if r["shelter_type"] == "cosm"]
    assert (
        len(waits) == 12
        and {r["shelter_wait_days"] for r in waits} == {4}
        and {r["shelter_no_place"] for r in waits} == {1}
    )
