"""Connected components on Spark give the union-find's labels (local mode, small SYNTHETIC graphs)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

import pytest

from signaal.ads.grouping import UnionFind
from signaal.engines.components import SparkComponents
from signaal.engines.session import spark_session
from signaal.settings import Settings

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session(Settings(spark_master="local[2]", spark_shuffle_partitions=2), "signaal tests")
    yield session
    session.stop()


def test_components_on_spark_are_the_union_finds(spark: Any) -> None:
    """Long chains (numbered against their order), stars, a cycle and lone nodes: the same labels."""
    rng = random.Random(3)
    n = 3000
    chain = list(range(0, 120))
    rng.shuffle(chain)  # a path of 120 nodes whose smallest node sits anywhere along it
    edges = list(itertools.pairwise(chain))
    edges += [(1600, v) for v in range(1601, 1700)]  # a star
    edges += [(v, v + 1) for v in range(2000, 2100)] + [(2100, 2000)]  # a cycle
    edges += [(rng.randrange(2200, n), rng.randrange(2200, n)) for _ in range(400)]  # scattered
    edges += [(2500, 2500)]  # a loop links nothing
    expected = UnionFind().components(n, edges)
    assert SparkComponents(spark).components(n, edges) == expected
    assert len(set(expected)) > 100 and expected[chain[-1]] == 0
    assert SparkComponents(spark).components(5, []) == [0, 1, 2, 3, 4]
