"""Recompute lookup pseudonyms under the active ``lookup`` key version (rotation in place).

After ``signaal keys new lookup``, ``signaal db reencrypt`` calls these per batch: every stored
lookup pseudonym — identifiers of signals, linking keys, names and dates of birth in linking, and
the pseudonym an exact link names — is computed again from its value (decrypted with its data key)
and written when it differs. A batch is one transaction, and a link's pseudonym is changed in the
same transaction as the keys of its left case, so an interrupted run is simply started again; a
run with nothing left to change changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from signaal.store.codec import ERASED, PREFIX, Codec, SignalKeys
from signaal.store.link_sealing import BIRTH, KEY, NAME, case_keys, name_key, open_value
from signaal.store.tables import IdentifierRow
from signaal.store.tables_link import LinkKeyRow, LinkPersonRow, LinkRow

__all__ = ["relookup_links", "relookup_signals"]


def _opened(keys: SignalKeys, case: str, column: str, stored: str | None) -> str | None:
    return stored if not stored or not stored.startswith(PREFIX) else open_value(keys, case, column, stored)


def relookup_signals(session: Session, codec: Codec, signal_ids: list[str]) -> int:
    """Recompute the lookup pseudonyms of these signals' identifiers; how many changed."""
    keys = codec.load(session, signal_ids)
    found = session.execute(
        select(IdentifierRow.id, IdentifierRow.signal_id, IdentifierRow.kind, IdentifierRow.value, IdentifierRow.lookup)
        .where(IdentifierRow.signal_id.in_(signal_ids), IdentifierRow.lookup.is_not(None))
        .order_by(IdentifierRow.id)
    ).all()
    changed = 0
    for ident, sid, kind, stored, old in found:
        value = keys.open(sid, "identifier", stored)
        if not value or value == ERASED:
            continue  # erased: nothing left to find it by
        new = codec.lookup(kind, value)
        if new != old:
            session.execute(update(IdentifierRow).where(IdentifierRow.id == ident).values(lookup=new))
            changed += 1
    return changed


def relookup_links(session: Session, codec: Codec, refs: list[str], now: datetime) -> int:
    """Recompute the lookup pseudonyms of these link cases (keys, names, dates of birth) and of the
    exact links whose left case they are; how many changed."""
    keys = case_keys(session, codec, refs, now)
    changed = 0
    renamed: dict[tuple[str, str, str], str] = {}
    for ident, case, kind, stored, old in session.execute(
        select(LinkKeyRow.id, LinkKeyRow.case_ref, LinkKeyRow.kind, LinkKeyRow.value, LinkKeyRow.pseudonym).where(
            LinkKeyRow.case_ref.in_(refs), LinkKeyRow.key_ref == "lookup"
        )
    ).all():
        value = _opened(keys, case, KEY, stored)
        if not value:
            continue
        new = codec.lookup(kind, value)
        renamed[(case, kind, old)] = new
        if new != old:
            session.execute(update(LinkKeyRow).where(LinkKeyRow.id == ident).values(pseudonym=new))
            changed += 1
    for ref, case, name, birth, name_old, birth_old in session.execute(
        select(
            LinkPersonRow.ref,
            LinkPersonRow.case_ref,
            LinkPersonRow.name,
            LinkPersonRow.birth_date,
            LinkPersonRow.name_lookup,
            LinkPersonRow.birth_lookup,
        ).where(LinkPersonRow.case_ref.in_(refs))
    ).all():
        name, birth = _opened(keys, case, NAME, name), _opened(keys, case, BIRTH, birth)
        name_new = codec.lookup("name", name_key(name)) if name and name_old else name_old
        birth_new = codec.lookup("birth_date", birth) if birth and birth_old else birth_old
        if (name_new, birth_new) != (name_old, birth_old):
            values = {"name_lookup": name_new, "birth_lookup": birth_new}
            session.execute(update(LinkPersonRow).where(LinkPersonRow.ref == ref).values(**values))
            changed += 1
    for ident, left, kind, old in session.execute(
        select(LinkRow.id, LinkRow.left_case, LinkRow.key_kind, LinkRow.key_value).where(
            LinkRow.left_case.in_(refs), LinkRow.key_kind != ""
        )
    ).all():
        now_named = renamed.get((left, kind, old))
        if now_named is not None and now_named != old:
            session.execute(update(LinkRow).where(LinkRow.id == ident).values(key_value=now_named))
            changed += 1
    return changed
