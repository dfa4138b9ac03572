"""Form suggestions on the dev passages, the tuning half and the hold-out half of the synthetic held-out set.

Usage: .venv/bin/python bench/narrative_heldout.py [--holdout] [--label NAME] [--verbose]

- dev: ../shared/data/rulings-dev.jsonl (real passages, read at run time, never copied);
- tuning: tests/fixtures/narrative_heldout/passages.jsonl, ids ending in an even digit;
- hold-out: the same file, ids ending in an odd digit. Measured only with ``--holdout``, and only as
  figures: its misses are never printed or stored, so they cannot steer the lexicons.

Prints per-form precision/recall/F1 and macro-F1 over sexual, labour and criminal for each set and
merges the figures under ``--label`` (default "current") into bench/results/narrative_heldout.json.
``--verbose`` prints the misses of the dev set and the tuning half (never of the hold-out half).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from common import RESULTS, ROOT, machine, shared_data

from signaal.domain.actor import Actor, Role
from signaal.services.narrative import suggest

FORMS = ("sexual", "labour", "criminal")
HELDOUT = ROOT / "tests" / "fixtures" / "narrative_heldout" / "passages.jsonl"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _is_tuning(row: dict[str, Any]) -> bool:
    return int(str(row["id"])[-1]) % 2 == 0


def score(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Per-form precision/recall/F1, macro-F1 and exact-set accuracy for rows; and the misses."""
    actor = Actor("bench", "bench", Role.ANALYST)
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FORMS}
    misses = []
    exact = 0
    for row in rows:
        reading = suggest(actor, str(row["text"]), str(row["id"]))
        got = {f.form for f in reading.forms} & set(FORMS)
        gold = set(row["forms"]) & set(FORMS)
        exact += got == gold
        for form in FORMS:
            counts[form]["tp"] += form in got and form in gold
            counts[form]["fp"] += form in got and form not in gold
            counts[form]["fn"] += form not in got and form in gold
        if got != gold:
            misses.append(
                {
                    "id": row["id"],
                    "gold": sorted(gold),
                    "got": sorted(got),
                    "scores": reading.all_form_scores,
                    "indicators": [h.indicator_id for h in reading.present_indicators],
                }
            )
    per_form: dict[str, dict[str, float]] = {}
    for form, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per_form[form] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), **c}
    macro = sum(v["f1"] for v in per_form.values()) / len(FORMS)
    figures = {
        "passages": len(rows),
        "macro_f1": round(macro, 3),
        "exact_form_set": exact,
        "per_form": per_form,
    }
    return figures, misses


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"== {name}: {figures['passages']} passages")
    for form, v in figures["per_form"].items():
        print(
            f"  {form:9s} precision {v['precision']:.3f} recall {v['recall']:.3f} f1 {v['f1']:.3f}"
            f"  (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})"
        )
    print(f"  macro-F1 (sexual, labour, criminal): {figures['macro_f1']:.3f}")
    print(f"  passages with exactly the labelled forms: {figures['exact_form_set']}/{figures['passages']}")


def main() -> int:
    """Score the three sets and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="also measure the hold-out half (figures only)")
    parser.add_argument("--label", default="current", help="key under which the figures are stored")
    parser.add_argument("--verbose", action="store_true", help="print misses of the dev set and tuning half")
    args = parser.parse_args()

    heldout = _rows(HELDOUT)
    sets: dict[str, list[dict[str, Any]]] = {
        "dev": _rows(shared_data() / "rulings-dev.jsonl"),
        "tuning": [r for r in heldout if _is_tuning(r)],
    }
    if args.holdout:
        sets["holdout"] = [r for r in heldout if not _is_tuning(r)]
    result: dict[str, Any] = {}
    start = time.perf_counter()
    for name, rows in sets.items():
        figures, misses = score(rows)
        result[name] = figures
        _print(name, figures)
        if name != "holdout":
            result[name]["misses"] = misses
            if args.verbose:
                for miss in misses:
                    print(f"    {miss['id']}: gold {miss['gold']} got {miss['got']} {miss['scores']}")
                    print(f"      {miss['indicators']}")
    result["seconds"] = round(time.perf_counter() - start, 3)
    result["machine"] = machine()
    out = RESULTS / "narrative_heldout.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    stored: dict[str, Any] = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    stored[args.label] = result
    out.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
