"""A directory you can trust: no placeholders, no borrowed numbers, a checked date on every entry, a
templated regional entry without a number of its own, and a report of entries older than a year.
Every entry below is synthetic."""

from __future__ import annotations

from datetime import date

import pytest

from signaal.errors import CatalogueError
from signaal.knowledge import bundled
from signaal.triage.directory import Region, parse_directory, stale_entries


def _entry(**fields: object) -> dict[str, object]:
    return {"name": "Nidos (synthetic)", "source": "synthetic", "checked": "2026-11-01", **fields}


def test_a_placeholder_number_is_refused() -> None:
    with pytest.raises(CatalogueError) as err:
        parse_directory({"contacts": {"nidos": _entry(phone="14 0xx")}}, "ours.yaml", base=bundled().directory)
    assert "not a number to dial" in str(err.value) and "ours.yaml" in str(err.value)


def test_another_organisations_number_is_refused() -> None:
    comensha = bundled().directory.national["comensha"].phone
    with pytest.raises(CatalogueError) as err:
        parse_directory({"contacts": {"nidos": _entry(phone=comensha)}}, "ours.yaml", base=bundled().directory)
    assert "is the number of comensha" in str(err.value)


def test_every_entry_needs_a_checked_date() -> None:
    raw = _entry(phone="030-0000000")
    del raw["checked"]
    with pytest.raises(CatalogueError) as err:
        parse_directory({"contacts": {"nidos": raw}}, "ours.yaml", base=bundled().directory)
    assert "missing checked" in str(err.value)


def test_a_regional_coordinator_without_a_public_number_shows_none_and_its_region_by_name() -> None:
    directory = bundled().directory
    region = Region("oost-brabant", "s-hertogenbosch", "s-hertogenbosch", names=(("care_region", "'s-Hertogenbosch"),))
    contact = directory.lookup("zorgcoordinator", region)
    assert contact.phone is None and contact.url  # "nummer onbekend — zie <website>", never CoMensha's number
    assert "'s-Hertogenbosch" in contact.name
    assert directory.lookup("municipality", region).phone is None


def test_entries_older_than_a_year_are_reported() -> None:
    directory = parse_directory(
        {"contacts": {"nidos": _entry(phone="030-0000000", checked="2024-01-01")}}, "ours.yaml", base=bundled().directory
    )
    assert [e.id for e in stale_entries(directory, date(2026, 12, 6))] == ["nidos"]
    assert stale_entries(bundled().directory, date(2026, 12, 6)) == []
