"""Catalogue figures: load time, region-resolution speed and hit rate, and catalogue coverage.

Run: .venv/bin/python bench/catalogue_regions.py   (writes bench/results/catalogue_regions.json)
"""

from __future__ import annotations

import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import peak_rss_mb, write_results
from signaal.catalogue import DELPHI_DIMENSIONS, DELPHI_LISTS, DELPHI_STRENGTHS
from signaal.knowledge import Knowledge


def strip_accents(text: str) -> str:
    """The text without diacritics, as people type it on a phone."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def main() -> None:
    """Measure and print the figures, then write them to the results file."""
    load_ms = []
    for _ in range(7):
        start = time.perf_counter()
        cat = Knowledge.read().catalogue  # a new loader each time: the files read, parsed and validated
        load_ms.append((time.perf_counter() - start) * 1000)

    queries: list[tuple[str, str | None]] = []
    for mun in cat.municipalities.values():
        for label in (mun.name, *mun.aliases):
            queries += [(label, mun.id), (label.upper(), mun.id), (strip_accents(label).lower(), mun.id)]
    for unit in cat.police_units.values():
        queries += [(unit.id, None), (unit.nl, None), (unit.riec, None)]
    hits = sum(1 for text, _ in queries if cat.resolve_region(text) is not None)
    right = sum(
        1
        for text, expected in queries
        if expected is not None and (ref := cat.resolve_region(text)) and ref.municipality == expected
    )
    expected_municipal = sum(1 for _, expected in queries if expected is not None)

    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text, _ in queries:
            cat.resolve_region(text)
    per_second = rounds * len(queries) / (time.perf_counter() - start)

    delphi = {
        list_id: {
            dim: {
                s: sum(
                    1
                    for ind in cat.indicators.values()
                    for ref in ind.delphi_in(list_id)
                    if ref.dimension == dim and ref.strength == s
                )
                for s in DELPHI_STRENGTHS
            }
            for dim in DELPHI_DIMENSIONS
        }
        for list_id in DELPHI_LISTS
    }
    figures = {
        "load_ms_median": round(statistics.median(load_ms), 2),
        "load_ms_min": round(min(load_ms), 2),
        "indicators": len(cat.indicators),
        "indicators_with_delphi": sum(1 for i in cat.indicators.values() if i.delphi),
        "sectors": len(cat.sectors),
        "municipalities": len(cat.municipalities),
        "care_regions": len(cat.care_regions),
        "police_units": len(cat.police_units),
        "resolve_queries": len(queries),
        "resolve_hit_rate": round(hits / len(queries), 4),
        "resolve_municipality_correct_rate": round(right / expected_municipal, 4),
        "resolve_per_second": round(per_second),
        "delphi_items_per_list_dimension_strength": delphi,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    for key, value in figures.items():
        if key != "delphi_items_per_list_dimension_strength":
            print(f"{key}: {value}")
    path = write_results("catalogue_regions", figures)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
