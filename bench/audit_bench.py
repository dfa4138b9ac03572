"""Cost of the access audit on the worklist and the signal page, and the time to verify the chains.

    python bench/audit_bench.py [--signals 100000] [--requests 1000] [--worklist-requests 150]
                                [--rounds 5] [--pages worklist,signal_page] [--database-url URL] [--keep DIR]

Builds (or reuses) a registry of generated signals, then calls the page views in-process, one at a
time, in pairs: each pair is one randomly chosen page, viewed once with the audit record written
and once with it left out, in random order, so load from other processes on the machine and the
cost of the particular page fall on both alike. Per round it prints p50/p95 of each and the p95
cost; over the rounds the median and the spread (lowest, highest) of the p95 cost (target <= 10 %),
the p95 cost of all rounds pooled, the median extra time of a pair, and the machine's load average
at the start and end of each round. Then it times `verify` over both chains and writes
bench/results/audit[_postgresql].json.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results
from web_pages import analyze, build_registry, count_signals, percentile, worklist_paths

from signaal.domain.actor import Actor, Role
from signaal.services import audit
from signaal.services.signals import SignalQuery, list_signals
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.tables_security import AuditRow
from signaal.web import views

TARGET = 0.10
PAGES = ("worklist", "signal_page")


def _params(path: str) -> dict[str, str]:
    query = path.partition("?")[2]
    return dict(part.split("=", 1) for part in query.split("&") if part)


def _skip(*args: object, **kwargs: object) -> None:
    return None


def measure(calls: list[Callable[[], object]], pairs: int, rng: random.Random) -> dict[str, list[float]]:
    """``pairs`` pairs of one call with the audit and without, in random order; milliseconds per call
    for each mode, and the difference (with minus without) of each pair."""
    real = audit.record_access
    timings: dict[str, list[float]] = {"on": [], "off": [], "diff": []}
    for _ in range(pairs):
        call = rng.choice(calls)
        pair: dict[str, float] = {}
        for mode in rng.sample(("on", "off"), 2):
            audit.record_access = real if mode == "on" else _skip  # type: ignore[assignment]
            try:
                start = time.perf_counter()
                call()
                pair[mode] = (time.perf_counter() - start) * 1000
            finally:
                audit.record_access = real  # type: ignore[assignment]
        timings["on"].append(pair["on"])
        timings["off"].append(pair["off"])
        timings["diff"].append(pair["on"] - pair["off"])
    return timings


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 95), 2),
    }


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def rounds_of(name: str, calls: list[Callable[[], object]], pairs: int, rounds: int) -> dict[str, Any]:
    """Measure one page ``rounds`` times; per round and over the rounds."""
    rng = random.Random(3)
    done: list[dict[str, Any]] = []
    pooled: dict[str, list[float]] = {"on": [], "off": [], "diff": []}
    for n in range(rounds):
        load = _load()
        timings = measure(calls, pairs, rng)
        on, off = summary(timings["on"]), summary(timings["off"])
        cost = on["p95_ms"] / off["p95_ms"] - 1
        extra = statistics.median(timings["diff"])
        loads = {"start": load, "end": _load()}
        done.append({"audit_on": on, "audit_off": off, "p95_cost": round(cost, 3), "pair_extra_ms": round(extra, 3)})
        done[-1]["loadavg"] = loads
        for mode, values in timings.items():
            pooled[mode].extend(values)
        print(
            f"{name:11s} round {n + 1}: p95 {on['p95_ms']:7.2f} ms with audit, {off['p95_ms']:7.2f} ms "
            f"without: {cost:+.1%} (p50 {on['p50_ms']:.2f} / {off['p50_ms']:.2f} ms; pair {extra:+.2f} ms; "
            f"load {' '.join(map(str, load))} -> {' '.join(map(str, loads['end']))} on {os.cpu_count()} cores)"
        )
    costs = [r["p95_cost"] for r in done]
    median = statistics.median(costs)
    pooled_cost = percentile(pooled["on"], 95) / percentile(pooled["off"], 95) - 1
    extra = statistics.median(pooled["diff"])
    print(
        f"{name:11s} p95 cost over {rounds} rounds: median {median:+.1%} (lowest {min(costs):+.1%}, highest "
        f"{max(costs):+.1%}); pooled {pooled_cost:+.1%}; median extra per view {extra:.2f} ms (target <= {TARGET:.0%})"
    )
    return {
        "rounds": done,
        "median_p95_cost": median,
        "p95_cost_spread": [min(costs), max(costs)],
        "pooled": {"audit_on": summary(pooled["on"]), "audit_off": summary(pooled["off"])},
        "pooled_p95_cost": round(pooled_cost, 3),
        "median_pair_extra_ms": round(extra, 3),
        "meets_target": median <= TARGET,
    }


def _audit_rows(store: Store) -> int:
    from sqlalchemy import func, select

    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


def main() -> None:
    """Build or reuse the registry, measure both pages with and without the audit, verify, record."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000, help="pairs of signal page views per round")
    parser.add_argument("--worklist-requests", type=int, default=150, help="pairs of worklist views per round")
    parser.add_argument("--rounds", type=int, default=5, help="measurements per page; the median cost is reported")
    parser.add_argument("--pages", default=",".join(PAGES), help="pages to measure (results written for both only)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep (and reuse) the SQLite registry")
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    if not set(pages) <= set(PAGES):
        parser.error(f"--pages: choose from {', '.join(PAGES)}")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="signaal-auditbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / f'audit-{args.signals}.db'}"
    if count_signals(url) < args.signals:
        build_registry(url, args.signals, workdir)
        if url.startswith("sqlite"):
            analyze(url)  # planner statistics, as a maintained registry has
    settings = Settings(database_url=url)
    store = open_store(settings)
    actor = Actor("bench", "bench-org", Role.COORDINATOR)
    try:
        ids = [s.id for s in list_signals(store, actor, SignalQuery(limit=1000)).items]
        paths = worklist_paths(random.Random(1))
        calls = {
            "worklist": (
                [lambda p=p: views.worklist(store, actor, _params(p), settings) for p in paths],
                args.worklist_requests,
            ),
            "signal_page": ([lambda i=i: views.signal_page(store, actor, i, settings) for i in ids], args.requests),
        }
        measure(calls["worklist"][0][:5] + calls["signal_page"][0][:5], 20, random.Random(2))  # warm-up
        before = _audit_rows(store)
        figures: dict[str, Any] = {"backend": store.dialect, "signals": count_signals(url), "target_cost": TARGET}
        figures["audit_records_before"] = before
        print(f"{figures['signals']} signals, {before} audit records; load {' '.join(map(str, _load()))}")
        for name in pages:
            figures[name] = rounds_of(name, calls[name][0], calls[name][1], args.rounds)
        start = time.perf_counter()
        report = audit.verify(store)
        seconds = time.perf_counter() - start
        rows = {c.name: c.rows for c in report.chains}
        figures["verify"] = {"ok": report.ok, "rows": rows, "seconds": round(seconds, 2)}
        print(f"verify: {rows} rows in {seconds:.2f} s, ok={report.ok}")
    finally:
        store.close()
    if set(pages) != set(PAGES):
        print("results not written: only some pages were measured")
        return
    name = "audit" if figures["backend"] == "sqlite" else f"audit_{figures['backend']}"
    print(f"written to {write_results(name, figures)}")


if __name__ == "__main__":
    main()
