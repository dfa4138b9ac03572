"""The secret key of the hash chains: links are HMACs, so database access alone cannot forge them.

A link made under a chain key is HMAC-SHA-256 (key ``chain`` of the key store) over the previous
hash and the row's canonical bytes, instead of plain SHA-256. Where a chain starts using a key
version is recorded by a *mark* (``chain_marks``): the chain, the first position under that key,
the key reference, and an HMAC under that key over those three. Rows before a chain's first mark
were written with the unkeyed rule (registries older than schema revision 0012); the first keyed
link fixes them, because it covers the hash of the row before it.

What verify checks beyond the links (:func:`mark_problems`): every mark's HMAC (a moved, forged or
re-pointed mark fails), a mark past the end of the chain (rows removed), and a chain without marks
while the key store holds a chain key (marks removed to pass off a chain rehashed without the key).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.errors import ConfigError
from signaal.keystore import Key, KeyStore
from signaal.store.tables_security import ChainMarkRow

__all__ = ["KEY_NAME", "ChainKeys", "Mark", "keyed_hash", "mark_mac", "mark_problems", "marks_of"]

KEY_NAME = "chain"
MARK_FORMAT = "signaal-chain-mark/1"


def keyed_hash(key: bytes, prev_hash: str, payload: bytes) -> str:
    """The hash of one keyed link: HMAC-SHA-256 over the previous hash and the row's canonical bytes."""
    digest = hmac.new(key, prev_hash.encode("ascii"), hashlib.sha256)
    digest.update(b"\n")
    digest.update(payload)
    return digest.hexdigest()


def mark_mac(key: Key, chain: str, seq: int) -> str:
    """The HMAC that seals a mark: chain name, first position and key reference under the key."""
    return hmac.new(key.material, f"{MARK_FORMAT}:{chain}:{seq}:{key.ref}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Mark:
    """One stored mark: from ``seq`` on, the chain's links are keyed with ``key_ref``."""

    seq: int
    key_ref: str
    mark: str


@dataclass
class ChainKeys:
    """The chain key versions of a registry's key store; the active one is read once per process."""

    keystore: KeyStore
    _active: Key | None = None
    _known: dict[str, Key | None] = field(default_factory=dict)

    def ensure(self, session: Session) -> None:
        """Make the chain key in a fresh registry; refuse when marks name a key the store lacks."""
        if self._stored_ids():
            return
        existing = session.scalar(select(ChainMarkRow.key_ref).limit(1))
        if existing is not None:
            raise ConfigError(
                f"the registry's hash chains are keyed with {existing}, which is not in {self.keystore.directory}; "
                "restore that key file (SIGNAAL_KEY_DIR)"
            )
        self.keystore.new(KEY_NAME)

    def _stored_ids(self) -> list[str]:
        directory = self.keystore.directory
        if directory is None or not directory.is_dir():
            return []
        return self.keystore.key_ids(KEY_NAME)

    def for_append(self, session: Session) -> Key:
        """The key new links are made with; made in a fresh registry's key store by its first append
        (only then: a verify of a chain from before keyed chains must not find a key without marks)."""
        if self._active is None:
            self.ensure(session)
        return self.active()

    def active(self) -> Key:
        """The key new links are made with."""
        if self._active is None:
            self._active = self.keystore.active(KEY_NAME)
            self._known[self._active.ref] = self._active
        return self._active

    def get(self, ref: str) -> Key | None:
        """A key version by reference; None when the key store does not hold it."""
        if ref not in self._known:
            name, _, key_id = ref.partition(".")
            try:
                self._known[ref] = self.keystore.get(name, key_id) if name == KEY_NAME else None
            except ConfigError:
                self._known[ref] = None
        return self._known[ref]

    def any_stored(self) -> bool:
        """Whether the key store holds any chain key."""
        return bool(self._stored_ids())


def marks_of(session: Session, chain: str) -> list[Mark]:
    """The marks of one chain, in position order."""
    rows = session.execute(
        select(ChainMarkRow.seq, ChainMarkRow.key_ref, ChainMarkRow.mark)
        .where(ChainMarkRow.chain == chain)
        .order_by(ChainMarkRow.seq)
    )
    return [Mark(int(r.seq), str(r.key_ref), str(r.mark)) for r in rows]


def mark_problems(keys: ChainKeys, chain: str, marks: list[Mark], rows: int, last_seq: int) -> list[str]:
    """What is wrong with a chain's marks (empty when they are all sound)."""
    problems = []
    for mark in marks:
        key = keys.get(mark.key_ref)
        if key is None:
            problems.append(f"the chain key {mark.key_ref} named from position {mark.seq} is not in the key store")
        elif not hmac.compare_digest(mark_mac(key, chain, mark.seq), mark.mark):
            problems.append(f"the key mark at position {mark.seq} is forged or was moved")
        if mark.seq > last_seq:
            problems.append(f"the key mark at position {mark.seq} lies past the end of the chain (rows removed)")
    if not marks and rows and keys.any_stored():
        problems.append("the chain is not keyed though the key store holds a chain key (key marks removed)")
    return problems
