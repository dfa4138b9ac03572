"""Records for the Spark engine (ads, registrations): JSONL, CSV or Parquet, from a local path, HDFS or
S3, or a table of the session's catalog (``table:NAME``, e.g. ``table:platform.ads``: a Hive,
Delta or Iceberg table the platform's Spark already knows).

Each record comes with its line (JSONL: the line in the file; CSV: the record's number plus the
header line, which is its line unless a field spans lines; Parquet and tables: the row number) and its
payload as JSON bytes, for the same :class:`signaal.ingest.ads.RecordParser` the embedded engine
uses: a record is read, checked and skipped by the same code on either engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from signaal.errors import InvalidInput
from signaal.ingest.ads import DEFAULT_FIELDS, RecordParser

__all__ = ["TABLE", "ad_records", "file_kind", "is_remote", "name_of", "numbered_in_place", "numbered_records"]

#: The prefix of a source that names a table of the Spark session's catalog.
TABLE = "table:"

_TEXT = (".jsonl", ".ndjson", ".json")
_CSV = (".csv", ".tsv")


def is_remote(source: str) -> bool:
    """Whether a source is a URI (s3a://, hdfs://, ...) or a table rather than a local path."""
    return ("://" in source and not source.startswith("file://")) or source.startswith(TABLE)


def name_of(source: str) -> str:
    """The file or folder name of a source, or the table's name, as problems name it."""
    if source.startswith(TABLE):
        return source.removeprefix(TABLE)
    return source.rstrip("/").rsplit("/", 1)[-1]


def file_kind(source: str) -> str:
    """jsonl, csv, parquet or table: what a source holds, from its name (a local folder is Parquet)."""
    if source.startswith(TABLE):
        if not source.removeprefix(TABLE).strip():
            raise InvalidInput(f"{source!r}: no table named after {TABLE!r}")
        return "table"
    suffix = Path(name_of(source)).suffix.lower()
    if not is_remote(source):
        path = Path(source.removeprefix("file://"))
        if not path.exists():
            raise InvalidInput(f"{source}: no such file or folder")
        if path.is_dir():
            return "parquet"
    if suffix in _TEXT:
        return "jsonl"
    if suffix in _CSV:
        return "csv"
    if suffix == ".parquet" or (is_remote(source) and not suffix):
        return "parquet"
    raise InvalidInput(
        f"{name_of(source)}: unsupported file type {suffix!r} for the spark engine (use .jsonl, .csv or Parquet)"
    )


def _lines_as_written(spark: Any, source: str) -> Any:
    """(line, payload) rows of a text file, each line's bytes exactly as written; blank lines keep
    their number but give no record.

    ``textFile`` hands Python each line through a Java string: bytes that are not UTF-8 (a Latin-1
    file, a broken line) arrive replaced by U+FFFD, so a line the import refuses as "not valid
    UTF-8 text" would be read, and ``--encoding`` could not work. The text source keeps the bytes;
    the lines are numbered on the JVM (:func:`numbered_in_place`): its partitions hold the file's
    splits in order.
    """
    from pyspark.sql import functions as F

    text = spark.read.text(source).select(F.col("value").cast("binary").alias("payload"))
    rows = numbered_in_place(text, "line", 1)
    return rows.where(F.col("payload").cast("string").rlike(r"\S")).select("line", "payload")


def numbered_in_place(frame: Any, column: str, first: int) -> Any:
    """The frame with ``column`` numbering its rows in partition order (``first``, ``first`` + 1, …),
    without a shuffle: a row's place in its partition (the low 33 bits of
    ``monotonically_increasing_id``, whose high bits are the partition) after the rows of the
    partitions before it. One job counts the rows per partition; the frame must give the same rows
    in the same order when read again (a file, or a persisted frame).
    """
    from pyspark.sql import functions as F

    ids = frame.withColumn("_id", F.monotonically_increasing_id())
    part = F.shiftright(F.col("_id"), 33)
    counts = dict(ids.groupBy(part.alias("part")).count().collect())
    offsets, total = [], first
    for n in range(max(counts, default=-1) + 1):
        offsets.append(total)
        total += counts.get(n, 0)
    before = F.element_at(F.array(*[F.lit(o) for o in offsets]), part.cast("int") + 1) if offsets else F.lit(first)
    number = before + F.col("_id").bitwiseAND(F.lit((1 << 33) - 1))
    return ids.withColumn(column, number.cast("long")).drop("_id")


def numbered_records(spark: Any, source: str, encoding: str = "utf-8") -> tuple[Any, str]:
    """The records of a file or folder as a DataFrame (line, payload) and the payload's encoding.

    JSONL lines come as their bytes as written (in ``encoding``, see :func:`_lines_as_written`); a
    CSV, Parquet or table record as UTF-8 JSON of its columns (an empty CSV field is left out, as a
    missing one), numbered by row in the order Spark reads them.
    """
    from pyspark.sql import functions as F

    kind = file_kind(source)
    if kind == "jsonl":
        return _lines_as_written(spark, source), encoding
    if kind == "csv":
        table = (
            spark.read.option("header", True)
            .option("multiLine", True)
            .option("encoding", encoding)
            .option("sep", "\t" if source.lower().endswith(".tsv") else ",")
            .csv(source)
        )
        first_line = 2  # after the header
    elif kind == "table":
        table = _table(spark, source.removeprefix(TABLE))
        first_line = 1
    else:
        table = spark.read.parquet(source)
        first_line = 1
    payload = table.select(F.to_json(F.struct(*table.columns)).cast("binary").alias("payload"))
    return numbered_in_place(payload, "line", first_line).select("line", "payload"), "utf-8"


def _table(spark: Any, name: str) -> Any:
    """A table of the session's catalog; an unknown one is named, not a Java stack."""
    if not spark.catalog.tableExists(name):
        raise InvalidInput(f"{name}: no such table in the Spark catalog")
    return spark.read.table(name)


def ad_records(
    spark: Any, source: str, mapping: dict[str, str], max_bytes: int, encoding: str
) -> tuple[Any, RecordParser]:
    """The records of a dump as a DataFrame (line, payload) and the parser that makes them ads."""
    unknown = set(mapping) - set(DEFAULT_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field(s) in the mapping: {', '.join(sorted(unknown))}")
    # each JSONL line's bytes as written: a line that is not text in ``encoding`` is skipped as the
    # embedded engine skips it, and --encoding works
    records, payload_encoding = numbered_records(spark, source, encoding)
    return records, RecordParser(name_of(source), dict(mapping), max_bytes, payload_encoding)
