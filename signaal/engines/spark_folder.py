"""The screen folder from the Spark grouping step's frames: the embedded engine's files, byte for byte.

The driver never holds the ads: the executors make each ad's labelled ads.jsonl line and write the
lines and texts as Parquet parts in ad order (under ``_parts`` in the staged folder, which must be
on a file system the driver and the executors share); the driver then streams the parts into
ads.jsonl and texts.jsonl with their offsets. clusters.jsonl, groups.json and index.json are
written as their rows stream to the driver in order, one JSON member at a time.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from signaal.ads.batch import to_json
from signaal.engines.components import cut
from signaal.engines.rows import arrow_schema, ddl
from signaal.engines.spark_group import SparkGroups
from signaal.store.screen_files import labelled_line

__all__ = ["FolderCounts", "write_folder"]


class _JsonObject:
    """A JSON object written member by member, as compact as :func:`signaal.ads.batch.to_json`."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.first = True
        fh.write(b"{")

    def add(self, key: str, value: bytes) -> None:
        """One member; ``value`` is its JSON."""
        self.fh.write((b"" if self.first else b",") + to_json(key) + b":" + value)
        self.first = False

    def close(self) -> None:
        self.fh.write(b"}")


class FolderCounts:
    """What the folder holds: groups shown and hubs."""

    def __init__(self) -> None:
        self.shown = 0
        self.hubs = 0


# Each ad's labelled ads.jsonl line and its texts.jsonl line.
_LINES = (("line", "binary"), ("text", "binary"))


def _lines(batches: Iterator[Any]) -> Iterator[Any]:
    """mapInArrow: each ad's per-ad line with its group labels and score (ScreenWriter's format)."""
    import pyarrow as pa

    for batch in batches:
        cols = batch.to_pydict()
        lines = [
            labelled_line(raw, k, t, c, score)
            for raw, k, t, c, score in zip(
                cols["out_line"], cols["klabel"], cols["tlabel"], cols["clabel"], cols["score"], strict=True
            )
        ]
        yield pa.RecordBatch.from_pydict({"line": lines, "text": cols["text"]}, schema=arrow_schema(_LINES))


def _write_ads(ads: Any, groups: SparkGroups, folder: Path, count: int) -> None:
    """ads.jsonl and texts.jsonl with their offsets, from parts the executors wrote in ad order."""
    import pyarrow.parquet as pq

    frame = (
        ads.select("pos", "out_line", "text")
        .join(groups.labels.select("pos", "klabel", "tlabel", "clabel"), "pos")
        .join(groups.scores, "pos")
        .orderBy("pos")
    )
    parts = folder / "_parts"
    # row groups of 16 MB: the driver reads one at a time, whatever the size of the dump
    lines = frame.mapInArrow(_lines, ddl(_LINES))
    lines.write.option("parquet.block.size", 16 * 2**20).parquet(str(parts))
    names = ("ads", "texts")
    offsets = {
        name: np.lib.format.open_memmap(folder / f"{name}.offsets.npy", mode="w+", dtype=np.int64, shape=(count,))
        for name in names
    }
    at = dict.fromkeys(names, 0)
    done = 0
    with (folder / "ads.jsonl").open("wb") as ads_fh, (folder / "texts.jsonl").open("wb") as texts_fh:
        files = {"ads": ads_fh, "texts": texts_fh}
        for part in sorted(parts.glob("part-*.parquet")):
            for batch in pq.ParquetFile(part).iter_batches(batch_size=2048, columns=["line", "text"]):
                for name, column in zip(names, ("line", "text"), strict=True):
                    values = batch.column(column).to_pylist()
                    sizes = np.fromiter((len(v) + 1 for v in values), dtype=np.int64, count=len(values))
                    starts = at[name] + np.concatenate([[0], np.cumsum(sizes)[:-1]]) if len(values) else sizes
                    offsets[name][done : done + len(values)] = starts
                    at[name] += int(sizes.sum())
                    files[name].write(b"".join(v + b"\n" for v in values))
                done += batch.num_rows
    for array in offsets.values():
        array.flush()
    shutil.rmtree(parts)
    if done != count:
        raise RuntimeError(f"the ad parts hold {done} ads, not {count}")


def _write_groups(groups: SparkGroups, folder: Path, min_score: float, counts: FolderCounts) -> Path:
    """clusters.jsonl and groups.json of the groups shown (score first), and every group's score.

    The scores are spooled to a file beside them for index.json, in the same order.
    """
    from pyspark.sql import functions as F

    rows = groups.groups.select(
        F.concat(F.lit("c"), F.col("label").cast("string")).alias("id"), "score", "n", "members", "line"
    )
    ordered = _in_order(rows, F.desc("score"), F.desc("n"), F.asc("id"))
    spool = folder / "_scores"
    with (
        (folder / "clusters.jsonl").open("wb") as clusters,
        (folder / "groups.json").open("wb") as index_fh,
        spool.open("wb") as scores_fh,
    ):
        index, scores = _JsonObject(index_fh), _JsonObject(scores_fh)
        for row in ordered:
            scores.add(row["id"], to_json(row["score"]))
            if row["score"] < min_score:
                continue
            index.add(row["id"], to_json({"at": clusters.tell(), "ads": list(row["members"])}))
            clusters.write(bytes(row["line"]) + b"\n")
            counts.shown += 1
        index.close()
        scores.close()
    return spool


def _members(fh: BinaryIO, name: str, rows: Iterator[Any], member: Callable[[Any], tuple[str, bytes]]) -> int:
    """One part of index.json: ``"name":{…}`` with a member per row; how many members."""
    fh.write(to_json(name) + b":")
    part = _JsonObject(fh)
    n = 0
    for row in rows:
        part.add(*member(row))
        n += 1
    part.close()
    return n


def _write_index(ads: Any, groups: SparkGroups, folder: Path, scores: Path, counts: FolderCounts) -> None:
    """index.json (see :func:`signaal.ads.check.build_index`), streamed part by part."""
    from pyspark.sql import functions as F

    labels = groups.labels.select("pos", "clabel")
    hub_rows = _in_order(groups.hubs.select("first_pos", "first_idx", "contact", "hub_json"), "first_pos", "first_idx")
    contacts = _in_order(groups.contacts.join(labels, "pos").select("pos", "idx", "key", "clabel"), "pos", "idx")
    # the templates frame holds templates of two or more ads only, each with one centre
    centres = groups.templates.where("centre").select("tlabel", "pos")
    centre_ads = centres.join(ads.select("pos", "bands", "shingles"), "pos")
    bands = _in_order(
        centre_ads.select("tlabel", F.posexplode("bands").alias("b", "key"))
        .groupBy("b", "key")
        .agg(F.min("tlabel").alias("tlabel")),
        "tlabel",
        "b",
    )
    templates = _in_order(
        centre_ads.join(labels.withColumnRenamed("pos", "tlabel"), "tlabel").select("tlabel", "clabel", "shingles"),
        "tlabel",
    )
    with (folder / "index.json").open("wb") as fh:
        fh.write(b"{")
        counts.hubs = _members(fh, "hubs", hub_rows, lambda r: (r["contact"], bytes(r["hub_json"])))
        fh.write(b",")
        _members(fh, "contacts", contacts, lambda r: (r["key"], to_json(f"c{r['clabel']}")))
        fh.write(b",")
        _members(
            fh,
            "bands",
            bands,
            lambda r: (f"{r['b']}:{int(r['key']) & 0xFFFFFFFFFFFFFFFF}", to_json(r["tlabel"])),
        )
        fh.write(b",")
        _members(
            fh,
            "templates",
            templates,
            lambda r: (str(r["tlabel"]), to_json({"cluster": f"c{r['clabel']}", "shingles": list(r["shingles"])})),
        )
        fh.write(b',"scores":')
        with scores.open("rb") as spooled:
            shutil.copyfileobj(spooled, fh)
        fh.write(b"}")
    scores.unlink()


# Rows per part when rows stream to the driver in order: it holds two parts at a time (a few MB).
_STREAM_ROWS = 10_000


def _in_order(frame: Any, *order: Any) -> Iterator[Any]:
    """The frame's rows on the driver in ``order``, in range parts of about ``_STREAM_ROWS`` rows."""
    frame = cut(frame)
    parts = max(1, -(-frame.count() // _STREAM_ROWS))
    ordered = frame.repartitionByRange(parts, *order).sortWithinPartitions(*order)
    return ordered.toLocalIterator(prefetchPartitions=True)  # type: ignore[no-any-return]


def write_folder(ads: Any, groups: SparkGroups, folder: Path, count: int, min_score: float) -> FolderCounts:
    """ads.jsonl, texts.jsonl, their offsets, clusters.jsonl, groups.json and index.json."""
    counts = FolderCounts()
    _write_ads(ads, groups, folder, count)
    scores = _write_groups(groups, folder, min_score, counts)
    _write_index(ads, groups, folder, scores, counts)
    return counts
