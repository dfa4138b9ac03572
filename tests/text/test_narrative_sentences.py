"""The hand-written sentence table: each sentence asserts the indicators found and not found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from narrative_reading import read as _read

TABLE = yaml.safe_load((Path(__file__).parent / "narrative_sentences.yaml").read_text(encoding="utf-8"))
SENTENCES: list[dict[str, Any]] = TABLE["sentences"]


def test_the_table_is_large_enough_and_synthetic() -> None:
    assert TABLE["synthetic"] is True
    assert len(SENTENCES) >= 60
    languages = {_read(s["text"]).language for s in SENTENCES}
    assert languages == {"nl", "en"}


@pytest.mark.parametrize("case", SENTENCES, ids=[s["text"][:50] for s in SENTENCES])
def test_sentence(case: dict[str, Any]) -> None:
    reading = _read(case["text"])
    by_id = {h.indicator_id: h for h in reading.indicators}
    present = {h.indicator_id for h in reading.present_indicators}
    for ind in case.get("found", []):
        assert ind in present, f"{ind} not found; got {sorted(by_id)}"
    for ind in case.get("absent", []):
        assert ind not in present, f"{ind} suggested as present"
    for ind in case.get("negated", []):
        assert ind in by_id and by_id[ind].negated, f"{ind} not marked negated"
    for ind in case.get("hedged", []):
        assert ind in by_id and by_id[ind].hedged, f"{ind} not marked hedged"
    for ind in case.get("not_hedged", []):
        assert ind in by_id and not by_id[ind].hedged, f"{ind} marked hedged"
    for ind in case.get("other", []):
        assert ind in by_id and by_id[ind].subject == "other", f"{ind} not attributed to someone else"
    for ind in case.get("person", []):
        assert ind in by_id and by_id[ind].subject == "person", f"{ind} not attributed to the person"
