"""The narrative reader on both development sets: in-sample and cross-validated figures, the route end to end.

Usage: .venv/bin/python bench/narrative_eval.py [--verbose]

Reads ../shared/data/rulings-dev.jsonl and rulings-dev-2.jsonl at run time (never copied) and
writes bench/results/narrative.json with:

- in-sample figures per set and pooled: per-form precision, recall and F1, macro-F1 over sexual,
  labour and criminal. The lexicons were written against rulings-dev, and their criminal and
  Flemish vocabulary was widened with rulings-dev-2 in view, so these are in-sample figures;
- cross-validated figures of what can be fitted: the two selection thresholds of the form score
  chosen on the training folds (leave-one-source-out over the two sets, and 5-fold), and a learned
  comparator (logistic regression on words, and on words plus the lexicon's form scores);
- the route end to end: suggested facts and forms made into routing facts and routed; each
  labelled form should reach its authority (labour: labour inspectorate; sexual, criminal,
  other: police) and every labelled minor the youth route. Refused (contradictory) fact sets are
  counted;
- the minor fact against the label, and every passage whose form set differs, with its scores,
  indicators and an automatic description of why (no passage text).
"""

from __future__ import annotations

import json
import random
import sys
import time
from typing import Any

from common import shared_data, write_results
from narrative_learned import FORMS, chosen_thresholds, predict_folds, select, top_words

from signaal.domain.actor import Actor, Role
from signaal.errors import InvalidInput
from signaal.knowledge import bundled
from signaal.services.narrative import suggest
from signaal.text import Reading
from signaal.text.forms import MIN_SCORE, RELATIVE
from signaal.triage import Facts, route

SETS = ("rulings-dev.jsonl", "rulings-dev-2.jsonl")
GRID = [(m, r) for m in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0) for r in (0.2, 0.3, 0.35, 0.4, 0.5)]
AUTHORITY = {"labour": "form-labour", "sexual": "form-sexual", "criminal": "form-criminal", "other": "form-other"}
ROUTE_FACTS = ("acute_danger", "person_identifiable", "willing_to_talk_to_police", "unaccompanied",
               "complex_needs", "needs_shelter")  # fmt: skip

Pair = tuple[set[str], set[str]]


def _rows() -> list[dict[str, Any]]:
    rows = []
    for name in SETS:
        for line in (shared_data() / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row["set"] = name
                rows.append(row)
    return rows


def per_form(pairs: list[Pair]) -> dict[str, Any]:
    """Per-form precision/recall/F1 and macro-F1 over sexual, labour and criminal."""
    out: dict[str, Any] = {}
    for form in FORMS:
        tp = sum(1 for got, gold in pairs if form in got and form in gold)
        fp = sum(1 for got, gold in pairs if form in got and form not in gold)
        fn = sum(1 for got, gold in pairs if form not in got and form in gold)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[form] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), "tp": tp, "fp": fp, "fn": fn}
    out["macro_f1"] = round(sum(out[f]["f1"] for f in FORMS) / len(FORMS), 3)
    out["exact"] = f"{sum(1 for got, gold in pairs if got & set(FORMS) == gold & set(FORMS))}/{len(pairs)}"
    return out


def macro(pairs: list[Pair]) -> float:
    """Macro-F1 over sexual, labour and criminal."""
    return float(per_form(pairs)["macro_f1"])


def _folds(rows: list[dict[str, Any]]) -> dict[str, list[list[int]]]:
    by_source = [[i for i, r in enumerate(rows) if r["set"] == name] for name in SETS]
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    return {"leave_one_source_out": by_source, "5_fold": [order[k::5] for k in range(5)]}


def _cv_thresholds(scores: list[dict[str, float]], golds: list[set[str]], folds: list[list[int]]) -> dict[str, Any]:
    got: list[set[str]] = [set() for _ in scores]
    chosen = []
    for test in folds:
        train = [(scores[i], golds[i]) for i in range(len(scores)) if i not in set(test)]
        min_score, relative = chosen_thresholds(train, GRID, macro)
        chosen.append([min_score, relative])
        for i in test:
            got[i] = select(scores[i], min_score, relative)
    return {"chosen": chosen, **per_form(list(zip(got, golds, strict=True)))}


def _routing_facts(reading: Reading) -> Facts:
    values: dict[str, Any] = {}
    for fact in reading.facts:
        values.setdefault(fact.fact, fact.value)
    residence = values.get("residence", "unknown")
    return Facts(
        age=values.get("age"),
        minor=values.get("minor"),
        forms=tuple(f.form for f in reading.forms if f.form != "unknown"),
        residence=residence if isinstance(residence, str) else "unknown",
        indicators=tuple(h.indicator_id for h in reading.present_indicators),
        **{k: values.get(k) for k in ROUTE_FACTS},
    )


def _end_to_end(rows: list[dict[str, Any]], readings: list[Reading]) -> dict[str, Any]:
    directory, rules = bundled().directory, bundled().routing_rules
    forms_total = forms_reached = minors_total = minors_reached = adults_youth = refused = 0
    missed: list[str] = []
    for row, reading in zip(rows, readings, strict=True):
        try:
            fired = {s.rule for s in route(_routing_facts(reading), directory, None, rules).steps}
        except InvalidInput:
            refused += 1
            fired = set()
        for form in row["forms"]:
            forms_total += 1
            forms_reached += AUTHORITY[form] in fired
            if AUTHORITY[form] not in fired:
                missed.append(f"{row['id']}: {form}")
        if row.get("minor") is True:
            minors_total += 1
            minors_reached += "minor" in fired
            if "minor" not in fired:
                missed.append(f"{row['id']}: minor")
        adults_youth += row.get("minor") is False and "minor" in fired
    return {
        "forms_reaching_their_authority": f"{forms_reached}/{forms_total}",
        "minors_reaching_the_youth_route": f"{minors_reached}/{minors_total}",
        "adults_sent_the_youth_route": adults_youth,
        "refused_fact_sets": refused,
        "missed": missed,
    }


def _why(reading: Reading, gold: set[str], got: set[str]) -> str:
    scores = reading.all_form_scores
    parts = []
    for form in sorted(gold - got):
        parts.append(
            f"{form} missed: no word or indicator for it"
            if not scores.get(form)
            else f"{form} missed: score {scores[form]} below the thresholds"
        )
    for form in sorted(got - gold):
        parts.append(f"{form} added: score {scores[form]}")
    return "; ".join(parts)


def _minor_fact(rows: list[dict[str, Any]], readings: list[Reading]) -> dict[str, Any]:
    said = [next((f.value for f in r.facts if f.fact == "minor"), None) for r in readings]
    gold = [row.get("minor") for row in rows]
    tp = sum(1 for s, g in zip(said, gold, strict=True) if s is True and g is True)
    fp = sum(1 for s, g in zip(said, gold, strict=True) if s is True and g is False)
    fn = sum(1 for s, g in zip(said, gold, strict=True) if s is not True and g is True)
    return {
        "minor_true_suggested_and_labelled": tp,
        "suggested_for_a_labelled_adult": fp,
        "labelled_minor_not_suggested": fn,
    }


def main() -> int:
    """Score both sets and print the figures."""
    verbose = "--verbose" in sys.argv
    rows = _rows()
    actor = Actor("bench", "bench", Role.ANALYST)
    catalogue = bundled().catalogue
    start = time.perf_counter()
    readings = [suggest(actor, str(r["text"]), str(r["id"]), catalogue=catalogue) for r in rows]
    seconds = time.perf_counter() - start
    golds = [set(r["forms"]) & set(FORMS) for r in rows]
    gots = [{f.form for f in rd.forms} & set(FORMS) for rd in readings]
    scores = [rd.all_form_scores for rd in readings]
    in_sample = {name: per_form([(g, o) for g, o, r in zip(gots, golds, rows, strict=True) if r["set"] == name])
                 for name in SETS}  # fmt: skip
    in_sample["pooled"] = per_form(list(zip(gots, golds, strict=True)))
    cv: dict[str, Any] = {}
    for scheme, folds in _folds(rows).items():
        cv[scheme] = {
            "lexicon_thresholds_fitted_on_training_folds": _cv_thresholds(scores, golds, folds),
            "learned_words_only": per_form(list(zip(predict_folds(rows, folds, None), golds, strict=True))),
            "learned_words_plus_lexicon_scores": per_form(
                list(zip(predict_folds(rows, folds, scores), golds, strict=True))
            ),
        }
    misses = [
        {"id": r["id"], "set": r["set"], "gold": sorted(g), "got": sorted(o), "why": _why(rd, g, o),
         "scores": rd.all_form_scores, "indicators": [h.indicator_id for h in rd.present_indicators]}
        for r, rd, g, o in zip(rows, readings, golds, gots, strict=True) if g != o
    ]  # fmt: skip
    result = {
        "passages": len(rows),
        "thresholds_in_use": [MIN_SCORE, RELATIVE],
        "in_sample": in_sample,
        "cross_validated": cv,
        "end_to_end_route": _end_to_end(rows, readings),
        "minor_fact": _minor_fact(rows, readings),
        "learned_model_top_words": top_words(rows),
        "misses": misses,
        "read_seconds": round(seconds, 3),
    }
    _print(result, verbose)
    write_results("narrative", result)
    return 0


def _line(name: str, figures: dict[str, Any]) -> str:
    forms = "  ".join(f"{f} P{figures[f]['precision']:.2f}/R{figures[f]['recall']:.2f}" for f in FORMS)
    return f"  {name:48s} macro-F1 {figures['macro_f1']:.3f}  {forms}  exact {figures['exact']}"


def _print(result: dict[str, Any], verbose: bool) -> None:
    print(f"{result['passages']} passages; thresholds in use {result['thresholds_in_use']}")
    print("in-sample (the lexicons were written with these sets in view):")
    for name, figures in result["in_sample"].items():
        print(_line(name, figures))
    for scheme, variants in result["cross_validated"].items():
        print(f"cross-validated, {scheme}:")
        for name, figures in variants.items():
            print(_line(name, figures))
    e2e = result["end_to_end_route"]
    print(
        f"end to end: forms reaching their authority {e2e['forms_reaching_their_authority']}, minors reaching the "
        f"youth route {e2e['minors_reaching_the_youth_route']}, labelled adults given the youth route "
        f"{e2e['adults_sent_the_youth_route']}, refused fact sets {e2e['refused_fact_sets']}"
    )
    print(f"minor fact: {result['minor_fact']}")
    print(f"passages with a different form set: {len(result['misses'])}")
    if verbose:
        for miss in result["misses"]:
            print(f"  {miss['id']}: {miss['why']}  {miss['indicators']}")
        for item in e2e["missed"]:
            print(f"  route missed {item}")


if __name__ == "__main__":
    raise SystemExit(main())
