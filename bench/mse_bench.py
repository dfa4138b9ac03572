"""Multiple systems estimation: published tables reproduced, and interval coverage on simulated populations.

1. Every row of ``../shared/data/mse/reference.csv``: the table is estimated with the published
   method and the same kind of interval; the script prints the estimate, its relative difference
   from the published one (target: within 2 %), the selected model (and whether it holds the
   terms the publication names), and the interval next to the published one. Bootstrap intervals
   use 1000 replicates with this package's seed, so they differ a little from the published ones
   (R's random numbers are not numpy's).
2. Simulated populations of known size (3 to 6 lists; heterogeneous catch, dependent lists,
   strata): over ``--runs`` draws (default 500) the share of 95 % intervals that hold the true
   size (target 90-98 %) and the bias of the estimate.

    python bench/mse_bench.py [--runs 500] [--boot 1000] [--skip-published] [--skip-simulation]
    python bench/mse_bench.py --seeds 5      # spread of BCa bounds over seeds (bench/results/mse_seeds.json)
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
from common import shared_data, write_results

from signaal.errors import SignaalError
from signaal.mse import Options, estimate, estimate_strata, table_from_rows
from signaal.mse.simulate import Scenario, simulate


def load_table(path: Path) -> Any:
    """One published table."""
    with path.open() as handle:
        reader = csv.DictReader(handle)
        rows = [(i + 2, row) for i, row in enumerate(reader)]
        return table_from_rows(reader.fieldnames or [], rows, path.name)[0]


def interval_kind(text: str) -> str:
    """The interval kind of a reference row."""
    if "BCa" in text or "bootstrap" in text:
        return "bootstrap"
    return "wald" if "Wald" in text else "profile"


def named_terms(source: str) -> list[str]:
    """Terms a publication names for its selected model ('A:E', or '[12,23]')."""
    brackets = re.findall(r"\[[0-9,]+\]", source)
    if brackets:
        return brackets
    return [t for t in re.findall(r"\b[A-Za-z][A-Za-z0-9]*:[A-Za-z][A-Za-z0-9]*\b", source) if not t.startswith("http")]


def published(boot: int) -> list[dict[str, Any]]:
    """Reproduce every reference estimate; print and return one record per row."""
    folder = shared_data() / "mse"
    records = []
    with (folder / "reference.csv").open() as handle:
        references = list(csv.DictReader(handle))
    print(
        f"{'table':8} {'method':15} {'estimate':>9} {'published':>9} {'diff':>7}  {'interval':>17} {'published':>17}  model"
    )
    for ref in references:
        table = load_table(folder / f"{ref['table']}.csv")
        kind = interval_kind(ref["interval_kind"])
        started = time.perf_counter()
        result = estimate(table, ref["method"], kind, Options(n_boot=boot), ref["table"])
        seconds = time.perf_counter() - started
        target = float(ref["estimate"])
        diff = result.estimate / target - 1
        low, high = result.interval
        named = named_terms(ref["source"])
        terms = set(result.model)
        model_ok = (
            all((t == result.model_hierarchy) if t.startswith("[") else (t in terms) for t in named) if named else None
        )
        record = {
            "table": ref["table"],
            "method": ref["method"],
            "estimate": round(result.estimate, 1),
            "published": target,
            "relative_difference": round(diff, 5),
            "within_2_percent": abs(diff) <= 0.02,
            "model": result.model_hierarchy,
            "model_terms": result.model[table.n_lists :],
            "published_terms": named,
            "same_model": model_ok,
            "interval": [round(low, 1), round(high, 1)],
            "published_interval": [float(ref["lo95"]), float(ref["hi95"])],
            "interval_ratio": [round(low / float(ref["lo95"]), 3), round(high / float(ref["hi95"]), 3)],
            "interval_kind": kind,
            "published_interval_kind": ref["interval_kind"],
            "seconds": round(seconds, 2),
        }
        records.append(record)
        print(
            f"{ref['table']:8} {ref['method']:15} {result.estimate:9.0f} {target:9.0f} {diff:+7.2%}  "
            f"[{low:7.0f}, {high:7.0f}] [{float(ref['lo95']):7.0f}, {float(ref['hi95']):7.0f}]  "
            f"{result.model_hierarchy} {'' if model_ok is None else ('(same as published)' if model_ok else '(DIFFERS)')} "
            f"{kind} {seconds:.1f}s"
        )
    return records


#: (scenario, method, within the model's assumptions). The last one breaks an assumption on purpose.
SCENARIOS = [
    (Scenario("3 lists, independent, homogeneous", 1500, (-1.7, -1.1, -1.4)), "stepwise", True),
    (
        Scenario("4 lists, referral A->B (dependent lists)", 3000, (-1.4, -2.0, -1.1, -2.2), referrals=((0, 1, 0.5),)),
        "stepwise",
        True,
    ),
    (
        Scenario(
            "5 lists, sparse, catch differing by stratum, referral C->D",
            4000,
            (-2.0, -2.6, -1.8, -2.9, -2.4),
            strata=(0.5, 0.5),
            stratum_shift=((0.5, -0.4, 0.3, 0.0, -0.5), (-0.5, 0.4, -0.3, 0.2, 0.5)),
            referrals=((2, 3, 0.4),),
        ),
        "stepwise",
        True,
    ),
    (
        Scenario(
            "6 lists, sparse, two strata with different catch, referral A->D",
            8000,
            (-2.2, -3.0, -3.2, -2.5, -2.8, -3.4),
            strata=(0.6, 0.4),
            stratum_shift=((0.6, 0.4, -0.8, 0.0, 0.2, 0.0), (-0.8, -0.6, 0.9, 0.3, -0.2, 0.3)),
            referrals=((0, 3, 0.3),),
        ),
        "stepwise",
        True,
    ),
    (
        Scenario(
            "stress: 5 lists, latent catchability shared by all lists (sd 0.4 on the logit)",
            4000,
            (-2.0, -2.6, -1.8, -2.9, -2.4),
            spread=0.4,
            referrals=((2, 3, 0.4),),
        ),
        "stepwise",
        False,
    ),
]


def _one_run(scenario: Scenario, method: str, rng: np.random.Generator, boot: int) -> tuple[float, float, float] | None:
    tables = simulate(scenario, rng)
    try:
        if len(tables) > 1:
            kind = "bootstrap" if boot else "wald"
            result, _ = estimate_strata(tables, method, kind, Options(n_boot=boot or 1000), min_observed=30)
        else:
            result = estimate(tables[0], method, "bootstrap" if boot else "profile", Options(n_boot=boot or 1000))
    except SignaalError:  # a draw whose lists cannot carry an estimate counts as a miss
        return None
    return result.estimate, result.interval[0], result.interval[1]


def simulation(runs: int, boot: int = 0, seed: int = 2026, only: list[int] | None = None) -> list[dict[str, Any]]:
    """Coverage and bias over ``runs`` draws of each scenario (bootstrap intervals when ``boot``)."""
    out = []
    for index, (scenario, method, within) in enumerate(SCENARIOS):
        if only is not None and index not in only:
            continue
        rng = np.random.default_rng(seed + index)
        started = time.perf_counter()
        results = [_one_run(scenario, method, rng, boot) for _ in range(runs)]
        done = [r for r in results if r is not None]
        est = np.array([r[0] for r in done])
        covered = sum(1 for _, low, high in done if low <= scenario.size <= high)
        if boot:
            kind = f"BCa bootstrap, {boot} replicates"
        else:
            kind = "wald (per stratum, summed)" if len(scenario.strata) > 1 else "profile likelihood"
        record = {
            "scenario": scenario.name,
            "within_assumptions": within,
            "lists": scenario.n_lists,
            "true_size": scenario.size,
            "method": method,
            "interval": kind,
            "runs": runs,
            "failed": runs - len(done),
            "coverage": round(covered / runs, 4),
            "bias_relative": round(float(est.mean() / scenario.size - 1), 4),
            "median_relative_error": round(float(np.median(est) / scenario.size - 1), 4),
            "rmse_relative": round(float(np.sqrt(np.mean((est / scenario.size - 1) ** 2))), 4),
            "mean_width_relative": round(float(np.mean([(h - lo) / scenario.size for _, lo, h in done])), 4),
            "seconds": round(time.perf_counter() - started, 1),
        }
        out.append(record)
        print(
            f"{scenario.name[:60]:60} {kind[:26]:26} coverage {record['coverage']:6.1%}  bias {record['bias_relative']:+.2%}  "
            f"rmse {record['rmse_relative']:.1%}  width {record['mean_width_relative']:.0%}  failed {record['failed']}  {record['seconds']}s"
        )
    return out


def seed_spread(boot: int, seeds: int, max_seconds: float) -> list[dict[str, Any]]:
    """How far BCa bounds move between bootstrap seeds, next to the published bounds."""
    folder = shared_data() / "mse"
    out = []
    with (folder / "reference.csv").open() as handle:
        references = [r for r in csv.DictReader(handle) if interval_kind(r["interval_kind"]) == "bootstrap"]
    for ref in references:
        table = load_table(folder / f"{ref['table']}.csv")
        bounds, started = [], time.perf_counter()
        for seed in range(1, seeds + 1):
            result = estimate(table, ref["method"], "bootstrap", Options(n_boot=boot, seed=seed), ref["table"])
            bounds.append(result.interval)
            if time.perf_counter() - started > max_seconds:
                break
        lows, highs = [b[0] for b in bounds], [b[1] for b in bounds]
        record = {
            "table": ref["table"],
            "method": ref["method"],
            "seeds": len(bounds),
            "low_range": [round(min(lows)), round(max(lows))],
            "high_range": [round(min(highs)), round(max(highs))],
            "published": [float(ref["lo95"]), float(ref["hi95"])],
        }
        out.append(record)
        print(
            f"{ref['table']:8} {ref['method']:13} {len(bounds)} seeds: low {record['low_range']} high {record['high_range']} "
            f"published [{ref['lo95']}, {ref['hi95']}]"
        )
    return out


def main() -> None:
    """Run both parts and write bench/results/mse.json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=500, help="simulated draws per scenario")
    parser.add_argument("--boot", type=int, default=1000, help="bootstrap replicates for the published tables")
    parser.add_argument(
        "--boot-runs", type=int, default=100, help="draws per scenario with bootstrap intervals (0: none)"
    )
    parser.add_argument("--sim-boot", type=int, default=200, help="bootstrap replicates in the simulated draws")
    parser.add_argument("--seeds", type=int, default=0, help="also rerun bootstrap intervals with this many seeds")
    parser.add_argument("--seed-seconds", type=float, default=300, help="time allowed per table for --seeds")
    parser.add_argument("--skip-published", action="store_true")
    parser.add_argument("--skip-simulation", action="store_true")
    args = parser.parse_args()
    if args.seeds:
        path = write_results(
            "mse_seeds", {"boot": args.boot, "spread": seed_spread(args.boot, args.seeds, args.seed_seconds)}
        )
        print(f"wrote {path}")
        return
    figures: dict[str, Any] = {}
    if not args.skip_published:
        figures["published"] = published(args.boot)
        ok = [r for r in figures["published"] if r["within_2_percent"]]
        print(f"within 2 %: {len(ok)} of {len(figures['published'])}")
    if not args.skip_simulation:
        figures["simulation"] = simulation(args.runs)
        if args.boot_runs:
            figures["simulation_bootstrap"] = simulation(args.boot_runs, boot=args.sim_boot, only=[0, 1])
    path = write_results("mse", figures)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
