"""Turning catalogue records into typed objects, validating every field and cross-reference."""

from __future__ import annotations

from signaal.catalogue.fields import Checker, build_entries
from signaal.catalogue.files import Record, SourceFile
from signaal.catalogue.model import (
    DELPHI_DIMENSIONS,
    DELPHI_LISTS,
    DELPHI_STRENGTHS,
    EXPLOITATION_FORMS,
    FORM_IDS,
    INDICATOR_SETTINGS,
    DelphiRef,
    Form,
    Indicator,
    PoliceUnit,
    Province,
    ReporterSector,
    Sector,
    VeiligThuisRegion,
)

__all__ = [
    "DELPHI_GROUPS",
    "build_forms",
    "build_indicators",
    "build_police_units",
    "build_provinces",
    "build_reporter_sectors",
    "build_sectors",
    "build_veilig_thuis_regions",
]

#: Shorthand keys in an indicator's ``delphi`` mapping, expanded to lists in file order, so
#: that an item shared by all four lists is written once and a later key can refine it.
DELPHI_GROUPS: dict[str, tuple[str, ...]] = {
    "all": DELPHI_LISTS,
    "adult": ("adult_labour", "adult_sexual"),
    "child": ("child_labour", "child_sexual"),
    "labour": ("adult_labour", "child_labour"),
    "sexual": ("adult_sexual", "child_sexual"),
    **{name: (name,) for name in DELPHI_LISTS},
}


def build_forms(source: SourceFile) -> dict[str, Form]:
    """Forms of exploitation; exactly the fixed ids of :data:`FORM_IDS`."""
    check = Checker(source)
    forms: dict[str, Form] = {}
    for record in source.records:
        form_id = check.entry_id(record)
        if form_id is None:
            continue
        check.unknown_fields(record, form_id, ("id", "nl", "en", "description"))
        if form_id not in FORM_IDS:
            check.problem(record, form_id, "id", f"unknown form (known: {', '.join(FORM_IDS)})")
            continue
        forms[form_id] = Form(
            id=form_id,
            nl=check.text(record, form_id, "nl"),
            en=check.text(record, form_id, "en"),
            description=check.text(record, form_id, "description", required=False),
        )
    for missing in (f for f in FORM_IDS if f not in forms and not check.problems):
        check.problem(None, missing, "id", "form missing from the file")
    check.raise_if_any()
    return forms


def _delphi(check: Checker, record: Record, entry: str) -> tuple[DelphiRef, ...]:
    """Parse ``delphi: {list-or-group: {dimension: strength}}``; null strength removes an item."""
    raw = record.data.get("delphi")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        check.problem(record, entry, "delphi", "delphi must map a list to {dimension: strength}")
        return ()
    refs: dict[tuple[str, str], str | None] = {}
    for key, dims in raw.items():
        lists = DELPHI_GROUPS.get(str(key))
        if lists is None:
            known = ", ".join(DELPHI_GROUPS)
            check.problem(record, entry, "delphi", f"bad Delphi list {key!r} (known: {known})")
            continue
        if not isinstance(dims, dict):
            check.problem(record, entry, "delphi", f"Delphi list {key!r} must map dimensions")
            continue
        for dimension, strength in dims.items():
            if dimension not in DELPHI_DIMENSIONS:
                known = ", ".join(DELPHI_DIMENSIONS)
                check.problem(record, entry, "delphi", f"bad Delphi dimension {dimension!r} (known: {known})")
                continue
            if strength is not None and strength not in DELPHI_STRENGTHS:
                check.problem(
                    record,
                    entry,
                    "delphi",
                    f"bad Delphi strength {strength!r} for {key}/{dimension} (known: {', '.join(DELPHI_STRENGTHS)})",
                )
                continue
            for list_id in lists:
                refs[(list_id, str(dimension))] = strength
    ordered = sorted(
        ((k, v) for k, v in refs.items() if v is not None),
        key=lambda kv: (DELPHI_LISTS.index(kv[0][0]), DELPHI_DIMENSIONS.index(kv[0][1])),
    )
    return tuple(DelphiRef(lst, dim, str(strength)) for (lst, dim), strength in ordered)


_INDICATOR_FIELDS = (
    "id", "nl", "en", "forms", "weight", "pps_cluster", "ilo", "delphi", "settings", "description",
)  # fmt: skip


def _indicator(check: Checker, record: Record, ind_id: str) -> Indicator:
    forms = check.members(record, ind_id, "forms", EXPLOITATION_FORMS, "form")
    if not check.words(record, "forms"):
        check.problem(record, ind_id, "forms", "an indicator must support at least one form")
    weight = check.number(record, ind_id, "weight", 0.0, 1.0)
    return Indicator(
        id=ind_id,
        nl=check.text(record, ind_id, "nl"),
        en=check.text(record, ind_id, "en"),
        forms=forms,
        weight=weight if weight is not None else 0.0,
        pps_cluster=check.optional_int(record, ind_id, "pps_cluster", 1, 5),
        ilo=check.optional_int(record, ind_id, "ilo", 1, 11),
        delphi=_delphi(check, record, ind_id),
        settings=check.members(record, ind_id, "settings", INDICATOR_SETTINGS, "setting"),
        description=check.text(record, ind_id, "description", required=False),
    )


def build_indicators(source: SourceFile) -> dict[str, Indicator]:
    """Canonical indicators with their forms, weight and PPS/ILO/Delphi mappings."""
    return build_entries(source, _INDICATOR_FIELDS, _indicator)


def build_sectors(source: SourceFile) -> dict[str, Sector]:
    """Work settings: labour risk sectors, sex-industry venues, criminal settings."""
    return build_entries(
        source,
        ("id", "nl", "en", "risk", "forms"),
        lambda check, record, sector_id: Sector(
            id=sector_id,
            nl=check.text(record, sector_id, "nl"),
            en=check.text(record, sector_id, "en"),
            risk=check.flag(record, sector_id, "risk"),
            forms=check.members(record, sector_id, "forms", EXPLOITATION_FORMS, "form"),
        ),
    )


def build_reporter_sectors(source: SourceFile) -> dict[str, ReporterSector]:
    """Sectors of reporting organisations and whether the meldcode applies to them."""
    return build_entries(
        source,
        ("id", "nl", "en", "meldcode"),
        lambda check, record, sector_id: ReporterSector(
            id=sector_id,
            nl=check.text(record, sector_id, "nl"),
            en=check.text(record, sector_id, "en"),
            meldcode=check.flag(record, sector_id, "meldcode"),
        ),
    )


def build_police_units(source: SourceFile) -> dict[str, PoliceUnit]:
    """The ten police units (= RIEC regions)."""
    return build_entries(
        source,
        ("id", "nl", "riec", "aliases"),
        lambda check, record, unit_id: PoliceUnit(
            id=unit_id,
            nl=check.text(record, unit_id, "nl"),
            riec=check.text(record, unit_id, "riec"),
            aliases=check.words(record, "aliases"),
        ),
    )


def _simple(source: SourceFile) -> dict[str, tuple[str, str]]:
    """Id → Dutch name for the small id/nl lists."""
    return build_entries(
        source, ("id", "nl"), lambda check, record, entry_id: (entry_id, check.text(record, entry_id, "nl"))
    )


def build_provinces(source: SourceFile) -> dict[str, Province]:
    """The provinces."""
    return {key: Province(*value) for key, value in _simple(source).items()}


def build_veilig_thuis_regions(source: SourceFile) -> dict[str, VeiligThuisRegion]:
    """The Veilig Thuis regions."""
    return {key: VeiligThuisRegion(*value) for key, value in _simple(source).items()}
