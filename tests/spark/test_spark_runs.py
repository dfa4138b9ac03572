"""Runs of equal keys over sorted Arrow batches: a group split across batches is handed on whole."""

from __future__ import annotations

import pyarrow as pa

from signaal.engines.rows import runs


def _batches(keys: list[int], size: int) -> list[pa.RecordBatch]:
    values = [f"v{i}" for i in range(len(keys))]
    return [
        pa.RecordBatch.from_pydict({"k": keys[i : i + size], "v": values[i : i + size]})
        for i in range(0, len(keys), size)
    ]


def test_a_run_across_batches_comes_whole_and_once() -> None:
    keys = [1, 1, 2, 2, 2, 2, 2, 3, 4, 4]
    got = [(k, cols["v"]) for k, cols in runs(iter(_batches(keys, 3)), "k")]
    assert got == [
        (1, ["v0", "v1"]),
        (2, ["v2", "v3", "v4", "v5", "v6"]),
        (3, ["v7"]),
        (4, ["v8", "v9"]),
    ]


def test_runs_do_not_depend_on_the_batch_size() -> None:
    keys = sorted([i % 7 for i in range(100)])
    whole = [(k, cols["v"]) for k, cols in runs(iter(_batches(keys, 100)), "k")]
    for size in (1, 2, 9, 14, 15, 99):
        assert [(k, cols["v"]) for k, cols in runs(iter(_batches(keys, size)), "k")] == whole
    assert list(runs(iter([]), "k")) == []
