"""Keyed pseudonyms across organisations: export ours, compare with a partner's, raw values never leave.

The export holds, per identifier kind, the HMAC-SHA-256 pseudonyms of our normalised identifiers
under the named key version; the overlap answers hit or no hit, with counts, for a partner's file
made with the same key. A missing or wrong key stops before anything is written.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from signaal.domain.actor import Actor
from signaal.errors import ConfigError, InvalidInput
from signaal.keystore import KeyStore
from signaal.link.keys import KEY_KINDS, pseudonym
from signaal.services import audit
from signaal.services.link import PSEUDONYM_FORMAT, _require_linker
from signaal.services.signals import append_event
from signaal.store import Store
from signaal.store.link_sealing import KEY, open_value, owner_of
from signaal.store.signals import codec_of
from signaal.store.tables_link import LinkKeyRow

__all__ = ["export_pseudonyms", "overlap"]


def _ours(store: Store, actor: Actor, material: bytes) -> dict[str, dict[str, set[str]]]:
    """Per kind: pseudonym -> the cases of the actor's organisation holding it."""
    out: dict[str, dict[str, set[str]]] = {k: {} for k in KEY_KINDS}
    with store.session() as session:
        rows = session.execute(
            select(LinkKeyRow.kind, LinkKeyRow.value, LinkKeyRow.case_ref).where(
                LinkKeyRow.org == actor.org, LinkKeyRow.problem.is_(None)
            )
        ).all()
        sealed = codec_of(session).load(session, {owner_of(case) for _, _, case in rows})
        for kind, stored, case in rows:
            value = open_value(sealed, case, KEY, stored)
            if value is not None:
                out[kind].setdefault(pseudonym(material, kind, value), set()).add(case)
    return out


def export_pseudonyms(store: Store, actor: Actor, out: Path) -> dict[str, Any]:
    """Write the pseudonyms of the actor's organisation's identifiers to a file (mode 0600); the counts."""
    _require_linker(actor)
    key = KeyStore(store.settings.key_dir).active("pseudonym")
    ours = _ours(store, actor, key.material)
    groups = {kind: sorted(values) for kind, values in ours.items() if values}
    doc = {
        "format": PSEUDONYM_FORMAT,
        "key": key.ref,
        "org": actor.org,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "pseudonyms": groups,
    }
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(doc, handle)
    counts = {kind: len(v) for kind, v in groups.items()}
    with store.session() as session:
        append_event(session, actor, None, "pseudonyms_exported", {"file": out.name, "key": key.ref, "counts": counts})
        audit.record_access(session, actor, "pseudonym_export", (), {"key": key.ref, "counts": counts})
    return {"file": str(out), "key": key.ref, "counts": counts}


def _read_partner(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: not a pseudonym file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != PSEUDONYM_FORMAT:
        raise InvalidInput(f"{path}: not a pseudonym file (format {PSEUDONYM_FORMAT} expected)")
    groups = doc.get("pseudonyms")
    if not isinstance(groups, dict) or any(
        k not in KEY_KINDS or not isinstance(v, list) or not all(isinstance(x, str) and len(x) == 64 for x in v)
        for k, v in groups.items()
    ):
        raise InvalidInput(f"{path}: field 'pseudonyms' must map identifier kinds to lists of 64-hex pseudonyms")
    return doc


def overlap(store: Store, actor: Actor, path: Path, *, show_ours: bool = False) -> dict[str, Any]:
    """Hit or no hit, with counts per kind, between a partner's pseudonym file and our identifiers."""
    _require_linker(actor)
    doc = _read_partner(path)
    keys = KeyStore(store.settings.key_dir)
    name, _, key_id = str(doc.get("key", "")).partition(".")
    if name != "pseudonym" or key_id not in keys.key_ids("pseudonym"):
        raise ConfigError(
            f"{path} was made with key {doc.get('key')!r}, which this installation does not hold; "
            "both sides must use the same pseudonym key version"
        )
    key = keys.get("pseudonym", key_id)
    ours = _ours(store, actor, key.material)
    per_kind: dict[str, dict[str, int]] = {}
    matched_cases: set[str] = set()
    for kind, theirs in doc["pseudonyms"].items():
        common = set(theirs) & set(ours[kind])
        per_kind[kind] = {"theirs": len(set(theirs)), "ours": len(ours[kind]), "common": len(common)}
        for p in common:
            matched_cases |= ours[kind][p]
    total = sum(v["common"] for v in per_kind.values())
    result: dict[str, Any] = {
        "partner": doc.get("org"),
        "key": key.ref,
        "hit": total > 0,
        "common": total,
        "per_kind": per_kind,
    }
    if show_ours:
        result["our_cases"] = sorted(matched_cases)
    with store.session() as session:
        append_event(
            session, actor, None, "pseudonym_overlap", {"partner": doc.get("org"), "key": key.ref, "common": total}
        )
        audit.record_access(session, actor, "pseudonym_overlap", (), {"partner": doc.get("org"), "common": total})
    return result
