"""Plain records that linking works on: cases (a signal, an imported case, an ad group) and persons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from signaal.link.keys import LinkKey

__all__ = ["CaseRecord", "PersonLinkResult", "PersonRecord"]


@dataclass(frozen=True)
class CaseRecord:
    """Something an organisation recorded: a signal, a case in an imported registration, an ad group.

    ``ref`` is unique over every source (``signal:S…``, ``reg:ORG:CASE``); ``keys`` are the
    identifiers on the case; ``forms`` the forms of exploitation and ``crimes`` other crime noted.
    """

    ref: str
    org: str
    kind: str  # signal | registration | ad_group
    date: str | None = None
    city: str | None = None
    forms: tuple[str, ...] = ()
    crimes: tuple[str, ...] = ()
    keys: tuple[LinkKey, ...] = ()
    source_id: str | None = None


@dataclass(frozen=True)
class PersonRecord:
    """One person as one organisation recorded them in one case; names are optional."""

    ref: str
    case: str
    org: str
    role: str  # victim | suspect | other
    name: str | None = None
    birth_date: str | None = None  # YYYY-MM-DD
    birth_year: int | None = None
    sex: str | None = None
    nationality: str | None = None
    city: str | None = None
    minor: bool | None = None
    keys: tuple[LinkKey, ...] = ()

    def splink_row(self) -> dict[str, Any]:
        """The columns the person model compares (see ``persons.MODEL_COLUMNS``)."""
        phone = next((k.value for k in self.keys if k.kind == "phone"), None)
        postcode = next((k.value for k in self.keys if k.kind in ("postcode", "address")), None)
        swapped = None
        if self.birth_date and len(self.birth_date) == 10:
            swapped = f"{self.birth_date[:4]}-{self.birth_date[8:10]}-{self.birth_date[5:7]}"
        year = self.birth_year or (int(self.birth_date[:4]) if self.birth_date else None)
        return {
            "unique_id": self.ref,
            "name": self.name,
            "birth_date": self.birth_date,
            "birth_date_swapped": swapped,
            "birth_year": year,
            "sex": self.sex,
            "nationality": self.nationality,
            "city": self.city,
            "phone": phone,
            "postcode": postcode,
        }


@dataclass(frozen=True)
class PersonLinkResult:
    """A suggested person link: the two records, the match weight and probability, and the evidence."""

    left: str
    right: str
    match_weight: float
    match_probability: float
    agreed: tuple[str, ...] = ()
    disagreed: tuple[str, ...] = ()
    levels: dict[str, str] = field(default_factory=dict)
