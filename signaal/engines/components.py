"""Connected components on Spark without GraphFrames: min-label propagation with pointer jumping.

Every node starts with its own number as label; each round a node takes the smallest label among
itself and its neighbours, then the label of its label (pointer jumping, so a long chain needs
rounds in the logarithm of its length, not its length). At the fixed point every node carries the
smallest node of its component: the same labels as the in-memory union-find.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["SparkComponents", "min_label_components"]

# A round's plan grows with every join; it is cut (checkpointed locally) every few rounds.
_CUT_EVERY = 4
_MAX_ROUNDS = 200


def min_label_components(edges: Any) -> Any:
    """Labels (node, label) of every node that has an edge; ``edges`` has long columns a and b."""
    from pyspark.sql import functions as F

    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    )
    both = both.where("src != dst").distinct().localCheckpoint()
    labels = both.select(F.col("src").alias("node")).distinct().withColumn("label", F.col("node")).localCheckpoint()
    for round_ in range(1, _MAX_ROUNDS + 1):
        offered = both.join(labels.withColumnRenamed("node", "src"), "src").select(
            F.col("dst").alias("node"), F.col("label").alias("offer")
        )
        lowest = labels.join(offered.groupBy("node").agg(F.min("offer").alias("offer")), "node", "left").select(
            "node", F.least("label", F.coalesce("offer", "label")).alias("label")
        )
        parent = lowest.select(F.col("node").alias("label"), F.col("label").alias("grand"))
        jumped = lowest.join(parent, "label").select("node", F.least("label", "grand").alias("label"))
        jumped = jumped.localCheckpoint() if round_ % _CUT_EVERY == 0 else jumped.cache()
        changed = jumped.join(labels.withColumnRenamed("label", "old"), "node").where("label != old").limit(1).count()
        labels.unpersist()
        labels = jumped
        if not changed:
            return labels
    raise RuntimeError("connected components did not converge")  # cannot happen: labels only fall


class SparkComponents:
    """A ComponentFinder (see ads.grouping) that runs the components job on Spark."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def components(self, n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
        """A component label (the smallest member) for every node."""
        import numpy as np
        import pandas as pd

        pairs = np.asarray(list(edges), dtype=np.int64).reshape(-1, 2)
        out = np.arange(n, dtype=np.int64)
        if len(pairs):
            frame = self.spark.createDataFrame(pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]}))
            found = min_label_components(frame).toPandas()
            out[found["node"].to_numpy()] = found["label"].to_numpy()
        return [int(x) for x in out.tolist()]
