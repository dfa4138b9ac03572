"""Reading the registry for the analytics build: which signals changed, and their codings.

The build is incremental: every change to a signal is an append-only event, so the highest event
id seen is the watermark and the signals with newer events are the ones to read again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signaal.analytics.events import PersonFacts, ShelterFacts, SignalFacts
from signaal.store.tables import EventRow, PersonRow, SignalFormRow, SignalRow
from signaal.store.tables_link import LinkRow
from signaal.store.tables_triage import ReferralRow, ShelterEventRow, ShelterRequestRow

__all__ = [
    "changed_signal_ids",
    "event_watermark",
    "has_person_links",
    "identifier_keys",
    "read_signal_facts",
    "signal_ids",
]

CHUNK = 900


def event_watermark(session: Session) -> int:
    """The id of the newest event (0 for an empty registry)."""
    return int(session.scalar(select(func.max(EventRow.id))) or 0)


def changed_signal_ids(session: Session, after: int, upto: int) -> set[str]:
    """Signals with an event after the watermark ``after`` (up to ``upto``)."""
    query = select(EventRow.signal_id).where(EventRow.id > after, EventRow.id <= upto, EventRow.signal_id.is_not(None))
    return {sid for sid in session.scalars(query.distinct()) if sid}


def signal_ids(session: Session) -> set[str]:
    """Every signal id in the registry."""
    return set(session.scalars(select(SignalRow.id)))


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def read_signal_facts(session: Session, ids: Iterable[str]) -> list[SignalFacts]:
    """The codings of these signals with their possible victims, referrals and shelter requests."""
    out: list[SignalFacts] = []
    for chunk in _chunks(sorted(ids)):
        forms: dict[str, list[str]] = defaultdict(list)
        for sid, form in session.execute(
            select(SignalFormRow.signal_id, SignalFormRow.form).where(SignalFormRow.signal_id.in_(chunk))
        ):
            forms[sid].append(form)
        victims: dict[str, list[PersonFacts]] = defaultdict(list)
        people = select(
            PersonRow.signal_id, PersonRow.age_band, PersonRow.gender, PersonRow.nationality, PersonRow.residence
        )
        for sid, band, gender, nationality, residence in session.execute(
            people.where(PersonRow.signal_id.in_(chunk), PersonRow.role == "victim").order_by(PersonRow.id)
        ):
            victims[sid].append(PersonFacts(band, gender, nationality, residence))
        referrals: dict[str, list[str]] = defaultdict(list)
        for sid, contact in session.execute(
            select(ReferralRow.signal_id, ReferralRow.contact_id).where(ReferralRow.signal_id.in_(chunk))
        ):
            referrals[sid].append(contact)
        shelter = _shelter(session, chunk)
        columns = select(
            SignalRow.id, SignalRow.received_at, SignalRow.reporter_org, SignalRow.reporter_sector,
            SignalRow.police_unit, SignalRow.municipality,
        )  # fmt: skip
        for sid, received, org, sector, unit, municipality in session.execute(columns.where(SignalRow.id.in_(chunk))):
            out.append(
                SignalFacts(
                    id=sid,
                    received_at=received,
                    reporter_org=org,
                    reporter_sector=sector,
                    police_unit=unit,
                    municipality=municipality,
                    forms=tuple(forms.get(sid, ())),
                    victims=tuple(victims.get(sid, ())),
                    referrals=tuple(referrals.get(sid, ())),
                    shelter=tuple(shelter.get(sid, ())),
                )
            )
    return out


def _shelter(session: Session, chunk: list[str]) -> dict[str, list[ShelterFacts]]:
    no_place = (
        select(ShelterEventRow.request_id, func.count())
        .join(ShelterRequestRow, ShelterRequestRow.id == ShelterEventRow.request_id)
        .where(ShelterRequestRow.signal_id.in_(chunk), ShelterEventRow.kind == "no_place")
        .group_by(ShelterEventRow.request_id)
    )
    refused = dict(session.execute(no_place).tuples().all())
    found: dict[str, list[ShelterFacts]] = defaultdict(list)
    query = select(
        ShelterRequestRow.id, ShelterRequestRow.signal_id, ShelterRequestRow.type,
        ShelterRequestRow.requested_at, ShelterRequestRow.started_at,
    ).where(ShelterRequestRow.signal_id.in_(chunk))  # fmt: skip
    for rid, sid, kind, requested, started in session.execute(query):
        found[sid].append(ShelterFacts(kind, requested, started, int(refused.get(rid, 0))))
    return found


def identifier_keys(session: Session) -> Iterator[tuple[str, str, str]]:
    """(signal id, kind, normalised value) of every identifier, for grouping signals that share one."""
    from signaal.store.signals import identifier_values  # values are stored encrypted

    yield from identifier_values(session)


def has_person_links(session: Session) -> bool:
    """Whether the linking work has linked any persons (an overlap to estimate the hidden number from)."""
    return session.scalar(select(LinkRow.id).where(LinkRow.kind == "person").limit(1)) is not None
