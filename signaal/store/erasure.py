"""Erasing signals: destroy their data keys and blank what is kept in the clear.

The history and the access audit are append-only and hash-chained; they keep their rows, and what
they hold about a signal (event data) is ciphertext under the signal's data key, which is
destroyed here (crypto-shredding). The signal row stays as an anonymous record for the counts —
dates, region, forms, status — without narrative, identifiers, quotes, facts, case number or
personal characteristics. Copies made by linking are removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from signaal.store.codec import ERASED
from signaal.store.tables import IdentifierRow, PersonRow, SignalIndicatorRow, SignalRow
from signaal.store.tables_link import LinkCaseRow, LinkKeyRow, LinkPersonRow, LinkRow
from signaal.store.tables_security import DataKeyRow
from signaal.store.tables_triage import (
    MeldcodeStepRow,
    ReferralRow,
    ReferralStateRow,
    RoutingDecisionRow,
    ShelterEventRow,
    ShelterRequestRow,
)

__all__ = ["erase_link_cases", "erase_signals"]


def erase_signals(session: Session, signal_ids: Sequence[str], at: datetime) -> int:
    """Erase the content of these signals in the caller's transaction; returns how many keys were destroyed."""
    ids = list(signal_ids)
    if not ids:
        return 0
    shredded = session.execute(
        update(DataKeyRow)
        .where(DataKeyRow.signal_id.in_(ids), DataKeyRow.wrapped.is_not(None))
        .values(wrapped=None, shredded_at=at)
    ).rowcount  # type: ignore[attr-defined]
    session.execute(
        update(SignalRow)
        .where(SignalRow.id.in_(ids))
        .values(narrative=ERASED, facts={}, source_id=None, youngest_age=None, updated_at=at)
    )
    session.execute(update(SignalIndicatorRow).where(SignalIndicatorRow.signal_id.in_(ids)).values(words=""))
    session.execute(
        update(PersonRow).where(PersonRow.signal_id.in_(ids)).values(age=None, gender=None, nationality=None)
    )
    session.execute(delete(IdentifierRow).where(IdentifierRow.signal_id.in_(ids)))
    _blank_triage(session, ids)
    _remove_link_cases(session, [f"signal:{i}" for i in ids])
    return int(shredded)


def erase_link_cases(session: Session, refs: Sequence[str], at: datetime) -> int:
    """Erase imported registrations' cases: destroy their data keys and remove them from linking;
    returns how many keys were destroyed."""
    refs = list(refs)
    if not refs:
        return 0
    shredded = session.execute(
        update(DataKeyRow)
        .where(DataKeyRow.signal_id.in_(refs), DataKeyRow.wrapped.is_not(None))
        .values(wrapped=None, shredded_at=at)
    ).rowcount  # type: ignore[attr-defined]
    _remove_link_cases(session, refs)
    return int(shredded)


def _remove_link_cases(session: Session, refs: list[str]) -> None:
    session.execute(delete(LinkKeyRow).where(LinkKeyRow.case_ref.in_(refs)))
    session.execute(delete(LinkPersonRow).where(LinkPersonRow.case_ref.in_(refs)))
    session.execute(delete(LinkRow).where(or_(LinkRow.left_case.in_(refs), LinkRow.right_case.in_(refs))))
    session.execute(delete(LinkCaseRow).where(LinkCaseRow.ref.in_(refs)))


def _blank_triage(session: Session, ids: list[str]) -> None:
    """Blank the free texts and facts of the action perspective (sealed since revision 0013, but a
    text written before that is in the clear) and the shelter destinations."""
    referrals = select(ReferralRow.id).where(ReferralRow.signal_id.in_(ids))
    requests = select(ShelterRequestRow.id).where(ShelterRequestRow.signal_id.in_(ids))
    session.execute(
        update(RoutingDecisionRow).where(RoutingDecisionRow.signal_id.in_(ids)).values(reason=ERASED, facts={})
    )
    session.execute(update(ReferralRow).where(ReferralRow.signal_id.in_(ids)).values(note=""))
    session.execute(update(ReferralStateRow).where(ReferralStateRow.referral_id.in_(referrals)).values(note=""))
    session.execute(update(MeldcodeStepRow).where(MeldcodeStepRow.signal_id.in_(ids)).values(note=""))
    session.execute(
        update(ShelterRequestRow).where(ShelterRequestRow.signal_id.in_(ids)).values(note="", end_destination=None)
    )
    session.execute(update(ShelterEventRow).where(ShelterEventRow.request_id.in_(requests)).values(note=""))
