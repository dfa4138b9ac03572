"""Linking on Spark finds the embedded run's links and networks (local mode, SYNTHETIC three-organisation data)."""

from __future__ import annotations

import codecs
import json
import pickle
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from signaal.errors import ConfigError, InvalidInput, Problem
from signaal.ingest.registrations import read_registrations
from signaal.keystore import KeyStore
from signaal.link import synthetic
from signaal.link.disclosure import network_summary, relevant
from signaal.link.network import build_graph, networks
from signaal.services.link import import_registrations, run_linking
from signaal.services.link_access import case_sight
from signaal.services.network import graph_inputs
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.tables_link import LinkRow

sys.path.insert(0, str(Path(__file__).parents[1] / "link"))
from link_fixtures import ADMIN, PHONE_A, police_rows, signal, write_csv

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Local mode; one key directory for every registry here, so their lookup pseudonyms agree."""
    keys = tmp_path_factory.mktemp("keys") / "registry-keys"
    keys.mkdir(mode=0o700)
    KeyStore(keys).new("pseudonym")
    return Settings(spark_master="local[2]", spark_shuffle_partitions=2, key_dir=keys)


@pytest.fixture(scope="module")
def spark(spark_settings: Settings) -> Iterator[Any]:
    from signaal.engines.session import spark_session

    session = spark_session(spark_settings, "signaal tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """SYNTHETIC registrations of three organisations: networks of each kind and background people."""
    world = synthetic.generate(3, organised=2, criminal=3, small=6, background=40)
    return synthetic.registration_rows(world)


def _store(path: Path, spark_settings: Settings) -> Store:
    settings = spark_settings.model_copy(update={"database_url": f"sqlite:///{path}"})
    return open_store(settings)


Link = tuple[str, str, str, str, str]


def _links(store: Store) -> dict[Link, float | None]:
    """Every stored link by kind, both records and the key it shares, with its match weight."""
    with store.session() as session:
        found = session.execute(
            select(
                LinkRow.kind,
                LinkRow.left_ref,
                LinkRow.right_ref,
                LinkRow.key_kind,
                LinkRow.key_value,
                LinkRow.match_weight,
            )
        ).all()
    links = {tuple(row[:5]): row[5] for row in found}
    assert len(links) == len(found)
    return links  # type: ignore[return-value]


def _same(got: dict[Link, float | None], want: dict[Link, float | None]) -> None:
    """The same pairs, and match weights equal within float tolerance."""
    assert set(got) == set(want)
    for key, weight in want.items():
        assert got[key] == pytest.approx(weight, abs=1e-6), key


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory, spark_settings: Settings, rows: list[dict[str, str]]) -> Store:
    """The embedded run (DuckDB) over the registrations, in a registry of its own."""
    work = tmp_path_factory.mktemp("embedded")
    store = _store(work / "registry.db", spark_settings)
    import_registrations(store, ADMIN, write_csv(work / "regs.csv", rows))
    run_linking(store, ADMIN, full=True)
    return store


def test_spark_links_the_registry_as_the_embedded_run(
    spark: Any, spark_settings: Settings, embedded: Store, rows: list[dict[str, str]], tmp_path: Path
) -> None:
    from signaal.services.link_engine import link_on_spark

    store = _store(tmp_path / "registry.db", spark_settings)
    import_registrations(store, ADMIN, write_csv(tmp_path / "regs.csv", rows))
    run = link_on_spark(store, ADMIN, spark_settings, out_dir=tmp_path / "out")
    want, got = _links(embedded), _links(store)
    assert sum(1 for k in want if k[0] == "person") > 10 and sum(1 for k in want if k[0] == "exact") > 10
    _same(got, want)
    assert (run.exact_links, run.person_links) == (
        sum(1 for k in want if k[0] == "exact"),
        sum(1 for k in want if k[0] == "person"),
    )
    again = link_on_spark(store, ADMIN, spark_settings)
    assert (again.exact_links, again.person_links) == (0, 0)  # a run again adds nothing, decided or not
    assert _links(store) == got
    # the networks, per component on Spark, are the embedded functions' networks as this actor is shown them
    rules = embedded.knowledge.network_rules
    with embedded.session() as session:
        cases, persons, pairs = graph_inputs(session)
        sight = case_sight(session, ADMIN, [(c.ref, c.org) for c in cases])
    graph = build_graph(cases, persons, pairs)
    graph.graph["case_of"] = {p.ref: p.case for p in persons}
    expected = [network_summary(sight, graph, n, rules) for n in networks(graph, rules=rules) if relevant(sight, n)]
    written = pd.read_parquet(tmp_path / "out" / "networks")
    assert [json.loads(n) for n in written["network"]] == json.loads(json.dumps(expected, default=str))
    assert len(expected) > 5
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_spark_links_files_and_skips_bad_rows(
    spark: Any, spark_settings: Settings, embedded: Store, rows: list[dict[str, str]], tmp_path: Path
) -> None:
    from signaal.services.link_engine import link_on_spark

    half = len(rows) // 2
    csv = write_csv(tmp_path / "first.csv", rows[:half])
    jsonl = tmp_path / "second.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows[half:]):
            fh.write(json.dumps(row) + "\n")
            if i == 2:
                fh.write('{"source": "broken", \n')  # line 4: not JSON
                fh.write(json.dumps({**row, "birth_date": "1990-13-45", "person_id": "extra"}) + "\n")  # line 5
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier run")
    run = link_on_spark(None, ADMIN, spark_settings, inputs=[str(csv), str(jsonl)], out_dir=out)
    assert not (out / "stale.txt").exists()  # the folder is replaced whole
    problems = pd.read_parquet(out / "problems")
    skipped = problems[problems["skipped"]]
    assert list(skipped[["file", "line", "field"]].itertuples(index=False, name=None)) == [
        ("second.jsonl", 4, None),
        ("second.jsonl", 5, "birth_date"),
    ]
    assert run.skipped == 2
    links = pd.read_parquet(out / "links")
    columns = ["kind", "left_ref", "right_ref", "key_kind", "key_value", "match_weight"]
    lookup = embedded.codec.lookup  # the registry names an exact link's key by its lookup pseudonym
    got = {
        (kind, left, right, key_kind, lookup(key_kind, value) if kind == "exact" else value): (
            None if pd.isna(weight) else weight
        )
        for kind, left, right, key_kind, value, weight in links[columns].itertuples(index=False)
    }
    assert len(got) == len(links)
    _same(got, _links(embedded))  # the bad rows were extra: skipped, the rest links as the registry did
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["engine"] == "spark" and manifest["rows_skipped"] == 2


def _bad_registrations(path: Path) -> tuple[Path, Path]:
    """SYNTHETIC registrations as JSONL: two good rows (one with a phone kept as written), then rows
    the import's reader refuses; and a file of the same name with the good rows alone (the same lines)."""
    good = police_rows()[:2]
    good[1] = {**good[1], "phone": "12345"}  # not a phone number: kept as written, a note
    lines = [codecs.BOM_UTF8 + json.dumps(good[0]).encode(), json.dumps(good[1]).encode()]
    alone = path.parent / "good" / path.name
    alone.parent.mkdir()
    alone.write_bytes(b"\n".join(lines) + b"\n")
    row = {**good[0], "person_id": "x"}
    lines += [
        b'{"source": "politie-synth", ',  # 3: broken JSON
        b"[1, 2]",  # 4: not an object
        b'{"source": "politie-synth", "case_id": "Z\xff"}',  # 5: not UTF-8
        json.dumps({k: v for k, v in row.items() if k != "case_id"}).encode(),  # 6: a required field missing
        json.dumps({**row, "birth_date": "1990-13-45"}).encode(),  # 7: not a date
        json.dumps({**row, "telefoon": "x"}).encode(),  # 8: an unknown column
        b"",  # 9: blank, no record
        json.dumps({**row, "role": "boss"}).encode(),  # 10: an unknown role
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, alone


def _named(problems: list[Problem]) -> list[Problem]:
    """Problems with their file by name (the embedded reader names it by the path it was given)."""
    return [replace(p, file=Path(p.file).name) for p in problems if p.file]


def _parts(p: Problem) -> tuple[Any, ...]:
    """A problem as the folder's problems/ holds it (the values a map: the message takes them by name)."""
    return (p.file, p.line, p.field, p.reason, p.code, dict(p.values))


def test_spark_skips_bad_rows_with_the_problems_of_the_embedded_reader(
    spark: Any, spark_settings: Settings, tmp_path: Path
) -> None:
    """Each row skipped, and each note, is the Problem the import's reader makes: line, field, reason,
    message code and values, in the folder and in the run's summary."""
    from signaal.services.link_engine import link_on_spark

    regs, alone = _bad_registrations(tmp_path / "regs.jsonl")
    with pytest.raises(InvalidInput) as refused:
        read_registrations(regs)
    want_skipped = _named(refused.value.problems)
    want_notes = _named(read_registrations(alone).kept_as_written)
    assert [(p.line, p.field) for p in want_skipped] == [
        (3, None),
        (4, None),
        (5, None),
        (6, "case_id"),
        (7, "birth_date"),
        (8, "telefoon"),
        (10, "role"),
    ]
    assert [(p.line, p.field) for p in want_notes] == [(2, "phone"), (2, "case_phone")]
    run = link_on_spark(None, ADMIN, spark_settings, inputs=[str(regs)], out_dir=tmp_path / "out")
    assert run.first_skipped == want_skipped
    assert run.first_notes == want_notes
    written = pd.read_parquet(tmp_path / "out" / "problems")
    assert list(written.columns) == ["file", "line", "field", "reason", "code", "values", "skipped"]
    got = [
        (skipped, (file, line, None if pd.isna(field) else field, reason, code, dict(values)))
        for file, line, field, reason, code, values, skipped in written.itertuples(index=False)
    ]
    assert [g for skipped, g in got if skipped] == [_parts(p) for p in want_skipped]
    assert [g for skipped, g in got if not skipped] == [_parts(p) for p in want_notes]
    assert [(p.line, p.field, p.code, p.values) for p in run.first_skipped] == [
        (p.line, p.field, p.code, p.values) for p in want_skipped
    ]
    assert run.skipped == 7 and run.problems == 9
    assert run.found.get("exact", 0) == 0 and (tmp_path / "out" / "run.json").exists()


def test_a_problem_reaches_the_folder_with_its_code_and_values(spark: Any) -> None:
    """The executors hand a Problem on whole: its message code and values become columns (values a map)."""
    from signaal.engines.spark_link import PROBLEM_SCHEMA, _spread_problems

    problem = Problem("not a date", "regs.jsonl", 7, "birth_date", code="reg_date", values=(("v", "1990-13-45"),))
    problem_b = Problem("required", "regs.jsonl", 9, "case_id", code="reg_required", values=(("z", "1"), ("a", "2")))
    blobs = [(pickle.dumps(problem), True, 0), (pickle.dumps(problem_b), False, 3)]
    frame = spark.createDataFrame(blobs, "problem binary, skipped boolean, rank long").mapInPandas(
        _spread_problems, PROBLEM_SCHEMA
    )
    rows = frame.orderBy("line").collect()
    assert [(r["code"], r["values"], r["skipped"]) for r in rows] == [
        ("reg_date", {"v": "1990-13-45"}, True),
        ("reg_required", {"z": "1", "a": "2"}, False),
    ]
    assert [pickle.loads(r["problem"]) for r in rows] == [problem, problem_b]  # whole, values in order


def test_a_registry_run_writes_only_what_its_actor_may_see(
    spark: Any, spark_settings: Settings, tmp_path: Path
) -> None:
    """Another organisation's signal, not shared, stays out of the folder but for "held by"."""
    from signaal.domain.actor import Actor, Role
    from signaal.services.link_engine import link_on_spark

    store = _store(tmp_path / "registry.db", spark_settings)
    import_registrations(store, ADMIN, write_csv(tmp_path / "police.csv", police_rows()))
    care = Actor("coo", "care-synth", Role.COORDINATOR)
    hidden = signal(store, care, PHONE_A, "synthetic-care-1")
    run = link_on_spark(store, ADMIN, spark_settings, out_dir=tmp_path / "out")
    assert run.exact_links >= 1  # the signal and the police case share PHONE_A: the link is stored
    links = pd.read_parquet(tmp_path / "out" / "links")
    assert not any(hidden in ref for ref in [*links["left_ref"], *links["right_ref"]])
    folder = "".join(p.read_bytes().decode("latin-1") for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert hidden not in folder
    assert "synthetic-care-1" not in folder
    nets = [json.loads(n) for n in pd.read_parquet(tmp_path / "out" / "networks")["network"]]
    held = [h for n in nets for h in n["held_by_other_organisations"]]
    assert held and {h["org"] for h in held} == {"care-synth"}
    from signaal.services.link_engine import _hub_lines

    assert PHONE_A not in _hub_lines(store, [("phone", PHONE_A, 60)])[0]  # a hub by its pseudonym, as embedded


def test_linking_on_spark_without_pyspark_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, spark_settings: Settings, tmp_path: Path
) -> None:
    from signaal.services.link_engine import link_on_spark

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails as if not installed
    with pytest.raises(ConfigError, match=r"signaal\[spark\]"):
        link_on_spark(None, ADMIN, spark_settings, inputs=["x.csv"], out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
