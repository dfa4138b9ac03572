"""An ad screen on Spark: the same per-ad step, the template links as joins, the same grouping.

What runs where:

- on the executors: reading the records (JSONL, CSV or Parquet, local, HDFS or S3), the per-ad
  step (:func:`signaal.ads.batch.screen_batch` through ``mapInArrow``: the same readers, sketches
  and output lines as the embedded engine), the LSH band keys, the first-id rule, the candidate
  pairs that share a band key (a group-by and a join), their verification (MinHash estimate and
  exact Jaccard of the shingle sets as array expressions), and the connected components of the
  contact and template links (:mod:`signaal.engines.components`);
- on the driver: the greedy centre clustering of the verified template links, hubs, movement and
  scores (the pure functions of :mod:`signaal.ads.screen`), and writing the screen folder through
  :class:`signaal.store.screen_files.ScreenWriter` — the same files as the embedded engine.

The folder is written under a temporary name beside ``out_dir`` and renamed when complete: a run
that fails part-way leaves no half-written folder, and a run again replaces the folder whole.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from signaal.ads.batch import screen_batch
from signaal.ads.check import build_index
from signaal.ads.grouping import cluster_centres
from signaal.ads.model import Ad, AdFeatures
from signaal.ads.resources import AdResources, rules
from signaal.ads.resources import use as use_resources
from signaal.ads.screen import ScreenResult, TemplateIndex, describe_templates, screen_features
from signaal.ads.textsim import Shingles, band_keys
from signaal.domain.actor import Actor
from signaal.engines.components import SparkComponents
from signaal.engines.outputs import replace_folder, staging_folder, write_manifest
from signaal.engines.session import spark_session
from signaal.engines.sources import ad_records
from signaal.errors import InvalidInput, Problem
from signaal.ingest.ads import FirstIds, SkipReport
from signaal.knowledge import knowledge_for
from signaal.settings import Settings
from signaal.store.screen_files import ScreenWriter

__all__ = ["SparkScreen", "screen_on_spark"]

log = logging.getLogger("signaal.engines.spark")

# A candidate pair whose MinHash estimate falls this far below the threshold is not verified
# exactly (the same margin as signaal.ads.screen).
_ESTIMATE_MARGIN = 0.2

# Ads per partition when the driver fetches them in order (about 5 KB each as a task result).
_COLLECT_ROWS = 5000

_PER_AD_SCHEMA = (
    "line long, ad_id string, reason string, problem binary, feat binary, out_line binary, text binary, "
    "masked string, n_tokens long, shingles array<long>, signature array<long>, bands array<long>"
)


@dataclass
class SparkScreen:
    """What a Spark screen read: the slim features, shingles and band keys of the ads kept, in order."""

    feats: list[AdFeatures] = field(default_factory=list)
    shingles: list[np.ndarray[Any, Any]] = field(default_factory=list)
    keys: list[np.ndarray[Any, Any]] = field(default_factory=list)


def _arrow_schema() -> Any:
    import pyarrow as pa

    longs = pa.list_(pa.int64())
    return pa.schema(
        [
            ("line", pa.int64()),
            ("ad_id", pa.string()),
            ("reason", pa.string()),
            ("problem", pa.binary()),
            ("feat", pa.binary()),
            ("out_line", pa.binary()),
            ("text", pa.binary()),
            ("masked", pa.string()),
            ("n_tokens", pa.int64()),
            ("shingles", longs),
            ("signature", longs),
            ("bands", longs),
        ]
    )


def _per_ad(parser: Any, region: str, bands: int, resources: AdResources) -> Any:
    """The mapInArrow function: records in, one row per record (an ad's results or a problem).

    The executors' Python workers do not share the driver's process: each task installs the
    resources the driver screens with (the organisation's lexicons, gazetteer and rules).
    """

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        with use_resources(resources):
            yield from _per_ad_batches(batches, parser, region, bands)

    return run


def _per_ad_batches(batches: Iterator[Any], parser: Any, region: str, bands: int) -> Iterator[Any]:
    import pyarrow as pa

    schema = _arrow_schema()
    for batch in batches:
        ads: list[Ad] = []
        rows: list[dict[str, Any]] = []
        for line, payload in zip(batch.column("line").to_pylist(), batch.column("payload").to_pylist(), strict=True):
            parsed = parser(int(line), payload)
            if isinstance(parsed, Problem):
                # the Problem itself, pickled: its reason code and values reach the driver unchanged
                problem = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
                rows.append({"line": int(line), "reason": parsed.reason, "problem": problem})
            else:
                ads.append(parsed)
        if ads:
            rows.extend(_ad_rows(ads, region, bands))
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _ad_rows(ads: list[Ad], region: str, bands: int) -> Iterator[dict[str, Any]]:
    """The per-ad step of a batch of ads (signaal.ads.batch), one output row per ad."""
    result = screen_batch(ads, region)
    keys = band_keys(result.sketch.signatures, bands).view(np.int64)
    sh = result.sketch.shingles
    for i, (ad, f) in enumerate(zip(ads, result.features, strict=True)):
        masked, f.masked_text = f.masked_text, ""
        yield {
            "line": ad.line,
            "ad_id": f.ad_id,
            "feat": pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL),
            "out_line": result.lines[i],
            "text": result.texts[i],
            "masked": masked,
            "n_tokens": f.n_tokens,
            "shingles": sh.values[sh.offsets[i] : sh.offsets[i + 1]].astype(np.int64).tolist(),
            "signature": result.sketch.signatures[i].astype(np.int64).tolist(),
            "bands": keys[i].tolist(),
        }


def _first_ids(parsed: Any, file_name: str) -> tuple[Any, list[Problem]]:
    """The ads whose id was read first (by line), and the later ones as duplicate problems."""
    from pyspark.sql import functions as F

    ok = parsed.where(F.col("reason").isNull())
    first = ok.groupBy("ad_id").agg(F.min("line").alias("first"))
    marked = ok.join(first, "ad_id")
    problems = []
    for ad_id, line, first_line in marked.where("line != first").select("ad_id", "line", "first").collect():
        ids = FirstIds()  # the same message as the embedded engine's
        ids.duplicate(ad_id, first_line, file_name)
        problem = ids.duplicate(ad_id, line, file_name)
        if problem is not None:
            problems.append(problem)
    return marked.where("line = first").drop("first"), problems


def _numbered(spark: Any, kept: Any) -> Any:
    """The ads kept, each with its position in line order (0, 1, ...), as the embedded engine has."""
    from pyspark.sql.types import LongType, StructField, StructType

    lines = kept.select("line").orderBy("line").rdd.zipWithIndex().map(lambda pair: (pair[0][0], pair[1]))
    schema = StructType([StructField("line", LongType(), False), StructField("pos", LongType(), False)])
    return kept.join(spark.createDataFrame(lines, schema), "line")


def template_links(ads: Any, cfg: dict[str, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Verified template links (leader, member) as the embedded band loop finds them, in its order.

    Band by band the embedded engine pairs each open member of a bucket with the bucket's first ad
    and closes the members verified: a member's link is thus its first band with a verified pair.
    """
    from pyspark.sql import functions as F

    threshold = float(cfg["min_similarity"])
    perms = float(cfg["permutations"])
    eligible = ads.where(F.col("n_tokens") >= int(cfg["min_tokens"]))
    keyed = eligible.select("pos", F.posexplode("bands").alias("band", "key"))
    leaders = keyed.groupBy("band", "key").agg(F.min("pos").alias("leader"))
    pairs = keyed.join(leaders, ["band", "key"]).where("pos != leader")
    member = ads.select("pos", F.col("signature").alias("sig_m"), F.col("shingles").alias("sh_m"))
    leader = ads.select(
        F.col("pos").alias("leader"), F.col("signature").alias("sig_l"), F.col("shingles").alias("sh_l")
    )
    both = pairs.join(member, "pos").join(leader, "leader")
    same = F.aggregate(
        F.zip_with("sig_l", "sig_m", lambda x, y: F.when(x == y, 1).otherwise(0)), F.lit(0), lambda a, x: a + x
    )
    inter = F.size(F.array_intersect("sh_l", "sh_m"))
    union = F.size("sh_l") + F.size("sh_m") - inter
    jaccard = F.when(union > 0, inter / union).otherwise(F.lit(0.0))
    verified = both.where((same / F.lit(perms) >= F.lit(threshold - _ESTIMATE_MARGIN)) & (jaccard >= F.lit(threshold)))
    first = verified.groupBy("pos").agg(F.min(F.struct("band", "key", "leader")).alias("first"))
    rows = first.select("pos", "first.band", "first.key", "first.leader").toPandas()
    if rows.empty:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    band = rows["band"].to_numpy(np.int64)
    key = rows["key"].to_numpy(np.int64).view(np.uint64)  # ordered as the embedded engine's uint64 keys
    pos = rows["pos"].to_numpy(np.int64)
    order = np.lexsort((pos, key, band))
    return rows["leader"].to_numpy(np.int64)[order], pos[order]


def _template_index(screen: SparkScreen, links: tuple[Any, Any], cfg: dict[str, Any], max_group: int) -> TemplateIndex:
    """The TemplateIndex the embedded template step makes, from the links found on Spark."""
    n = len(screen.feats)
    lengths = np.fromiter((f.n_tokens for f in screen.feats), dtype=np.int64, count=n)
    sizes = np.fromiter((len(s) for s in screen.shingles), dtype=np.int64, count=n)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    values = np.concatenate(screen.shingles).astype(np.uint32) if n else np.zeros(0, dtype=np.uint32)
    keys = np.vstack(screen.keys).view(np.uint64) if n else None
    labels, centres = cluster_centres(n, links[0].tolist(), links[1].tolist(), max_group)
    lab = np.asarray(labels, dtype=np.int64)
    members = np.flatnonzero(lab != np.arange(n))
    eligible = lengths >= int(cfg["min_tokens"])
    return TemplateIndex(
        labels, lab[members], members.astype(np.int64), keys, Shingles(values, offsets), eligible, centres
    )


def _collect(ads: Any, writer: ScreenWriter, count: int, chunk: int = 2000) -> SparkScreen:
    """The ads' features and sketches on the driver, their lines spooled by the writer, in order.

    The ads come in range partitions of about ``_COLLECT_ROWS`` each, one at a time: a task's result
    stays a few tens of MB, never near ``spark.driver.maxResultSize`` (a larger result is dropped
    and the run fails with "TaskResultLost"), and the driver holds one partition at a time.
    """
    screen = SparkScreen()
    lines: list[bytes] = []
    texts: list[bytes] = []
    masked: list[str] = []
    columns = ("feat", "out_line", "text", "masked", "shingles", "bands")  # signatures stay: verified on Spark
    parts = max(1, -(-count // _COLLECT_ROWS))
    ordered = ads.select("pos", *columns).repartitionByRange(parts, "pos").sortWithinPartitions("pos")
    for row in ordered.toLocalIterator(prefetchPartitions=False):
        screen.feats.append(pickle.loads(row["feat"]))
        lines.append(bytes(row["out_line"]))
        texts.append(bytes(row["text"]))
        masked.append(row["masked"] or "")
        screen.shingles.append(np.asarray(row["shingles"], dtype=np.int64))
        screen.keys.append(np.asarray(row["bands"], dtype=np.int64))
        if len(lines) >= chunk:
            writer.add(lines, texts, masked)
            lines, texts, masked = [], [], []
    writer.add(lines, texts, masked)
    return screen


def screen_on_spark(
    actor: Actor,
    source: str | Path,
    out_dir: Path,
    settings: Settings,
    *,
    mapping: dict[str, str] | None = None,
    region: str = "NL",
    min_score: float = 0.0,
    encoding: str = "utf-8",
) -> Any:
    """Screen a dump (file, Parquet folder or URI) on Spark into ``out_dir``: the embedded engine's files.

    It screens with the organisation's data files (``SIGNAAL_CATALOGUE_DIR``), on the driver and
    in every task, as the embedded engine does.
    """
    resources = knowledge_for(settings).ads
    with use_resources(resources):
        return _screen(actor, str(source), out_dir, settings, resources, mapping or {}, region, min_score, encoding)


def _screen(
    actor: Actor,
    source: str,
    out_dir: Path,
    settings: Settings,
    resources: AdResources,
    mapping: dict[str, str],
    region: str,
    min_score: float,
    encoding: str,
) -> Any:
    from signaal.services.ads import ScreenSummary

    started = time.perf_counter()
    cfg = rules()
    spark = spark_session(settings, "signaal ads screen")
    raw, parser = ad_records(spark, source, mapping, settings.ads_max_ad_bytes, encoding)
    tmp = staging_folder(out_dir)
    empty: InvalidInput | None = None
    try:
        parsed = raw.mapInArrow(
            _per_ad(parser, region, int(cfg["templates"]["bands"]), resources), _PER_AD_SCHEMA
        ).persist()
        problems: list[Problem] = [
            pickle.loads(row[0]) for row in parsed.where("reason IS NOT NULL").select("problem").collect()
        ]
        log.info("per-ad step: %d problems, %.1f s", len(problems), time.perf_counter() - started)
        kept, duplicates = _first_ids(parsed, parser.name)
        ads = _numbered(spark, kept).persist()
        with ScreenWriter(tmp) as writer:
            report = SkipReport(sink=writer.skip)
            for problem in sorted([*problems, *duplicates], key=lambda p: p.line or 0):
                report.skip(problem)
            screen = _collect(ads, writer, ads.count())
            report.read = len(screen.feats)
            log.info("ads collected: %d, %.1f s", report.read, time.perf_counter() - started)
            writer.write_skipped()
            if not screen.feats:
                empty = _no_ads(parser.name, report, raw.limit(1).count() == 0)
                raise empty
            links = template_links(ads, cfg["templates"])
            log.info("template links: %d, %.1f s", len(links[0]), time.perf_counter() - started)
            # the per-ad frames are read: their memory goes back to the components' aggregations
            parsed.unpersist()
            ads.unpersist()
            index = _template_index(screen, links, cfg["templates"], settings.ads_max_group_size)
            result = screen_features(
                screen.feats,
                max_group_size=settings.ads_max_group_size,
                movement_window_days=settings.ads_movement_window_days,
                finder=SparkComponents(spark),
                templates=index,
            )
            log.info("grouped: %d groups, %.1f s", len(result.clusters), time.perf_counter() - started)
            outputs = _write(writer, screen, result, min_score)
            counts = {"ads": len(screen.feats), "skipped": report.skipped, "groups": outputs.pop("groups_shown")}
            counts["hubs"] = len(result.hubs)
            write_manifest(tmp, actor, str(source), region, counts, engine="spark")
    except BaseException as exc:
        # only skipped.jsonl of a dump without a readable ad is kept, as the embedded engine does
        replace_folder(
            tmp, out_dir if empty is not None and exc is empty and empty.problems else None, only="skipped.jsonl"
        )
        raise
    replace_folder(tmp, out_dir)
    outputs = {name: str(out_dir / Path(p).name) for name, p in outputs.items()}
    outputs["screen"] = str(out_dir / "screen.json")
    outputs["skipped"] = str(out_dir / "skipped.jsonl")
    return ScreenSummary(
        ads=counts["ads"],
        clusters=counts["groups"],
        hubs=counts["hubs"],
        skipped=report,
        seconds=time.perf_counter() - started,
        outputs=outputs,
        oversized_keys=result.oversized_keys,
    )


def _write(writer: ScreenWriter, screen: SparkScreen, result: ScreenResult, min_score: float) -> dict[str, Any]:
    """Templates described, groups chosen, and the folder's files written (as the embedded engine)."""
    describe_templates(result.clusters, writer.masked_texts({i for c in result.clusters for i in c.template_members}))
    shown = [c for c in result.clusters if (len(c.ads) > 1 or c.hubs) and c.score >= min_score]
    outputs: dict[str, Any] = writer.write(result, shown, build_index(screen.feats, result))
    outputs["groups_shown"] = len(shown)
    return outputs


def _no_ads(name: str, report: SkipReport, no_records: bool) -> InvalidInput:
    if no_records:
        return InvalidInput(f"{name}: no ads in the file (it has no records)")
    return InvalidInput(
        f"{name}: no ad could be read: all {report.skipped} records were skipped "
        "(each is listed in skipped.jsonl in the output folder)",
        report.problems[:10],
    )
