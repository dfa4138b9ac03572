"""The database's own guards of the append-only tables, and a check that they are still in force.

What the database can refuse it refuses: updates and deletes of history and audit rows, an
``INSERT OR REPLACE`` that would silently delete one (SQLite), a TRUNCATE (PostgreSQL), and a
chain head moved backwards or removed. An owner of the database can still drop or disable these;
:func:`guard_problems` reports that, and the hash chain shows what was done meanwhile.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

__all__ = ["APPEND_ONLY", "create_statements", "drop_statements", "guard_problems", "no_replace_trigger"]

APPEND_ONLY = ("events", "audit_log")

_PG_APPEND_ONLY = "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END"
_PG_HEAD_FORWARD = (
    "BEGIN IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq OR NEW.name <> OLD.name "
    "THEN RAISE EXCEPTION 'chain heads only move forward'; END IF; RETURN NEW; END"
)


def no_replace_trigger(table: str) -> str:
    """SQLite's refusal of an INSERT OR REPLACE, which removes the clashing row without firing a
    delete trigger. Two lookups, not one ``id = NEW.id OR seq = NEW.seq``: with statistics taken
    while the table was small the planner answers that OR by scanning the whole table, which made
    every append cost time in proportion to the length of the chain."""
    return (
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
        f"OR EXISTS (SELECT 1 FROM {table} WHERE seq = NEW.seq) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def _sqlite_triggers() -> dict[str, str]:
    triggers: dict[str, str] = {}
    for table in APPEND_ONLY:
        raise_ = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        triggers[f"{table}_no_update"] = f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {raise_}"
        triggers[f"{table}_no_delete"] = f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {raise_}"
        triggers[f"{table}_no_replace"] = no_replace_trigger(table)
    head_raise = "BEGIN SELECT RAISE(ABORT, 'chain heads only move forward'); END"
    triggers["chain_heads_forward"] = (
        "CREATE TRIGGER chain_heads_forward BEFORE UPDATE ON chain_heads "
        f"WHEN NEW.seq < OLD.seq OR NEW.name <> OLD.name {head_raise}"
    )
    triggers["chain_heads_no_delete"] = (
        f"CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads {head_raise}"
    )
    triggers["chain_heads_no_replace"] = (
        "CREATE TRIGGER chain_heads_no_replace BEFORE INSERT ON chain_heads "
        f"WHEN EXISTS (SELECT 1 FROM chain_heads WHERE name = NEW.name) {head_raise}"
    )
    return triggers


def _pg_triggers() -> dict[str, tuple[str, str]]:
    """Trigger name -> (table, CREATE statement)."""
    triggers: dict[str, tuple[str, str]] = {}
    for table in APPEND_ONLY:
        triggers[f"{table}_append_only"] = (
            table,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION signaal_append_only()",
        )
        triggers[f"{table}_no_truncate"] = (
            table,
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION signaal_append_only()",
        )
    triggers["chain_heads_forward"] = (
        "chain_heads",
        "CREATE TRIGGER chain_heads_forward BEFORE UPDATE OR DELETE ON chain_heads "
        "FOR EACH ROW EXECUTE FUNCTION signaal_chain_head_forward()",
    )
    triggers["chain_heads_no_truncate"] = (
        "chain_heads",
        "CREATE TRIGGER chain_heads_no_truncate BEFORE TRUNCATE ON chain_heads "
        "FOR EACH STATEMENT EXECUTE FUNCTION signaal_append_only()",
    )
    return triggers


_PG_FUNCTIONS = {"signaal_append_only": _PG_APPEND_ONLY, "signaal_chain_head_forward": _PG_HEAD_FORWARD}


def create_statements(dialect: str) -> list[str]:
    """The statements that install every guard on a database of this dialect."""
    if dialect == "sqlite":
        return list(_sqlite_triggers().values())
    functions = [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"
        for name, body in _PG_FUNCTIONS.items()
    ]
    return functions + [statement for _, statement in _pg_triggers().values()]


def drop_statements(dialect: str) -> list[str]:
    """The statements that remove every guard (for the downgrade)."""
    if dialect == "sqlite":
        return [f"DROP TRIGGER {name}" for name in _sqlite_triggers()]
    triggers = [f"DROP TRIGGER {name} ON {table}" for name, (table, _) in _pg_triggers().items()]
    return triggers + [f"DROP FUNCTION {name}()" for name in _PG_FUNCTIONS]


def _squash(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").lower()


def guard_problems(conn: Connection) -> list[str]:
    """Every guard that is missing, altered or disabled (empty when all are in force)."""
    if conn.dialect.name == "sqlite":
        stored = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).tuples().all())
        problems = []
        for name, sql in _sqlite_triggers().items():
            if name not in stored:
                problems.append(f"trigger {name} is missing")
            elif _squash(stored[name] or "") != _squash(sql):
                problems.append(f"trigger {name} was altered")
        return problems
    problems = []
    rows = conn.execute(
        text(
            "SELECT t.tgname, t.tgenabled FROM pg_trigger t "
            "WHERE NOT t.tgisinternal AND t.tgrelid IN (to_regclass('events'), to_regclass('audit_log'), "
            "to_regclass('chain_heads'))"
        )
    ).tuples()
    enabled = {str(name): str(state) for name, state in rows}
    for name in _pg_triggers():
        if name not in enabled:
            problems.append(f"trigger {name} is missing")
        elif enabled[name] not in ("O", "A"):
            problems.append(f"trigger {name} is disabled")
    for name, body in _PG_FUNCTIONS.items():
        source = conn.execute(
            text("SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(:sig)"), {"sig": f"{name}()"}
        ).scalar()
        if source is None:
            problems.append(f"function {name} is missing")
        elif _squash(source) != _squash(body):
            problems.append(f"function {name} was altered")
    return problems
