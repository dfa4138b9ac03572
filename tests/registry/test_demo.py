"""The demo loads its synthetic data, runs the jobs and tells the user where to look."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.services import shelter as shelter_service
from signaal.services import signals as signal_service
from signaal.services.signals import SignalQuery
from signaal.settings import Settings
from signaal.store import open_store


def test_demo_loads_screens_routes_and_says_where_to_look(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder), "--signals", "80", "--ads", "120"]) == 0
    out = capsys.readouterr().out
    assert "synthetic" in out
    assert "imported 80 signals" in out
    assert (folder / "screen" / "report.html").is_file()
    assert str((folder / "screen" / "report.html").resolve()) in out
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{folder / 'signaal.db'}")
    assert main(["signals", "list", "--format", "json", "--limit", "1"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] >= 80
    # the register holds the demo's organisations, so a signal can be shared at once (README)
    first = listed["items"][0]["id"]
    grant = ["--org", "demo-politie", "--basis", "wgs_convenant", "--purpose", "synthetisch", "--scope", "route"]
    assert main(["share", "grant", first, *grant]) == 0
    assert "demo-politie" in capsys.readouterr().out
    # a second run adds nothing twice
    assert main(["demo", "--dir", str(folder), "--signals", "80", "--ads", "120"]) == 0
    assert "imported 0 signals (80 already present)" in capsys.readouterr().out


def test_the_demo_history_spreads_statuses_as_in_practice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder), "--signals", "80", "--ads", "60"]) == 0
    assert "follow-up history" in capsys.readouterr().out
    settings = Settings(database_url=f"sqlite:///{folder / 'signaal.db'}", org="local", role="coordinator")
    store = open_store(settings)
    try:
        actor = Actor(user="check", org="local", role=Role.COORDINATOR)
        signals = signal_service.list_signals(store, actor, SignalQuery(limit=1000)).items
        statuses = {s.status.value for s in signals}
        assert {"new", "routed", "closed"} <= statuses
        year_ago = date.today() - timedelta(days=365)
        assert not [s.id for s in signals if s.received_at < year_ago and s.status.value == "new"]
        requests = shelter_service.list_shelter(store, actor)
        assert requests and any(r.record.started_at for r in requests)
        _, waiting = shelter_service.shelter_figures(store, actor)
        assert all(w.waiting_days < 60 for w in waiting)  # days to weeks, not years
    finally:
        store.close()


def test_the_follow_up_meets_every_signal_once_across_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing moves a signal to the end of the worklist; following up page by page must not meet it twice."""
    from signaal.demo.followup import follow_up_history

    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder), "--signals", "80", "--ads", "60"]) == 0
    fresh = tmp_path / "fresh.db"  # the demo's synthetic signals, not yet followed up
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{fresh}")
    assert main(["signals", "import", str(folder / "signals.csv")]) == 0
    capsys.readouterr()
    store = open_store(Settings(database_url=f"sqlite:///{fresh}", org="local", role="coordinator"))
    try:
        actor = Actor(user="check", org="local", role=Role.COORDINATOR)
        done = follow_up_history(store, actor, seed=3, page_size=7)
        assert done.closed > 7  # more closures than one page holds, so the order changed under the paging
    finally:
        store.close()
