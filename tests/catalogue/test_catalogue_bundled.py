"""The bundled catalogue loads, is complete for the canonical ids, and is internally consistent."""

from __future__ import annotations

import pytest

from signaal.catalogue import (
    DELPHI_DIMENSIONS,
    DELPHI_LISTS,
    DELPHI_STRENGTHS,
    EXPLOITATION_FORMS,
    FORM_IDS,
    Catalogue,
)
from signaal.errors import CatalogueError
from signaal.knowledge import bundled

#: The ids other packages code against (the catalogue brief); none may disappear.
CANONICAL_IDS = tuple(
    """
housing_by_employer transport_by_exploiter false_documents irregular_stay fear_of_authorities
sleeps_at_workplace unknown_address social_isolation debt_bondage transfer_fee
restricted_contact medical_care_withheld restricted_movement documents_retained earnings_withheld
bank_card_controlled low_or_no_pay dangerous_work excessive_hours threats earnings_quota
servile_attitude surveillance cash_uninsured fines_and_penalties violence sexual_violence
forced_prostitution ritual_or_tattoo_dependency organ_removal changing_workplaces third_party_tip
ad_shared_contact ad_movement deceptive_recruitment deceived_about_conditions
abuse_of_vulnerability coercive_recruitment older_controlling_partner sudden_luxury
always_reachable picked_up_dropped_off runaway_or_truancy self_harm_or_psychosomatic
sexualised_appearance extortion_with_images companion_speaks_for repeated_sti_pregnancy
sex_work_for_third_party drug_running forced_crime money_mule subscriptions_in_name
multiple_phones found_far_from_home drug_lab_work forced_begging forced_marriage
""".split()  # noqa: SIM905 - a word list reads better than 58 quoted strings
)

PPS = {
    1: "housing_by_employer transport_by_exploiter false_documents irregular_stay "
    "fear_of_authorities sleeps_at_workplace unknown_address social_isolation debt_bondage "
    "transfer_fee",
    2: "restricted_contact medical_care_withheld restricted_movement documents_retained "
    "earnings_withheld bank_card_controlled",
    3: "low_or_no_pay dangerous_work excessive_hours threats earnings_quota servile_attitude "
    "surveillance cash_uninsured fines_and_penalties",
    4: "violence sexual_violence forced_prostitution ritual_or_tattoo_dependency organ_removal",
    5: "changing_workplaces third_party_tip ad_shared_contact ad_movement",
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return bundled().catalogue


def test_load_is_cached_and_returns_the_same_object() -> None:
    assert bundled().catalogue is bundled().catalogue
    assert {bundled().catalogue: "usable as a cache key"}


def test_forms_are_exactly_the_fixed_ids(cat: Catalogue) -> None:
    assert set(cat.forms) == set(FORM_IDS)
    assert cat.form_ids == frozenset(FORM_IDS)
    assert all(form.nl and form.en for form in cat.forms.values())


def test_every_canonical_indicator_id_exists(cat: Catalogue) -> None:
    missing = [i for i in CANONICAL_IDS if i not in cat.indicator_ids]
    assert not missing


@pytest.mark.parametrize("cluster", sorted(PPS))
def test_public_prosecution_clusters_are_mapped(cat: Catalogue, cluster: int) -> None:
    for ind_id in PPS[cluster].split():
        assert cat.indicators[ind_id].pps_cluster == cluster, ind_id


def test_every_indicator_supports_a_form_and_has_both_wordings(cat: Catalogue) -> None:
    for ind in cat.indicators.values():
        assert ind.forms, ind.id
        assert set(ind.forms) <= set(EXPLOITATION_FORMS), ind.id
        assert ind.nl and ind.en, ind.id
        assert 0.0 <= ind.weight <= 1.0, ind.id


def test_weights_rank_specific_indicators_above_contextual_ones(cat: Catalogue) -> None:
    w = {i: cat.indicators[i].weight for i in cat.indicators}
    assert w["documents_retained"] > w["housing_by_employer"] > w["sudden_luxury"]
    assert w["forced_prostitution"] > w["sexualised_appearance"]
    assert max(w["sudden_luxury"], w["sexualised_appearance"], w["runaway_or_truancy"]) <= 0.3


def test_ilo_numbers_follow_the_published_order(cat: Catalogue) -> None:
    expected = {
        "abuse_of_vulnerability": 1,
        "deceptive_recruitment": 2,
        "restricted_movement": 3,
        "social_isolation": 4,
        "violence": 5,
        "threats": 6,
        "documents_retained": 7,
        "earnings_withheld": 8,
        "debt_bondage": 9,
        "bad_living_conditions": 10,
        "excessive_hours": 11,
    }
    assert {i: cat.indicators[i].ilo for i in expected} == expected


def test_delphi_references_use_known_vocabularies(cat: Catalogue) -> None:
    for ind in cat.indicators.values():
        for ref in ind.delphi:
            assert ref.list in DELPHI_LISTS
            assert ref.dimension in DELPHI_DIMENSIONS
            assert ref.strength in DELPHI_STRENGTHS
        pairs = [(r.list, r.dimension) for r in ind.delphi]
        assert len(pairs) == len(set(pairs)), f"{ind.id} sits twice in one list/dimension"


def _items(cat: Catalogue, list_id: str, dimension: str) -> dict[str, set[str]]:
    by_strength: dict[str, set[str]] = {s: set() for s in DELPHI_STRENGTHS}
    for ind in cat.indicators.values():
        for ref in ind.delphi_in(list_id):
            if ref.dimension == dimension:
                by_strength[ref.strength].add(ind.id)
    return by_strength


@pytest.mark.parametrize("list_id", DELPHI_LISTS)
def test_each_delphi_list_covers_all_six_dimensions(cat: Catalogue, list_id: str) -> None:
    for dimension in DELPHI_DIMENSIONS:
        items = _items(cat, list_id, dimension)
        assert any(items.values()), f"{list_id}/{dimension} has no indicators"
        # Each dimension can reach the positive rule (2 strong, 1 strong + 1 other, 3 medium,
        # or 2 medium + 1 weak) with the catalogue's own indicators.
        strong, medium, weak = (len(items[s]) for s in DELPHI_STRENGTHS)
        reachable = strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)
        assert reachable, f"{list_id}/{dimension} cannot become positive: {items}"


@pytest.mark.parametrize("list_id", DELPHI_LISTS)
def test_delphi_strong_items_where_the_publication_has_them(cat: Catalogue, list_id: str) -> None:
    for dimension in (
        "deceptive_recruitment",
        "coercive_recruitment",
        "exploitative_conditions",
        "coercion_at_destination",
    ):
        assert _items(cat, list_id, dimension)["strong"], f"{list_id}/{dimension}"
    assert {"documents_retained", "debt_bondage", "violence"} <= _items(cat, list_id, "coercion_at_destination")[
        "strong"
    ]


def test_delphi_example_strengths_from_the_domain_brief(cat: Catalogue) -> None:
    def strength(ind_id: str, dimension: str) -> str | None:
        for ref in cat.indicators[ind_id].delphi_in("adult_labour"):
            if ref.dimension == dimension:
                return ref.strength
        return None

    assert strength("deceptive_recruitment", "deceptive_recruitment") == "strong"
    assert strength("excessive_hours", "exploitative_conditions") == "strong"
    assert strength("deceived_about_conditions", "deceptive_recruitment") == "medium"
    assert strength("low_or_no_pay", "exploitative_conditions") == "medium"
    assert strength("earnings_withheld", "coercion_at_destination") == "medium"
    assert strength("personal_vulnerability", "vulnerability_at_destination") == "weak"


def test_unknown_indicator_suggests_the_nearest_ids(cat: Catalogue) -> None:
    with pytest.raises(CatalogueError) as info:
        cat.indicator("documents_retaind")
    message = str(info.value)
    assert "documents_retaind" in message
    assert "documents_retained" in message
    assert cat.indicator("debt_bondage").id == "debt_bondage"


def test_sectors_cover_the_risk_sectors_and_settings(cat: Catalogue) -> None:
    for sector_id in (
        "construction", "hospitality", "horticulture", "meat_processing", "road_transport",
        "taxi", "garment", "flower_auction", "domestic_work", "cleaning", "distribution",
        "car_wash", "nail_studio", "mushroom_farm", "retail", "industry", "shipping_port",
        "sex_window", "sex_club", "sex_escort", "sex_home", "sex_hotel", "sex_online",
        "drug_lab", "drug_trade", "shoplifting", "other",
    ):  # fmt: skip
        assert sector_id in cat.sectors, sector_id
    assert "sexual" in cat.sectors["sex_window"].forms
    assert "criminal" in cat.sectors["drug_lab"].forms


def test_meldcode_applies_to_care_youth_and_education_only(cat: Catalogue) -> None:
    meldcode = {s.id for s in cat.reporter_sectors.values() if s.meldcode}
    assert meldcode == {"care", "youth", "education"}
    assert set(cat.reporter_sectors) >= {
        "municipality", "police", "labour_inspectorate", "kmar", "riec", "platform", "ngo",
        "citizen",
    }  # fmt: skip


def test_ten_police_units_and_thirty_five_care_regions(cat: Catalogue) -> None:
    assert set(cat.police_units) == {
        "noord-nederland", "oost-nederland", "midden-nederland", "noord-holland", "amsterdam",
        "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant", "limburg",
    }  # fmt: skip
    assert all(unit.riec.startswith("RIEC ") for unit in cat.police_units.values())
    assert len(cat.care_regions) == 35


def test_municipalities_are_many_and_consistent(cat: Catalogue) -> None:
    assert len(cat.municipalities) >= 80
    codes = [m.cbs_code for m in cat.municipalities.values()]
    assert len(codes) == len(set(codes))
    assert cat.municipalities["amsterdam"].cbs_code == "GM0363"
    for mun in cat.municipalities.values():
        assert mun.police_unit in cat.police_units
        assert mun.care_region in cat.care_regions
        assert mun.province in cat.provinces
        assert mun.veilig_thuis_region in cat.veilig_thuis_regions
    # every care region's centrumgemeente is itself listed, inside its own region
    names = {m.name: m for m in cat.municipalities.values()}
    for region in cat.care_regions.values():
        assert names[region.centrumgemeente].care_region == region.id
