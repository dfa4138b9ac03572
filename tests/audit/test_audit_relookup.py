"""Rotating the lookup key in place: after `signaal keys new lookup`, `signaal db reencrypt` makes
every lookup pseudonym again (identifiers, linking keys, exact links); restartable and idempotent,
and search and links still find what they found. On SQLite and PostgreSQL; all data synthetic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from signaal.domain.actor import Actor, Role
from signaal.domain.signal import IdentifierIn, PersonIn, SignalCreate
from signaal.keystore import KeyStore
from signaal.services.encryption import Reencrypted, reencrypt
from signaal.services.link import run_linking
from signaal.services.link_review import get_link, list_links
from signaal.services.signals import record_signal
from signaal.services.subjects import SubjectQuery, find_subject
from signaal.store import Store

pytestmark = pytest.mark.storage

ADMIN = Actor(user="beheer", org="org-a", role=Role.ADMIN)
PHONE = "+31612345571"  # synthetic: an invented number in a mobile range


def _signal(store: Store, n: int) -> str:
    data = SignalCreate(
        received_at=date(2026, 2, n),
        reporter_org="org-a",
        reporter_sector="care",
        region="Utrecht",
        source_id=f"synthetic-relookup-{n}",
        persons=[PersonIn(role="victim", age=20)],
        identifiers=[IdentifierIn(kind="phone", value=PHONE), IdentifierIn(kind="plate", value=f"xx-{n}00-b")],
    )
    return record_signal(store, ADMIN, data).id


def _pseudonyms(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        found = [str(v) for v in conn.execute(text("SELECT lookup FROM identifiers ORDER BY id")).scalars()]
        found += [str(v) for v in conn.execute(text("SELECT pseudonym FROM link_keys ORDER BY id")).scalars()]
        found += [str(v) for v in conn.execute(text("SELECT key_value FROM links WHERE key_kind <> ''")).scalars()]
    return found


def test_a_new_lookup_key_is_rolled_through_every_pseudonym(store: Store, key_dir: Path) -> None:
    ids = sorted(_signal(store, n) for n in (1, 2, 3))
    run_linking(store, ADMIN)
    [link] = [x for x in list_links(store, ADMIN) if x["kind"] == "exact"][:1]
    before = _pseudonyms(store)
    assert len(before) >= 8
    KeyStore(key_dir).new("lookup")  # lookup.k2 in use
    store.__dict__.pop("codec", None)  # the running process picks the new key up on restart

    def stop_after_first(done: Reencrypted) -> None:
        if done.signals_visited == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reencrypt(store, ADMIN, batch=1, progress=stop_after_first)
    done = reencrypt(store, ADMIN, batch=1)
    assert done.lookup_key == "lookup.k2" and done.lookups_recomputed > 0
    after = _pseudonyms(store)
    assert len(after) == len(before) and not set(after) & set(before)
    assert sorted(find_subject(store, ADMIN, SubjectQuery(kind="phone", value="06-12345571"))) == ids
    assert get_link(store, ADMIN, int(link["id"]))["key"] == f"phone:{PHONE}"  # the link finds its key again
    again = reencrypt(store, ADMIN)
    assert again.lookups_recomputed == 0 and _pseudonyms(store) == after
