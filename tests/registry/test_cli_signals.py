"""The ``signaal signals`` commands: thin shells with clear errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signaal.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_show_and_export(cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        "signals",
        "add",
        "--sector",
        "care",
        "--region",
        "Eindhoven",
        "--received",
        "2026-02-01",
        "--indicator",
        "documents_retained:certain",
        "--form",
        "labour",
        "--victim-age",
        "41",
        "--identifier",
        "phone=06 1234 0002",
        "--fact",
        "needs_shelter=true",
        "--format",
        "json",
    )
    assert code == 0
    recorded = json.loads(out)
    assert recorded["police_unit"] == "oost-brabant"
    assert recorded["facts"] == {"needs_shelter": True}
    code, out, _ = run(capsys, "signals", "list", "--format", "json")
    assert code == 0 and json.loads(out)["total"] == 1
    code, out, _ = run(capsys, "signals", "show", recorded["id"], "--history")
    assert code == 0 and "documents_retained" in out and "created" in out
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "signals", "export", "--format", "csv", "--out", str(target))
    assert code == 0 and "exported 1 signals" in err
    assert "+31612340002" in target.read_text(encoding="utf-8")


def test_a_user_mistake_is_a_message_and_an_exit_code_not_a_traceback(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "signals", "add", "--sector", "care", "--indicator", "not_an_indicator")
    assert code == 2
    assert "unknown indicator id 'not_an_indicator'" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "signals", "show", "ffffffffffff")
    assert code == 4 and "no signal" in err


def test_import_reports_bad_rows_with_file_line_and_field(
    cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "source_id,received_at,reporter_org,reporter_sector\nA,2025-01-01,org-a,care\nB,2025-13-01,org-a,care\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "signals", "import", str(path))
    assert code == 2
    assert f"{path}:3, field 'received_at'" in err
    code, out, _ = run(capsys, "signals", "import", str(path), "--skip-invalid")
    assert code == 0 and "imported 1" in out and "invalid skipped 1" in out


def test_reading_a_missing_sqlite_database_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    code, _, err = run(capsys, "signals", "list")
    assert code == 7 and "no database at" in err
    assert not (tmp_path / "absent.db").exists()


def test_a_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SIGNAAL_ROLE", "overlord")
    code, _, err = run(capsys, "signals", "list")
    assert code == 8 and "SIGNAAL_ROLE" in err


def test_a_locked_sqlite_database_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sqlite3

    db = tmp_path / "locked.db"
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{db}")
    assert main(["signals", "add", "--sector", "care", "--received", "2026-01-01"]) == 0
    capsys.readouterr()
    holder = sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run(capsys, "signals", "add", "--sector", "care", "--received", "2026-01-01")
    finally:
        holder.rollback()
        holder.close()
    assert code == 7 and "locked" in err
