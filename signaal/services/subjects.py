"""Data-subject requests: export everything about a person, and erase it where the law allows.

A person is found by an identifier (a phone number, IBAN, plate …, normalised as on input) or by
the signals named in the request; an identifier is found through its keyed lookup pseudonym
(``identifiers.lookup``), without decrypting the registry. The export holds the signals in full, their history, and who
accessed them (the access audit). Erasure destroys each signal's data key (crypto-shredding):
the history and the audit keep their rows and their hash chains still verify, but nothing they
hold about the person can be read again — nor can a backup made after the erasure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor, Role
from signaal.domain.identifiers import normalise_identifier
from signaal.errors import Forbidden, InvalidInput, NotFound
from signaal.services import access, audit
from signaal.services.signals import EventPublic
from signaal.services.subject_registrations import erase_registrations, export_registrations, find_registrations
from signaal.store import Store
from signaal.store import signals as rows
from signaal.store.erasure import erase_signals
from signaal.store.tables import IdentifierRow, SignalRow
from signaal.store.tables_security import AuditRow

__all__ = ["SubjectQuery", "erase_subject", "export_subject", "find_all", "find_subject"]


@dataclass(frozen=True)
class SubjectQuery:
    """Who the request is about: an identifier (kind and value as written), signal ids, and/or the
    name and date of birth (YYYY-MM-DD) under which other organisations' registrations hold them."""

    kind: str | None = None
    value: str | None = None
    signal_ids: tuple[str, ...] = ()
    name: str | None = None
    birth_date: str | None = None


def _require_admin(actor: Actor, what: str) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not {what}; data-subject requests are handled by an administrator")


def find_subject(store: Store, actor: Actor, query: SubjectQuery) -> list[str]:
    """The ids of the signals the request is about (NotFound when there are none)."""
    found = _signals_of(store, actor, query)
    if not found:
        raise NotFound("no signal holds this person's identifier")
    return found


def find_all(store: Store, actor: Actor, query: SubjectQuery) -> tuple[list[str], list[str]]:
    """The signals and the imported registrations' cases the request is about (NotFound when none)."""
    signals = _signals_of(store, actor, query)
    cases = find_registrations(store, query.name, query.birth_date, query.kind, query.value)
    if not signals and not cases:
        raise NotFound("no signal or imported registration holds this person")
    return signals, cases


def _signals_of(store: Store, actor: Actor, query: SubjectQuery) -> list[str]:
    if not query.signal_ids and not (query.kind and query.value) and not (query.name or query.birth_date):
        raise InvalidInput(
            "name the person by an identifier (--identifier KIND:VALUE), by --signal ids, or by --name and --birth-date"
        )
    found: list[str] = []
    with store.session() as session:
        for signal_id in query.signal_ids:
            found_access = access.access_to(session, actor, signal_id)
            if found_access is None or not found_access.owner:  # the owning organisation answers a request
                raise NotFound(f"no signal {signal_id!r}")
            found.append(signal_id)
        if query.kind and query.value:
            try:
                wanted = normalise_identifier(query.kind, query.value)
            except ValueError as exc:
                raise InvalidInput(f"identifier {query.kind}:{query.value}: {exc}") from None
            found += _by_identifier(store, session, actor, query.kind, wanted)
    return list(dict.fromkeys(found))


def _by_identifier(store: Store, session: Session, actor: Actor, kind: str, value: str) -> list[str]:
    """Visible signals holding the identifier, found by its lookup pseudonym (nothing decrypted);
    identifiers stored before the lookup index (revision 0013) are decrypted and compared."""
    lookup = store.codec.lookup(kind, value)
    # The owning organisation answers a request: only its own signals, not those shared with it.
    base = (
        select(SignalRow.id)
        .join(IdentifierRow, IdentifierRow.signal_id == SignalRow.id)
        .where(SignalRow.owner_org == actor.org)
    )
    found = list(session.scalars(base.where(IdentifierRow.kind == kind, IdentifierRow.lookup == lookup)))
    older = list(session.scalars(base.where(IdentifierRow.kind == kind, IdentifierRow.lookup.is_(None)).distinct()))
    if older:
        found += [sid for sid, k, v in rows.identifier_values(session, older) if k == kind and v == value]
    return found


def export_subject(store: Store, actor: Actor, query: SubjectQuery, out: Path, reference: str) -> dict[str, Any]:
    """Write everything about the person to ``out`` (JSON, owner-only) for an access request; the counts."""
    _require_admin(actor, "export a person's data")
    ids, cases = find_all(store, actor, query)
    registrations = export_registrations(store, actor, cases)
    with store.session() as session:
        signals = rows.load_signals(session, actor, ids)
        history = {
            sid: [
                EventPublic(
                    at=e.at, user=e.actor_user, org=e.actor_org, role=e.actor_role, kind=e.kind, data=e.data
                ).model_dump(mode="json")
                for e in rows.signal_events(session, sid)
            ]
            for sid in ids
        }
        accesses = [
            {"at": a.at.isoformat(), "user": a.actor_user, "org": a.actor_org, "role": a.actor_role,
             "purpose": a.purpose, "action": a.action, "signal_id": a.signal_id}
            for a in session.scalars(select(AuditRow).where(AuditRow.signal_id.in_(ids)).order_by(AuditRow.seq))
        ]  # fmt: skip
        audit.record_access(session, actor, "disclose", ids, {"subject_request": reference})
        if cases:
            audit.record_access(session, actor, "export", (), {"subject_request": reference, "registrations": cases})
    document = {
        "format": "signaal-subject-export-1",
        "request": reference,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "signals": [
            {
                "signal": s.model_dump(mode="json"),
                "history": history[s.id],
                "accesses": [a for a in accesses if a["signal_id"] == s.id],
            }
            for s in signals
        ],
        "registrations": registrations,
    }
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
    return {"file": str(out), "signals": len(signals), "registrations": len(registrations), "accesses": len(accesses)}


def erase_subject(store: Store, actor: Actor, query: SubjectQuery, reference: str) -> list[str]:
    """Erase the person's signals and imported registrations' cases (crypto-shredding); the signal
    ids and case references erased."""
    _require_admin(actor, "erase a person's data")
    if not reference.strip():
        raise InvalidInput("name the request (--reference) that the erasure answers")
    ids, cases = find_all(store, actor, query)
    why = {"request": reference.strip()}
    erased = erase_signal_ids(store, actor, ids, why) if ids else []
    return erased + erase_registrations(store, actor, cases, why)


def erase_signal_ids(store: Store, actor: Actor, ids: Sequence[str], why: dict[str, Any]) -> list[str]:
    """Erase these signals and record it: one 'erased' event each and one access record."""
    at = datetime.now(UTC)
    with store.session() as session:
        erase_signals(session, ids, at)
        for signal_id in ids:
            rows.add_event(session, actor, signal_id, "erased", why)  # the key is gone: stored in the clear
        audit.record_access(session, actor, "erase", ids, why)
    if store.dialect == "sqlite":
        # Older page images in the write-ahead log would still hold the erased text.
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return list(ids)
