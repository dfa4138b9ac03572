"""Free texts about a signal (notes, reasons) sealed under the signal's data key.

The action perspective's notes and reasons are written through :func:`seal_text` and read through
:func:`open_text`; the data keys unwrapped for them are kept for the session (one transaction).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from signaal.store.codec import PREFIX, SignalKeys
from signaal.store.signals import codec_of

__all__ = ["open_text", "seal_text"]


def seal_text(session: Session, signal_id: str, column: str, text: str) -> str:
    """The stored form of a free text about a signal (a note, a reason): sealed under the signal's
    data key when it has one (a signal from before encryption is sealed by ``signaal db reencrypt``)."""
    if not text:
        return text
    keys = _session_keys(session, signal_id)
    if signal_id not in keys.keys:
        return text  # no data key: recorded before encryption
    return keys.seal(signal_id, column, text) or ""  # an erased signal (key None) refuses new text


def open_text(session: Session, signal_id: str, column: str, stored: str) -> str:
    """The text of a stored free text (:func:`seal_text`); ERASED once the signal's key is destroyed."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    return _session_keys(session, signal_id).open(signal_id, column, stored) or ""


def _session_keys(session: Session, signal_id: str) -> SignalKeys:
    """The data keys unwrapped in this session (one transaction), loaded once per signal."""
    cache: SignalKeys = session.info.setdefault("signal_keys", SignalKeys())
    loaded: set[str] = session.info.setdefault("signal_keys_loaded", set())
    if signal_id not in loaded:
        cache.keys.update(codec_of(session).load(session, [signal_id]).keys)
        loaded.add(signal_id)
    return cache
