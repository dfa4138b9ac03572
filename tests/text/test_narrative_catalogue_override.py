"""The reader scores forms with the catalogue in force: an organisation's ``indicators.yaml``
(SIGNAAL_CATALOGUE_DIR) changes the forms an indicator supports and its weight here too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import signaal.catalogue
from signaal.domain.actor import Actor, Role
from signaal.knowledge import Knowledge
from signaal.services.narrative import suggest
from signaal.settings import Settings

ACTOR = Actor("tester", "org-test", Role.REPORTER)
# Synthetic: a note with one indicator (drug running) and no form words.
STORY = "Hij moest elke dag drugs rondbrengen voor een oudere man."
BUNDLED = Path(signaal.catalogue.__file__).parent / "data" / "indicators.yaml"


def _override(folder: Path, weight: str = "0.9") -> Path:
    """An organisation's indicators.yaml that counts drug running under labour, with its own weight."""
    text = BUNDLED.read_text(encoding="utf-8")
    entry = text.index("  - id: drug_running\n")
    end = text.index("  - id: ", entry + 1)
    changed = text[entry:end].replace("forms: [criminal]", "forms: [labour]")
    changed = re.sub(r"weight: [0-9.]+", f"weight: {weight}", changed)
    assert changed != text[entry:end], "the synthetic override must change the entry"
    (folder / "indicators.yaml").write_text(text[:entry] + changed + text[end:], encoding="utf-8")
    return folder


def test_bundled_catalogue_reads_drug_running_as_criminal() -> None:
    reading = suggest(ACTOR, STORY, settings=Settings())
    assert "drug_running" in {h.indicator_id for h in reading.present_indicators}
    assert [f.form for f in reading.forms] == ["criminal"]
    assert reading.all_form_scores["labour"] == 0.0


def test_override_in_settings_changes_forms_and_weight(tmp_path: Path) -> None:
    (tmp_path / "low").mkdir()
    (tmp_path / "high").mkdir()
    low = suggest(ACTOR, STORY, settings=Settings(catalogue_dir=_override(tmp_path / "low", "0.3")))
    high = suggest(ACTOR, STORY, settings=Settings(catalogue_dir=_override(tmp_path / "high", "0.9")))
    bundled = suggest(ACTOR, STORY, settings=Settings())
    assert low.all_form_scores["labour"] > 0.0  # the organisation's forms
    assert high.all_form_scores["labour"] == pytest.approx(3 * low.all_form_scores["labour"], abs=0.01)  # and weights
    assert high.all_form_scores["criminal"] < bundled.all_form_scores["criminal"]


def test_override_through_the_environment_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNAAL_CATALOGUE_DIR", str(_override(tmp_path)))
    assert suggest(ACTOR, STORY).all_form_scores["labour"] > 0.0


def test_a_catalogue_handed_in_wins(tmp_path: Path) -> None:
    catalogue = Knowledge.read(_override(tmp_path)).catalogue
    assert suggest(ACTOR, STORY, catalogue=catalogue).all_form_scores["labour"] > 0.0
