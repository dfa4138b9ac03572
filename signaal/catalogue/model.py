"""Typed, frozen objects of the catalogues: forms, indicators, sectors and regions.

The vocabularies below (forms, Delphi lists, dimensions, strengths, settings) are the fixed
axes that other packages code against; the entries along those axes live in the data files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DELPHI_DIMENSIONS",
    "DELPHI_LISTS",
    "DELPHI_STRENGTHS",
    "EXPLOITATION_FORMS",
    "FORM_IDS",
    "INDICATOR_SETTINGS",
    "CareRegion",
    "DelphiRef",
    "Form",
    "Indicator",
    "Municipality",
    "PoliceUnit",
    "Province",
    "RegionRef",
    "ReporterSector",
    "Sector",
    "VeiligThuisRegion",
]

#: Every form id a hypothesis may carry; "unknown" is explicit, never implied by absence.
FORM_IDS: tuple[str, ...] = ("sexual", "labour", "criminal", "other", "unknown")
#: The forms an indicator or sector can support ("unknown" supports nothing).
EXPLOITATION_FORMS: tuple[str, ...] = ("sexual", "labour", "criminal", "other")
#: The four ILO/EC Delphi lists (2009).
DELPHI_LISTS: tuple[str, ...] = ("adult_labour", "adult_sexual", "child_labour", "child_sexual")
#: The six dimensions of each Delphi list, in the publication's order.
DELPHI_DIMENSIONS: tuple[str, ...] = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "vulnerability_recruitment",
    "exploitative_conditions",
    "coercion_at_destination",
    "vulnerability_at_destination",
)
DELPHI_STRENGTHS: tuple[str, ...] = ("strong", "medium", "weak")
#: Where a signal is typically seen (DOMAIN §3.4 settings plus sex advertisements).
INDICATOR_SETTINGS: tuple[str, ...] = (
    "labour",
    "sexual_care_youth",
    "health_care",
    "criminal_youth",
    "ads",
)


@dataclass(frozen=True)
class Form:
    """A form of exploitation (art. 273f Sr) as used in Dutch monitoring."""

    id: str
    nl: str
    en: str
    description: str = ""


@dataclass(frozen=True)
class DelphiRef:
    """Where an indicator sits in one ILO/EC Delphi list: dimension and strength."""

    list: str
    dimension: str
    strength: str


@dataclass(frozen=True)
class Indicator:
    """A canonical indicator with its wording, forms, weight and catalogue mappings."""

    id: str
    nl: str
    en: str
    forms: tuple[str, ...]
    weight: float
    pps_cluster: int | None = None
    ilo: int | None = None
    delphi: tuple[DelphiRef, ...] = ()
    settings: tuple[str, ...] = ()
    description: str = ""

    def delphi_in(self, list_id: str) -> tuple[DelphiRef, ...]:
        """The Delphi references of this indicator in one list."""
        return tuple(ref for ref in self.delphi if ref.list == list_id)


@dataclass(frozen=True)
class Sector:
    """A work setting (labour risk sector, sex-industry venue or criminal setting)."""

    id: str
    nl: str
    en: str
    risk: bool
    forms: tuple[str, ...]


@dataclass(frozen=True)
class ReporterSector:
    """The sector of the organisation that records a signal; meldcode = Wet verplichte meldcode applies."""

    id: str
    nl: str
    en: str
    meldcode: bool


@dataclass(frozen=True)
class PoliceUnit:
    """One of the ten regional police units; each is also an RIEC region."""

    id: str
    nl: str
    riec: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CareRegion:
    """A region for (women's) shelter, named after its centrumgemeente."""

    id: str
    centrumgemeente: str
    nl: str


@dataclass(frozen=True)
class VeiligThuisRegion:
    """A Veilig Thuis region (these follow the 25 safety regions)."""

    id: str
    nl: str


@dataclass(frozen=True)
class Province:
    """One of the twelve provinces."""

    id: str
    nl: str


@dataclass(frozen=True)
class Municipality:
    """A municipality with the regional codings it belongs to."""

    id: str
    name: str
    cbs_code: str
    province: str
    police_unit: str
    care_region: str
    veilig_thuis_region: str
    aliases: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class RegionRef:
    """The regional codings a free-text region resolved to."""

    police_unit: str
    municipality: str | None = None
    care_region: str | None = None
