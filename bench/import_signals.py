"""Import generated signals from CSV into a fresh SQLite registry: rows per second and peak memory.

Each size runs in its own process so that peak memory is measured per run; comparing the sizes
shows whether memory grows with the file.

    python bench/import_signals.py [--sizes 20000,100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_results


def run_one(size: int, workdir: Path, database_url: str | None) -> dict[str, float]:
    """Generate SIZE signals, import them, and report time and peak memory of this process."""
    from signaal.demo import SIGNAL_COLUMNS, generate_signals
    from signaal.domain.actor import Actor, Role
    from signaal.services.intake import import_signals
    from signaal.settings import Settings
    from signaal.store import open_store

    path = workdir / f"signals-{size}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_signals(size, seed=11, org_prefix=f"bench{size}"))
    url = database_url or f"sqlite:///{workdir / f'bench-{size}.db'}"
    store = open_store(Settings(database_url=url))
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    report = import_signals(store, Actor("bench", "bench", Role.ADMIN), path)
    seconds = time.perf_counter() - start
    store.close()
    return {
        "rows": report.imported,
        "seconds": round(seconds, 2),
        "rows_per_second": round(report.imported / seconds),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "peak_rss_mb_before_import": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    """Run every size in a child process and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file per size")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, Path(args.workdir), args.database_url)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            cmd = [sys.executable, __file__, "--child", str(size), "--workdir", tmp]
            if args.database_url:
                cmd += ["--database-url", args.database_url]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            results[str(size)] = figures
            print(
                f"{size:>8} rows: {figures['seconds']:>6.1f} s, {figures['rows_per_second']:>6} rows/s, "
                f"peak RSS {figures['peak_rss_mb']:.0f} MB (file {figures['file_mb']} MB)"
            )
    backend = "postgresql" if args.database_url and args.database_url.startswith("postgresql") else "sqlite"
    name = "import_signals" if backend == "sqlite" else f"import_signals_{backend}"
    path = write_results(name, {"backend": backend, "runs": results})
    print(f"written {path}")


if __name__ == "__main__":
    main()
