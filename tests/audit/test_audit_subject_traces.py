"""Free texts of the action perspective are sealed; a data subject is found through the lookup
index; after an erasure no trace of them is readable in the tables, the raw SQLite file, a plain
pg_dump, an export or a backup made afterwards — and the chains still verify. Synthetic data."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import text
from test_audit_backup import target  # noqa: F401  (fixture)
from test_audit_encryption import raw_files

from signaal.domain.actor import Actor, Role
from signaal.services import audit, backup, referrals, shelter, subjects, triage
from signaal.services import signals as service
from signaal.services.backup import _libpq
from signaal.services.encryption import reencrypt
from signaal.services.subjects import SubjectQuery
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.schema import target_metadata

ADMIN = Actor("fg", "org-a", Role.ADMIN)
SUBJECT = SubjectQuery(kind="phone", value="06 1234 0007")
NOTES = {
    "decision": "Lotte-Synthetisch woont bij de vriend",
    "referral": "moeder Marieke-Synthetisch gebeld",
    "meldcode": "gesprek met Lotte-Synthetisch op school",
    "shelter": "zus Anouk-Synthetisch vangt op",
}
TRACES = ("[synthetisch 7]", "+31612340007", "XX107B", "Lotte-Synthetisch", "Marieke-Synthetisch", "Anouk-Synthetisch")


def every_table(store: Store) -> str:
    parts = []
    with store.engine.connect() as conn:
        for table in target_metadata.sorted_tables:
            for row in conn.execute(table.select()):
                parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


def plain_dump(store: Store) -> str:
    conn, schemas = _libpq(store.url)
    command = ["pg_dump", "--format=plain", "--data-only", f"--dbname={conn}", *(f"--schema={s}" for s in schemas)]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def with_triage(store: Store, actor: Actor, n: int) -> str:
    signal = service.record_signal(store, actor, make_signal(n))
    triage.record_decision(store, actor, signal.id, "zorgroute", NOTES["decision"], settings=store.settings)
    referrals.add_referral(store, actor, signal.id, "police-avim", note=NOTES["referral"], settings=store.settings)
    triage.complete_meldcode_step(store, actor, signal.id, "1", note=NOTES["meldcode"], settings=store.settings)
    shelter.request_shelter(store, actor, signal.id, "cosm", note=NOTES["shelter"])
    return signal.id


def test_notes_and_reasons_are_sealed_and_read_back(store: Store, actor: Actor) -> None:
    signal_id = with_triage(store, actor, 7)
    stored = every_table(store)
    for note in NOTES.values():
        assert note not in stored
    [decision] = triage.list_decisions(store, actor, signal_id)
    assert decision.reason == NOTES["decision"]
    [referral] = referrals.list_referrals(store, actor, signal_id)
    assert referral.note == NOTES["referral"]
    checklist = triage.meldcode_checklist(store, actor, signal_id, settings=store.settings)
    assert NOTES["meldcode"] in [item.note for item in checklist.items]


def test_a_subject_is_found_through_the_lookup_index(store: Store, actor: Actor) -> None:
    mine = service.record_signal(store, actor, make_signal(7)).id
    service.record_signal(store, actor, make_signal(8))
    with store.engine.connect() as conn:
        lookups = conn.execute(text("SELECT kind, lookup FROM identifiers WHERE lookup IS NOT NULL")).all()
        assert len(lookups) == 4 and all(len(h) == 64 for _, h in lookups)
        # An identifier from before the index (revision 0013) is still found, and reencrypt indexes it.
        conn.execute(text("UPDATE identifiers SET lookup = NULL WHERE signal_id = :s"), {"s": mine})
        conn.commit()
    assert subjects.find_subject(store, ADMIN, SubjectQuery(kind="phone", value="+31 6 12340007")) == [mine]
    done = reencrypt(store, ADMIN)
    assert done.values_sealed == 2  # the two lookups filled
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM identifiers WHERE lookup IS NULL")).scalar() == 0
    assert subjects.find_subject(store, ADMIN, SUBJECT) == [mine]


def test_erasure_leaves_no_trace_in_tables_files_dumps_exports_or_later_backups(
    store: Store, actor: Actor, tmp_path: Path, target: Settings  # noqa: F811
) -> None:
    mine = with_triage(store, actor, 7)
    other = with_triage(store, actor, 8)
    assert subjects.erase_subject(store, ADMIN, SUBJECT, "AVG-2026-31") == [mine]

    haystacks = {"tables": every_table(store)}
    if store.dialect == "sqlite":
        haystacks["sqlite file"] = raw_files(store).decode("utf-8", errors="replace")
    else:
        haystacks["pg_dump"] = plain_dump(store)
    haystacks["export"] = "\n".join(s.model_dump_json() for s in service.export_signals(store, actor))
    out = tmp_path / "after.sbk"
    backup.backup(store, ADMIN, out)
    backup.restore(target, ADMIN, out)
    restored = open_store(target)
    try:
        haystacks["restored backup"] = every_table(restored)
        assert audit.verify(restored).ok
    finally:
        restored.close()
    for where, hay in haystacks.items():
        for trace in TRACES:
            assert trace not in hay, (where, trace)
    # the other person's signal keeps its notes, and the chains verify
    assert [r.note for r in referrals.list_referrals(store, actor, other)] == [NOTES["referral"]]
    assert audit.verify(store).ok


@pytest.mark.parametrize("column", ["reason", "note"])
def test_a_sealed_note_cannot_be_moved_to_another_signal(store: Store, actor: Actor, column: str) -> None:
    first, second = with_triage(store, actor, 1), with_triage(store, actor, 2)
    table = "routing_decisions" if column == "reason" else "referrals"
    with store.engine.begin() as conn:
        stolen = conn.execute(text(f"SELECT {column} FROM {table} WHERE signal_id = :s"), {"s": first}).scalar()
        conn.execute(text(f"UPDATE {table} SET {column} = :v WHERE signal_id = :s"), {"v": stolen, "s": second})
    from signaal.errors import StorageError

    with pytest.raises(StorageError, match="does not decrypt"):
        if column == "reason":
            triage.list_decisions(store, actor, second)
        else:
            referrals.list_referrals(store, actor, second)


def test_an_erased_signal_takes_no_new_note(store: Store, actor: Actor) -> None:
    from signaal.errors import StorageError

    mine = with_triage(store, actor, 7)
    subjects.erase_subject(store, ADMIN, SUBJECT, "AVG-2026-31")
    with pytest.raises(StorageError, match="erased"):
        referrals.add_referral(store, actor, mine, "police-avim", note="nieuw: Lotte-Synthetisch", settings=store.settings)
    assert "Lotte-Synthetisch" not in every_table(store)
