"""Probabilistic person links with Splink (DuckDB backend, in memory).

The model — comparisons, blocking rules and trained m/u probabilities — is one Splink settings
JSON (``data/person_model.json``), so the same model runs on Splink's Spark backend unchanged.
It is trained on the SYNTHETIC generator (:func:`train_model` on ``synthetic.generate(7, organised=30,
criminal=60, small=200, background=800)``, a seed distinct from those the tests and the bench measure
on). Keys starting with ``signaal_`` are ours; :func:`splink_settings` strips them and scales the
prior to the number of records linked, and is what another Splink backend should be given too.

Every link comes with its match weight, probability and, per compared field, the level that
applied ("exact", "day and month swapped", …), so an analyst sees why two records were linked.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from signaal.link.model import PersonLinkResult, PersonRecord

__all__ = [
    "DEFAULT_THRESHOLD",
    "MODEL_COLUMNS",
    "MODEL_FILE",
    "best_possible_weight",
    "for_dialect",
    "level_labels",
    "link_result",
    "model_settings",
    "predict_links",
    "splink_settings",
    "train_model",
]

MODEL_FILE = Path(__file__).parent / "data" / "person_model.json"
#: Our own key in the model file: how many records it was trained on (stripped before Splink sees it).
TRAINED_ON_KEY = "signaal_trained_on_records"
MODEL_COLUMNS = (
    "unique_id",
    "name",
    "birth_date",
    "birth_date_swapped",
    "birth_year",
    "sex",
    "nationality",
    "city",
    "phone",
    "postcode",
)
#: Match probability at and above which a person link is suggested (chosen on the synthetic P/R curve).
DEFAULT_THRESHOLD = 0.9

_COMPARED = ("name", "birth_date", "sex", "nationality", "city", "phone", "postcode")


def model_settings() -> dict[str, Any]:
    """The untrained model as a Splink settings dictionary (comparisons and blocking rules)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="exact"),
            cll.CustomLevel('"birth_date_l" = "birth_date_swapped_r"', label_for_charts="day and month swapped"),
            cll.DamerauLevenshteinLevel("birth_date", 1).configure(label_for_charts="one digit differs"),
            cll.ElseLevel(),
        ],
    )
    year = cl.CustomComparison(
        output_column_name="birth_year",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year").configure(label_for_charts="exact"),
            cll.AbsoluteDifferenceLevel("birth_year", 1).configure(label_for_charts="one year apart"),
            cll.ElseLevel(),
        ],
    )
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=0.0005,
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.85]),
            birth,
            year,
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("city"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("birth_date"),
            block_on("name"),
            {"blocking_rule": "l.birth_date = r.birth_date_swapped"},
            block_on("postcode", "birth_year"),
            block_on("substr(name, 1, 4)", "birth_year"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    return creator.create_settings_dict(sql_dialect_str="duckdb")


def _table(db_api: Any, persons: Iterable[PersonRecord], name: str) -> Any:
    import pyarrow as pa

    rows = [p.splink_row() for p in persons]
    schema = pa.schema(
        [
            ("unique_id", pa.string()),
            ("name", pa.string()),
            ("birth_date", pa.string()),
            ("birth_date_swapped", pa.string()),
            ("birth_year", pa.int64()),
            ("sex", pa.string()),
            ("nationality", pa.string()),
            ("city", pa.string()),
            ("phone", pa.string()),
            ("postcode", pa.string()),
        ]
    )
    return db_api.register(pa.Table.from_pylist(rows, schema=schema), table_name=name)


def _quiet() -> None:
    logging.getLogger("splink").setLevel(logging.WARNING)


def train_model(persons: Sequence[PersonRecord], seed: int = 7) -> dict[str, Any]:
    """Train the model on (SYNTHETIC) person records: u by random sampling, m by EM; the settings JSON."""
    from splink import DuckDBAPI, Linker, block_on

    _quiet()
    db_api = DuckDBAPI()
    linker = Linker(_table(db_api, persons, "persons"), model_settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name", "birth_date"), block_on("phone", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    model: dict[str, Any] = linker.misc.save_model_to_json()
    model[TRAINED_ON_KEY] = len(persons)
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            # A level the training data never showed keeps a small stated m, so predict never guesses.
            if not level.get("is_null_level") and level.get("m_probability") is None:
                level["m_probability"] = 0.01
    return model


def splink_settings(model: dict[str, Any], population: int | None = None) -> dict[str, Any]:
    """The model as Splink takes it: without signaal's own keys, and with the prior that two random
    records match scaled to ``population`` records (the trained prior fits the training set's size)."""
    settings = {k: v for k, v in model.items() if not k.startswith("signaal_")}
    trained_on = int(model.get(TRAINED_ON_KEY) or 0)
    if population and trained_on and population > trained_on:
        prior = float(model["probability_two_random_records_match"])
        settings["probability_two_random_records_match"] = prior * (trained_on - 1) / (population - 1)
    return settings


def for_dialect(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The same model in another Splink SQL dialect (``spark``): every level's condition and every
    blocking rule transpiled from DuckDB's SQL, the similarity functions renamed to the target's."""
    import sqlglot
    from splink.internals.dialects import SplinkDialect

    source, target = SplinkDialect.from_string("duckdb"), SplinkDialect.from_string(dialect)
    names = [
        (getattr(source, f), getattr(target, f))
        for f in ("jaro_winkler_function_name", "jaro_function_name", "damerau_levenshtein_function_name")
    ]

    def sql(text: str) -> str:
        if text.strip().upper() == "ELSE":
            return text
        for old, new in names:
            text = re.sub(rf"\b{old}\s*\(", f"{new}(", text)
        return str(sqlglot.transpile(text, read="duckdb", write=target.sqlglot_dialect)[0])

    out: dict[str, Any] = json.loads(json.dumps(settings))
    out["sql_dialect"] = dialect
    for rule in out["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"], rule["sql_dialect"] = sql(rule["blocking_rule"]), dialect
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = sql(level["sql_condition"])
    return out


def level_labels(model: dict[str, Any]) -> dict[str, list[tuple[str, float]]]:
    """Per compared column, each non-null level's label and partial match weight (log2 m/u)."""
    labels: dict[str, list[tuple[str, float]]] = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or not m or not u:
                continue
            levels.append((str(level.get("label_for_charts", "")), math.log2(m / u)))
        labels[comparison["output_column_name"]] = levels
    return labels


def link_result(row: dict[str, Any], labels: dict[str, list[tuple[str, float]]]) -> PersonLinkResult:
    """A scored pair (a row of Splink's predictions, any backend) as a link with its evidence."""
    agreed: list[str] = []
    disagreed: list[str] = []
    levels: dict[str, str] = {}
    for column, options in labels.items():
        weight = row.get(f"mw_{column}")
        if weight is None or not options or abs(float(weight)) < 1e-9:
            continue  # missing on one side: says nothing
        label, _ = min(options, key=lambda option: abs(option[1] - float(weight)))
        levels[column] = f"{label} ({float(weight):+.1f})"
        (agreed if weight > 0 else disagreed).append(column)
    left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
    return PersonLinkResult(
        left=left,
        right=right,
        match_weight=round(float(row["match_weight"]), 3),
        match_probability=round(float(row["match_probability"]), 5),
        agreed=tuple(agreed),
        disagreed=tuple(disagreed),
        levels=levels,
    )


def best_possible_weight(person: PersonRecord, model: dict[str, Any], population: int | None = None) -> float:
    """The highest match weight any pair with this record could reach: the prior plus, for each field
    it has, that comparison's best level (a field it lacks can only add nothing)."""
    prior = float(splink_settings(model, population)["probability_two_random_records_match"])
    weight = math.log2(prior / (1 - prior))
    row = person.splink_row()
    for column, levels in level_labels(model).items():
        if row.get(column) is not None and levels:
            weight += max(0.0, max(w for _, w in levels))
    return weight


def _rows(frame: Any) -> list[dict[str, Any]]:
    table = frame.as_duckdbpyrelation()
    names = table.columns
    return [dict(zip(names, values, strict=True)) for values in table.fetchall()]


def predict_links(
    persons: Sequence[PersonRecord],
    *,
    model: dict[str, Any],
    new: Sequence[PersonRecord] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    floor: float | None = None,
    population: int | None = None,
) -> list[PersonLinkResult]:
    """Scored person links at or above ``threshold`` (or ``floor`` for a P/R curve).

    Without ``new``: every pair within ``persons``. With ``new``: only pairs between the stored
    ``persons`` and the new records (incremental linking). ``population`` is the number of records
    the pairs are drawn from (default: those given), which sets the prior of a match.
    """
    from splink import DuckDBAPI, Linker

    _quiet()
    size = population or len(persons) + len(new or [])
    settings = {
        **splink_settings(model, size),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
    }
    cut = threshold if floor is None else floor
    if new is not None:
        # A new record whose best possible weight stays below the cut cannot be linked: no need to ask.
        needed = math.log2(cut / (1 - cut)) if 0 < cut < 1 else float("-inf")
        new = [p for p in new if best_possible_weight(p, model, size) >= needed]
        if not new or not persons:
            return []
    if not persons:
        return []
    db_api = DuckDBAPI()
    stored = _table(db_api, persons, "stored")
    linker = Linker(stored, settings, log_level=logging.WARNING, validate_settings=False)
    if new is None:
        frame = linker.inference.predict(threshold_match_probability=cut, warning_mode="never")
    else:
        fresh = _table(db_api, new, "fresh")
        frame = linker.inference.predict_between(
            stored, fresh, threshold_match_probability=cut, link_type="link_only", warning_mode="never"
        )
    labels = level_labels(model)
    return [link_result(row, labels) for row in _rows(frame) if row["unique_id_l"] != row["unique_id_r"]]
