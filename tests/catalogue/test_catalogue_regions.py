"""Free-text regions resolve to police unit, municipality and care region."""

from __future__ import annotations

import pytest

from signaal.catalogue import Catalogue, RegionRef, normalise_place
from signaal.knowledge import bundled


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return bundled().catalogue


@pytest.mark.parametrize(
    ("text", "municipality", "police_unit"),
    [
        ("'s-Hertogenbosch", "s-hertogenbosch", "oost-brabant"),
        ("den bosch", "s-hertogenbosch", "oost-brabant"),
        ("DEN BOSCH", "s-hertogenbosch", "oost-brabant"),
        ("Den Haag", "den-haag", "den-haag"),
        ("'s-Gravenhage", "den-haag", "den-haag"),
        ("The Hague", "den-haag", "den-haag"),
        ("Súdwest-Fryslân", "sudwest-fryslan", "noord-nederland"),
        ("sudwest fryslan", "sudwest-fryslan", "noord-nederland"),
        ("gemeente Amsterdam", "amsterdam", "amsterdam"),
        ("GM0599", "rotterdam", "rotterdam"),
        ("haarlemmermeer", "haarlemmermeer", "noord-holland"),
        ("Lansingerland", "lansingerland", "rotterdam"),
        ("zeist", "zeist", "midden-nederland"),
    ],
)
def test_municipality_names_aliases_and_diacritics(
    cat: Catalogue, text: str, municipality: str, police_unit: str
) -> None:
    ref = cat.resolve_region(text)
    assert ref is not None
    assert ref.municipality == municipality
    assert ref.police_unit == police_unit
    assert ref.care_region == cat.municipalities[municipality].care_region


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("oost-brabant", "oost-brabant"),
        ("Oost Brabant", "oost-brabant"),
        ("zeeland-west-brabant", "zeeland-west-brabant"),
        ("Eenheid Noord-Nederland", "noord-nederland"),
        ("RIEC Amsterdam-Amstelland", "amsterdam"),
        ("Eenheid Den Haag", "den-haag"),
        ("politie-eenheid Rotterdam", "rotterdam"),
        ("Fryslân", "noord-nederland"),
        ("regio Twente", "oost-nederland"),
        ("Flevoland", "midden-nederland"),
        ("Zuid-Limburg", "limburg"),
    ],
)
def test_police_unit_ids_and_names(cat: Catalogue, text: str, unit: str) -> None:
    assert cat.resolve_region(text) == RegionRef(unit, None, None)


def test_a_unit_id_that_is_also_a_city_gives_the_more_specific_city(cat: Catalogue) -> None:
    ref = cat.resolve_region("rotterdam")
    assert ref == RegionRef("rotterdam", "rotterdam", "rotterdam")


# Noord-Brabant is split over two units, so it names no single unit.
@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Antwerpen", "Noord-Brabant"])
def test_unknown_places_resolve_to_none(cat: Catalogue, text: str) -> None:
    assert cat.resolve_region(text) is None


def test_normalise_place_ignores_case_accents_and_punctuation() -> None:
    assert normalise_place("'s-Hertogenbosch") == normalise_place("S HERTOGENBOSCH")
    assert normalise_place("Súdwest-Fryslân") == "sudwest fryslan"
    assert normalise_place("Gemeente  Den-Haag") == "den haag"
