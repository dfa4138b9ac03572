"""Linking on Spark: exact links as joins, person links with Splink's Spark backend, networks per component.

What runs where:

- records: from the registry (the service layer's core records, handed to Spark) or read on the
  executors from registration files (JSONL, CSV, Parquet; local, HDFS, S3), row by row with the
  same reader as an import (:func:`signaal.ingest.tabular.jsonl_record`,
  :func:`signaal.ingest.registrations.registrations_of`), the rows of one case together in line
  order; a row that does not validate is a problem with its file and line, and the run goes on.
  Each problem goes from the executors whole (pickled), as the import's reader made it: its reason
  code and values reach the output folder and the run's summary unchanged;
- exact links: the link keys that normalised, a group-by per key (a key on more than
  ``HUB_LIMIT`` cases is a hub, reported and not paired) and a self-join on the key;
- person links: Splink's Spark backend with the same trained model as the embedded DuckDB run
  (``link/data/person_model.json``, its SQL transpiled to Spark's dialect), each scored pair made a
  link with its evidence by the same function (:func:`signaal.link.persons.link_result`);
- networks: the connected components of cases, persons and identifiers
  (:func:`signaal.engines.components.min_label_components`), then per component a grouped pandas
  function (``applyInPandas``) over the embedded engine's pure functions (``build_graph``,
  ``networks``): no second implementation of the classification or the roles.
"""

from __future__ import annotations

import json
import logging
import pickle
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from signaal.engines.sources import name_of, numbered_records
from signaal.errors import Problem
from signaal.ingest.registrations import registrations_of
from signaal.ingest.tabular import BadRow, Row, jsonl_record, problem
from signaal.link.disclosure import CaseSight, network_summary, relevant
from signaal.link.model import CaseRecord, PersonRecord
from signaal.link.network import build_graph, network_record, networks
from signaal.link.persons import MODEL_COLUMNS, for_dialect, level_labels, link_result, splink_settings

__all__ = [
    "LINK_SCHEMA",
    "PROBLEM_COLUMNS",
    "PROBLEM_SCHEMA",
    "exact_links",
    "file_records",
    "network_rows",
    "person_links",
    "person_pairs",
    "registry_records",
]

log = logging.getLogger("signaal.engines.spark")

#: One row per case or person record (the record itself pickled: the core's own objects).
#: ``seq`` is the record's place in the order the embedded engine reads them (registry order; file
#: and line), kept so that each component's graph is built in that order too.
RECORD_SCHEMA = "kind string, ref string, case_ref string, org string, record binary, seq long"
#: A row of the registrations that could not be read (skipped) or a note (an identifier kept as written):
#: the Problem's parts (``code`` and ``values`` for interfaces that speak the user's language), its
#: place among the problems of its line (``rank``, the reader's order) and the Problem itself,
#: pickled, for the driver.
PROBLEM_SCHEMA = (
    "file string, line long, field string, reason string, code string, values map<string, string>, "
    "skipped boolean, rank long, problem binary"
)
#: The columns of the output folder's problems/ (the pickled Problem stays inside the run; ``values``
#: is a map, by name, as the message takes them).
PROBLEM_COLUMNS = ("file", "line", "field", "reason", "code", "values", "skipped")
#: A link as the registry stores it; the evidence as JSON.
LINK_SCHEMA = (
    "kind string, left_ref string, right_ref string, left_case string, right_case string, key_kind string, "
    "key_value string, match_weight double, match_probability double, evidence string"
)
NETWORK_SCHEMA = "id string, n_cases long, score double, first_case string, network string"
_KEY_SCHEMA = "owner_ref string, case_ref string, kind string, value string, problem string"
_SPLINK_SCHEMA = (
    "unique_id string, name string, birth_date string, birth_date_swapped string, birth_year long, "
    "sex string, nationality string, city string, phone string, postcode string, case_ref string"
)


# --- records ---------------------------------------------------------------------------------------


def _text_columns(frame: Any, names: Sequence[str]) -> Any:
    """Text (or binary) columns as objects with None for missing: a column of only missing values
    would otherwise be float NaN, which Arrow cannot hand Spark as text."""
    for name in names:
        column = frame[name].astype(object)
        frame[name] = column.where(column.notna(), None)
    return frame


def _record_row(record: CaseRecord | PersonRecord, seq: int) -> dict[str, Any]:
    if isinstance(record, CaseRecord):
        return {
            "kind": "case",
            "ref": record.ref,
            "case_ref": record.ref,
            "org": record.org,
            "record": pickle.dumps(record),
            "seq": seq,
        }
    return {
        "seq": seq,
        "kind": "person",
        "ref": record.ref,
        "case_ref": record.case,
        "org": record.org,
        "record": pickle.dumps(record),
    }


def registry_records(spark: Any, cases: Sequence[CaseRecord], persons: Sequence[PersonRecord]) -> Any:
    """The registry's cases and persons (read through the service layer) as a record frame."""
    import pandas as pd

    records: list[CaseRecord | PersonRecord] = [*cases, *persons]
    rows = [_record_row(r, seq) for seq, r in enumerate(records)]
    frame = pd.DataFrame(rows, columns=["kind", "ref", "case_ref", "org", "record", "seq"])
    slices = max(2, len(rows) // 20000)
    return spark.createDataFrame(frame, RECORD_SCHEMA).repartition(slices)


def _pickled(item: Problem) -> bytes:
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


def _read_alone(path: Path, line: int, payload: bytes, encoding: str) -> tuple[str | None, Problem | None]:
    """One row through the import's readers: its case, or the problem that skips it (None, None: a blank line)."""
    record = jsonl_record(line, payload, encoding)
    if record is None:
        return None, None
    if isinstance(record, BadRow):
        return None, problem(path, record)
    regs, problems = registrations_of([(path, line, record.values)])
    return (None, problems[0]) if problems else (next(iter(regs.cases)), None)


def _parse_rows(names: list[str], encodings: list[str]) -> Any:
    """mapInPandas: each row read alone, giving its case (to group by) or the problem that skips it."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for batch in batches:
            out = []
            for file, line, payload in zip(batch["file"], batch["line"], batch["payload"], strict=True):
                case_ref, found = _read_alone(Path(names[file]), int(line), bytes(payload), encodings[file])
                if case_ref is None and found is None:
                    continue
                row = {"file": int(file), "line": int(line), "payload": payload, "case_ref": case_ref}
                row["problem"] = _pickled(found) if found is not None else None
                out.append(row)
            frame = pd.DataFrame(out, columns=["file", "line", "payload", "case_ref", "problem"])
            yield _text_columns(frame, ("case_ref", "problem"))

    return run


_MERGED_SCHEMA = f"{RECORD_SCHEMA}, problem binary, skipped boolean"
_MERGED_COLUMNS = ("kind", "ref", "case_ref", "org", "record", "seq", "problem", "skipped")


def _values(line: int, payload: bytes, encoding: str) -> dict[str, Any]:
    """The values of a row that was read alone before (so a Row)."""
    record = jsonl_record(line, payload, encoding)
    assert isinstance(record, Row)
    return record.values


def _merge_case(names: list[str], encodings: list[str]) -> Any:
    """applyInPandas per case: its rows in file and line order through the import's reader."""

    def run(rows: Any) -> Any:
        import pandas as pd

        rows = rows.sort_values(["file", "line"])
        regs, problems = registrations_of(
            (Path(names[f]), int(line), _values(int(line), bytes(p), encodings[f]))
            for f, line, p in zip(rows["file"], rows["line"], rows["payload"], strict=True)
        )
        # a case in the place of its first row, a person in the place of its own row (file, line)
        first = (int(rows["file"].iloc[0]) << 40) + int(rows["line"].iloc[0])
        out = [_record_row(case, first) for case in regs.cases.values()]
        out += [
            _record_row(person, (names.index(path.name) << 40) + line)
            for person, (path, line) in zip(regs.persons, regs.person_rows, strict=True)
        ]
        notes = [(p, True) for p in problems] + [(p, False) for p in regs.kept_as_written]
        # seq: a problem's place in the reader's order (its line's problems stay in that order)
        out += [
            {"kind": "problem", "problem": _pickled(p), "skipped": skipped, "seq": i}
            for i, (p, skipped) in enumerate(notes)
        ]
        return _text_columns(pd.DataFrame(out, columns=[*_MERGED_COLUMNS]), ("problem",))

    return run


def _spread_problems(batches: Iterator[Any]) -> Iterator[Any]:
    """mapInPandas: each pickled Problem with its parts as columns (PROBLEM_SCHEMA)."""
    import pandas as pd

    for batch in batches:
        out = []
        for blob, skipped, rank in zip(batch["problem"], batch["skipped"], batch["rank"], strict=True):
            item: Problem = pickle.loads(blob)
            parts = (item.file, item.line, item.field, item.reason, item.code, dict(item.values))
            out.append((*parts, bool(skipped), int(rank), bytes(blob)))
        frame = pd.DataFrame(out, columns=[*PROBLEM_COLUMNS, "rank", "problem"])
        yield _text_columns(frame, ("file", "field", "code"))


def file_records(spark: Any, sources: Sequence[str], encoding: str = "utf-8") -> tuple[Any, Any]:
    """Registration files read on the executors: the record frame and the problem frame (skipped
    rows, and notes of identifiers kept as written; PROBLEM_SCHEMA), each problem as the import's
    reader made it, with its file and line, reason code and values."""
    from pyspark.sql import functions as F

    frames, encodings = [], []
    for i, source in enumerate(sources):
        records, payload_encoding = numbered_records(spark, source, encoding)
        frames.append(records.withColumn("file", F.lit(i)))
        encodings.append(payload_encoding)
    names = [name_of(s) for s in sources]
    raw = frames[0]
    for frame in frames[1:]:
        raw = raw.unionByName(frame)
    parsed = raw.mapInPandas(
        _parse_rows(names, encodings), "file int, line long, payload binary, case_ref string, problem binary"
    )
    parsed = parsed.persist()
    bad = parsed.where("problem IS NOT NULL").select("problem", F.lit(True).alias("skipped"), F.lit(0).alias("rank"))
    ok = parsed.where("problem IS NULL").groupBy("case_ref")
    merged = ok.applyInPandas(_merge_case(names, encodings), _MERGED_SCHEMA).persist()
    records = merged.where("kind != 'problem'").select("kind", "ref", "case_ref", "org", "record", "seq")
    notes = merged.where("kind = 'problem'").select("problem", "skipped", F.col("seq").alias("rank"))
    return records, bad.unionByName(notes).mapInPandas(_spread_problems, PROBLEM_SCHEMA)


# --- derived frames ----------------------------------------------------------------------------------


def _keys(records: Any) -> Any:
    """Every link key of every record: (owner_ref, case_ref, kind, value, problem)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for batch in batches:
            out = [
                (rec.ref, rec.ref if isinstance(rec, CaseRecord) else rec.case, k.kind, k.value, k.problem)
                for rec in map(pickle.loads, batch["record"])
                for k in rec.keys
            ]
            yield pd.DataFrame(out, columns=["owner_ref", "case_ref", "kind", "value", "problem"])

    return records.select("record").mapInPandas(run, _KEY_SCHEMA)


def _splink_rows(records: Any) -> Any:
    """The person records as the model's columns (``PersonRecord.splink_row``), with their case."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for batch in batches:
            out = []
            for rec in map(pickle.loads, batch["record"]):
                out.append({**rec.splink_row(), "case_ref": rec.case})
            yield pd.DataFrame(out, columns=[*MODEL_COLUMNS, "case_ref"]).astype({"birth_year": "Int64"})

    return records.where("kind = 'person'").select("record").mapInPandas(run, _SPLINK_SCHEMA)


# --- links -------------------------------------------------------------------------------------------


def exact_links(records: Any, hub_limit: int) -> tuple[Any, list[tuple[str, str, int]]]:
    """Pairs of cases that share a normalised key (the embedded run's rule) and the hubs, not paired."""
    from pyspark.sql import functions as F

    keys = _keys(records).where("problem IS NULL").select("kind", "value", "case_ref").distinct()
    counts = keys.groupBy("kind", "value").agg(F.count("*").alias("n"))
    hubs = [(r["kind"], r["value"], int(r["n"])) for r in counts.where(F.col("n") > hub_limit).collect()]
    shared = keys.join(counts.where((F.col("n") >= 2) & (F.col("n") <= hub_limit)), ["kind", "value"])
    left = shared.select("kind", "value", F.col("case_ref").alias("left_ref"))
    right = shared.select("kind", "value", F.col("case_ref").alias("right_ref"))
    pairs = left.join(right, ["kind", "value"]).where("left_ref < right_ref")
    evidence = F.to_json(F.struct(F.array("kind").alias("agreed"), F.concat_ws(":", "kind", "value").alias("value")))
    links = pairs.select(
        F.lit("exact").alias("kind"),
        "left_ref",
        "right_ref",
        F.col("left_ref").alias("left_case"),
        F.col("right_ref").alias("right_case"),
        F.col("kind").alias("key_kind"),
        F.col("value").alias("key_value"),
        F.lit(None).cast("double").alias("match_weight"),
        F.lit(1.0).alias("match_probability"),
        evidence.alias("evidence"),
    )
    return links, sorted(hubs)


def _as_links(model: dict[str, Any]) -> Any:
    """mapInPandas over Splink's scored pairs: each a link with the evidence of the embedded run."""
    labels = level_labels(model)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for batch in batches:
            out = []
            for row in batch.to_dict("records"):
                if row["unique_id_l"] == row["unique_id_r"]:
                    continue
                clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
                r = link_result(clean, labels)
                evidence = {"agreed": list(r.agreed), "disagreed": list(r.disagreed), "levels": r.levels}
                out.append((r.left, r.right, r.match_weight, r.match_probability, json.dumps(evidence)))
            yield pd.DataFrame(out, columns=["left_ref", "right_ref", "match_weight", "match_probability", "evidence"])

    return run


def person_links(spark: Any, records: Any, threshold: float, model: dict[str, Any]) -> tuple[Any, int]:
    """Person links at or above ``threshold`` from Splink's Spark backend with the trained ``model``
    (the settings JSON the embedded run uses); and the number of persons compared."""
    from pyspark.sql import functions as F
    from splink import Linker
    from splink.backends.spark import SparkAPI

    persons = _splink_rows(records).persist()
    population = persons.count()
    empty = spark.createDataFrame([], LINK_SCHEMA)
    if population < 2:
        return empty, population
    settings = {
        **for_dialect(splink_settings(model, population), "spark"),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
    }
    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
    # a table name of this run only: a session may link again (the name is a temporary view)
    table = db_api.register(persons.drop("case_ref"), table_name=f"signaal_persons_{uuid.uuid4().hex[:12]}")
    linker = Linker(table, settings, log_level=logging.WARNING, validate_settings=False)
    scored = linker.inference.predict(threshold_match_probability=threshold).as_spark_dataframe()
    wanted = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    wanted += [c for c in scored.columns if c.startswith("mw_")]
    found = scored.select(*wanted).mapInPandas(
        _as_links(model),
        "left_ref string, right_ref string, match_weight double, match_probability double, evidence string",
    )
    cases = persons.select("unique_id", "case_ref")
    links = (
        found.join(cases.toDF("left_ref", "left_case"), "left_ref")
        .join(cases.toDF("right_ref", "right_case"), "right_ref")
        .where("left_case != right_case")
        .select(
            F.lit("person").alias("kind"),
            "left_ref",
            "right_ref",
            "left_case",
            "right_case",
            F.lit("").alias("key_kind"),
            F.lit("").alias("key_value"),
            "match_weight",
            "match_probability",
            "evidence",
        )
    )
    return links, population


def person_pairs(spark: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    """Person links that join persons in the network (left_ref, right_ref)."""
    return spark.createDataFrame([tuple(p) for p in pairs], "left_ref string, right_ref string")


# --- networks ----------------------------------------------------------------------------------------


def _edges(records: Any, pairs: Any) -> Any:
    """The graph's edges as node names: case-identifier, person-identifier, person-case, person-person."""
    from pyspark.sql import functions as F

    keys = _keys(records)
    ident = F.concat(F.lit("id:"), "kind", F.lit(":"), "value")
    case_ids = keys.where("owner_ref = case_ref").select(
        F.concat(F.lit("case:"), "case_ref").alias("a"), ident.alias("b")
    )
    persons = records.where("kind = 'person'")
    person_ids = keys.join(persons.select(F.col("ref").alias("owner_ref")), "owner_ref").select(
        F.concat(F.lit("p:"), "owner_ref").alias("a"), ident.alias("b")
    )
    cases = records.where("kind = 'case'").select(F.col("ref").alias("case_ref"))
    on_case = persons.join(cases, "case_ref").select(
        F.concat(F.lit("p:"), "ref").alias("a"), F.concat(F.lit("case:"), "case_ref").alias("b")
    )
    linked = pairs.select(F.concat(F.lit("p:"), "left_ref").alias("a"), F.concat(F.lit("p:"), "right_ref").alias("b"))
    return case_ids.unionByName(person_ids).unionByName(on_case).unionByName(linked)


def _component_networks(rules: dict[str, Any], lang: str, sight: CaseSight | None = None) -> Any:
    """applyInPandas per component: the embedded engine's graph and network functions on its records.

    With ``sight`` (a run over the registry for one actor), a network is written as that actor is
    shown it — :func:`signaal.link.disclosure.network_summary`, the web's own function — and one
    with no case the actor may see is left out; without it (registration files the operator
    holds) the whole network is written."""

    def run(rows: Any) -> Any:
        import pandas as pd

        cases: list[CaseRecord] = []
        persons: list[PersonRecord] = []
        pairs: list[tuple[str, str]] = []
        rows = rows.sort_values("seq")
        for kind, record in zip(rows["kind"], rows["record"], strict=True):
            item = pickle.loads(record)
            if kind == "case":
                cases.append(item)
            elif kind == "person":
                persons.append(item)
            else:
                pairs.append(item)
        graph = build_graph(cases, persons, pairs)
        graph.graph["case_of"] = {p.ref: p.case for p in persons}
        found = networks(graph, rules=rules, lang=lang)
        if sight is None:
            out = [(net.id, len(net.cases), net.score, net.cases[0], _json(network_record(net))) for net in found]
        else:
            out = [_shown_row(sight, graph, net, rules, lang) for net in found if relevant(sight, net)]
        return pd.DataFrame(out, columns=["id", "n_cases", "score", "first_case", "network"])

    return run


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _shown_row(sight: CaseSight, graph: Any, net: Any, rules: dict[str, Any], lang: str) -> tuple[Any, ...]:
    """A network row with only what the actor may see: size and first case among the cases shown."""
    summary = network_summary(sight, graph, net, rules, lang)
    first = next(c for c in net.cases if sight.sees(c[5:]))
    return (net.id, summary["size"]["cases"], net.score, first, _json(summary))


def network_rows(
    spark: Any, records: Any, pairs: Any, *, rules: dict[str, Any], lang: str = "en", sight: CaseSight | None = None
) -> Any:
    """One row per network (id, size, score, first case, the network as JSON), computed per component
    under the organised / small-scale ``rules``; with ``sight``, as that actor is shown it."""
    from pyspark.sql import functions as F

    from signaal.engines.components import min_label_components

    edges = _edges(records, pairs).persist()
    names = edges.select(F.col("a").alias("name")).union(edges.select(F.col("b").alias("name"))).distinct()
    numbered = spark.createDataFrame(names.rdd.map(lambda r: r[0]).zipWithIndex(), "name string, node long")
    numbered = numbered.persist()
    ids = edges.join(numbered.toDF("a", "na"), "a").join(numbered.toDF("b", "nb"), "b")
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
    labels = min_label_components(ids.select(F.col("na").alias("a"), F.col("nb").alias("b")), partitions)
    component = numbered.join(labels, "node").select("name", F.col("label").alias("component"))
    node = F.when(F.col("kind") == "case", F.concat(F.lit("case:"), "ref")).otherwise(F.concat(F.lit("p:"), "ref"))
    placed = records.select(node.alias("name"), "kind", "record", "seq").join(component, "name")
    pair_rows = pairs.rdd.map(lambda r: (f"p:{r[0]}", "pair", pickle.dumps((r[0], r[1])), 0))
    linked = spark.createDataFrame(pair_rows, "name string, kind string, record binary, seq long").join(
        component, "name"
    )
    grouped = placed.unionByName(linked).select("component", "kind", "record", "seq").groupBy("component")
    return grouped.applyInPandas(_component_networks(rules, lang, sight), NETWORK_SCHEMA)
