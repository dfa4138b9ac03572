"""Catalogue data for monitoring: nationalities with their group and world region, and known trend breaks.

Both are data files in ``catalogue/data`` (``nationalities.yaml``, ``trend_breaks.yaml``), read by the
one loader (``signaal.knowledge``) and validated here; a bad entry raises ``CatalogueError`` naming the
file, the entry and the reason (the loader adds the line).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from signaal.errors import CatalogueError, Problem

__all__ = [
    "NATIONALITY_GROUPS",
    "Country",
    "Nationalities",
    "TrendBreak",
    "WorldRegion",
    "parse_nationalities",
    "parse_trend_breaks",
]

#: The statistical nationality groups; "unknown" when nothing was recorded or it did not resolve.
NATIONALITY_GROUPS: tuple[str, ...] = ("nl", "eu", "non_eu", "unknown")
BREAK_KINDS: tuple[str, ...] = ("step", "temporary")


@dataclass(frozen=True)
class WorldRegion:
    """A world region (UN M49 sub-region, Africa south of the Sahara taken together)."""

    id: str
    nl: str
    en: str


@dataclass(frozen=True)
class Country:
    """A country as a nationality: ISO code, names, group and (outside the EU) world region."""

    code: str
    nl: str
    en: str
    group: str
    region: str | None


def fold(text: str) -> str:
    """Case- and diacritic-insensitive key of a written name."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


@dataclass(frozen=True)
class Nationalities:
    """Countries and world regions, with a lookup from what people write to a country."""

    countries: dict[str, Country]
    regions: dict[str, WorldRegion]
    names: dict[str, str]  # folded name, adjective or code -> country code
    _seen: dict[str, Country | None] = field(default_factory=dict, compare=False, repr=False)

    def resolve(self, text: str | None) -> Country | None:
        """The country a written nationality means ("Poolse", "Polish", "PL", "Polen"), or None."""
        if not text or not text.strip():
            return None
        if text not in self._seen:  # registries repeat a few spellings many times
            self._seen[text] = self._resolve(text)
        return self._seen[text]

    def _resolve(self, text: str) -> Country | None:
        key = fold(text)
        code = self.names.get(key)
        for ending, base in (("ese", "ees"), ("ase", "aas")):
            if code is None and key.endswith(ending):
                code = self.names.get(key[: -len(ending)] + base)  # Dutch inflection: "Eritrese" -> "Eritrees"
        if code is None and key.endswith("e"):
            code = self.names.get(key[:-1])  # Dutch inflection: "Poolse" -> "Pools"
        return self.countries[code] if code else None

    def group_of(self, text: str | None) -> tuple[str, str | None]:
        """(nationality group, world region) of a written nationality; ("unknown", None) when it does not resolve."""
        country = self.resolve(text)
        if country is None:
            return "unknown", None
        return country.group, country.region


@dataclass(frozen=True)
class TrendBreak:
    """A known break in registration series: when, what kind, and which series it applies to."""

    id: str
    kind: str
    start: tuple[int, int]
    end: tuple[int, int] | None
    scope: tuple[str, ...]
    nl: str
    en: str
    source: str

    def applies_to(self, filters: dict[str, str]) -> bool:
        """Whether a series with these filters (dimension -> value) gets this break."""
        return "*" in self.scope or any(f"{k}={v}" in self.scope for k, v in filters.items())


def _month(value: Any, file: str, entry: str, field: str) -> tuple[int, int]:
    text = str(value)
    try:
        year, month = (int(p) for p in text.split("-"))
    except ValueError:
        raise CatalogueError(
            f"{file}: bad entry", [Problem(f"{text!r} is not YYYY-MM", file=file, field=f"{entry}.{field}")]
        ) from None
    if not 1 <= month <= 12 or year < 1990:
        raise CatalogueError(
            f"{file}: bad entry", [Problem(f"{text!r} is not a month", file=file, field=f"{entry}.{field}")]
        )
    return year, month


def parse_nationalities(data: Any, file: str = "nationalities.yaml") -> Nationalities:
    """Validate the parsed nationalities file into a :class:`Nationalities`."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise CatalogueError(f"{file}: expected a mapping with world_regions and countries")
    regions = {}
    for item in data.get("world_regions") or []:
        regions[str(item["id"])] = WorldRegion(str(item["id"]), str(item["nl"]), str(item["en"]))
    countries: dict[str, Country] = {}
    names: dict[str, str] = {}
    for item in data.get("countries") or []:
        code = str(item.get("code", ""))
        group, region = item.get("group"), item.get("region")
        if group not in ("nl", "eu", "non_eu"):
            problems.append(Problem(f"unknown group {group!r}", file=file, field=f"{code}.group"))
            continue
        if (group == "non_eu") != (region is not None) or (region is not None and region not in regions):
            problems.append(Problem(f"region {region!r} does not fit group {group}", file=file, field=f"{code}.region"))
            continue
        countries[code] = Country(code, str(item["nl"]), str(item["en"]), group, region)
        for name in (code, item["nl"], item["en"], *(item.get("aliases") or [])):
            key = fold(str(name))
            if names.get(key, code) != code:
                problems.append(Problem(f"name {name!r} also means {names[key]}", file=file, field=f"{code}.aliases"))
            names[key] = code
    if problems:
        raise CatalogueError(f"{file}: {len(problems)} bad entries", problems)
    return Nationalities(countries, regions, names)


def parse_trend_breaks(data: Any, file: str = "trend_breaks.yaml") -> tuple[TrendBreak, ...]:
    """Validate the parsed trend-breaks file into break objects, in file order."""
    if not isinstance(data, dict) or not isinstance(data.get("breaks"), list):
        raise CatalogueError(f"{file}: expected a mapping with a list 'breaks'")
    breaks = []
    for item in data["breaks"]:
        entry = str(item.get("id", "?"))
        kind = item.get("kind")
        if kind not in BREAK_KINDS:
            raise CatalogueError(
                f"{file}: bad entry", [Problem(f"unknown kind {kind!r}", file=file, field=f"{entry}.kind")]
            )
        end = _month(item["end"], file, entry, "end") if item.get("end") is not None else None
        if kind == "temporary" and end is None:
            raise CatalogueError(
                f"{file}: bad entry", [Problem("a temporary break needs an end", file=file, field=entry)]
            )
        breaks.append(
            TrendBreak(
                id=entry,
                kind=kind,
                start=_month(item["start"], file, entry, "start"),
                end=end,
                scope=tuple(str(s) for s in item.get("scope") or ["*"]),
                nl=str(item["nl"]),
                en=str(item["en"]),
                source=str(item.get("source", "")),
            )
        )
    return tuple(breaks)
