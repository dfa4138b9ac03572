"""Retention erases what is past its period; the CLI runs verify, anchor, subject requests and backups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from test_audit_erasure import ADMIN

from signaal.cli import main
from signaal.domain.actor import Actor
from signaal.errors import CatalogueError, Forbidden
from signaal.services import audit, retention
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store


def test_retention_erases_only_what_is_past_its_period(store: Store, actor: Actor) -> None:
    old = service.record_signal(store, actor, make_signal(1, received_at=date(2019, 1, 10)))
    recent = service.record_signal(store, actor, make_signal(2, received_at=date(2026, 1, 10)))
    dry = retention.run_retention(store, ADMIN, today=date(2026, 6, 1), dry_run=True)
    assert dry.due == {"signal_handling": [old.id]}
    assert "[synthetisch 1]" in service.get_signal(store, actor, old.id).narrative
    run = retention.run_retention(store, ADMIN, today=date(2026, 6, 1))
    assert run.count == 1
    assert service.get_signal(store, actor, old.id).narrative == "[erased]"
    assert "[synthetisch 2]" in service.get_signal(store, actor, recent.id).narrative
    assert retention.run_retention(store, ADMIN, today=date(2026, 6, 1)).count == 0
    assert audit.verify(store).ok
    with pytest.raises(Forbidden):
        retention.run_retention(store, actor)


def test_a_bad_retention_file_names_the_purpose_and_field(tmp_path: Path) -> None:
    (tmp_path / "retention.yaml").write_text(
        "default: {closed_days: 10, open_days: 10}\npurposes:\n  signal_handling: {closed_days: -1, open_days: 5}\n"
    )
    with pytest.raises(CatalogueError, match=r"signal_handling.*closed_days"):
        retention.load_retention(Settings(catalogue_dir=tmp_path))


def test_the_cli_verifies_anchors_backs_up_and_restores(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIGNAAL_ROLE", "admin")
    monkeypatch.setenv("SIGNAAL_AUDIT_ANCHOR_FILE", str(tmp_path / "anchors.jsonl"))
    assert main(["signals", "add", "--region", "Utrecht", "--sector", "youth", "--narrative", "[synthetisch]"]) == 0
    assert main(["audit", "anchor"]) == 0
    assert main(["audit", "verify"]) == 0
    assert "anchors compared: 1" in capsys.readouterr().out
    assert main(["audit", "list"]) == 0
    if cli_env.startswith("sqlite"):
        backup_file = tmp_path / "b.sbk"
        assert main(["backup", str(backup_file)]) == 0
        monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'restored.db'}")
        assert main(["restore", str(backup_file)]) == 0
        assert "the history verifies" in capsys.readouterr().out
        assert main(["restore", str(backup_file)]) == 2  # refuses to overwrite
    assert main(["subject", "erase", "--reference", "x", "--yes"]) == 2  # names nobody
