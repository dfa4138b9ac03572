"""Cost of sharing acts on the worklist: the owner, a receiver of per-signal acts, a receiver of a
standing act, and an organisation with no act, on one registry.

    python bench/sharing_bench.py [--signals 20000] [--requests 200] [--database-url URL]

Imports generated signals as one organisation, registers three others, grants one of them a
per-signal act on every 100th signal and another a standing act (all signals, summary scope),
then calls the worklist in-process for a coordinator of each, alternating every call on the same
random filter, so load from other processes falls on all alike. The visibility check stays in
the worklist's one SQL query (an ``IN`` over the acts and an ``EXISTS`` over the standing acts).
Prints the machine load with the figures and writes bench/results/sharing.json. Synthetic data.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results
from security_bench import load_text, summary
from web_pages import worklist_paths

from signaal.demo import SIGNAL_COLUMNS, generate_signals
from signaal.domain.actor import Actor, Role
from signaal.services import sharing, standing
from signaal.services.intake import import_signals
from signaal.services.signals import SignalQuery, list_signals
from signaal.settings import Settings
from signaal.store import open_store
from signaal.store.standing import insert_organisation
from signaal.web import views

OWNER = "bench-org"
READERS = {"owner": OWNER, "per_signal": "org-acts", "standing": "org-standing", "none": "org-none"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="signaal-sharingbench-"))
    key_dir = work / "keys"
    key_dir.mkdir(mode=0o700)
    load_before = load_text()
    print(f"before: {load_before}")
    source = work / "signals.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_signals(args.signals, seed=23, org_prefix="sharebench"))
    url = args.database_url or f"sqlite:///{work / 'registry.db'}"
    store = open_store(Settings(database_url=url, key_dir=key_dir, org=OWNER, role="admin"))
    admin = Actor("bench", OWNER, Role.ADMIN)
    try:
        import_signals(store, admin, source)
        with store.session() as session:
            for org in READERS.values():
                if org != OWNER:
                    insert_organisation(
                        session,
                        {"id": org, "name": org, "kind": "overig", "added_by": "bench", "added_at": datetime.now(UTC)},
                    )
        ids = [
            s.id
            for offset in range(0, args.signals, 1000)
            for s in list_signals(store, admin, SignalQuery(limit=1000, offset=offset)).items
        ]
        for sid in ids[::100]:
            sharing.grant_act(store, admin, sid, org=READERS["per_signal"], basis="consent", purpose="bench", scope=[])
        standing.grant_standing(store, admin, org=READERS["standing"], basis="consent", purpose="bench", scope=[])
        actors = {name: Actor(f"coo-{name}", org, Role.COORDINATOR) for name, org in READERS.items()}
        params = [
            dict(p.split("=", 1) for p in path.partition("?")[2].split("&") if p)
            for path in worklist_paths(random.Random(1))
        ]
        rng = random.Random(5)
        timings: dict[str, list[float]] = {name: [] for name in actors}
        shown = {name: views.worklist(store, a, {})["total"] for name, a in actors.items()}
        for n in range(20 + args.requests):
            query = rng.choice(params)
            for name, actor in actors.items():
                start = time.perf_counter()
                views.worklist(store, actor, query)
                if n >= 20:  # the first rounds warm the caches
                    timings[name].append((time.perf_counter() - start) * 1000)
    finally:
        store.close()
    figures: dict[str, Any] = {
        "backend": url.split(":", 1)[0],
        "signals": args.signals,
        "per_signal_acts": len(ids[::100]),
        "visible": shown,
        "worklist": {name: summary(values) for name, values in timings.items()},
        "load_before": load_before,
        "load_after": load_text(),
    }
    for name, values in figures["worklist"].items():
        print(
            f"worklist as {name:10s} ({shown[name]:6d} visible): p50 {values['p50_ms']:7.2f} ms, p95 {values['p95_ms']:7.2f} ms"
        )
    print(f"after: {figures['load_after']}")
    print(f"written to {write_results('sharing', figures)}")


if __name__ == "__main__":
    main()
