"""The action perspective in Dutch and English: speed per language and the invariant that the language
changes no decision (same rules, contacts, flags, questions and shelter types).

Prints figures and writes bench/results/triage_languages.json. Inputs are the synthetic fact sets of
bench/triage_routes.py; no real data is needed.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mb, write_results
from triage_routes import N_ROUTES, random_facts

from signaal.knowledge import bundled
from signaal.triage import LANGUAGES, Route, route
from signaal.triage.rules import parse_rules


def _decision(result: Route) -> tuple[object, ...]:
    """Everything about a route that must not depend on the language."""
    return (
        tuple(s.rule for s in result.steps),
        tuple(c.id for s in result.steps for c in s.contacts),
        result.flags,
        tuple(q.fact for q in result.open_questions),
        result.shelter_types,
        result.stopped,
    )


def main() -> None:
    start = time.perf_counter()
    parse_rules(bundled().files.document("routing_rules.yaml").data)
    load_seconds = time.perf_counter() - start
    directory = bundled().directory
    rules = bundled().routing_rules
    rng = random.Random(7)
    facts = [f for f in (random_facts(rng) for _ in range(N_ROUTES)) if f is not None]
    per_language: dict[str, dict[str, object]] = {}
    decisions: dict[str, list[tuple[object, ...]]] = {}
    same_text = 0
    for lang in LANGUAGES:
        start = time.perf_counter()
        routes = [route(f, directory, "utrecht" if i % 2 else None, rules, lang=lang) for i, f in enumerate(facts)]
        seconds = time.perf_counter() - start
        decisions[lang] = [_decision(r) for r in routes]
        per_language[lang] = {"seconds": round(seconds, 3), "routes_per_second": round(len(routes) / seconds)}
        if lang == "en":
            nl_routes = [
                route(f, directory, "utrecht" if i % 2 else None, rules, lang="nl") for i, f in enumerate(facts[:500])
            ]
            same_text = sum(
                1
                for a, b in zip(nl_routes, routes[:500], strict=True)
                for sa, sb in zip(a.steps, b.steps, strict=True)
                if sa.action == sb.action
            )
    # Per rule a title, per step an action, a reason and a record: the texts written in both languages.
    texts = sum(1 + 3 * len(r.steps) for r in rules.rules) + 2 * len(rules.questions) + len(rules.flags)
    figures = {
        "nproc": len(os.sched_getaffinity(0)),
        "routes": len(facts),
        "per_language": per_language,
        "routes_with_a_different_decision_across_languages": sum(
            1 for a, b in zip(decisions["nl"], decisions["en"], strict=True) if a != b
        ),
        "steps_with_the_same_action_text_in_nl_and_en_first_500": same_text,
        "rules": len(rules.rules),
        "bilingual_texts_in_rules": texts + 2 * len(rules.meldcode),
        "parse_rules_seconds": round(load_seconds, 4),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(f"machine: {machine()}")
    print(f"written to {write_results('triage_languages', figures)}")


if __name__ == "__main__":
    main()
