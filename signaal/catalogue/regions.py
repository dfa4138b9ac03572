"""Regions: care regions and municipalities (validated against police units, provinces and
Veilig Thuis regions), and resolving free text such as "den bosch" to all regional codings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from signaal.catalogue.fields import Checker, build_entries
from signaal.catalogue.files import SourceFile
from signaal.catalogue.model import (
    CareRegion,
    Municipality,
    PoliceUnit,
    Province,
    RegionRef,
    VeiligThuisRegion,
)

__all__ = ["RegionIndex", "build_care_regions", "build_municipalities", "normalise_place"]

_CBS_CODE = re.compile(r"^GM\d{4}$")
#: Words people put before a place name that do not change which place is meant.
_PREFIXES = ("gemeente ", "politie ", "politieeenheid ", "eenheid ", "regio ", "riec ")
#: Prefixes that say a police unit / RIEC region is meant ("Eenheid Den Haag" is not the city).
_UNIT_PREFIXES = ("politie", "eenheid", "riec")


def normalise_place(text: str, *, strip_prefixes: bool = True) -> str:
    """Case-, diacritic- and punctuation-insensitive form of a place or region name."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"['’`´]", "", plain)
    plain = re.sub(r"[^a-z0-9]+", " ", plain).strip()
    changed = strip_prefixes
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if plain.startswith(prefix):
                plain = plain[len(prefix) :]
                changed = True
    return plain


def build_care_regions(source: SourceFile) -> dict[str, CareRegion]:
    """Care (shelter) regions, one per centrumgemeente."""
    return build_entries(
        source,
        ("id", "centrumgemeente", "nl"),
        lambda check, record, region_id: CareRegion(
            id=region_id,
            centrumgemeente=check.text(record, region_id, "centrumgemeente"),
            nl=check.text(record, region_id, "nl"),
        ),
    )


def build_municipalities(
    source: SourceFile,
    *,
    provinces: Mapping[str, Province],
    police_units: Mapping[str, PoliceUnit],
    care_regions: Mapping[str, CareRegion],
    veilig_thuis_regions: Mapping[str, VeiligThuisRegion],
) -> dict[str, Municipality]:
    """Municipalities, each pointing to known provinces, police units and regions."""
    check = Checker(source)
    result: dict[str, Municipality] = {}
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    fields = ("id", "name", "cbs_code", "province", "police_unit", "care_region",
              "veilig_thuis_region", "aliases")  # fmt: skip
    for record in source.records:
        mun_id = check.entry_id(record)
        if mun_id is None:
            continue
        check.unknown_fields(record, mun_id, fields)
        code = check.text(record, mun_id, "cbs_code")
        if code and not _CBS_CODE.match(code):
            check.problem(record, mun_id, "cbs_code", f"CBS code {code!r} is not GM + 4 digits")
        elif code in codes:
            check.problem(record, mun_id, "cbs_code", f"CBS code {code} also used by {codes[code]}")
        codes.setdefault(code, mun_id)
        name = check.text(record, mun_id, "name")
        aliases = check.words(record, "aliases")
        for label in (name, mun_id, *aliases):
            key = normalise_place(label)
            if key and names.get(key, mun_id) != mun_id:
                check.problem(record, mun_id, "aliases", f"name {label!r} already names {names[key]}")
            names.setdefault(key, mun_id)
        result[mun_id] = Municipality(
            id=mun_id,
            name=name,
            cbs_code=code,
            province=check.reference(record, mun_id, "province", provinces, "province"),
            police_unit=check.reference(record, mun_id, "police_unit", police_units, "police unit"),
            care_region=check.reference(record, mun_id, "care_region", care_regions, "care region"),
            veilig_thuis_region=check.reference(
                record, mun_id, "veilig_thuis_region", veilig_thuis_regions, "Veilig Thuis region"
            ),
            aliases=aliases,
        )
    check.raise_if_any()
    return result


@dataclass(frozen=True)
class RegionIndex:
    """Lookup tables from normalised names to municipalities and police units."""

    municipalities: Mapping[str, Municipality]
    police_units: Mapping[str, str]

    @classmethod
    def build(cls, municipalities: Mapping[str, Municipality], police_units: Mapping[str, PoliceUnit]) -> RegionIndex:
        """Index every name, alias, id and CBS code."""
        by_name: dict[str, Municipality] = {}
        for mun in municipalities.values():
            for label in (mun.name, mun.id, mun.cbs_code, *mun.aliases):
                by_name.setdefault(normalise_place(label), mun)
        units: dict[str, str] = {}
        for unit in police_units.values():
            for label in (unit.id, unit.nl, unit.riec, *unit.aliases):
                units.setdefault(normalise_place(label), unit.id)
        return cls(by_name, units)

    def resolve(self, text: str) -> RegionRef | None:
        """A municipality (most specific) first, then a police unit; None if neither matches.

        A name that says it means a unit ("Eenheid Den Haag", "RIEC Rotterdam") resolves to the
        unit even where a municipality has the same name.
        """
        key = normalise_place(text)
        if not key:
            return None
        if normalise_place(text, strip_prefixes=False).startswith(_UNIT_PREFIXES):
            named_unit = self.police_units.get(key)
            if named_unit is not None:
                return RegionRef(named_unit)
        mun = self.municipalities.get(key)
        if mun is not None:
            return RegionRef(mun.police_unit, mun.id, mun.care_region)
        unit = self.police_units.get(key)
        if unit is not None:
            return RegionRef(unit)
        return None
