"""Rows that Python functions of the Spark engine hand to Spark through Arrow (``mapInArrow``).

A schema is declared once, as (name, Spark type) pairs, and given to Spark as DDL and to Arrow as
its schema; sorted batches are read back as runs of one key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["Schema", "arrow_schema", "ddl", "runs"]

Schema = tuple[tuple[str, str], ...]


def ddl(schema: Schema) -> str:
    """The schema as Spark's DDL (``mapInArrow``'s second argument)."""
    return ", ".join(f"{name} {kind}" for name, kind in schema)


def arrow_schema(schema: Schema) -> Any:
    """The schema as an Arrow schema, for the batches the function yields."""
    import pyarrow as pa

    kinds = {
        "long": pa.int64(),
        "double": pa.float64(),
        "string": pa.string(),
        "binary": pa.binary(),
        "boolean": pa.bool_(),
        "array<long>": pa.list_(pa.int64()),
        "array<double>": pa.list_(pa.float64()),
        "array<string>": pa.list_(pa.string()),
    }
    return pa.schema([(name, kinds[kind]) for name, kind in schema])


def runs(batches: Iterator[Any], key: str) -> Iterator[tuple[Any, dict[str, list[Any]]]]:
    """Runs of rows with equal ``key`` over Arrow batches sorted by it, as columns of Python lists.

    A run may span batches: it is handed on when the next key starts (or the batches end).
    """
    current: Any = None
    acc: dict[str, list[Any]] | None = None
    for batch in batches:
        cols = batch.to_pydict()
        keys = cols[key]
        start = 0
        while start < len(keys):
            end = start + 1
            while end < len(keys) and keys[end] == keys[start]:
                end += 1
            part = {name: values[start:end] for name, values in cols.items()}
            if acc is not None and keys[start] == current:
                for name in acc:
                    acc[name].extend(part[name])
            else:
                if acc is not None:
                    yield current, acc
                current, acc = keys[start], part
            start = end
    if acc is not None:
        yield current, acc
