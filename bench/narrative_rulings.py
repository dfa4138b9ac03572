"""Form suggestions on real Dutch case passages (../shared/data/rulings-dev.jsonl): per-form precision/recall and macro-F1.

Usage: .venv/bin/python bench/narrative_rulings.py [--verbose]
Writes bench/results/narrative_rulings.json. Passages are read at run time and never copied.
"""

from __future__ import annotations

import copy
import json
import sys
import time

from common import shared_data, write_results

from signaal.domain.actor import Actor, Role
from signaal.knowledge import bundled
from signaal.services.narrative import suggest
from signaal.text import read_narrative

FORMS = ("sexual", "labour", "criminal")


def _macro(pairs: list[tuple[set[str], set[str]]]) -> float:
    f1s = []
    for form in FORMS:
        tp = sum(1 for got, gold in pairs if form in got and form in gold)
        fp = sum(1 for got, gold in pairs if form in got and form not in gold)
        fn = sum(1 for got, gold in pairs if form not in got and form in gold)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def _sensitivity(all_scores: list[tuple[dict[str, float], set[str]]]) -> dict[str, float]:
    """Macro-F1 for other values of MIN_SCORE and RELATIVE (signaal.text.forms), from the same scores."""
    out = {}
    for min_score in (0.5, 1.0, 1.5, 2.0):
        for relative in (0.2, 0.35, 0.5):
            pairs = []
            for scores, gold in all_scores:
                best = max(scores.values())
                got = {f for f, v in scores.items() if v >= min_score and v >= relative * best}
                pairs.append((got, gold))
            out[f"min_score={min_score} relative={relative}"] = round(_macro(pairs), 3)
    return out


def _ablation(rows: list[dict[str, object]]) -> dict[str, float]:
    """Macro-F1 from form cue and sector words alone, and from indicators alone."""
    only_indicators = {}
    for lang, lex in bundled().lexicons.items():
        copy_ = copy.copy(lex)
        copy_.rules = [r for r in lex.rules if r.kind not in ("form_cue", "sector")]
        copy_.index()
        only_indicators[lang] = copy_
    variants = {
        "cue_and_sector_words_only": (bundled().lexicons, {}),
        "indicators_only": (only_indicators, bundled().indicator_profiles),
    }
    out = {}
    for name, (lexs, profiles) in variants.items():
        pairs = []
        for row in rows:
            reading = read_narrative(str(row["text"]), lexs, bundled().language_profiles, profiles)
            pairs.append(({f.form for f in reading.forms}, set(row["forms"])))  # type: ignore[arg-type]
        out[name] = round(_macro(pairs), 3)
    return out


def main() -> int:
    """Score the passages and print the figures."""
    verbose = "--verbose" in sys.argv
    path = shared_data() / "rulings-dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    actor = Actor("bench", "bench", Role.ANALYST)
    tp = dict.fromkeys(FORMS, 0)
    fp = dict.fromkeys(FORMS, 0)
    fn = dict.fromkeys(FORMS, 0)
    misses = []
    by_kind: dict[str, list[int]] = {}
    all_scores: list[tuple[dict[str, float], set[str]]] = []
    start = time.perf_counter()
    for row in rows:
        reading = suggest(actor, row["text"], row["id"])
        got = {f.form for f in reading.forms}
        gold = set(row["forms"])
        all_scores.append((reading.all_form_scores, gold))
        kind = by_kind.setdefault(row.get("kind", "?"), [0, 0])
        kind[0] += 1
        kind[1] += (got & set(FORMS)) == (gold & set(FORMS))
        for form in FORMS:
            tp[form] += form in got and form in gold
            fp[form] += form in got and form not in gold
            fn[form] += form not in got and form in gold
        if (got & set(FORMS)) != (gold & set(FORMS)):
            misses.append(
                {"id": row["id"], "gold": sorted(gold), "got": sorted(got), "scores": reading.all_form_scores}
            )
            if verbose:
                print(row["id"], sorted(gold), sorted(got), reading.all_form_scores)
                print("   ", [h.indicator_id for h in reading.present_indicators])
    elapsed = time.perf_counter() - start
    per_form = {}
    for form in FORMS:
        p = tp[form] / (tp[form] + fp[form]) if tp[form] + fp[form] else 0.0
        r = tp[form] / (tp[form] + fn[form]) if tp[form] + fn[form] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per_form[form] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
            "tp": tp[form],
            "fp": fp[form],
            "fn": fn[form],
        }
    macro = sum(v["f1"] for v in per_form.values()) / len(FORMS)
    sensitivity = _sensitivity(all_scores)
    ablation = _ablation(rows)
    result = {
        "passages": len(rows),
        "macro_f1": round(macro, 3),
        "per_form": per_form,
        "misses": misses,
        "sensitivity": sensitivity,
        "seconds": round(elapsed, 3),
    }
    for form, v in per_form.items():
        print(f"{form:9s} precision {v['precision']:.3f} recall {v['recall']:.3f} f1 {v['f1']:.3f}")
    print(f"macro-F1 (sexual, labour, criminal) over {len(rows)} passages: {macro:.3f}")
    print(f"passages with a different form set: {len(misses)}")
    for kind, (n, ok) in by_kind.items():
        print(f"  {kind}: {ok}/{n} passages with exactly the labelled forms")
    for key, value in ablation.items():
        print(f"ablation, {key}: macro-F1 {value:.3f}")
    print("sensitivity of macro-F1 to the two selection thresholds (chosen before the first run: 1.0, 0.35):")
    for key, value in sensitivity.items():
        print(f"  {key}: {value:.3f}")
    write_results("narrative_rulings", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
