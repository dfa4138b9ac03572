"""A linking run on the Spark engine: from the registry or from registration files.

From the registry, the run reads the cases and persons through :func:`signaal.services.link.load_records`
(after bringing new signals in), finds every exact and person link on Spark (a full comparison),
and stores the links not stored before, as the embedded run does (a decided link keeps its
decision). From files (``--input``), nothing is stored: the links, the networks and the rows that
could not be read are written to an output folder. With ``--out``, a registry run writes the
folder too, holding what the acting user may see and no more: the links whose two cases (and the
part the link rests on) they may see, and each network with a case of theirs as the web shows it
(:func:`signaal.link.disclosure.network_summary`; the label still uses every case). The operator
of a run over registration files holds those files, so that folder holds everything.

The folder is staged under a temporary name beside ``out_dir`` and renamed when complete: a run
that fails part-way leaves no half-written folder; a run again over the same input replaces it.
"""

from __future__ import annotations

import json
import logging
import pickle
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.engines.outputs import replace_folder, staging_folder
from signaal.errors import InvalidInput, Problem
from signaal.knowledge import knowledge_for
from signaal.link.disclosure import CaseSight
from signaal.link.persons import DEFAULT_THRESHOLD
from signaal.services.link import (
    HUB_LIMIT,
    LinkRun,
    _mark_linked,
    _require_linker,
    _store_links,
    _sync_signals,
    load_records,
)
from signaal.services.link_access import case_sight
from signaal.services.signals import append_event
from signaal.settings import Settings
from signaal.store import Store
from signaal.store.signals import codec_of
from signaal.store.tables_link import LinkCaseRow

__all__ = ["SparkLinkRun", "link_on_spark"]

log = logging.getLogger("signaal.engines.spark")

#: The skipped rows and the notes a run hands back whole, of each (all are in the folder's problems/).
FIRST_PROBLEMS = 50


@dataclass
class SparkLinkRun(LinkRun):
    """What a linking run on Spark found (and, from the registry, added)."""

    persons_compared: int = 0
    problems: int = 0
    skipped: int = 0
    networks: int = 0
    out: str | None = None
    seconds: float = 0.0
    found: dict[str, int] = field(default_factory=dict)
    #: the first skipped rows and notes in file and line order, as the import's reader made them
    #: (reason code and values too)
    first_skipped: list[Problem] = field(default_factory=list)
    first_notes: list[Problem] = field(default_factory=list)


class _Progress:
    """One log line per stage: what it found and the time since the run started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, stage: str, detail: str) -> None:
        log.info("link run: %s: %s (%.1f s)", stage, detail, time.perf_counter() - self.started)


def _link_dicts(rows: Iterator[Any], lookup: Any) -> Iterator[dict[str, Any]]:
    """Links as the registry stores them: an exact link names its key by the lookup pseudonym."""
    now = datetime.now(UTC)
    for row in rows:
        link = row.asDict()
        if link["kind"] == "exact":
            link["key_value"] = lookup(link["key_kind"], link["key_value"])
            link["evidence"] = {"agreed": [link["key_kind"]]}
        else:
            link["evidence"] = json.loads(link["evidence"])
        yield {**link, "status": "suggested", "created_at": now}


def _store(
    store: Store, actor: Actor, links: Any, hubs: list[tuple[str, str, int]], pending: set[str], run: SparkLinkRun
) -> None:
    """Store the links not stored before, in batches, and mark the compared cases linked."""
    batch: list[dict[str, Any]] = []
    with store.session() as session:
        codec = codec_of(session)
        run.hubs = [f"{kind}:{codec.lookup(kind, value)[:12]}… on {n} cases" for kind, value, n in hubs]
        for link in _link_dicts(links.toLocalIterator(prefetchPartitions=True), codec.lookup):
            batch.append(link)
            if len(batch) >= 5000:
                run.exact_links += _store_links(session, [b for b in batch if b["kind"] == "exact"])
                run.person_links += _store_links(session, [b for b in batch if b["kind"] == "person"])
                batch = []
        run.exact_links += _store_links(session, [b for b in batch if b["kind"] == "exact"])
        run.person_links += _store_links(session, [b for b in batch if b["kind"] == "person"])
        _mark_linked(session, pending)
        detail = {
            "engine": "spark",
            "cases_added": run.cases_added,
            "cases_compared": len(pending),
            "exact_links": run.exact_links,
            "person_links": run.person_links,
            "hubs": run.hubs[:20],
        }
        append_event(session, actor, None, "links_run", detail)


def _registry_records(spark: Any, store: Store, actor: Actor, run: SparkLinkRun) -> tuple[Any, set[str]]:
    from signaal.engines.spark_link import registry_records

    with store.session() as session:
        run.cases_added = len(_sync_signals(session, actor))
        pending = set(session.scalars(select(LinkCaseRow.ref).where(LinkCaseRow.linked == 0)))
        cases, persons = load_records(session)
    run.persons_added = sum(1 for p in persons if p.case in pending)
    return registry_records(spark, cases, persons), pending


def link_on_spark(
    store: Store | None,
    actor: Actor,
    settings: Settings,
    *,
    inputs: Sequence[str] = (),
    out_dir: Path | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    lang: str = "en",
    encoding: str = "utf-8",
) -> SparkLinkRun:
    """Link the registry (``inputs`` empty) or registration files on Spark; see the module's text."""
    from signaal.engines.session import spark_session

    _require_linker(actor)
    if inputs and out_dir is None:
        raise InvalidInput("linking registration files writes a folder: give --out")
    if not inputs and store is None:
        raise InvalidInput("no input: give registration files (--input) or link the registry")
    progress = _Progress()
    run = SparkLinkRun()
    knowledge = store.knowledge if store is not None else knowledge_for(settings)
    spark = spark_session(settings, "signaal link run")  # names the extra or Java when either is missing
    from pyspark import StorageLevel

    from signaal.engines.spark_link import exact_links, file_records, person_links

    pending: set[str] = set()
    problems = None
    if inputs:
        records, problems = file_records(spark, list(inputs), encoding)
    else:
        assert store is not None
        records, pending = _registry_records(spark, store, actor, run)
    records = records.persist(StorageLevel.MEMORY_AND_DISK)
    progress("records", f"{records.count()} cases and persons")
    exact, hubs = exact_links(records, HUB_LIMIT)
    run.hubs = _hub_lines(store if not inputs else None, hubs)
    person, run.persons_compared = person_links(spark, records, threshold, knowledge.person_model)
    links = exact.unionByName(person).persist(StorageLevel.MEMORY_AND_DISK)
    counts = {r["kind"]: int(r["n"]) for r in links.groupBy("kind").count().withColumnRenamed("count", "n").collect()}
    run.found = counts
    progress("links", f"{counts.get('exact', 0)} exact, {counts.get('person', 0)} person, {len(run.hubs)} hubs")
    if store is not None and not inputs:
        _store(store, actor, links, hubs, pending, run)
        progress("stored", f"{run.exact_links} exact and {run.person_links} person links new in the registry")
    if out_dir is not None:
        output = _Output(out_dir, knowledge.network_rules, lang, actor)
        _write_folder(spark, store if not inputs else None, records, links, problems, output, run, progress)
    run.seconds = time.perf_counter() - progress.started
    links.unpersist()
    records.unpersist()
    return run


@dataclass(frozen=True)
class _NetworkInput:
    """What the networks are built from, and (over the registry) what the actor may see of it."""

    records: Any
    pairs: Any
    sight: CaseSight | None = None


def _hub_lines(store: Store | None, hubs: list[tuple[str, str, int]]) -> list[str]:
    """The hubs as the embedded run reports them: over the registry by the key's lookup pseudonym,
    never the value; over the operator's own registration files by the value."""
    if store is None:
        return [f"{kind}:{value} on {n} cases" for kind, value, n in hubs]
    return [f"{kind}:{store.codec.lookup(kind, value)[:12]}… on {n} cases" for kind, value, n in hubs]


def _network_input(spark: Any, store: Store | None, actor: Actor, records: Any, links: Any) -> _NetworkInput:
    """The records and person links the networks are built from: the registry's own view (after
    this run's links, with confirmed and rejected links as judged) with the actor's sight of its
    cases, or the links just found in the registration files the operator gave."""
    from pyspark.sql import functions as F

    from signaal.engines.spark_link import person_pairs, registry_records
    from signaal.services.network import graph_inputs

    if store is None:
        wanted = (F.col("kind") == "person") & (F.col("match_probability") >= DEFAULT_THRESHOLD)
        return _NetworkInput(records, links.where(wanted).select("left_ref", "right_ref"))
    with store.session() as session:
        cases, persons, pairs = graph_inputs(session)
        sight = case_sight(session, actor, [(c.ref, c.org) for c in cases])
    return _NetworkInput(registry_records(spark, cases, persons), person_pairs(spark, pairs), sight)


def _seen_links(spark: Any, links: Any, sight: CaseSight) -> Any:
    """The links of a registry run the actor may see: both cases, and the part the link rests on
    (identifiers for an exact link, persons for a person link) — as `signaal link list` shows."""
    rows = [
        (ref, sight.sees(ref, FieldGroup.IDENTIFIERS), sight.sees(ref, FieldGroup.PERSONS))
        for ref in sight.scopes
        if sight.sees(ref)
    ]
    seen = spark.createDataFrame(rows, "ref string, identifiers boolean, persons boolean")
    left = seen.toDF("left_ref", "left_ids", "left_persons")
    right = seen.toDF("right_ref", "right_ids", "right_persons")
    joined = links.join(left, "left_ref").join(right, "right_ref")
    exact = (joined["kind"] == "exact") & joined["left_ids"] & joined["right_ids"]
    person = (joined["kind"] == "person") & joined["left_persons"] & joined["right_persons"]
    return joined.where(exact | person).select(*links.columns)


def _first(problems: Any) -> list[Problem]:
    """The first problems in file and line order, whole (unpickled from the executors' own pickles)."""
    rows = problems.orderBy("file", "line", "rank").select("problem").limit(FIRST_PROBLEMS).collect()
    return [pickle.loads(row[0]) for row in rows]


@dataclass(frozen=True)
class _Output:
    """Where the folder goes, and the rule and language its networks are described with."""

    folder: Path
    rules: dict[str, Any]
    lang: str
    actor: Actor


def _write_folder(
    spark: Any,
    store: Store | None,
    records: Any,
    links: Any,
    problems: Any,
    output: _Output,
    run: SparkLinkRun,
    progress: _Progress,
) -> None:
    """links/, networks/ and problems/ (Parquet) and run.json, staged and renamed whole."""
    from pyspark.sql import functions as F

    from signaal.engines.spark_link import PROBLEM_COLUMNS, PROBLEM_SCHEMA, network_rows

    out_dir = output.folder
    tmp = staging_folder(out_dir)
    try:
        source = _network_input(spark, store, output.actor, records, links)
        shown = links if source.sight is None else _seen_links(spark, links, source.sight)
        shown.orderBy("kind", "left_ref", "right_ref", "key_kind", "key_value").write.parquet(str(tmp / "links"))
        rules, lang = output.rules, output.lang
        nets = network_rows(spark, source.records, source.pairs, rules=rules, lang=lang, sight=source.sight)
        ordered = nets.orderBy(F.col("n_cases").desc(), F.col("score").desc(), "first_case")
        ordered.write.parquet(str(tmp / "networks"))
        run.networks = spark.read.parquet(str(tmp / "networks")).count()
        progress("networks", f"{run.networks} networks")
        if problems is not None:  # registration files: the first skipped rows and notes, whole
            run.first_skipped, run.first_notes = (
                _first(problems.where("skipped")),
                _first(problems.where("NOT skipped")),
            )
        problems = problems if problems is not None else spark.createDataFrame([], PROBLEM_SCHEMA)
        problems.orderBy("file", "line", "rank").select(*PROBLEM_COLUMNS).write.parquet(str(tmp / "problems"))
        written = spark.read.parquet(str(tmp / "problems"))
        run.problems = written.count()
        run.skipped = written.where("skipped").count()
        run.out = str(out_dir)
        manifest = {
            "engine": "spark",
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "links": run.found,
            "hubs": run.hubs,
            "persons_compared": run.persons_compared,
            "networks": run.networks,
            "rows_skipped": run.skipped,
            "notes": run.problems - run.skipped,
        }
        (tmp / "run.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        replace_folder(tmp, None)
        raise
    replace_folder(tmp, out_dir)
    progress("written", str(out_dir))
