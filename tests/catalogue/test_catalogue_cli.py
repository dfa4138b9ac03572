"""The ``signaal catalogue`` commands: exit codes and output a user relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signaal.cli import main


def test_check_bundled_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("catalogue OK:") and "10 police units" in out


def test_check_reports_a_broken_override_with_exit_code_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sectors.yaml").write_text(
        "# synthetic\nsectors:\n  - {id: synth_sector, nl: synthetisch, en: synthetic, risk: true, forms: [piracy]}\n",
        encoding="utf-8",
    )
    assert main(["catalogue", "check", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "sectors.yaml:3" in err and "synth_sector" in err and "piracy" in err


def test_region_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "region", "Súdwest-Fryslân", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["municipality"] == "sudwest-fryslan"
    assert out["police_unit"] == "noord-nederland"
    assert out["riec"] == "RIEC Noord-Nederland"


def test_unknown_region_exits_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "region", "Atlantis"]) == 4
    assert "Atlantis" in capsys.readouterr().err


def test_indicators_filtered_by_form_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "indicators", "--form", "criminal", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ids = {row["id"] for row in rows}
    assert {"drug_running", "money_mule"} <= ids
    assert "low_or_no_pay" not in ids
    assert all("criminal" in row["forms"] for row in rows)


def test_indicators_with_unknown_form_is_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "indicators", "--form", "piracy"]) == 2
    assert "piracy" in capsys.readouterr().err
