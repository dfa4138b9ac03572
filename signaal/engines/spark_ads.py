"""An ad screen on Spark: the same per-ad step, and the grouping step as DataFrame steps.

What runs where:

- on the executors: reading the records (JSONL, CSV or Parquet, local, HDFS or S3), the per-ad
  step (:func:`signaal.ads.batch.screen_batch` through ``mapInArrow``: the same readers, sketches
  and output lines as the embedded engine), the first-id rule, and the whole grouping step
  (:mod:`signaal.engines.spark_group`: links, components, template centres, hubs, groups and
  scores, with the embedded engine's own functions per group);
- on the driver: the skipped records, the dump's median hourly price (from counts by value), and
  the screen folder's files streamed from the executors' rows in order
  (:mod:`signaal.engines.spark_folder`): the same files as the embedded engine.

The folder is written under a temporary name beside ``out_dir`` and renamed when complete: a run
that fails part-way leaves no half-written folder, and a run again replaces the folder whole.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from signaal.ads.batch import screen_batch
from signaal.ads.model import Ad
from signaal.ads.resources import AdResources, rules
from signaal.ads.resources import use as use_resources
from signaal.ads.scoring import lone_ad_points
from signaal.ads.textsim import band_keys
from signaal.domain.actor import Actor
from signaal.engines.components import cut
from signaal.engines.outputs import replace_folder, staging_folder, write_manifest
from signaal.engines.rows import arrow_schema, ddl
from signaal.engines.session import spark_session
from signaal.engines.sources import ad_records, numbered_in_place
from signaal.engines.spark_folder import write_folder
from signaal.engines.spark_group import group_on_spark
from signaal.errors import InvalidInput, Problem
from signaal.ingest.ads import FirstIds, SkipReport
from signaal.knowledge import knowledge_for
from signaal.settings import Settings
from signaal.store.screen_files import ScreenWriter

__all__ = ["screen_on_spark"]

log = logging.getLogger("signaal.engines.spark")

# One row per record: an ad's results, or the problem that skipped it.
_PER_AD_SCHEMA = (
    ("line", "long"),
    ("ad_id", "string"),
    ("reason", "string"),
    ("problem", "binary"),
    ("feat", "binary"),
    ("out_line", "binary"),
    ("text", "binary"),
    ("masked", "string"),
    ("n_tokens", "long"),
    ("shingles", "array<long>"),
    ("signature", "array<long>"),
    ("bands", "array<long>"),
    ("own_keys", "array<string>"),
    ("all_keys", "array<string>"),
    ("per_hour", "array<double>"),
    ("lone", "double"),
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

    schema = arrow_schema(_PER_AD_SCHEMA)
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
    scoring = rules()["scoring"]
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
            "own_keys": f.own_keys,
            "all_keys": f.contact_keys,
            "per_hour": [p.per_hour for p in f.prices if p.per_hour is not None],
            "lone": lone_ad_points(f, scoring),  # its score if it is linked to no other ad
        }


def _first_ids(parsed: Any, file_name: str) -> tuple[Any, list[Problem]]:
    """The lines of the later ads of a repeated id (a frame of ``line``), and their problems.

    Only (ad id, line) pairs are shuffled here, never the ads' wide rows.
    """
    from pyspark.sql import functions as F

    ok = parsed.where(F.col("reason").isNull()).select("ad_id", "line")
    first = ok.groupBy("ad_id").agg(F.min("line").alias("first"), F.count("*").alias("n")).where("n > 1")
    later = cut(ok.join(first, "ad_id").where("line != first").select("ad_id", "line", "first"))
    problems = []
    for ad_id, line, first_line in later.collect():
        ids = FirstIds()  # the same message as the embedded engine's
        ids.duplicate(ad_id, first_line, file_name)
        problem = ids.duplicate(ad_id, line, file_name)
        if problem is not None:
            problems.append(problem)
    return later.select("line"), problems


def _numbered(parsed: Any, later: Any) -> Any:
    """The ads kept, each with its position in line order (0, 1, ...) as the embedded engine has,
    without a shuffle of their rows.

    The per-ad frame's partitions hold the dump's records in line order (its source's splits in
    order, each read in order): an ad's position is the count of ads kept in the partitions before
    its own plus its place in its own (:func:`signaal.engines.sources.numbered_in_place`). The
    later ads of a repeated id are few; they are left out by a broadcast anti-join, which keeps the
    partitions as they are.
    """
    from pyspark.sql import functions as F

    kept = parsed.where(F.col("reason").isNull()).join(F.broadcast(later), "line", "left_anti")
    return numbered_in_place(kept, "pos", 0)


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


def _on_disk() -> Any:
    from pyspark import StorageLevel

    return StorageLevel.DISK_ONLY


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

    cfg = rules()
    spark = spark_session(settings, "signaal ads screen")
    phase = _Phases(spark)
    # The wide per-ad frames (about 3 KB per ad) are kept on disk: cached in memory they took the
    # unified memory the aggregations of the grouping step need (a 1,000,000-ad run in a 2 GB
    # local JVM ran out of aggregation memory), and at scale they do not fit in memory anyway.
    on_disk = _on_disk()
    raw, parser = ad_records(spark, source, mapping, settings.ads_max_ad_bytes, encoding)
    tmp = staging_folder(out_dir)
    empty: InvalidInput | None = None
    try:
        parsed = raw.mapInArrow(
            _per_ad(parser, region, int(cfg["templates"]["bands"]), resources), ddl(_PER_AD_SCHEMA)
        ).persist(on_disk)
        problems: list[Problem] = [
            pickle.loads(row[0]) for row in parsed.where("reason IS NOT NULL").select("problem").collect()
        ]
        phase("per-ad step", problems=len(problems))
        later, duplicates = _first_ids(parsed, parser.name)
        ads = _numbered(parsed, later).persist(on_disk)
        count = ads.count()
        with ScreenWriter(tmp) as writer:
            report = SkipReport(sink=writer.skip)
            for problem in sorted([*problems, *duplicates], key=lambda p: p.line or 0):
                report.skip(problem)
            report.read = count
            writer.write_skipped()
        phase("ads numbered", ads=count)
        if not count:
            empty = _no_ads(parser.name, report, raw.limit(1).count() == 0)
            raise empty
        parsed.unpersist()
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
        limits = (settings.ads_max_group_size, settings.ads_movement_window_days)
        groups = group_on_spark(ads, cfg["templates"], resources, limits, partitions, phase)
        written = write_folder(ads, groups, tmp, count, min_score)
        phase("folder written", groups=written.shown, hubs=written.hubs)
        counts = {"ads": count, "skipped": report.skipped, "groups": written.shown, "hubs": written.hubs}
        write_manifest(tmp, actor, str(source), region, counts, engine="spark", phases=phase.done)
    except BaseException as exc:
        # only skipped.jsonl of a dump without a readable ad is kept, as the embedded engine does
        replace_folder(
            tmp, out_dir if empty is not None and exc is empty and empty.problems else None, only="skipped.jsonl"
        )
        raise
    finally:
        spark.catalog.clearCache()
        spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)
    replace_folder(tmp, out_dir)
    outputs = {name: str(out_dir / f"{name}.jsonl") for name in ("ads", "clusters", "texts")}
    outputs["index"] = str(out_dir / "index.json")
    outputs["screen"] = str(out_dir / "screen.json")
    outputs["skipped"] = str(out_dir / "skipped.jsonl")
    return ScreenSummary(
        ads=count,
        clusters=written.shown,
        hubs=written.hubs,
        skipped=report,
        seconds=time.perf_counter() - phase.started,
        outputs=outputs,
        oversized_keys=groups.oversized_keys,
    )


class _Phases:
    """The run's phases as they end: logged on the engine's logger and kept for screen.json.

    Spark's jobs run in the job group ``signaal phase K`` while the K-th phase (from 0) runs, so
    its UI and status store tell which phase each stage served.
    """

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.started = time.perf_counter()
        self.done: list[dict[str, Any]] = []
        self._group()

    def _group(self) -> None:
        self.spark.sparkContext.setJobGroup(f"signaal phase {len(self.done)}", "signaal ads screen")

    def __call__(self, name: str, **counts: int) -> None:
        seconds = round(time.perf_counter() - self.started, 1)
        self.done.append({"phase": name, "seconds": seconds, **counts})
        figures = ", ".join(f"{k} {v}" for k, v in counts.items())
        log.info("%s%s: %.1f s", name, f" ({figures})" if figures else "", seconds)
        self._group()


def _no_ads(name: str, report: SkipReport, no_records: bool) -> InvalidInput:
    if no_records:
        return InvalidInput(f"{name}: no ads in the file (it has no records)")
    return InvalidInput(
        f"{name}: no ad could be read: all {report.skipped} records were skipped "
        "(each is listed in skipped.jsonl in the output folder)",
        report.problems[:10],
    )
