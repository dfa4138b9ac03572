"""Routing engine and shelter statistics: throughput and invariants over synthetic fact sets.

Prints figures and writes bench/results/triage_routes.json. All inputs are generated here
(synthetic); no real data is needed for the action perspective.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mb, write_results

from signaal.errors import InvalidInput
from signaal.knowledge import bundled
from signaal.triage import Facts, route
from signaal.triage.facts import REPORTER_SECTORS, RESIDENCES
from signaal.triage.shelter import SHELTER_TYPES, ShelterRecord, shelter_stats

N_ROUTES = 20_000
N_SHELTER = 100_000
FORMS = [(), ("sexual",), ("labour",), ("criminal",), ("labour", "criminal"), ("other",), ("sexual", "labour")]
TRI = (True, False, None)


def random_facts(rng: random.Random) -> Facts | None:
    age = rng.choice((None, 13, 15, 16, 17, 18, 25, 40))
    try:
        return Facts(
            acute_danger=rng.choice((False, False, False, None, True)),
            person_identifiable=rng.choice(TRI),
            age=age,
            forms=rng.choice(FORMS),
            willing_to_talk_to_police=rng.choice(TRI),
            residence=rng.choice(RESIDENCES),
            unaccompanied=rng.choice(TRI),
            complex_needs=rng.choice(TRI),
            needs_shelter=rng.choice(TRI),
            reporter_sector=rng.choice((*REPORTER_SECTORS, None)),
        )
    except InvalidInput:
        return None  # e.g. unaccompanied adult: refused, as it should be


def bench_routes() -> dict[str, object]:
    directory, rules = bundled().directory, bundled().routing_rules
    rng = random.Random(7)
    facts = [f for f in (random_facts(rng) for _ in range(N_ROUTES)) if f is not None]
    refused = N_ROUTES - len(facts)
    start = time.perf_counter()
    routes = [route(f, directory, "utrecht" if i % 2 else None, rules) for i, f in enumerate(facts)]
    seconds = time.perf_counter() - start
    fired = Counter(s.rule for r in routes for s in r.steps)
    empty = sum(1 for r in routes if not r.contacts and not r.open_questions)
    emergency_without_acute = sum(
        1 for f, r in zip(facts, routes, strict=True) if "emergency-112" in r.contacts and f.acute_danger is not True
    )
    return {
        "routes": len(facts),
        "refused_contradictions": refused,
        "seconds": round(seconds, 3),
        "routes_per_second": round(len(facts) / seconds),
        "mean_steps": round(sum(len(r.steps) for r in routes) / len(routes), 2),
        "mean_contacts": round(sum(len(r.contacts) for r in routes) / len(routes), 2),
        "share_with_open_questions": round(sum(1 for r in routes if r.open_questions) / len(routes), 3),
        "distinct_contact_orders": len({r.contacts for r in routes}),
        "routes_without_contact_or_question": empty,
        "emergency_without_acute_danger": emergency_without_acute,
        "rules_never_fired": sorted({r.id for r in rules.rules} - set(fired)),
    }


def bench_shelter() -> dict[str, object]:
    rng = random.Random(11)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    records = []
    for i in range(N_SHELTER):
        requested = base + timedelta(hours=rng.randrange(0, 24 * 700))
        no_place = tuple(requested + timedelta(days=d) for d in range(rng.choice((0, 0, 1, 3))))
        started = requested + timedelta(days=len(no_place) + rng.random() * 20) if rng.random() < 0.85 else None
        records.append(
            ShelterRecord(
                f"S{i}",
                rng.choice(SHELTER_TYPES),
                rng.choice(("utrecht", "amsterdam", "rotterdam", None)),
                requested,
                started_at=started,
                no_place_at=no_place,
            )
        )
    as_of = base + timedelta(days=720)
    start = time.perf_counter()
    groups = shelter_stats(records, as_of, by=("type", "region", "month"))
    seconds = time.perf_counter() - start
    return {
        "records": N_SHELTER,
        "groups": len(groups),
        "seconds": round(seconds, 3),
        "records_per_second": round(N_SHELTER / seconds),
    }


def main() -> None:
    figures = {
        "nproc": len(os.sched_getaffinity(0)),
        "routing": bench_routes(),
        "shelter_stats": bench_shelter(),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(f"machine: {machine()}")
    print(f"written to {write_results('triage_routes', figures)}")


if __name__ == "__main__":
    main()
