"""The hash chains over the signal history (``events``) and the access audit (``audit_log``).

Every chained row carries its position ``seq``, the ``prev_hash`` of the row before it and its own
``hash`` = HMAC-SHA-256 under the chain key of the key store over ``prev_hash`` and a canonical
serialisation of the row's content (:mod:`signaal.store.chain_keys`; rows written before schema
revision 0012 use plain SHA-256 up to the chain's first key mark). A change,
deletion, insertion or reordering of rows breaks a link; the chain head (``chain_heads``) and the
anchors written outside the database catch a truncated tail. Appending takes the chain head's row
lock first, so concurrent writers queue instead of forking the chain (on SQLite the update takes
the database's write lock).

The serialisation is versioned (``CANON_VERSION``): a later change of format is a new version,
never a silent reinterpretation of stored hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from signaal.store.chain_keys import ChainKeys, Mark, keyed_hash, mark_mac, marks_of
from signaal.store.tables import EventRow
from signaal.store.tables_security import AuditRow, ChainHeadRow, ChainMarkRow

__all__ = [
    "CHAINS",
    "GENESIS",
    "Chain",
    "ChainState",
    "append",
    "canonical",
    "chain_keys_of",
    "chain_state",
    "link_hash",
    "walk",
]

CANON_VERSION = 1
GENESIS = "0" * 64


@dataclass(frozen=True)
class Chain:
    """One chained table: its name in ``chain_heads`` and the columns its hashes cover."""

    name: str
    table: Table
    columns: tuple[str, ...]


CHAINS: dict[str, Chain] = {
    "events": Chain(
        "events",
        EventRow.__table__,  # type: ignore[arg-type]
        ("signal_id", "at", "actor_user", "actor_org", "actor_role", "kind", "data"),
    ),
    "audit": Chain(
        "audit",
        AuditRow.__table__,  # type: ignore[arg-type]
        ("at", "actor_user", "actor_org", "actor_role", "on_behalf_of", "purpose", "action", "signal_id", "detail"),
    ),
}


def _plain(value: Any) -> Any:
    """A JSON-ready value that reads back the same from SQLite and PostgreSQL."""
    if isinstance(value, datetime):
        # SQLite hands back naive UTC, PostgreSQL an aware time: both become naive UTC text.
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(chain: Chain, seq: int, row: dict[str, Any]) -> bytes:
    """The bytes a row's hash covers: version, chain, position and content columns, as sorted JSON."""
    content = {c: _plain(row.get(c)) for c in chain.columns}
    body = [CANON_VERSION, chain.name, seq, content]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link_hash(prev_hash: str, payload: bytes) -> str:
    """The hash of one unkeyed link (before the chain's first key mark): SHA-256 over the previous
    hash and the row's canonical bytes."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(payload)
    return digest.hexdigest()


def _normalised(row: dict[str, Any]) -> dict[str, Any]:
    # JSON columns are hashed as they will read back (tuples become lists, keys become text).
    return {k: json.loads(json.dumps(v)) if isinstance(v, dict | list | tuple) else v for k, v in row.items()}


def _insert_ignoring_conflict(session: Session, table: Table, values: dict[str, Any]) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(**values).on_conflict_do_nothing()


# The statements of an append, built once: SQLAlchemy then only looks up their compiled form.
_HEAD: Table = ChainHeadRow.__table__  # type: ignore[assignment]
_LOCK = (
    update(_HEAD)
    .where(_HEAD.c.name == bindparam("chain"))
    .values(seq=_HEAD.c.seq + bindparam("count"))
    .returning(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.key_ref)
)
_MOVE = update(_HEAD).where(_HEAD.c.name == bindparam("chain")).values(hash=bindparam("hash"), key_ref=bindparam("ref"))
_INSERTS = {name: insert(chain.table) for name, chain in CHAINS.items()}


def _lock_head(session: Session, name: str, count: int) -> tuple[int, str, str | None]:
    """Reserve ``count`` positions of a chain; returns the last used position, its hash and key.

    The UPDATE takes the head's row lock (the database write lock on SQLite) until the caller's
    transaction ends, so no other writer can read the same head.
    """
    connection = session.connection()
    for _ in range(2):
        found = connection.execute(_LOCK, {"chain": name, "count": count}).first()
        if found is not None:
            return int(found.seq) - count, str(found.hash), found.key_ref
        # A registry emptied by its owner (or a test) has no head: start it, then lock it.
        session.execute(_insert_ignoring_conflict(session, _HEAD, {"name": name, "seq": 0, "hash": GENESIS}))
    raise RuntimeError(f"chain head {name!r} could not be locked")


def append(session: Session, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Chain and insert rows (content columns only) at the end of chain ``name``, in order."""
    if not rows:
        return
    chain = CHAINS[name]
    key = chain_keys_of(session).for_append(session)
    last, prev, key_ref = _lock_head(session, name, len(rows))
    connection = session.connection()
    if key_ref != key.ref:  # the first keyed append, or a new key version: mark where it starts
        connection.execute(
            insert(ChainMarkRow).values(
                chain=name, seq=last + 1, key_ref=key.ref, at=datetime.now(UTC), mark=mark_mac(key, name, last + 1)
            )
        )
    chained = []
    for offset, row in enumerate(rows, start=1):
        values = _normalised(row)
        seq = last + offset
        digest = keyed_hash(key.material, prev, canonical(chain, seq, values))
        chained.append({**values, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    connection.execute(_INSERTS[name], chained[0] if len(chained) == 1 else chained)
    connection.execute(_MOVE, {"chain": name, "hash": prev, "ref": key.ref})


def chain_keys_of(session: Session) -> ChainKeys:
    """The chain keys of the store the session belongs to."""
    store = session.info.get("store")
    if store is None:
        raise RuntimeError("a session from Store.session() is needed to write or verify a hash chain")
    keys: ChainKeys = store.chain_keys
    return keys


@dataclass(frozen=True)
class ChainState:
    """What the head row of a chain says: the last position and its hash (None when missing)."""

    seq: int | None
    hash: str | None


def chain_state(session: Session, name: str) -> ChainState:
    """The stored head of a chain."""
    head: Table = ChainHeadRow.__table__  # type: ignore[assignment]
    found = session.execute(select(head.c.seq, head.c.hash).where(head.c.name == name)).first()
    return ChainState(None, None) if found is None else ChainState(int(found.seq), str(found.hash))


@dataclass(frozen=True)
class Link:
    """One stored row as the walk sees it."""

    id: int
    seq: int | None
    prev_hash: str | None
    hash: str | None
    expected: str | None  # the hash recomputed from the stored content and stored prev_hash


def _rule(keys: ChainKeys, marks: Sequence[Mark], seq: int) -> bytes | bool | None:
    """The key of the link at ``seq`` (the last mark at or before it), False before the first mark
    (the unkeyed rule), None when the key store lacks the mark's key."""
    found: Mark | None = None
    for mark in marks:
        if mark.seq > seq:
            break
        found = mark
    if found is None:
        return False
    key = keys.get(found.key_ref)
    return None if key is None else key.material


def walk(session: Session, name: str, batch: int = 2000) -> Iterator[Link]:
    """Every row of a chain in stored-position order (rows without a position last), rehashed
    with the rule its position falls under (see :mod:`signaal.store.chain_keys`)."""
    chain = CHAINS[name]
    t = chain.table
    keys = chain_keys_of(session)
    marks = marks_of(session, name)
    cols = [t.c.id, t.c.seq, t.c.prev_hash, t.c.hash, *(t.c[c] for c in chain.columns)]
    query = select(*cols).order_by(t.c.seq.is_(None), t.c.seq, t.c.id)
    for row in session.execute(query.execution_options(yield_per=batch)):
        data = row._mapping
        content = {c: data[c] for c in chain.columns}
        expected = None
        if data["seq"] is not None and data["prev_hash"] is not None:
            seq, prev = int(data["seq"]), str(data["prev_hash"])
            key = _rule(keys, marks, seq)
            if key is False:
                expected = link_hash(prev, canonical(chain, seq, content))
            elif isinstance(key, bytes):
                expected = keyed_hash(key, prev, canonical(chain, seq, content))
        yield Link(int(data["id"]), data["seq"], data["prev_hash"], data["hash"], expected)


def content_rows(rows: Iterable[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Only the content columns of rows (what :func:`append` expects)."""
    columns = CHAINS[name].columns
    return [{c: r.get(c) for c in columns} for r in rows]
