"""The demo loads its synthetic data, runs the jobs and tells the user where to look."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signaal.cli import main


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
    # a second run adds nothing twice
    assert main(["demo", "--dir", str(folder), "--signals", "80", "--ads", "120"]) == 0
    assert "imported 0 signals (80 already present)" in capsys.readouterr().out
