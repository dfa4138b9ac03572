"""An organisation's folder replaces bundled files of the same name and nothing else."""

from __future__ import annotations

from pathlib import Path

from signaal.catalogue import KNOWN_FILES, load_catalogue


def test_override_replaces_only_the_named_file(tmp_path: Path) -> None:
    (tmp_path / "reporter_sectors.yaml").write_text(
        "# synthetic override\nreporter_sectors:\n"
        "  - {id: care, nl: zorg, en: care, meldcode: true}\n"
        "  - {id: housing_corporation, nl: woningcorporatie, en: housing corporation, meldcode: false}\n",
        encoding="utf-8",
    )
    cat = load_catalogue(tmp_path)
    bundled = load_catalogue()
    assert set(cat.reporter_sectors) == {"care", "housing_corporation"}
    assert "youth" in bundled.reporter_sectors  # the bundled catalogue is untouched
    assert cat.indicators == bundled.indicators  # other files still come from the package
    assert cat.municipalities == bundled.municipalities


def test_override_indicator_weights(tmp_path: Path) -> None:
    (tmp_path / "indicators.yaml").write_text(
        "# synthetic override\nindicators:\n"
        "  - {id: documents_retained, nl: paspoort ingenomen, en: passport taken,"
        " forms: [labour], weight: 0.3, pps_cluster: 2, ilo: 7,"
        " delphi: {all: {coercion_at_destination: strong}}}\n",
        encoding="utf-8",
    )
    cat = load_catalogue(tmp_path)
    assert cat.indicator_ids == frozenset({"documents_retained"})
    assert cat.indicators["documents_retained"].weight == 0.3
    assert len(cat.indicators["documents_retained"].delphi) == 4


def test_files_the_catalogue_does_not_own_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "lexicon_ads_nl.yaml").write_text("this: [is not, a catalogue", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("synthetic", encoding="utf-8")
    cat = load_catalogue(tmp_path)
    assert cat.indicators == load_catalogue().indicators
    assert "lexicon_ads_nl.yaml" not in KNOWN_FILES


def test_an_override_folder_is_cached_per_path(tmp_path: Path) -> None:
    assert load_catalogue(tmp_path) is load_catalogue(tmp_path)
    assert load_catalogue(tmp_path) is not load_catalogue()


def test_delphi_groups_expand_in_order_and_null_removes(tmp_path: Path) -> None:
    (tmp_path / "indicators.yaml").write_text(
        "# synthetic override\nindicators:\n"
        "  - id: synthetic_grouped\n"
        "    nl: synthetisch\n"
        "    en: synthetic\n"
        "    forms: [labour]\n"
        "    weight: 0.5\n"
        "    delphi:\n"
        "      all: {coercion_at_destination: medium}\n"
        "      child: {coercion_at_destination: strong}\n"
        "      child_sexual: {coercion_at_destination: null}\n",
        encoding="utf-8",
    )
    ind = load_catalogue(tmp_path).indicators["synthetic_grouped"]
    strengths = {ref.list: ref.strength for ref in ind.delphi}
    assert strengths == {"adult_labour": "medium", "adult_sexual": "medium", "child_labour": "strong"}
