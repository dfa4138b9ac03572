"""`signaal audit verify` finds every tampering a database owner can do, on SQLite and PostgreSQL.

Each tampering is done as the owner would: with the guards set aside for the change and put back
exactly as they were afterwards (SQLite: triggers dropped and recreated; PostgreSQL: replica mode
for one transaction), so what finds it is the hash chain, the chain head or the anchor — except
for the tamperings with the guards themselves, which the guard check must report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import Connection, text

from signaal.domain.actor import Actor
from signaal.services import audit
from signaal.services import signals as service
from signaal.store import Store, chain, guards

TABLES = {"events": "events", "audit": "audit_log"}


def populate(store: Store, actor: Actor, start: int = 0) -> None:
    """Six synthetic signals, status changes, and one audit record per read."""
    for n in range(start, start + 6):
        recorded = service.record_signal(store, actor, make_signal(n))
        service.change_status(store, actor, recorded.id, "in_triage", "synthetisch")
        with store.session() as session:
            audit.record_access(session, actor, "read", [recorded.id])


@contextmanager
def as_owner(store: Store) -> Iterator[Connection]:
    """A connection that may change anything, leaving the guards as they were."""
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            yield conn
            return
        for statement in guards.drop_statements("sqlite"):
            conn.exec_driver_sql(statement)
        yield conn
        for statement in guards.create_statements("sqlite"):
            conn.exec_driver_sql(statement)


def rows(conn: Connection, name: str) -> list[dict[str, object]]:
    table = chain.CHAINS[name].table
    return [dict(r._mapping) for r in conn.execute(table.select().order_by(table.c.seq))]


def rechain(conn: Connection, name: str, start: int) -> None:
    """Recompute every link from position ``start`` and move the head: a careful forger."""
    spec = chain.CHAINS[name]
    table = spec.table
    stored = rows(conn, name)
    prev = chain.GENESIS
    for row in stored:
        seq = int(row["seq"])  # type: ignore[call-overload]
        if seq >= start:
            digest = chain.link_hash(prev, chain.canonical(spec, seq, row))
            conn.execute(table.update().where(table.c.id == row["id"]).values(prev_hash=prev, hash=digest))
            prev = digest
        else:
            prev = str(row["hash"])
    last = int(stored[-1]["seq"]) if stored else 0  # type: ignore[call-overload]
    conn.execute(text("UPDATE chain_heads SET seq = :s, hash = :h WHERE name = :n"), {"s": last, "h": prev, "n": name})


def middle(conn: Connection, name: str) -> dict[str, object]:
    stored = rows(conn, name)
    return stored[len(stored) // 2]


def content_column(name: str) -> str:
    return "kind" if name == "events" else "purpose"


def edit(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        row = middle(conn, name)
        conn.execute(
            text(f"UPDATE {TABLES[name]} SET {content_column(name)} = 'rewritten' WHERE id = :i"), {"i": row["id"]}
        )


def edit_rehash_row(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        row = middle(conn, name)
        spec = chain.CHAINS[name]
        forged = {**row, content_column(name): "rewritten"}
        digest = chain.link_hash(str(row["prev_hash"]), chain.canonical(spec, int(row["seq"]), forged))  # type: ignore[call-overload]
        conn.execute(
            text(f"UPDATE {TABLES[name]} SET {content_column(name)} = 'rewritten', hash = :h WHERE id = :i"),
            {"h": digest, "i": row["id"]},
        )


def edit_rechain_all(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        row = middle(conn, name)
        conn.execute(
            text(f"UPDATE {TABLES[name]} SET {content_column(name)} = 'rewritten' WHERE id = :i"), {"i": row["id"]}
        )
        rechain(conn, name, int(row["seq"]))  # type: ignore[call-overload]


def delete_middle(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        conn.execute(text(f"DELETE FROM {TABLES[name]} WHERE id = :i"), {"i": middle(conn, name)["id"]})


def delete_renumber_rechain(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        row = middle(conn, name)
        conn.execute(text(f"DELETE FROM {TABLES[name]} WHERE id = :i"), {"i": row["id"]})
        for later in rows(conn, name):
            if int(later["seq"]) > int(row["seq"]):  # type: ignore[call-overload]
                conn.execute(text(f"UPDATE {TABLES[name]} SET seq = seq - 1 WHERE id = :i"), {"i": later["id"]})
        rechain(conn, name, int(row["seq"]))  # type: ignore[call-overload]


def insert_middle(store: Store, name: str) -> None:
    """Shift the later rows up one position and put a forged row in the gap."""
    with as_owner(store) as conn:
        row = middle(conn, name)
        table = chain.CHAINS[name].table
        for later in reversed(rows(conn, name)):
            if int(later["seq"]) > int(row["seq"]):  # type: ignore[call-overload]
                conn.execute(text(f"UPDATE {TABLES[name]} SET seq = seq + 1 WHERE id = :i"), {"i": later["id"]})
        forged = {k: v for k, v in row.items() if k != "id"}
        forged["seq"] = int(row["seq"]) + 1  # type: ignore[call-overload]
        conn.execute(table.insert().values(**forged))


def append_forged_at_end(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        stored = rows(conn, name)
        forged = {k: v for k, v in stored[-1].items() if k != "id"}
        forged["seq"] = int(stored[-1]["seq"]) + 1  # type: ignore[call-overload]
        forged["prev_hash"] = stored[-1]["hash"]
        conn.execute(chain.CHAINS[name].table.insert().values(**forged))


def swap_positions(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        stored = rows(conn, name)
        a, b = stored[1], stored[2]
        conn.execute(text(f"UPDATE {TABLES[name]} SET seq = -1 WHERE id = :i"), {"i": a["id"]})
        conn.execute(text(f"UPDATE {TABLES[name]} SET seq = :s WHERE id = :i"), {"s": a["seq"], "i": b["id"]})
        conn.execute(text(f"UPDATE {TABLES[name]} SET seq = :s WHERE id = :i"), {"s": b["seq"], "i": a["id"]})


def swap_contents(store: Store, name: str) -> None:
    column = "kind" if name == "events" else "signal_id"
    with as_owner(store) as conn:
        stored = rows(conn, name)
        a, b = stored[0], stored[-1]
        sql = text(f"UPDATE {TABLES[name]} SET {column} = :v WHERE id = :i")
        conn.execute(sql, {"v": b[column], "i": a["id"]})
        conn.execute(sql, {"v": a[column], "i": b["id"]})


def truncate_tail(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        stored = rows(conn, name)
        for row in stored[-3:]:
            conn.execute(text(f"DELETE FROM {TABLES[name]} WHERE id = :i"), {"i": row["id"]})
        conn.execute(
            text("UPDATE chain_heads SET seq = :s, hash = :h WHERE name = :n"),
            {"s": stored[-4]["seq"], "h": stored[-4]["hash"], "n": name},
        )


def truncate_all(store: Store, name: str) -> None:
    with as_owner(store) as conn:
        if store.dialect == "postgresql":
            conn.execute(text(f"TRUNCATE {TABLES[name]}"))
        else:
            conn.execute(text(f"DELETE FROM {TABLES[name]}"))


def truncate_all_and_head(store: Store, name: str) -> None:
    truncate_all(store, name)
    with as_owner(store) as conn:
        conn.execute(text("DELETE FROM chain_heads WHERE name = :n"), {"n": name})


def disable_trigger(store: Store, name: str) -> None:
    table = TABLES[name]
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        else:
            conn.execute(text(f"DROP TRIGGER {table}_no_update"))


def weaken_trigger(store: Store, name: str) -> None:
    table = TABLES[name]
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION signaal_append_only() RETURNS trigger "
                    "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"
                )
            )
        else:
            conn.execute(text(f"DROP TRIGGER {table}_no_delete"))
            conn.execute(text(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN 0 BEGIN SELECT 1; END"))


TAMPERINGS: dict[str, Callable[[Store, str], None]] = {
    "edit": edit,
    "edit-and-rehash-row": edit_rehash_row,
    "edit-and-rechain-all": edit_rechain_all,
    "delete": delete_middle,
    "delete-renumber-rechain": delete_renumber_rechain,
    "insert": insert_middle,
    "append-forged": append_forged_at_end,
    "reorder-positions": swap_positions,
    "reorder-contents": swap_contents,
    "truncate-tail": truncate_tail,
    "truncate": truncate_all,
    "truncate-with-head": truncate_all_and_head,
    "trigger-disabled": disable_trigger,
    "trigger-weakened": weaken_trigger,
}
GUARD_TAMPERINGS = {"trigger-disabled", "trigger-weakened"}


def reinstall_guards(store: Store) -> None:
    """Put the guards back (the PostgreSQL schema outlives a test; a SQLite file does not)."""
    if store.dialect != "postgresql":
        return
    with store.engine.begin() as conn:
        for statement in guards.drop_statements("postgresql"):
            conn.execute(
                text(
                    statement.replace("DROP TRIGGER ", "DROP TRIGGER IF EXISTS ").replace(
                        "DROP FUNCTION ", "DROP FUNCTION IF EXISTS "
                    )
                )
            )
        for statement in guards.create_statements("postgresql"):
            conn.execute(text(statement))


@pytest.fixture
def anchored(store: Store, actor: Actor, tmp_path: Path) -> Iterator[Path]:
    """A populated registry whose chain heads are anchored in a file."""
    populate(store, actor)
    anchors = tmp_path / "anchors.jsonl"
    assert audit.anchor(store, anchors).ok
    yield anchors
    reinstall_guards(store)


def test_an_untouched_registry_verifies_against_its_anchor(store: Store, anchored: Path) -> None:
    report = audit.verify(store, anchored)
    assert report.ok, report.as_dict()
    assert [c.rows for c in report.chains] == [12, 6]
    assert anchored.stat().st_mode & 0o777 == 0o600


def test_work_after_an_anchor_still_verifies(store: Store, actor: Actor, anchored: Path) -> None:
    populate(store, actor, start=6)
    assert audit.anchor(store, anchored).ok
    report = audit.verify(store, anchored)
    assert report.ok, report.as_dict()
    assert report.anchors_checked == 2


@pytest.mark.parametrize("chain_name", ["events", "audit"])
@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_verify_detects_the_tampering(store: Store, anchored: Path, tampering: str, chain_name: str) -> None:
    TAMPERINGS[tampering](store, chain_name)
    report = audit.verify(store, anchored)
    assert not report.ok
    if tampering in GUARD_TAMPERINGS:
        assert report.guard_problems
    else:
        # The guards were put back as they were: the chain, its head or the anchor found it.
        assert report.guard_problems == []
        found = {c.name: c.problem_count for c in report.chains}
        assert found[chain_name] > 0, report.as_dict()


# A forger without the chain key cannot rechain; only a cut tail needs the anchor to be seen.
NEED_AN_ANCHOR = {"truncate-tail"}


@pytest.mark.parametrize("tampering", sorted(set(TAMPERINGS) - GUARD_TAMPERINGS - NEED_AN_ANCHOR))
@pytest.mark.parametrize("chain_name", ["events", "audit"])
def test_the_keyed_chain_alone_detects_the_tampering(store: Store, actor: Actor, tampering: str, chain_name: str) -> None:
    populate(store, actor)
    TAMPERINGS[tampering](store, chain_name)
    assert not audit.verify(store).ok
    reinstall_guards(store)
