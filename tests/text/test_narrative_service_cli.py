"""The service turns suggestions into signal entries marked as suggested; the CLI prints them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from signaal.cli import main
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import FormHypothesis, ObservedIndicator, SignalCreate
from signaal.services.narrative import apply_suggestions, count_by_origin, suggest

ACTOR = Actor("tester", "org-test", Role.REPORTER)
# Synthetic narrative written for these tests.
STORY = (
    "Zij werkt zeven dagen per week in een nagelstudio, haar paspoort ligt bij de baas en ze wordt "
    "niet geslagen. Volgens een collega moet ze een schuld van 2000 euro afbetalen."
)


def _signal(**extra: object) -> SignalCreate:
    base: dict[str, object] = {
        "received_at": date(2026, 1, 5),
        "reporter_org": "org-test",
        "reporter_sector": "care",
        "narrative": STORY,
        "purpose": "signal",
        "legal_basis": "public_task",
        "consent": "not_asked",
    }
    base.update(extra)
    return SignalCreate.model_validate(base)


def test_suggestions_become_suggested_entries_apart_from_reported_ones() -> None:
    reported = ObservedIndicator(indicator_id="excessive_hours", words="7 dagen", origin="reported")
    data = _signal(indicators=[reported], forms=[FormHypothesis(form="sexual", set_by="person")])
    applied = apply_suggestions(data, suggest(ACTOR, STORY))
    origins = {i.indicator_id: i.origin.value for i in applied.indicators}
    assert origins["excessive_hours"] == "reported"  # the person's own entry is kept as it is
    assert origins["documents_retained"] == "suggested"
    assert "violence" not in origins  # negated: never suggested
    debt = next(i for i in applied.indicators if i.indicator_id == "debt_bondage")
    assert debt.certainty.value == "possible"  # hedged ("volgens een collega")
    forms = {f.form: f.set_by.value for f in applied.forms}
    assert forms["sexual"] == "person" and forms["labour"] == "suggestion"
    counts = count_by_origin(applied)
    assert counts["indicators_reported"] == 1
    assert counts["indicators_suggested"] == len(applied.indicators) - 1
    assert counts["forms_person"] == 1 and counts["forms_suggestion"] == 1
    assert applied.facts["suggested"]["sector"]["value"] == "nail_studio"


def test_cli_json_prints_one_object_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_text(
        json.dumps({"id": "n1", "text": STORY}) + "\n\n" + json.dumps({"id": "n2", "text": ""}) + "\n",
        encoding="utf-8",
    )
    assert main(["narrative", str(source), "--format", "json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["id"] for d in lines] == ["n1", "n2"]
    assert {"forms", "indicators", "facts", "identifiers", "language"} <= set(lines[0])
    assert lines[0]["language"] == "nl"
    assert lines[1]["supported"] is False


def test_cli_reads_plain_text_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Her passport was taken by the boss."))
    assert main(["narrative"]) == 0
    out = capsys.readouterr().out
    assert "documents_retained" in out and "language: en" in out


def test_cli_names_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\nnot json\n{"id": 3}\n', encoding="utf-8")
    assert main(["narrative", str(source), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:2" in err and "bad.jsonl:3" in err


def test_cli_refuses_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["narrative", "-", "--format", "xml"]) == 2
    assert "json or text" in capsys.readouterr().err


def test_cli_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["narrative", "/no/such/file.jsonl"]) == 2
