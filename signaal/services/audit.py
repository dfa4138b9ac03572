"""The access audit and the tamper-evidence of the history: record, list, verify, anchor.

Every read of a signal, every worklist page, export and disclosure writes one audit record (who,
what, when, on whose behalf, why) through :func:`record_access`, in the same transaction as the
read. The audit and the signal history are hash chains; :func:`verify` rehashes both, checks the
database's guards and compares the chain heads with the anchors kept outside the database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor, Role
from signaal.errors import InvalidInput, Problem, StorageError
from signaal.store import Store, chain_keys, replay
from signaal.store import chain as chains
from signaal.store.guards import guard_problems
from signaal.store.tables_security import AuditRow

__all__ = [
    "AccessContext",
    "AuditEntry",
    "ChainReport",
    "VerifyReport",
    "access",
    "anchor",
    "current_access",
    "list_audit",
    "read_anchors",
    "record_access",
    "verify",
]

#: The purpose recorded for an access when the caller names none, per role.
DEFAULT_PURPOSE: dict[Role, str] = {
    Role.REPORTER: "signal handling",
    Role.COORDINATOR: "care coordination",
    Role.ANALYST: "analysis",
    Role.MODERATOR: "platform moderation",
    Role.ADMIN: "administration",
}

#: Actions recorded once per signal (others are one record naming every signal concerned).
PER_SIGNAL = frozenset({"read", "disclose"})

#: At most this many problems are listed per chain; the count covers them all.
MAX_LISTED = 20


@dataclass(frozen=True)
class AccessContext:
    """Why data is being read, and for whom (a person acting for another, e.g. a duty officer).

    Inside one :func:`access` block (one page, one command) a signal read several times is
    recorded once.
    """

    purpose: str | None = None
    on_behalf_of: str | None = None
    recorded: set[tuple[str, str]] | None = field(default=None, compare=False, repr=False)


_ACCESS: ContextVar[AccessContext | None] = ContextVar("signaal_access", default=None)
_UNNAMED = AccessContext()


@contextmanager
def access(purpose: str | None = None, on_behalf_of: str | None = None) -> Iterator[AccessContext]:
    """Name the purpose (and principal) of the reads made inside the block, for their audit records."""
    if purpose is not None and not purpose.strip():
        raise InvalidInput("the purpose of an access may not be empty")
    context = AccessContext(purpose.strip() if purpose else None, on_behalf_of or None, set())
    token = _ACCESS.set(context)
    try:
        yield context
    finally:
        _ACCESS.reset(token)


def current_access() -> AccessContext:
    """The purpose and principal in force for this call (set by :func:`access`)."""
    return _ACCESS.get() or _UNNAMED


def record_access(
    session: Session,
    actor: Actor,
    action: str,
    signal_ids: Sequence[str] = (),
    detail: dict[str, Any] | None = None,
) -> None:
    """Write the audit record of one access: one record per signal read, one per list or export."""
    context = current_access()
    base = {
        "at": datetime.now(UTC),
        "actor_user": actor.user,
        "actor_org": actor.org,
        "actor_role": actor.role.value,
        "on_behalf_of": context.on_behalf_of,
        "purpose": (context.purpose or DEFAULT_PURPOSE.get(actor.role, "unspecified"))[:80],
        "action": action,
    }
    if action in PER_SIGNAL:
        if context.recorded is not None:
            signal_ids = [sid for sid in signal_ids if (action, sid) not in context.recorded]
            context.recorded.update((action, sid) for sid in signal_ids)
        rows = [{**base, "signal_id": sid, "detail": dict(detail or {})} for sid in signal_ids]
    else:
        rows = [{**base, "signal_id": None, "detail": {**(detail or {}), "signal_ids": list(signal_ids)}}]
    chains.append(session, "audit", rows)


@dataclass(frozen=True)
class AuditEntry:
    """One audit record as listed."""

    seq: int
    at: datetime
    user: str
    org: str
    role: str
    on_behalf_of: str | None
    purpose: str
    action: str
    signal_id: str | None
    detail: dict[str, Any]


def list_audit(
    store: Store,
    actor: Actor,
    *,
    signal_id: str | None = None,
    user: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Audit records, newest first: for a signal, for a user, or all (admins only)."""
    if actor.role != Role.ADMIN:
        from signaal.errors import Forbidden

        raise Forbidden(f"{actor} may not read the audit log")
    query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)
    if signal_id is not None:
        query = query.where(AuditRow.signal_id == signal_id)
    if user is not None:
        query = query.where(AuditRow.actor_user == user)
    with store.session() as session:
        found = list(session.scalars(query))
        record_access(session, actor, "audit_list", (), {"signal_id": signal_id, "user": user})
    return [
        AuditEntry(
            seq=r.seq,
            at=r.at,
            user=r.actor_user,
            org=r.actor_org,
            role=r.actor_role,
            on_behalf_of=r.on_behalf_of,
            purpose=r.purpose,
            action=r.action,
            signal_id=r.signal_id,
            detail=dict(r.detail or {}),
        )
        for r in found
    ]


@dataclass
class ChainReport:
    """What the verification found in one chain."""

    name: str
    rows: int = 0
    last_seq: int = 0
    last_hash: str = chains.GENESIS
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    def problem(self, text: str) -> None:
        """Count a problem; keep its text while the list is short."""
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(text)


@dataclass
class VerifyReport:
    """The outcome of :func:`verify`: per chain, the guards, and the anchors compared."""

    chains: list[ChainReport]
    guard_problems: list[str]
    anchors_checked: int
    working_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no chain, guard or anchor problem was found."""
        return not self.guard_problems and not self.working_problems and not any(c.problem_count for c in self.chains)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "ok": self.ok,
            "anchors_checked": self.anchors_checked,
            "guard_problems": self.guard_problems,
            "working_problems": self.working_problems,
            "chains": [
                {
                    "name": c.name,
                    "rows": c.rows,
                    "last_seq": c.last_seq,
                    "last_hash": c.last_hash,
                    "problem_count": c.problem_count,
                    "problems": c.problems,
                }
                for c in self.chains
            ],
        }


def _walk_chain(session: Session, name: str, wanted: set[int]) -> tuple[ChainReport, dict[int, str]]:
    report = ChainReport(name)
    seen: dict[int, str] = {}
    expected_seq, prev = 1, chains.GENESIS
    for link in chains.walk(session, name):
        report.rows += 1
        if link.seq is None or link.hash is None or link.prev_hash is None:
            report.problem(f"row id {link.id} is outside the chain (inserted without a position or hash)")
            continue
        if link.seq > expected_seq:
            report.problem(f"positions {expected_seq}-{link.seq - 1} are missing (deleted)")
        elif link.seq < expected_seq:
            report.problem(f"position {link.seq} (row id {link.id}) appears again (inserted or reordered)")
        if link.prev_hash != prev:
            report.problem(f"position {link.seq} (row id {link.id}) does not link to the row before it")
        if link.expected != link.hash:
            report.problem(f"position {link.seq} (row id {link.id}) does not match its hash (changed)")
        if link.seq in wanted:
            seen[link.seq] = link.hash
        prev, expected_seq = link.hash, link.seq + 1
        report.last_seq, report.last_hash = link.seq, link.hash
    marks = chain_keys.marks_of(session, name)
    for text in chain_keys.mark_problems(chains.chain_keys_of(session), name, marks, report.rows, report.last_seq):
        report.problem(text)
    head = chains.chain_state(session, name)
    if head.seq is None:
        if report.rows:
            report.problem("the chain head is missing")
    elif head.seq != report.last_seq or head.hash != report.last_hash:
        report.problem(
            f"the chain head says position {head.seq}, the rows end at {report.last_seq} (rows removed or head moved)"
        )
    return report, seen


def verify(store: Store, anchors: Path | None = None) -> VerifyReport:
    """Rehash both chains, check the guards, replay the history against the working tables, and compare
    with the anchors in ``anchors`` (if given)."""
    anchored = read_anchors(anchors) if anchors is not None else []
    reports = []
    with store.session() as session:
        guards = guard_problems(session.connection())
        for name in chains.CHAINS:
            points = [(line, a[name]) for line, a in anchored if name in a]
            report, seen = _walk_chain(session, name, {seq for _, (seq, _) in points})
            for line, (seq, digest) in points:
                if seq == 0 and digest == chains.GENESIS:
                    continue  # anchored while the chain was empty
                if seq > report.last_seq:
                    report.problem(f"anchor on line {line} names position {seq}, which is gone (truncated)")
                elif seen.get(seq) != digest:
                    report.problem(f"position {seq} differs from the anchor on line {line}")
            reports.append(report)
        working = replay.working_problems(session)
    return VerifyReport(reports, guards, len(anchored), working)


def read_anchors(path: Path) -> list[tuple[int, dict[str, tuple[int, str]]]]:
    """The anchors (line number, position and hash per chain) in a file written by :func:`anchor`."""
    if not path.exists():
        raise InvalidInput(f"no anchor file at {path}")
    anchored = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            anchored.append((number, {name: (int(v["seq"]), str(v["hash"])) for name, v in record["chains"].items()}))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InvalidInput(
                "the anchor file is not readable", [Problem("not an anchor record", file=str(path), line=number)]
            ) from None
    return anchored


def anchor(store: Store, path: Path) -> VerifyReport:
    """Verify the chains and append their heads to ``path`` (created owner-only); refuses a broken chain."""
    report = verify(store, path if path.exists() else None)
    if not report.ok:
        raise StorageError(f"the chains do not verify; nothing was anchored ({_first_problem(report)})")
    record = {
        "anchored_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chains": {c.name: {"seq": c.last_seq, "hash": c.last_hash} for c in report.chains},
    }
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return report


def _first_problem(report: VerifyReport) -> str:
    for text in report.guard_problems:
        return text
    for text in report.working_problems:
        return text
    for c in report.chains:
        if c.problems:
            return f"{c.name}: {c.problems[0]}"
    return "unknown problem"
