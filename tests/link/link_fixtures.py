"""SYNTHETIC fixtures for the linking tests: invented signals and registrations, no real data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from signaal.domain.actor import Actor, Role
from signaal.domain.signal import IdentifierIn, PersonIn, SignalCreate
from signaal.services.signals import record_signal
from signaal.store import Store

ANALYST = Actor("ana", "riec-synth", Role.ANALYST)
ADMIN = Actor("root", "riec-synth", Role.ADMIN)

#: Invented phone numbers in a mobile range; none belongs to anyone.
PHONE_A = "+31612340001"
PHONE_B = "+31612340002"


def signal(store: Store, actor: Actor, phone: str, source_id: str, *, form: str = "sexual") -> str:
    """Record a SYNTHETIC signal with one phone (written in a local format) and a victim; its id."""
    local = "06-" + phone[4:]
    data = SignalCreate(
        received_at=date(2026, 3, 1),
        reporter_org=actor.org,
        reporter_sector="care",
        region="Eindhoven",
        persons=[PersonIn(role="victim", age=19, gender="f", nationality="RO")],
        identifiers=[IdentifierIn(kind="phone", value=local)],
        source_id=source_id,
        forms=[{"form": form}],  # type: ignore[list-item]
    )
    return record_signal(store, actor, data).id


def share(store: Store, signal_id: str, scope: list[str], org: str = ANALYST.org) -> str:
    """A sharing act of a care-synth signal with ``org`` (the analyst's by default); its id."""
    from signaal.services.sharing import grant_act

    owner = Actor("coo", "care-synth", Role.COORDINATOR)
    return grant_act(store, owner, signal_id, org=org, basis="wgs_convenant", purpose="synthetic", scope=scope).act.id


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write registration rows as CSV with every column any row has."""
    names = sorted({k for r in rows for k in r})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return path


def police_rows() -> list[dict[str, str]]:
    """A SYNTHETIC police registration: a suspect using PHONE_A, a victim, and a case contact."""
    return [
        {
            "source": "politie-synth",
            "case_id": "Z1",
            "record_date": "2026-02-01",
            "role": "suspect",
            "person_id": "s1",
            "name": "Kalo Mirensa",
            "birth_date": "1990-04-07",
            "sex": "m",
            "phone": PHONE_A,
            "city": "Eindhoven",
            "forms": "sexual",
        },
        {
            "source": "politie-synth",
            "case_id": "Z1",
            "record_date": "2026-02-01",
            "role": "victim",
            "person_id": "v1",
            "name": "Tovi Dane",
            "birth_date": "2003-11-02",
            "sex": "f",
            "nationality": "RO",
            "city": "Eindhoven",
            "case_phone": "0612340001; not-a-number",
        },
    ]
