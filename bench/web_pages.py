"""Worklist and signal pages under load: 100,000 generated signals, the real server on 127.0.0.1,
a few concurrent HTTP clients; prints and records p50/p95 per page (target p95 <= 300 ms).

    python bench/web_pages.py [--signals 100000] [--clients 4] [--requests 400] [--seconds 120]
                              [--database-url URL] [--keep DIR]

The database is built once per size in a temporary folder (or reused from --keep DIR).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300.0


def build_registry(url: str, size: int, workdir: Path) -> float:
    """Generate ``size`` synthetic signals and import them; seconds taken."""
    from signaal.demo import SIGNAL_COLUMNS, generate_signals
    from signaal.domain.actor import Actor, Role
    from signaal.services.intake import import_signals
    from signaal.settings import Settings
    from signaal.store import open_store

    path = workdir / f"signals-{size}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_signals(size, seed=17, org_prefix="webbench"))
    store = open_store(Settings(database_url=url))
    start = time.perf_counter()
    report = import_signals(store, Actor("bench", "bench-org", Role.ADMIN), path)
    store.close()
    path.unlink()
    print(f"imported {report.imported} signals in {time.perf_counter() - start:.1f} s")
    return time.perf_counter() - start


def count_signals(url: str) -> int:
    """How many signals the registry holds."""
    from signaal.domain.actor import Actor, Role
    from signaal.services.signals import SignalQuery, list_signals
    from signaal.settings import Settings
    from signaal.store import open_store

    store = open_store(Settings(database_url=url))
    try:
        return list_signals(store, Actor("bench", "bench-org", Role.ADMIN), SignalQuery(limit=1)).total
    finally:
        store.close()


def analyze(url: str) -> None:
    """Give SQLite's planner statistics, as a maintained registry has after a bulk import.

    Without them SQLite walks the status index for a filter that matches most rows, which is many
    times slower than reading the table.
    """
    import sqlite3

    path = url.split("///", 1)[1]
    with sqlite3.connect(path) as conn:
        conn.execute("ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    """The web application in its own process (so the load generator does not share its interpreter)."""
    env = {
        **os.environ,
        "SIGNAAL_DATABASE_URL": url,
        "SIGNAAL_HOST": "127.0.0.1",
        "SIGNAAL_PORT": str(port),
        "SIGNAAL_USER": "bench",
        "SIGNAAL_ORG": "bench-org",
        "SIGNAAL_ROLE": "coordinator",
    }
    code = (
        "import uvicorn; from signaal.settings import load_settings; from signaal.web import create_app; "
        "s = load_settings(); uvicorn.run(create_app(s), host=s.host, port=s.port, log_level='warning')"
    )
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=str(ROOT))
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/me", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def worklist_paths(rng: random.Random) -> list[str]:
    """Worklist URLs a coordinator would open: first pages, filters, deeper pages."""
    forms = ["sexual", "labour", "criminal", "other"]
    units = ["amsterdam", "rotterdam", "den-haag", "midden-nederland", "oost-nederland", "noord-nederland"]
    paths = ["/signals", "/signals?status=new", "/signals?age_group=minor"]
    paths += [f"/signals?form={f}" for f in forms] + [f"/signals?police_unit={u}" for u in units]
    paths += [f"/signals?form={rng.choice(forms)}&status=new&page={rng.randint(1, 40)}" for _ in range(10)]
    # Coordinators page through the first screens; a page deep in 100,000 signals is rare, but kept in.
    paths += [f"/signals?page={rng.randint(2, 50)}" for _ in range(9)] + [f"/signals?page={rng.randint(51, 2000)}"]
    return paths


def load(base: str, clients: int, requests: int, seconds: float, ids: list[str]) -> dict[str, list[float]]:
    """Run ``clients`` threads, each alternating worklist and signal pages, until the count or time runs out."""
    timings: dict[str, list[float]] = {"worklist": [], "signal": [], "errors": []}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    per_client = max(1, requests // clients)

    def worker(n: int) -> None:
        rng = random.Random(n)
        paths = worklist_paths(rng)
        with httpx.Client(base_url=base, timeout=30) as http:
            for i in range(per_client):
                if time.perf_counter() > deadline:
                    return
                kind = "worklist" if i % 2 == 0 else "signal"
                path = rng.choice(paths) if kind == "worklist" else f"/signals/{rng.choice(ids)}"
                start = time.perf_counter()
                response = http.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    timings[kind if response.status_code == 200 else "errors"].append(elapsed)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def sequential(base: str, paths: list[str]) -> dict[str, float]:
    """Each worklist view once, one client: where the time goes without queueing."""
    out = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        for path in paths:
            start = time.perf_counter()
            http.get(path)
            out[path] = round((time.perf_counter() - start) * 1000, 1)
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> None:
    """Build or reuse the registry, serve it, load it, and print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep (and reuse) the SQLite registry")
    parser.add_argument("--analyze", action="store_true", help="run SQLite ANALYZE (planner statistics) first")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="signaal-webbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / f'web-{args.signals}.db'}"
    import_seconds = None
    if count_signals(url) < args.signals:
        import_seconds = build_registry(url, args.signals, workdir)
    analyzed = False
    if url.startswith("sqlite") and args.analyze:
        analyze(url)
        analyzed = True
    total = count_signals(url)
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        listing = httpx.get(f"{base}/api/signals", params={"limit": 1000}, timeout=60).json()
        rng = random.Random(5)
        ids = [s["id"] for s in listing["items"]]
        for page in rng.sample(range(2, 100), 9):
            more = httpx.get(f"{base}/api/signals", params={"limit": 1000, "page": page}, timeout=60).json()
            ids += [s["id"] for s in more["items"]]
        load(base, 1, 10, 30, ids)  # warm-up: caches and the first-request costs are not what we measure
        single = sequential(base, worklist_paths(random.Random(1))[:13])
        start = time.perf_counter()
        timings = load(base, args.clients, args.requests, args.seconds, ids)
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    figures: dict[str, object] = {
        "backend": url.split(":", 1)[0],
        "signals": total,
        "import_seconds": None if import_seconds is None else round(import_seconds, 1),
        "clients": args.clients,
        "requests": sum(len(v) for v in timings.values()),
        "errors": len(timings["errors"]),
        "wall_seconds": round(wall, 1),
        "target_p95_ms": TARGET_MS,
        "nproc": os.cpu_count(),
        "sqlite_analyzed": analyzed,
        "single_request_ms": single,
    }
    for kind in ("worklist", "signal"):
        values = timings[kind]
        if not values:
            continue
        figures[kind] = {
            "count": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "max_ms": round(max(values), 1),
            "meets_target": percentile(values, 95) <= TARGET_MS,
        }
        print(
            f"{kind:9s} n={len(values):4d}  p50 {figures[kind]['p50_ms']:7.1f} ms  "  # type: ignore[index]
            f"p95 {figures[kind]['p95_ms']:7.1f} ms  max {figures[kind]['max_ms']:7.1f} ms"
        )  # type: ignore[index]
    print(
        f"{figures['requests']} requests by {args.clients} clients in {figures['wall_seconds']} s; "
        f"{figures['errors']} errors"
    )
    name = "web_pages" + ("_analyzed" if analyzed else "")
    name += f"_{args.clients}clients" if args.clients != 4 else ""
    path = write_results(name, figures)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
