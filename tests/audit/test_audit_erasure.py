"""A data subject's signals exported in full, and erased leaving no readable trace while the chains verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from test_audit_encryption import raw_files, stored_text

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, NotFound
from signaal.services import audit, subjects
from signaal.services import signals as service
from signaal.services.subjects import SubjectQuery
from signaal.store import Store

ADMIN = Actor("fg", "org-a", Role.ADMIN)
PHONE_AS_WRITTEN = "06 1234 0007"
SUBJECT = SubjectQuery(kind="phone", value=PHONE_AS_WRITTEN)
TRACES = ("[synthetisch 7]", "+31612340007", "1234 0007", "XX107B", "synthetic-7", "belde zelf")


@pytest.fixture
def two_signals(store: Store, actor: Actor) -> tuple[str, str]:
    """The subject's signal (number 7) and someone else's (number 8), with history and reads."""
    mine = service.record_signal(store, actor, make_signal(7))
    other = service.record_signal(store, actor, make_signal(8))
    service.change_status(store, actor, mine.id, "in_triage", "belde zelf vanaf 06 1234 0007")
    service.update_facts(store, actor, mine.id, {"age": 16})
    service.get_signal(store, actor, mine.id)
    return mine.id, other.id


def test_the_subject_is_found_by_an_identifier_written_any_way(store: Store, two_signals: tuple[str, str]) -> None:
    assert subjects.find_subject(store, ADMIN, SubjectQuery(kind="phone", value="+31 6 12340007")) == [two_signals[0]]
    with pytest.raises(NotFound):
        subjects.find_subject(store, ADMIN, SubjectQuery(kind="phone", value="06 1234 0999"))


def test_an_access_request_exports_signals_history_and_accesses(
    store: Store, two_signals: tuple[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "subject.json"
    counts = subjects.export_subject(store, ADMIN, SUBJECT, out, "AVG-2026-17")
    document = json.loads(out.read_text(encoding="utf-8"))
    [entry] = document["signals"]
    assert entry["signal"]["id"] == two_signals[0]
    assert "[synthetisch 7]" in entry["signal"]["narrative"]
    assert any(e["data"].get("reason") == "belde zelf vanaf 06 1234 0007" for e in entry["history"])
    assert [a["action"] for a in entry["accesses"]] == ["read"]
    assert counts["signals"] == 1
    assert out.stat().st_mode & 0o777 == 0o600


def test_only_an_administrator_handles_subject_requests(store: Store, actor: Actor, two_signals: tuple[str, str]) -> None:
    with pytest.raises(Forbidden):
        subjects.erase_subject(store, actor, SUBJECT, "AVG-2026-17")
    assert "[synthetisch 7]" in service.get_signal(store, actor, two_signals[0]).narrative


def test_erasure_leaves_no_readable_trace_and_the_chains_verify(
    store: Store, actor: Actor, two_signals: tuple[str, str], tmp_path: Path
) -> None:
    mine, other = two_signals
    anchors = tmp_path / "anchors.jsonl"
    audit.anchor(store, anchors)
    assert subjects.erase_subject(store, ADMIN, SUBJECT, "AVG-2026-17") == [mine]

    content = stored_text(store)
    for trace in TRACES:
        assert trace not in content, trace
    if store.dialect == "sqlite":  # the file itself: no old page or log frame keeps them either
        files = raw_files(store)
        for trace in TRACES:
            assert trace.encode() not in files, trace

    exported = json.dumps([s.model_dump(mode="json") for s in service.export_signals(store, actor)])
    for trace in TRACES:
        assert trace not in exported, trace
    erased = service.get_signal(store, actor, mine)
    assert (erased.narrative, erased.identifiers, erased.source_id) == ("[erased]", [], None)
    history = service.signal_history(store, actor, mine)
    assert [e.kind for e in history][-1] == "erased"
    assert all(e.data == {"erased": True} for e in history[:-1] if e.data)

    assert "[synthetisch 8]" in service.get_signal(store, actor, other).narrative
    report = audit.verify(store, anchors)
    assert report.ok, report.as_dict()
