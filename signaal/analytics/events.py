"""Pseudonymised analytics events: one row per signal and per possible victim, with codings only.

A row carries the month, region codings, forms, age band, sex, nationality group and world region,
reporter sector, source organisation, referral path and shelter times — never a name, identifier,
narrative, free text or exact date. The signal id becomes a keyed pseudonym (HMAC), so the same
signal maps to the same rows on each refresh without the id being recoverable from the rows.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from signaal.catalogue import Catalogue
from signaal.catalogue.model import FORM_IDS
from signaal.catalogue.monitoring import Nationalities

__all__ = ["EVENT_COLUMNS", "PersonFacts", "ShelterFacts", "SignalFacts", "event_rows", "pseudonym"]

#: The columns of the events table, in order, with their DuckDB types.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("signal_key", "VARCHAR"),
    ("victim_no", "INTEGER"),
    ("victims_in_signal", "INTEGER"),
    ("month", "VARCHAR"),
    ("year", "INTEGER"),
    ("police_unit", "VARCHAR"),
    ("care_region", "VARCHAR"),
    ("veilig_thuis_region", "VARCHAR"),
    ("province", "VARCHAR"),
    ("forms", "VARCHAR"),
    *((f"form_{f}", "BOOLEAN") for f in FORM_IDS),
    ("age_band", "VARCHAR"),
    ("minor", "VARCHAR"),
    ("sex", "VARCHAR"),
    ("nationality_group", "VARCHAR"),
    ("world_region", "VARCHAR"),
    ("residence", "VARCHAR"),
    ("reporter_sector", "VARCHAR"),
    ("source_org", "VARCHAR"),
    ("referral_path", "VARCHAR"),
    ("shelter_type", "VARCHAR"),
    ("shelter_wait_days", "INTEGER"),
    ("shelter_no_place", "INTEGER"),
    ("linked_group_size", "INTEGER"),
)

_SEX = {
    "v": "female", "vrouw": "female", "f": "female", "female": "female", "woman": "female", "vrouwelijk": "female",
    "m": "male", "man": "male", "male": "male", "mannelijk": "male",
}  # fmt: skip
_MINOR_BANDS = {"0-11", "12-15", "16-17"}


@dataclass(frozen=True)
class PersonFacts:
    """What the registry holds about a possible victim, as the analytics build reads it."""

    age_band: str | None
    gender: str | None
    nationality: str | None
    residence: str | None


@dataclass(frozen=True)
class ShelterFacts:
    """One shelter request of a signal: type, when requested and started, and 'no place' answers."""

    type: str
    requested_at: datetime
    started_at: datetime | None
    no_place: int


@dataclass(frozen=True)
class SignalFacts:
    """A signal as the analytics build reads it from the registry (the store fills this)."""

    id: str
    received_at: date
    reporter_org: str
    reporter_sector: str
    police_unit: str | None
    municipality: str | None
    forms: tuple[str, ...]
    victims: tuple[PersonFacts, ...]
    referrals: tuple[str, ...] = ()  # contact ids
    shelter: tuple[ShelterFacts, ...] = ()
    linked_group_size: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def pseudonym(key: bytes, signal_id: str) -> str:
    """The keyed pseudonym of a signal id (HMAC-SHA256, 24 hex characters)."""
    return hmac.new(key, signal_id.encode(), hashlib.sha256).hexdigest()[:24]


def _sex(gender: str | None) -> str:
    if not gender or not gender.strip():
        return "unknown"
    return _SEX.get(gender.strip().casefold(), "other")


def _shelter(items: tuple[ShelterFacts, ...]) -> dict[str, Any]:
    if not items:
        return {"shelter_type": None, "shelter_wait_days": None, "shelter_no_place": None}
    first = min(items, key=lambda s: s.requested_at)
    wait = (first.started_at - first.requested_at).days if first.started_at else None
    return {"shelter_type": first.type, "shelter_wait_days": wait, "shelter_no_place": sum(s.no_place for s in items)}


def event_rows(
    signal: SignalFacts, catalogue: Catalogue, nationalities: Nationalities, key: bytes
) -> list[dict[str, Any]]:
    """The analytics rows of one signal: one per possible victim (one with unknown person fields if none)."""
    municipality = catalogue.municipalities.get(signal.municipality) if signal.municipality else None
    forms = tuple(sorted(set(signal.forms))) or ("unknown",)
    base: dict[str, Any] = {
        "signal_key": pseudonym(key, signal.id),
        "victims_in_signal": len(signal.victims),
        "month": f"{signal.received_at.year:04d}-{signal.received_at.month:02d}",
        "year": signal.received_at.year,
        "police_unit": signal.police_unit or "unknown",
        "care_region": municipality.care_region if municipality else "unknown",
        "veilig_thuis_region": municipality.veilig_thuis_region if municipality else "unknown",
        "province": municipality.province if municipality else "unknown",
        "forms": ",".join(forms),
        **{f"form_{f}": f in forms for f in FORM_IDS},
        "reporter_sector": signal.reporter_sector,
        "source_org": signal.reporter_org,
        "referral_path": "+".join(sorted(set(signal.referrals))) or "none",
        "linked_group_size": signal.linked_group_size,
        **_shelter(signal.shelter),
    }
    people = signal.victims or (PersonFacts(None, None, None, None),)
    rows = []
    for number, person in enumerate(people, start=1):
        group, region = nationalities.group_of(person.nationality)
        band = person.age_band or "unknown"
        rows.append(
            {
                **base,
                "victim_no": number if signal.victims else 0,
                "age_band": band,
                "minor": "unknown" if band == "unknown" else ("yes" if band in _MINOR_BANDS else "no"),
                "sex": _sex(person.gender),
                "nationality_group": group,
                "world_region": region or ("none" if group != "unknown" else "unknown"),
                "residence": person.residence or "unknown",
            }
        )
    return rows
