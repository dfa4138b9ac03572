"""Cost of encryption at rest on recording, on the worklist and on the signal page.

    python bench/security_bench.py [--signals 20000] [--requests 400] [--database-url URL]

Builds two registries from the same generated signals: one as signaal stores them (a data key per
signal, narratives, identifiers, quotes and event data sealed, identifiers indexed by their lookup
pseudonym) and one through a codec that stores everything in the clear. Recording is timed as
an import of the same file into each (alternating, three rounds on fresh registries); the
worklist and the signal page are called in-process, alternating between the two registries
every call, so load from other processes falls on both alike. Prints the machine load with the
figures and writes bench/results/security.json. Synthetic data only.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results
from web_pages import percentile, worklist_paths

from signaal.demo import SIGNAL_COLUMNS, generate_signals
from signaal.domain.actor import Actor, Role
from signaal.services.intake import import_signals
from signaal.services.signals import SignalQuery, list_signals
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.codec import Codec, SignalKeys
from signaal.web import views


class PlainKeys(SignalKeys):
    """Keys that store text as it is (the baseline without encryption)."""

    def seal(self, signal_id: str, column: str, text: str | None) -> str | None:
        return text

    def open(self, signal_id: str, column: str, stored: str | None) -> str | None:
        return stored


class PlainCodec(Codec):
    """A codec that makes no data keys and seals nothing."""

    def new_keys(self, signal_ids: Iterable[str], now: datetime) -> tuple[SignalKeys, list[dict[str, Any]]]:
        return PlainKeys({i: b"" for i in signal_ids}), []

    def load(self, session: Any, signal_ids: Iterable[str]) -> SignalKeys:
        return PlainKeys({i: b"" for i in signal_ids})

    def lookup(self, kind: str, value: str) -> str:
        return ""


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def open_registry(url: str, key_dir: Path, plain: bool) -> Store:
    store = open_store(Settings(database_url=url, key_dir=key_dir, org="bench-org", role="admin"))
    if plain:
        store.__dict__["codec"] = PlainCodec(store.codec.keystore)
    return store


def record(url: str, key_dir: Path, plain: bool, source: Path) -> float:
    """Seconds to import the file into a fresh registry."""
    store = open_registry(url, key_dir, plain)
    try:
        start = time.perf_counter()
        import_signals(store, Actor("bench", "bench-org", Role.ADMIN), source)
        return time.perf_counter() - start
    finally:
        store.close()


def alternate(calls: dict[str, list[Callable[[], object]]], requests: int) -> dict[str, list[float]]:
    """Milliseconds per call, alternating the modes every call on the same random choice."""
    rng = random.Random(5)
    timings: dict[str, list[float]] = {mode: [] for mode in calls}
    for _ in range(requests):
        pick = rng.randrange(len(next(iter(calls.values()))))
        for mode, options in calls.items():
            start = time.perf_counter()
            options[pick]()
            timings[mode].append((time.perf_counter() - start) * 1000)
    return timings


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(percentile(values, 95), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--record", type=int, default=2_000, help="signals per recording round")
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="signaal-securitybench-"))
    key_dir = work / "keys"
    key_dir.mkdir(mode=0o700)
    load_before = load_text()
    print(f"before: {load_before}")

    small = work / "record.csv"
    big = work / "signals.csv"
    for path, size in ((small, args.record), (big, args.signals)):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
            writer.writeheader()
            writer.writerows(generate_signals(size, seed=17, org_prefix="webbench"))

    rounds: dict[str, list[float]] = {"sealed": [], "plain": []}
    for n in range(3):
        for mode in ("sealed", "plain") if n % 2 == 0 else ("plain", "sealed"):
            url = f"sqlite:///{work / f'record-{mode}-{n}.db'}"
            rounds[mode].append(record(url, key_dir, mode == "plain", small))
    rate = {m: args.record / statistics.median(v) for m, v in rounds.items()}
    record_cost = rate["plain"] / rate["sealed"] - 1
    print(
        f"recording {args.record} signals: {rate['sealed']:.0f}/s sealed, {rate['plain']:.0f}/s in the clear "
        f"({record_cost:+.1%} time)"
    )

    stores = {}
    for mode in ("sealed", "plain"):
        url = f"sqlite:///{work / f'pages-{mode}.db'}"
        record(url, key_dir, mode == "plain", big)
        stores[mode] = open_registry(url, key_dir, mode == "plain")
    actor = Actor("bench", "bench-org", Role.COORDINATOR)
    figures: dict[str, Any] = {
        "backend": "sqlite",
        "signals": args.signals,
        "recording": {
            "signals_per_round": args.record,
            "sealed_per_s": round(rate["sealed"]),
            "plain_per_s": round(rate["plain"]),
            "time_cost": round(record_cost, 3),
        },
    }
    try:
        ids = {m: [s.id for s in list_signals(st, actor, SignalQuery(limit=500)).items] for m, st in stores.items()}
        paths = worklist_paths(random.Random(1))
        params = [dict(p.split("=", 1) for p in path.partition("?")[2].split("&") if p) for path in paths]
        pages = {
            "worklist": {m: [lambda s=s, q=q: views.worklist(s, actor, q) for q in params] for m, s in stores.items()},
            "signal_page": {
                m: [lambda s=s, i=i: views.signal_page(s, actor, i, s.settings) for i in ids[m][: len(ids["plain"])]]
                for m, s in stores.items()
            },
        }
        for name, calls in pages.items():
            alternate(calls, 20)  # warm-up
            timings = alternate(calls, args.requests)
            sealed, plain = summary(timings["sealed"]), summary(timings["plain"])
            cost = sealed["p95_ms"] / plain["p95_ms"] - 1
            figures[name] = {"sealed": sealed, "plain": plain, "p95_cost": round(cost, 3)}
            print(
                f"{name:11s} p95 {sealed['p95_ms']:7.2f} ms sealed, {plain['p95_ms']:7.2f} ms in the clear: {cost:+.1%} "
                f"(p50 {sealed['p50_ms']:.2f} / {plain['p50_ms']:.2f} ms)"
            )
    finally:
        for store in stores.values():
            store.close()
    figures["load_before"] = load_before
    figures["load_after"] = load_text()
    print(f"after: {figures['load_after']}")
    print(f"written to {write_results('security', figures)}")


if __name__ == "__main__":
    main()
