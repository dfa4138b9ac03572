"""Cost of the access audit on the worklist and the signal page, and the time to verify the chains.

    python bench/audit_bench.py [--signals 100000] [--requests 600] [--rounds 3] [--database-url URL] [--keep DIR]

Builds (or reuses) a registry of generated signals, then calls the page views in-process, one at a
time, in alternating blocks with the audit record written and with it left out, so load from
other processes on the machine falls on both alike. Prints p50/p95 of each and the p95 cost
(target <= 10 %), then times `verify` over both chains; writes bench/results/audit[_postgresql].json.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results
from web_pages import analyze, build_registry, count_signals, percentile, worklist_paths

from signaal.domain.actor import Actor, Role
from signaal.services import audit
from signaal.services.signals import SignalQuery, list_signals
from signaal.settings import Settings
from signaal.store import open_store
from signaal.web import views

TARGET = 0.10
BLOCK = 1  # alternate every call: both modes see the same load from other processes


def _params(path: str) -> dict[str, str]:
    query = path.partition("?")[2]
    return dict(part.split("=", 1) for part in query.split("&") if part)


def measure(calls: list[Callable[[], object]], requests: int) -> dict[str, list[float]]:
    """Run the calls in blocks, alternating audit on and off; milliseconds per call for each."""
    real = audit.record_access
    timings: dict[str, list[float]] = {"on": [], "off": []}
    rng = random.Random(3)
    for block in range(requests // BLOCK):
        mode = "on" if block % 2 == 0 else "off"
        audit.record_access = real if mode == "on" else (lambda *args, **kwargs: None)  # type: ignore[assignment]
        try:
            for _ in range(BLOCK):
                call = rng.choice(calls)
                start = time.perf_counter()
                call()
                timings[mode].append((time.perf_counter() - start) * 1000)
        finally:
            audit.record_access = real  # type: ignore[assignment]
    return timings


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 95), 2),
    }


def main() -> None:
    """Build or reuse the registry, measure both pages with and without the audit, verify, record."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3, help="measurements per page; the median cost is reported")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep (and reuse) the SQLite registry")
    args = parser.parse_args()
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
        worklist = [lambda p=p: views.worklist(store, actor, _params(p), settings) for p in paths]
        page = [lambda i=i: views.signal_page(store, actor, i, settings) for i in ids]
        measure(worklist[:5] + page[:5], 40)  # warm-up
        figures: dict[str, object] = {"backend": store.dialect, "signals": count_signals(url), "target_cost": TARGET}
        for name, calls in (("worklist", worklist), ("signal_page", page)):
            rounds = []
            for n in range(args.rounds):
                load = os.getloadavg()[0]
                timings = measure(calls, args.requests)
                on, off = summary(timings["on"]), summary(timings["off"])
                cost = on["p95_ms"] / off["p95_ms"] - 1
                rounds.append({"audit_on": on, "audit_off": off, "p95_cost": round(cost, 3), "load_1min": load})
                print(
                    f"{name:11s} round {n + 1}: p95 {on['p95_ms']:7.2f} ms with audit, {off['p95_ms']:7.2f} ms "
                    f"without: {cost:+.1%} (p50 {on['p50_ms']:.2f} / {off['p50_ms']:.2f} ms; load {load:.1f} on "
                    f"{os.cpu_count()} cores)"
                )
            median = statistics.median(r["p95_cost"] for r in rounds)  # type: ignore[misc]
            figures[name] = {"rounds": rounds, "median_p95_cost": median, "meets_target": median <= TARGET}
            print(f"{name:11s} median p95 cost over {len(rounds)} rounds: {median:+.1%} (target <= {TARGET:.0%})")
        start = time.perf_counter()
        report = audit.verify(store)
        seconds = time.perf_counter() - start
        rows = {c.name: c.rows for c in report.chains}
        figures["verify"] = {"ok": report.ok, "rows": rows, "seconds": round(seconds, 2)}
        print(f"verify: {rows} rows in {seconds:.2f} s, ok={report.ok}")
    finally:
        store.close()
    name = "audit" if figures["backend"] == "sqlite" else f"audit_{figures['backend']}"
    print(f"written to {write_results(name, figures)}")


if __name__ == "__main__":
    main()
