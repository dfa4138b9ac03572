"""Trends and the monitor: speed on 10 years x 10,000 signals a year, and the named questions answered.

Prints and writes bench/results/trends.json:
- loading the synthetic registry (not part of the target), the full analytics build, an
  incremental refresh with nothing new and one after 1,000 new signals;
- the whole monitor report (refresh + tables + suppression + tests + HTML, PDF, CSV): target <= 30 s;
- every named question on the synthetic registry (whose structure is known: a fall to 2018, a
  jump in 2019, a COVID dip, more labour among RIEC signals, more Asian labour victims, fewer
  linked signals, fewer minors) and on a flat synthetic registry (where nothing changes);
- every named question on the published Dutch figures (../shared/data/nl-figures.csv).

Usage: python bench/trends_bench.py [--per-year 10000] [--years 10]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, shared_data, write_results

from signaal.analytics.figures import parse_figures
from signaal.analytics.models import scan_change_point
from signaal.analytics.questions import QUESTIONS, answer_question, series_answer
from signaal.analytics.synthetic import synthetic_signals, yearly_level
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalCreate
from signaal.knowledge import bundled
from signaal.services import analytics as service
from signaal.services.monitor import write_monitor
from signaal.services.signals import prepare_signal
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.signals import insert_signals

ANALYST = Actor("bench", "bench-org", Role.ANALYST)
POLICY = Actor("policy", "bench-org", Role.COORDINATOR)
TODAY = date(2030, 1, 1)


def load(store: Store, items: Any, batch: int = 5000) -> int:
    """Write synthetic signals to the registry in batches (validated like an import)."""
    catalogue, done, pending = store.catalogue, 0, []
    for item in items:
        pending.append(prepare_signal(catalogue, SignalCreate.model_validate(item), today=TODAY))
        if len(pending) >= batch:
            with store.session() as session:
                insert_signals(session, ANALYST, pending)
            done, pending = done + len(pending), []
    if pending:
        with store.session() as session:
            insert_signals(session, ANALYST, pending)
        done += len(pending)
    return done


def answers_on(store: Store, last: int) -> dict[str, Any]:
    out = {}
    for name in QUESTIONS:
        answer = service.ask(store, ANALYST, name, through=last, refresh=False)
        out[name] = answer.as_dict("en")
        print(f"\n[{name}] {answer.verdict}\n{answer.render_text('en')}")
    return out


def registry_run(folder: Path, first: int, last: int, per_year: int) -> dict[str, Any]:
    scale = sum(yearly_level(y, 1000) for y in range(first, last + 1)) / 1000
    base = math.ceil(per_year * (last - first + 1) / scale)
    settings = Settings(database_url=f"sqlite:///{folder / 'registry.db'}", analytics_dir=folder / "analytics")
    store = open_store(settings)
    figures: dict[str, Any] = {}
    try:
        t = time.perf_counter()
        figures["signals"] = load(store, synthetic_signals(first, last, per_year=base, seed=15))
        figures["load_seconds"] = round(time.perf_counter() - t, 1)
        print(
            f"registry: {figures['signals']:,} synthetic signals {first}-{last} loaded in {figures['load_seconds']} s"
        )
        build = service.refresh_analytics(store, ANALYST, full=True)
        figures["full_build_seconds"] = round(build.seconds, 2)
        figures["event_rows"] = build.rows
        idle = service.refresh_analytics(store, ANALYST)
        figures["refresh_nothing_new_seconds"] = round(idle.seconds, 2)
        load(store, synthetic_signals(last, last, per_year=1000, seed=99))
        more = service.refresh_analytics(store, ANALYST)
        figures["refresh_1000_new_seconds"] = round(more.seconds, 2)
        figures["refresh_1000_new_read"] = more.signals_read
        print(
            f"analytics: full build {build.seconds:.2f} s ({build.rows:,} rows); refresh with nothing new {idle.seconds:.2f} s; "
            f"after {more.signals_read:,} new signals {more.seconds:.2f} s"
        )
        t = time.perf_counter()
        files = write_monitor(store, POLICY, last, folder / "monitor", "nl")
        figures["monitor_report_seconds"] = round(time.perf_counter() - t, 2)
        figures["monitor_report_target_seconds"] = 30
        figures["monitor_csv_tables"] = len(files.csv)
        figures["monitor_html_kb"] = round(files.html.stat().st_size / 1024)
        figures["monitor_pdf_kb"] = round(files.pdf.stat().st_size / 1024)
        print(
            f"monitor report {last}: {figures['monitor_report_seconds']} s (target <= 30 s); {len(files.csv)} CSV tables, "
            f"HTML {figures['monitor_html_kb']} kB, PDF {figures['monitor_pdf_kb']} kB"
        )
        figures["answers"] = answers_on(store, last)
    finally:
        store.close()
    return figures


def flat_run(folder: Path) -> dict[str, str]:
    settings = Settings(database_url=f"sqlite:///{folder / 'flat.db'}", analytics_dir=folder / "flat-analytics")
    store = open_store(settings)
    try:
        load(store, synthetic_signals(2015, 2024, per_year=2000, seed=21, flat=True))
        service.refresh_analytics(store, ANALYST)
        verdicts = {name: service.ask(store, ANALYST, name, through=2024, refresh=False).verdict for name in QUESTIONS}
    finally:
        store.close()
    print(f"\nflat synthetic registry (no change built in): {verdicts}")
    return verdicts


def figures_run() -> dict[str, Any]:
    path = shared_data() / "nl-figures.csv"
    source = parse_figures(path.read_text(encoding="utf-8"), str(path))
    breaks = bundled().trend_breaks
    out: dict[str, Any] = {}
    print(f"\n=== published figures: {path}")
    for name in QUESTIONS:
        answer = answer_question(name, source, breaks)
        out[name] = answer.as_dict("en")
        print(f"\n[{name}] {answer.verdict}\n{answer.render_text('en')}")
    registered = source.series({})
    assert registered is not None
    blind = scan_change_point(registered)  # where would the data alone put a break?
    out["registered_total_scan_without_known_breaks"] = blind.as_dict()
    print(
        f"\n[scan of the registered total for one unknown level shift, known breaks left out] "
        f"most likely {blind.period} (x{blind.ratio:.2f}), Bonferroni-adjusted p = {blind.p:.3f}"
    )
    comensha = type(source)(source.values, source.notes, series_name="comensha")
    answer = series_answer(comensha, {}, breaks)
    out["comensha_registered_total"] = answer.as_dict("en")
    print(f"\n[CoMensha's own count, 2011-2020 with gaps] {answer.verdict}\n{answer.render_text('en')}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-year", type=int, default=10000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    last = 2024
    first = last - args.years + 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        registry = registry_run(folder, first, last, args.per_year)
        flat = flat_run(folder)
    published = figures_run()
    path = write_results(
        "trends",
        {
            "registry": registry,
            "flat_registry_verdicts": flat,
            "published_figures": published,
            "peak_rss_mb": round(peak_rss_mb()),
        },
    )
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
