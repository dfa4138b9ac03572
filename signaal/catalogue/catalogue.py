"""The catalogue: every catalogue file as typed objects, validated together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from signaal.catalogue.build import (
    build_forms,
    build_indicators,
    build_police_units,
    build_provinces,
    build_reporter_sectors,
    build_sectors,
    build_veilig_thuis_regions,
)
from signaal.catalogue.files import KNOWN_FILES, SourceFile
from signaal.catalogue.model import (
    CareRegion,
    Form,
    Indicator,
    Municipality,
    PoliceUnit,
    Province,
    RegionRef,
    ReporterSector,
    Sector,
    VeiligThuisRegion,
)
from signaal.catalogue.regions import RegionIndex, build_care_regions, build_municipalities
from signaal.errors import CatalogueError, Problem

__all__ = ["CATALOGUE_FILES", "Catalogue", "build_catalogue"]

#: The files the catalogue is built from.
CATALOGUE_FILES = KNOWN_FILES


# eq=False: a catalogue is compared and hashed by identity, so it can key a cache (its dict
# fields would make a field-wise hash fail).
@dataclass(frozen=True, eq=False)
class Catalogue:
    """All catalogues: forms, indicators, sectors and the regional codings."""

    forms: dict[str, Form]
    indicators: dict[str, Indicator]
    sectors: dict[str, Sector]
    reporter_sectors: dict[str, ReporterSector]
    police_units: dict[str, PoliceUnit]
    care_regions: dict[str, CareRegion]
    municipalities: dict[str, Municipality]
    provinces: dict[str, Province] = field(default_factory=dict)
    veilig_thuis_regions: dict[str, VeiligThuisRegion] = field(default_factory=dict)
    form_ids: frozenset[str] = field(init=False)
    indicator_ids: frozenset[str] = field(init=False)
    _regions: RegionIndex = field(init=False, repr=False, compare=False)
    _resolved: dict[str, RegionRef | None] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Derived once: frozen dataclasses set these through object.__setattr__.
        object.__setattr__(self, "form_ids", frozenset(self.forms))
        object.__setattr__(self, "indicator_ids", frozenset(self.indicators))
        object.__setattr__(self, "_regions", RegionIndex.build(self.municipalities, self.police_units))

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; CatalogueError naming the nearest ids if unknown."""
        found = self.indicators.get(indicator_id)
        if found is not None:
            return found
        near = difflib.get_close_matches(indicator_id, sorted(self.indicators), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise CatalogueError(f"unknown indicator id {indicator_id!r}{hint}")

    def resolve_region(self, text: str) -> RegionRef | None:
        """Police unit, municipality and care region for a place or region name, if known."""
        if text not in self._resolved:  # imports and registries repeat the same few hundred names
            if len(self._resolved) > 10_000:
                self._resolved.clear()
            self._resolved[text] = self._regions.resolve(text)
        return self._resolved[text]


def _check_care_centres(
    source: SourceFile, care_regions: dict[str, CareRegion], municipalities: dict[str, Municipality]
) -> None:
    """Every care region's centrumgemeente must be a listed municipality in that region."""
    index = RegionIndex.build(municipalities, {})
    problems: list[Problem] = []
    lines = {str(r.data.get("id", "")).strip(): r.line for r in source.records}
    for region in care_regions.values():
        ref = index.resolve(region.centrumgemeente)
        if ref is None:
            reason = f"centrumgemeente {region.centrumgemeente!r} is not a listed municipality"
        elif ref.care_region != region.id:
            reason = f"centrumgemeente {region.centrumgemeente!r} lies in care region {ref.care_region}"
        else:
            continue
        problems.append(Problem(f"entry {region.id!r}: {reason}", source.path, lines.get(region.id), "centrumgemeente"))
    if problems:
        raise CatalogueError(f"catalogue file {source.path} is invalid", problems)


def build_catalogue(sources: dict[str, SourceFile]) -> Catalogue:
    """Build and cross-validate a catalogue from parsed files (no I/O)."""
    provinces = build_provinces(sources["provinces.yaml"])
    police_units = build_police_units(sources["police_units.yaml"])
    vt_regions = build_veilig_thuis_regions(sources["veilig_thuis_regions.yaml"])
    care_regions = build_care_regions(sources["care_regions.csv"])
    municipalities = build_municipalities(
        sources["municipalities.csv"],
        provinces=provinces,
        police_units=police_units,
        care_regions=care_regions,
        veilig_thuis_regions=vt_regions,
    )
    _check_care_centres(sources["care_regions.csv"], care_regions, municipalities)
    return Catalogue(
        forms=build_forms(sources["forms.yaml"]),
        indicators=build_indicators(sources["indicators.yaml"]),
        sectors=build_sectors(sources["sectors.yaml"]),
        reporter_sectors=build_reporter_sectors(sources["reporter_sectors.yaml"]),
        police_units=police_units,
        care_regions=care_regions,
        municipalities=municipalities,
        provinces=provinces,
        veilig_thuis_regions=vt_regions,
    )
