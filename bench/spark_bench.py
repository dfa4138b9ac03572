"""The Spark engine beside the embedded engine: identical folders, time and peak memory.

Each run is a process of its own (``--one ENGINE DUMP OUT``) whose whole process tree (the
embedded engine's workers; Spark's JVM and Python workers) is sampled for resident memory.
Sets: ``redthread`` (../shared/data/ads-redthread.jsonl), ``100k`` and ``1m`` synthetic ads.
Spark runs in local mode on ``local[2]`` with 4 shuffle partitions and a 2 GB driver (the JVM of
local mode holds the executors too; ``SIGNAAL_SPARK_DRIVER_MEMORY`` changes it). A run that fails
keeps its last error line in the results.

    .venv/bin/python bench/spark_bench.py [--sets redthread,100k] [--timeout 3000]

Timings on a shared machine are noisy: the load average before and after is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, shared_data, write_results

SAME = ("ads.jsonl", "clusters.jsonl", "texts.jsonl", "groups.json", "index.json", "skipped.jsonl", "ads.offsets.npy")
SIZES = {"100k": 100_000, "1m": 1_000_000}


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 2**20


def _rss_mb(pid: int) -> float:
    """Resident memory of one process (the driver's Python process), in MB."""
    try:
        return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def _measured(args: list[str], timeout: float) -> dict[str, Any]:
    """Run a command, sampling its process tree's memory; its seconds, peak MB and last output line."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors:
        return _run(args, timeout, errors)


def _run(args: list[str], timeout: float, errors: Any) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, text=True)
    peak = driver = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, driver
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            driver = max(driver, _rss_mb(proc.pid))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        done.set()
        seconds = round(time.perf_counter() - started, 1)
        return {
            "finished": False,
            "seconds": seconds,
            "peak_rss_mb": round(peak),
            "error": f"timeout after {timeout:.0f} s",
        }
    done.set()
    sampler.join()
    result = json.loads(out.strip().splitlines()[-1]) if proc.returncode == 0 and out.strip() else {}
    result["driver_python_peak_mb"] = round(driver)
    errors.seek(0)
    # the engine's phase lines (name, counts, seconds since the start)
    result["phases"] = [
        line.split("signaal.engines.spark ", 1)[1] for line in errors if "signaal.engines.spark " in line
    ]
    if proc.returncode != 0:  # keep the cause: the last error line of the run's own output
        errors.seek(0)
        lines = [
            line.strip()
            for line in errors.read().splitlines()
            if ("Error" in line or "Exception" in line) and not line.strip().startswith(("at ", "File ", "..."))
        ]
        result["error"] = lines[-1][:300] if lines else f"exit code {proc.returncode}"
    return {
        "finished": proc.returncode == 0,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(peak),
        **result,
    }


def _one(engine: str, dump: str, out: str) -> None:
    """In a child process: one screen on one engine, its counts as a JSON line (stage lines on stderr)."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from signaal.domain.actor import Actor, Role
    from signaal.settings import Settings

    actor = Actor(user="bench", org="bench", role=Role.ANALYST)
    settings = Settings(
        spark_master="local[2]",
        spark_shuffle_partitions=4,
        spark_driver_memory=os.environ.get("SIGNAAL_SPARK_DRIVER_MEMORY", "2g"),
    )
    if engine == "spark":
        from signaal.engines.session import spark_session
        from signaal.engines.spark_ads import screen_on_spark

        spark = spark_session(settings, "signaal ads screen")
        summary = screen_on_spark(actor, dump, Path(out), settings)
        phases = [p["phase"] for p in json.loads((Path(out) / "screen.json").read_text())["phases"]]
        counts = {"ads": summary.ads, "groups": summary.clusters, "hubs": summary.hubs}
        print(json.dumps({**counts, **_stages(spark, phases)}))
        return
    else:
        from signaal.services.ads import screen_dump

        summary = screen_dump(actor, Path(dump), Path(out), settings, html=False)
    print(json.dumps({"ads": summary.ads, "groups": summary.clusters, "hubs": summary.hubs}))


def _stages(spark: Any, phases: list[str]) -> dict[str, Any]:
    """Spark's own stage metrics of the run (its status store, read through py4j as its UI does).

    Shuffle written and read, input read and executor run time, in all and by the phase of the
    screen that ran the stage (its job group ``signaal phase K``), in MB and seconds.
    """
    store = spark.sparkContext._jsc.sc().statusStore()
    phase_of: dict[int, str] = {}
    jobs = store.jobsList(None)
    for i in range(jobs.size()):
        job = jobs.apply(i)
        group = job.jobGroup().get() if job.jobGroup().isDefined() else ""
        k = int(group.rsplit(" ", 1)[1]) if group.startswith("signaal phase ") else -1
        name = phases[k] if 0 <= k < len(phases) else "other"
        ids = job.stageIds()
        for j in range(ids.size()):
            phase_of[int(ids.apply(j))] = name
    stages = store.stageList(
        None, False, False, getattr(store, "stageList$default$4")(), getattr(store, "stageList$default$5")()
    )
    by_phase: dict[str, dict[str, float]] = {}
    total = {"stages": 0, "tasks": 0, "shuffle_write_mb": 0.0, "shuffle_read_mb": 0.0, "input_mb": 0.0, "run_s": 0.0}
    largest = 0.0
    for i in range(stages.size()):
        stage = stages.apply(i)
        if stage.status().toString() != "COMPLETE":
            continue
        row = {
            "shuffle_write_mb": stage.shuffleWriteBytes() / 2**20,
            "shuffle_read_mb": stage.shuffleReadBytes() / 2**20,
            "input_mb": stage.inputBytes() / 2**20,
            "run_s": stage.executorRunTime() / 1000,
        }
        largest = max(largest, row["shuffle_write_mb"])
        total["stages"] += 1
        total["tasks"] += stage.numTasks()
        part = by_phase.setdefault(phase_of.get(stage.stageId(), "other"), dict.fromkeys(row, 0.0))
        for key, value in row.items():
            total[key] += value
            part[key] += value
    return {
        "spark_stages": {
            **{k: round(v, 1) for k, v in total.items()},
            "largest_stage_shuffle_write_mb": round(largest, 1),
        },
        "spark_stages_by_phase": {p: {k: round(v, 1) for k, v in row.items()} for p, row in by_phase.items()},
    }


def _synthetic(path: Path, n: int) -> None:
    from signaal.ads.synthetic import generate_ads

    with path.open("w", encoding="utf-8") as fh:
        for ad in generate_ads(n, seed=11):
            fh.write(json.dumps(ad, ensure_ascii=False) + "\n")


def _compare(a: Path, b: Path) -> dict[str, bool]:
    return {name: (a / name).is_file() and (a / name).read_bytes() == (b / name).read_bytes() for name in SAME}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _groups(folder: Path) -> dict[frozenset[str], dict[str, Any]]:
    """The groups of a folder by their set of ads: score, reasons and hubs (contact and evidence)."""
    return {
        frozenset(c["ads"]): {"score": c["score"], "reasons": c["reasons"], "hubs": c["hubs"]}
        for c in _jsonl(folder / "clusters.jsonl")
    }


def differences(embedded: Path, spark: Path) -> dict[str, int]:
    """How many groups, hubs, group scores and ads (labels and score) differ between two folders.

    Groups are matched by their set of ads, not their id, so a difference in numbering alone
    would not hide one in content; each count is of entries present in one folder and not the other
    (or present in both with another value).
    """
    a, b = _groups(embedded), _groups(spark)
    hubs_a = {json.dumps(h, sort_keys=True) for g in a.values() for h in g["hubs"]}
    hubs_b = {json.dumps(h, sort_keys=True) for g in b.values() for h in g["hubs"]}
    ads_a = {
        r["id"]: (r["contact_cluster"], r["template_cluster"], r["cluster"], r["score"])
        for r in _jsonl(embedded / "ads.jsonl")
    }
    ads_b = {
        r["id"]: (r["contact_cluster"], r["template_cluster"], r["cluster"], r["score"])
        for r in _jsonl(spark / "ads.jsonl")
    }
    both = a.keys() & b.keys()
    return {
        "groups": len(a.keys() ^ b.keys()),
        "hubs": len(hubs_a ^ hubs_b),
        "group_scores": sum(1 for k in both if a[k] != b[k]),
        "ads": len(ads_a.keys() ^ ads_b.keys()) + sum(1 for k in ads_a.keys() & ads_b.keys() if ads_a[k] != ads_b[k]),
        "skipped": len(set(_jsonl_text(embedded / "skipped.jsonl")) ^ set(_jsonl_text(spark / "skipped.jsonl"))),
    }


def _jsonl_text(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def main() -> None:
    """Run the sets, compare the folders, write bench/results/spark.json."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="redthread,100k")
    parser.add_argument("--timeout", type=float, default=3000)
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "DUMP", "OUT"))
    parser.add_argument("--table", action="store_true", help="print the table of bench/results/spark.json")
    args = parser.parse_args()
    if args.one:
        _one(*args.one)
        return
    if args.table:
        _print_table(json.loads((RESULTS / "spark.json").read_text())["sets"])
        return
    # sets measured before and not run now are kept, each with the load it was measured at
    earlier = RESULTS / "spark.json"
    kept = json.loads(earlier.read_text())["sets"] if earlier.is_file() else {}
    results: dict[str, Any] = {"load_average_before": os.getloadavg()[0], "sets": kept}
    with tempfile.TemporaryDirectory(prefix="spark-bench-") as tmp:
        for name in args.sets.split(","):
            dump = shared_data() / "ads-redthread.jsonl" if name == "redthread" else Path(tmp) / f"{name}.jsonl"
            if name in SIZES:
                _synthetic(dump, SIZES[name])
            row: dict[str, Any] = {"load_average_before": os.getloadavg()[0]}
            for engine in ("spark", "embedded"):  # Spark first: a failure shows early
                out = Path(tmp) / f"{name}-{engine}"
                cmd = [sys.executable, __file__, "--one", engine, str(dump), str(out)]
                row[engine] = _measured(cmd, args.timeout)
                print(name, engine, row[engine], flush=True)
            if row["embedded"]["finished"] and row["spark"]["finished"]:
                same = _compare(Path(tmp) / f"{name}-embedded", Path(tmp) / f"{name}-spark")
                row["identical"] = all(same.values())
                row["files"] = same
                row["differences"] = differences(Path(tmp) / f"{name}-embedded", Path(tmp) / f"{name}-spark")
                print(name, "identical files:", row["identical"], "differences:", row["differences"], flush=True)
            results["sets"][name] = row
            results["load_average_after"] = os.getloadavg()[0]
            write_results("spark", results)  # after each set: a long run keeps what it measured
    _print_table(results["sets"])


def _print_table(sets: dict[str, Any]) -> None:
    """The scaling table: per set and engine, time, peak memory of the process tree, and the outcome."""
    print(f"{'set':<10} {'engine':<9} {'seconds':>9} {'peak MB':>8} {'driver MB':>9}  outcome")
    for name, row in sets.items():
        for engine in ("embedded", "spark"):
            run = row.get(engine)
            if not run:
                continue
            outcome = "finished" if run["finished"] else f"stopped: {run.get('error', '')}"
            if run["finished"] and "identical" in row:
                outcome += ", identical folders" if row["identical"] else ", folders DIFFER"
            if run["finished"] and "differences" in row:
                outcome += f", {sum(row['differences'].values())} differences"
            driver = run.get("driver_python_peak_mb", "-")  # the driver's Python process alone
            print(f"{name:<10} {engine:<9} {run['seconds']:>9.1f} {run['peak_rss_mb']:>8} {driver:>9}  {outcome}")


if __name__ == "__main__":
    main()
