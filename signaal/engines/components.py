"""Connected components on Spark without GraphFrames: min-label propagation with pointer jumping.

Every node starts with its own number as label; each round a node takes the smallest label among
itself and its neighbours, then the label of its label (pointer jumping, so a long chain needs far
fewer rounds than its length). Every label is a node of the same component and labels only fall,
so at the fixed point every node carries the smallest node of its component: the same labels as
the in-memory union-find.

Each round's labels are materialised whole and cut from their lineage (``localCheckpoint``) before
the next round reads them (and so are the smallest offers, which the jump reads twice): a round's
plan then reads one small table (node, label), never the rounds before it. Without the cut, a round whose input was cached only in part (a ``limit``
computes a few partitions) recomputes the earlier rounds, each of which reads its input twice:
the work doubles per round, and a 100,000-ad screen ran out of aggregation memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

__all__ = ["SparkComponents", "cut", "min_label_components"]

log = logging.getLogger("signaal.engines.spark")

_MAX_ROUNDS = 200


def cut(frame: Any) -> Any:
    """The frame materialised (``localCheckpoint``) and without its plan's size estimates.

    A checkpoint keeps the estimates of the plan it came from, and the estimate of a join is the
    product of its inputs': carried round after round, the figure grows to millions of digits and
    planning a round takes longer than running it. The frame is made again over the same
    checkpointed rows, so a round is planned from its own inputs only.
    """
    from pyspark.sql import DataFrame

    rows = frame.localCheckpoint()._jdf
    fresh = frame.sparkSession._jsparkSession.internalCreateDataFrame(
        rows.queryExecution().toRdd(), rows.schema(), False
    )
    return DataFrame(fresh, frame.sparkSession)


def min_label_components(edges: Any, partitions: int) -> Any:
    """Labels (node, label) of every node that has an edge; ``edges`` has long columns a and b.

    The edges and labels are hash-partitioned by node into ``partitions`` parts, so no task holds
    more than its share of the nodes however large a component is (a min per node, never a list).
    """
    from pyspark.sql import functions as F

    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    )
    both = cut(both.where("src != dst").distinct().repartition(partitions, "src"))
    labels = cut(
        both.select(F.col("src").alias("node"))
        .distinct()
        .withColumn("label", F.col("node"))
        .repartition(partitions, "node")
    )
    for round_ in range(1, _MAX_ROUNDS + 1):
        offered = (
            both.join(labels.withColumnRenamed("node", "src"), "src")
            .groupBy(F.col("dst").alias("node"))
            .agg(F.min("label").alias("offer"))
        )
        lowest = cut(
            labels.join(offered, "node", "left").select(
                "node", F.col("label").alias("old"), F.least("label", F.coalesce("offer", "label")).alias("low")
            )
        )
        parent = lowest.select(F.col("node").alias("low"), F.col("low").alias("grand"))
        jumped = cut(
            lowest.join(parent, "low")
            .select("node", F.least("low", "grand").alias("label"), "old")
            .repartition(partitions, "node")
        )
        changed = jumped.where("label != old").count()
        log.debug("components round %d: %d labels changed", round_, changed)
        labels = jumped.drop("old")
        if not changed:
            log.info("components: %d rounds", round_)
            return labels
    raise RuntimeError("connected components did not converge")  # cannot happen: labels only fall


class SparkComponents:
    """A ComponentFinder (see ads.grouping) that runs the components job on Spark."""

    def __init__(self, spark: Any, partitions: int | None = None) -> None:
        self.spark = spark
        self.partitions = partitions or int(spark.conf.get("spark.sql.shuffle.partitions"))

    def components(self, n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
        """A component label (the smallest member) for every node."""
        import numpy as np
        import pandas as pd

        pairs = np.asarray(list(edges), dtype=np.int64).reshape(-1, 2)
        out = np.arange(n, dtype=np.int64)
        if len(pairs):
            frame = self.spark.createDataFrame(pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]}))
            found = min_label_components(frame, self.partitions).toPandas()
            out[found["node"].to_numpy()] = found["label"].to_numpy()
        return [int(x) for x in out.tolist()]
