"""An organisation's folder replaces bundled files of the same name and nothing else."""

from __future__ import annotations

from pathlib import Path

from signaal.catalogue import KNOWN_FILES
from signaal.knowledge import Knowledge, bundled, knowledge_for
from signaal.settings import Settings


def test_override_replaces_only_the_named_file(tmp_path: Path) -> None:
    (tmp_path / "reporter_sectors.yaml").write_text(
        "# synthetic override\nreporter_sectors:\n"
        "  - {id: care, nl: zorg, en: care, meldcode: true}\n"
        "  - {id: housing_corporation, nl: woningcorporatie, en: housing corporation, meldcode: false}\n",
        encoding="utf-8",
    )
    cat = Knowledge.read(tmp_path).catalogue
    bundled_catalogue = bundled().catalogue
    assert set(cat.reporter_sectors) == {"care", "housing_corporation"}
    assert "youth" in bundled_catalogue.reporter_sectors  # the bundled catalogue is untouched
    assert cat.indicators == bundled_catalogue.indicators  # other files still come from the package
    assert cat.municipalities == bundled_catalogue.municipalities


def test_override_indicator_weights(tmp_path: Path) -> None:
    (tmp_path / "indicators.yaml").write_text(
        "# synthetic override\nindicators:\n"
        "  - {id: documents_retained, nl: paspoort ingenomen, en: passport taken,"
        " forms: [labour], weight: 0.3, pps_cluster: 2, ilo: 7,"
        " delphi: {all: {coercion_at_destination: strong}}}\n",
        encoding="utf-8",
    )
    cat = Knowledge.read(tmp_path).catalogue
    assert cat.indicator_ids == frozenset({"documents_retained"})
    assert cat.indicators["documents_retained"].weight == 0.3
    assert len(cat.indicators["documents_retained"].delphi) == 4


def test_files_the_catalogue_does_not_own_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "lexicon_ads_nl.yaml").write_text("this: [is not, a catalogue", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("synthetic", encoding="utf-8")
    cat = Knowledge.read(tmp_path).catalogue
    assert cat.indicators == bundled().catalogue.indicators
    assert "lexicon_ads_nl.yaml" not in KNOWN_FILES


def test_the_knowledge_in_force_is_read_once_per_setting(tmp_path: Path) -> None:
    settings = Settings(catalogue_dir=tmp_path)
    assert knowledge_for(settings).catalogue is knowledge_for(settings).catalogue
    assert knowledge_for(settings).catalogue is not bundled().catalogue


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
    ind = Knowledge.read(tmp_path).catalogue.indicators["synthetic_grouped"]
    strengths = {ref.list: ref.strength for ref in ind.delphi}
    assert strengths == {"adult_labour": "medium", "adult_sexual": "medium", "child_labour": "strong"}
