"""The lexicon files load, agree with the catalogues, and bad entries are named with file and entry."""

from __future__ import annotations

from typing import Any

import pytest

from signaal.errors import CatalogueError
from signaal.knowledge import bundled
from signaal.text import LANGUAGES, parse_lexicon


def _minimal(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"language": "nl", "stopwords": ["de"], "negation": {"cues": ["geen"]}}
    data.update(extra)
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_packaged_lexicon_uses_catalogue_ids(language: str) -> None:
    lexicon = bundled().lexicons[language]
    catalogue = bundled().catalogue
    assert lexicon.indicator_ids <= set(catalogue.indicators)
    assert set(lexicon.sector_forms) <= set(catalogue.sectors)
    assert len(lexicon.indicator_ids) >= 50


def test_a_bad_glob_is_named_with_file_and_entry() -> None:
    with pytest.raises(CatalogueError) as err:
        parse_lexicon(_minimal(indicators={"debt_bondage": ["schuld**"]}), "lexicon_test.yaml")
    problem = err.value.problems[0]
    assert problem.file == "lexicon_test.yaml"
    assert problem.field == "indicators.debt_bondage[0]"
    assert "double" in problem.reason


def test_an_unknown_indicator_id_is_refused_when_the_catalogue_is_given() -> None:
    with pytest.raises(CatalogueError) as err:
        parse_lexicon(
            _minimal(indicators={"no_such": ["iets"]}), "x.yaml", known_indicators=frozenset({"debt_bondage"})
        )
    assert err.value.problems[0].field == "indicators.no_such"


def test_bad_form_sector_fact_and_age_entries_are_all_reported() -> None:
    data = _minimal(
        language="xx",
        forms={"fun": {"strong": ["x*"]}},
        sectors={"kas": {"forms": ["gardening"], "patterns": ["kas"]}},
        facts={"minor": "jong"},
        ages={"patterns": ["(no group"]},
    )
    with pytest.raises(CatalogueError) as err:
        parse_lexicon(data, "x.yaml")
    fields = {p.field for p in err.value.problems}
    assert {"language", "forms.fun", "sectors.kas", "facts.minor", "ages.patterns[0]"} <= fields


def test_window_suffix_and_groups_compile() -> None:
    lexicon = parse_lexicon(_minimal(indicators={"documents_retained": ["paspoort* ~ ingenomen @3"]}), "x.yaml")
    rule = next(r for r in lexicon.rules if r.kind == "indicator")
    assert rule.window == 3 and len(rule.groups) == 2


def test_every_lexicon_indicator_is_in_the_catalogue() -> None:
    catalogue = bundled().catalogue
    for language in LANGUAGES:
        assert bundled().lexicons[language].indicator_ids <= set(catalogue.indicators)


def test_lexicon_sectors_are_catalogue_sectors_and_point_only_to_their_forms() -> None:
    catalogue = bundled().catalogue
    for language in LANGUAGES:
        for sector, forms in bundled().lexicons[language].sector_forms.items():
            assert sector in catalogue.sectors, f"{language}: unknown sector {sector}"
            assert set(forms) <= set(catalogue.sectors[sector].forms), f"{language}: {sector} points to {forms}"
