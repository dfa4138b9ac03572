"""What linking stores about people, sealed: names, dates of birth and identifiers of link cases.

A link case belongs to a signal (``signal:ID``, sealed under the signal's own data key) or is a
case of another organisation's registration (``reg:ORG:CASE``, sealed under a data key of its
own, made on import and kept in ``data_keys`` under the case reference). Erasing either destroys
that key, so the copies linking keeps become unreadable with the rest.

Matching never decrypts: ``link_keys.pseudonym`` is the keyed lookup pseudonym of (kind, value)
that exact links join on, and ``link_persons.name_lookup`` / ``birth_lookup`` are the lookup
pseudonyms of the normalised name and the date of birth that candidate blocking and data-subject
requests search (:meth:`signaal.store.codec.Codec.lookup`, the registry's own key). The person
model itself compares names and dates, so :func:`open_persons` decrypts the persons it compares.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from signaal.store.codec import ERASED, Codec, SignalKeys

__all__ = [
    "BIRTH",
    "KEY",
    "NAME",
    "case_keys",
    "name_key",
    "open_value",
    "owner_of",
    "seal_key_row",
    "seal_person_row",
]

NAME, BIRTH, KEY = "link_name", "link_birth_date", "link_key"


def owner_of(case_ref: str) -> str:
    """The owner of a case's data key: the signal id for a signal's case, else the case reference."""
    return case_ref.split(":", 1)[1] if case_ref.startswith("signal:") else case_ref


def name_key(name: str) -> str:
    """A name as the lookup pseudonym covers it: case, accents and spacing folded."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def case_keys(session: Session, codec: Codec, case_refs: Iterable[str], now: datetime) -> SignalKeys:
    """The data keys of these cases: a signal's own, a registration's (made now when it has none)."""
    owners = {owner_of(ref) for ref in case_refs}
    keys = codec.load(session, owners)
    missing = sorted(o for o in owners if o not in keys.keys and not _is_signal(o))
    if missing:
        fresh, rows = codec.new_keys(missing, now)
        for start in range(0, len(rows), 2000):
            session.execute(insert(_data_keys()), rows[start : start + 2000])
        keys.keys.update(fresh.keys)
    return keys


def _is_signal(owner: str) -> bool:
    return ":" not in owner


def _data_keys() -> Any:
    from signaal.store.tables_security import DataKeyRow

    return DataKeyRow.__table__


def seal_person_row(keys: SignalKeys, codec: Codec, row: dict[str, Any]) -> dict[str, Any]:
    """A link_persons row with name and date of birth sealed and their lookup pseudonyms set."""
    owner = owner_of(row["case_ref"])
    name, birth = row.get("name"), row.get("birth_date")
    return {
        **row,
        "name": _seal(keys, owner, NAME, name),
        "birth_date": _seal(keys, owner, BIRTH, birth),
        "name_lookup": codec.lookup("name", name_key(name)) if name else None,
        "birth_lookup": codec.lookup("birth_date", birth) if birth else None,
    }


def seal_key_row(keys: SignalKeys, codec: Codec, row: dict[str, Any]) -> dict[str, Any]:
    """A link_keys row with its value sealed and its lookup pseudonym set."""
    value = row["value"]
    return {
        **row,
        "value": _seal(keys, owner_of(row["case_ref"]), KEY, value),
        "pseudonym": codec.lookup(row["kind"], value),
        "key_ref": "lookup",
    }


def _seal(keys: SignalKeys, owner: str, column: str, text: str | None) -> str | None:
    if not text or keys.keys.get(owner) is None:
        return text  # a signal from before encryption: sealed by `signaal db reencrypt`
    return keys.seal(owner, column, text)


def open_value(keys: SignalKeys, case_ref: str, column: str, stored: str | None) -> str | None:
    """The text of a sealed link value; None once the case's key is destroyed."""
    opened = keys.open(owner_of(case_ref), column, stored)
    return None if opened == ERASED else opened
