"""The Spark engine screens ads into the same folder as the embedded engine (local mode, small SYNTHETIC input)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from signaal.ads.synthetic import generate_ads
from signaal.domain.actor import Actor
from signaal.engines import choose_engine
from signaal.engines.session import require_spark, spark_session
from signaal.errors import ConfigError, InvalidInput
from signaal.services.ads import screen_dump
from signaal.settings import Settings

pytestmark = pytest.mark.spark

# every file the screen writes, except screen.json (it holds the time and the engine)
SAME = ("ads.jsonl", "clusters.jsonl", "texts.jsonl", "groups.json", "index.json", "skipped.jsonl", "ads.offsets.npy")


@pytest.fixture(scope="module")
def spark_settings() -> Settings:
    """Local mode on two cores with two shuffle partitions: small and quick."""
    return Settings(spark_master="local[2]", spark_shuffle_partitions=2)


@pytest.fixture(scope="module")
def spark(spark_settings: Settings) -> Iterator[Any]:
    """One Spark session for the module."""
    session = spark_session(spark_settings, "signaal tests")
    yield session
    session.stop()


def _dump(path: Path, n: int) -> Path:
    """SYNTHETIC ads, with a broken line, a blank line, an ad without text and a repeated id."""
    ads = list(generate_ads(n, seed=5))
    with path.open("w", encoding="utf-8") as fh:
        for i, ad in enumerate(ads):
            fh.write(json.dumps(ad) + "\n")
            if i == 3:
                fh.write('{"id": "broken", "body": \n\n')
            if i == 10:
                fh.write(json.dumps({"id": "empty-ad", "title": "", "body": "  "}) + "\n")
            if i == 20:
                fh.write(json.dumps(ads[2]) + "\n")
    with path.open("ab") as raw:  # a Latin-1 line in a UTF-8 dump: not text, skipped by both engines
        raw.write(b'{"id": "latin-1", "body": "Caf\xe9 in Utrecht, bel me."}\n')
    return path


def test_spark_screen_writes_the_embedded_engines_files(
    spark: Any, spark_settings: Settings, actor: Actor, tmp_path: Path
) -> None:
    from signaal.engines.spark_ads import screen_on_spark

    dump = _dump(tmp_path / "ads.jsonl", 300)
    embedded = screen_dump(actor, dump, tmp_path / "embedded", spark_settings, html=False, workers=1)
    (tmp_path / "spark").mkdir()
    (tmp_path / "spark" / "stale.txt").write_text("from an earlier run")  # a run again replaces the folder whole
    on_spark = screen_on_spark(actor, dump, tmp_path / "spark", spark_settings)
    assert not (tmp_path / "spark" / "stale.txt").exists()
    assert embedded.clusters > 5 and embedded.hubs > 0  # the synthetic set has groups and hubs to agree on
    assert (on_spark.ads, on_spark.clusters, on_spark.hubs) == (embedded.ads, embedded.clusters, embedded.hubs)
    for name in SAME:
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "embedded" / name).read_bytes(), name
    skipped = [json.loads(line) for line in (tmp_path / "spark" / "skipped.jsonl").read_text().splitlines()]
    assert [row["field"] for row in skipped] == [None, "body", "id", None]
    assert on_spark.skipped.skipped == 4
    # the same problems as the embedded engine's, with the codes the web app shows them by
    codes = [(p.line, p.field, p.code, p.values) for p in on_spark.skipped.problems]
    assert codes == [(p.line, p.field, p.code, p.values) for p in embedded.skipped.problems]
    assert [c[2] for c in codes] == ["skip_broken_json", "skip_empty", "skip_duplicate_id", "skip_not_text"]
    manifest = json.loads((tmp_path / "spark" / "screen.json").read_text())
    assert manifest["engine"] == "spark" and manifest["ads"] == embedded.ads
    phases = [p["phase"] for p in manifest["phases"]]  # observable: each phase with its time and counts
    assert phases[0] == "per-ad step" and phases[-1] == "folder written" and "hubs" in phases
    assert [p["hubs"] for p in manifest["phases"] if p["phase"] == "hubs"] == [embedded.hubs]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_a_failed_spark_screen_leaves_the_earlier_folder(
    spark: Any, spark_settings: Settings, actor: Actor, tmp_path: Path
) -> None:
    from signaal.engines.spark_ads import screen_on_spark

    out = tmp_path / "out"
    out.mkdir()
    (out / "clusters.jsonl").write_text("earlier\n")
    empty = tmp_path / "none.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(InvalidInput, match="no ads in the file"):
        screen_on_spark(actor, empty, out, spark_settings)
    assert (out / "clusters.jsonl").read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["none.jsonl", "out"]


def test_bad_input_is_named_before_spark_reads(
    spark: Any, spark_settings: Settings, actor: Actor, tmp_path: Path
) -> None:
    from signaal.engines.spark_ads import screen_on_spark

    with pytest.raises(InvalidInput, match="no such file"):
        screen_on_spark(actor, tmp_path / "missing.jsonl", tmp_path / "out", spark_settings)
    odd = tmp_path / "ads.txt"
    odd.write_text("x\n")
    with pytest.raises(InvalidInput, match="unsupported file type"):
        screen_on_spark(actor, odd, tmp_path / "out", spark_settings)
    with pytest.raises(InvalidInput, match="unknown field"):
        screen_on_spark(actor, odd, tmp_path / "out", spark_settings, mapping={"colour": "x"})
    assert not (tmp_path / "out").exists()


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails as if not installed
    with pytest.raises(ConfigError, match=r"signaal\[spark\]"):
        require_spark()


def test_missing_java_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    with pytest.raises(ConfigError, match="openjdk-17-jre-headless"):
        require_spark()


def test_the_engine_is_chosen_in_one_place() -> None:
    assert choose_engine(None, Settings(engine="spark")) == "spark"
    assert choose_engine("embedded", Settings(engine="spark")) == "embedded"
    with pytest.raises(ConfigError, match="unknown engine"):
        choose_engine("hadoop", Settings())


def test_spark_screens_with_the_organisations_files(
    spark: Any, spark_settings: Settings, actor: Actor, tmp_path: Path
) -> None:
    """An organisation's own ad lexicon (SIGNAAL_CATALOGUE_DIR) counts in the executors' tasks too."""
    from signaal.engines.spark_ads import screen_on_spark

    own = tmp_path / "own"
    own.mkdir()
    bundled = Path(__file__).resolve().parents[2] / "signaal" / "catalogue" / "data" / "lexicon_ads_nl.yaml"
    text = bundled.read_text(encoding="utf-8")
    assert "indicators:\n" in text
    entry = "indicators:\n  - id: ad_synthetic_own\n    weight: 1\n    keywords: [synthetisch]\n    patterns: ['synthetisch woord']\n"
    (own / "lexicon_ads_nl.yaml").write_text(text.replace("indicators:\n", entry, 1), encoding="utf-8")
    settings = spark_settings.model_copy(update={"catalogue_dir": own})
    dump = tmp_path / "ads.jsonl"
    with dump.open("w", encoding="utf-8") as fh:  # SYNTHETIC ads
        for i in range(6):
            fh.write(json.dumps({"id": f"s{i}", "body": f"Een synthetisch woord hier, dag {i}."}) + "\n")
    embedded = screen_dump(actor, dump, tmp_path / "embedded", settings, html=False, workers=1)
    screen_on_spark(actor, dump, tmp_path / "spark", settings)
    lines = (tmp_path / "spark" / "ads.jsonl").read_text(encoding="utf-8")
    assert embedded.ads == 6 and lines.count("ad_synthetic_own") >= 6
    assert lines == (tmp_path / "embedded" / "ads.jsonl").read_text(encoding="utf-8")
    plain = screen_on_spark(actor, dump, tmp_path / "plain", spark_settings)
    assert plain.ads == 6 and "ad_synthetic_own" not in (tmp_path / "plain" / "ads.jsonl").read_text(encoding="utf-8")


def test_a_dump_without_links_gives_the_embedded_engines_empty_groups(
    spark: Any, spark_settings: Settings, actor: Actor, tmp_path: Path
) -> None:
    """No contact, template or hub links: every step runs on empty frames and agrees (SYNTHETIC ads)."""
    from signaal.engines.spark_ads import screen_on_spark

    dump = tmp_path / "ads.jsonl"
    bodies = ["Rustige avond aan zee.", "Vandaag regen in het oosten, morgen zon.", "Fietsenmaker zoekt hulp."]
    with dump.open("w", encoding="utf-8") as fh:
        for i, body in enumerate(bodies):
            fh.write(json.dumps({"id": f"n{i}", "body": body, "city": "Utrecht"}) + "\n")
    embedded = screen_dump(actor, dump, tmp_path / "embedded", spark_settings, html=False, workers=1)
    on_spark = screen_on_spark(actor, dump, tmp_path / "spark", spark_settings)
    assert (
        (on_spark.ads, on_spark.clusters, on_spark.hubs)
        == (3, 0, 0)
        == (embedded.ads, embedded.clusters, embedded.hubs)
    )
    for name in SAME:
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "embedded" / name).read_bytes(), name
    assert (tmp_path / "spark" / "groups.json").read_bytes() == b"{}"


def test_a_table_of_the_spark_catalog_is_screened_as_its_file(
    spark: Any, spark_settings: Settings, actor: Actor, tmp_path: Path
) -> None:
    """A platform's ads in a catalog table (here a temporary view of SYNTHETIC ads) give the file's folder."""
    import pandas as pd

    from signaal.engines.spark_ads import screen_on_spark

    ads = list(generate_ads(60, seed=9))
    dump = tmp_path / "ads.jsonl"
    dump.write_text("".join(json.dumps(ad) + "\n" for ad in ads), encoding="utf-8")
    spark.createDataFrame(pd.DataFrame(ads)).createOrReplaceTempView("synthetic_ads")
    embedded = screen_dump(actor, dump, tmp_path / "embedded", spark_settings, html=False, workers=1)
    on_spark = screen_on_spark(actor, "table:synthetic_ads", tmp_path / "spark", spark_settings)
    assert on_spark.ads == embedded.ads == 60 and on_spark.clusters == embedded.clusters > 0
    for name in ("ads.jsonl", "clusters.jsonl", "groups.json", "index.json"):
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "embedded" / name).read_bytes(), name
    assert json.loads((tmp_path / "spark" / "screen.json").read_text())["dump"] == {"name": "table:synthetic_ads"}
    with pytest.raises(InvalidInput, match="no such table"):
        screen_on_spark(actor, "table:no_such_ads", tmp_path / "none", spark_settings)
    assert not (tmp_path / "none").exists()
