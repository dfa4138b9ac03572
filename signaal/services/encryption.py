"""Re-encryption of a registry: seal content stored in the clear, re-wrap data keys after rotation.

``signaal db reencrypt`` runs :func:`reencrypt`: every signal without a data key gets one and every
clear value of a sealed column is sealed; every data key wrapped by an older master key version is
re-wrapped by the active one; every lookup pseudonym not made with the active ``lookup`` key version
is made again (rotation of the lookup key, :mod:`signaal.store.relookup`). Batches commit one by
one and finished work is skipped, so the command is idempotent and an interrupted run continues
where it stopped. The run is an event in
the history with its counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput
from signaal.store import Store, relookup
from signaal.store import reencrypt as sealing
from signaal.store.signals import add_event

__all__ = ["Reencrypted", "reencrypt"]


@dataclass
class Reencrypted:
    """What one run did."""

    signals_visited: int = 0
    keys_made: int = 0
    values_sealed: int = 0
    keys_rewrapped: int = 0
    link_values_sealed: int = 0
    lookups_recomputed: int = 0
    master_key: str = ""
    lookup_key: str = ""


def reencrypt(
    store: Store, actor: Actor, *, batch: int = 500, progress: Callable[[Reencrypted], None] | None = None
) -> Reencrypted:
    """Seal every clear value, re-wrap every data key with the active master key and make every
    lookup pseudonym with the active lookup key; the counts."""
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not re-encrypt the registry (administrator)")
    if batch < 1:
        raise InvalidInput("--batch must be at least 1")
    codec = store.codec
    done = Reencrypted(master_key=codec.active_ref(), lookup_key=codec.keystore.active("lookup").ref)
    after: str | None = None
    while True:
        with store.session() as session:
            ids = sealing.signals_needing_work(session, after, batch)
            if not ids:
                break
            made, sealed = sealing.seal_batch(session, codec, ids, datetime.now(UTC))
            done.lookups_recomputed += relookup.relookup_signals(session, codec, ids)
        done.signals_visited += len(ids)
        done.keys_made += made
        done.values_sealed += sealed
        after = ids[-1]
        if progress is not None:
            progress(done)
    after = None
    while True:
        with store.session() as session:
            refs = sealing.link_cases_after(session, after, batch)
            if not refs:
                break
            done.link_values_sealed += sealing.seal_link_batch(session, codec, refs, datetime.now(UTC))
            done.lookups_recomputed += relookup.relookup_links(session, codec, refs, datetime.now(UTC))
        after = refs[-1]
    while True:
        with store.session() as session:
            rewrapped = sealing.rewrap_batch(session, codec, batch)
        done.keys_rewrapped += rewrapped
        if progress is not None and rewrapped:
            progress(done)
        if rewrapped < batch:
            break
    with store.session() as session:
        add_event(session, actor, None, "reencrypted", asdict(done))
    return done
