"""Seeded synthetic signals with a known structure over the years, for the tests and the benchmark.

Clearly synthetic (source ids "synthetic-…", no narrative). The structure is what the monitor must
find: a fall to 2018, a jump with asylum-route reporting in 2019, a COVID dip, fewer reports from care after the GDPR, a rising share of
labour among RIEC signals, more labour victims from Asia, and a falling share of linked
("organised") signals. ``flat=True`` gives the same mix with no change at all, for checking that
the tests stay quiet.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

__all__ = ["synthetic_signals", "yearly_level"]

_SECTORS = (("care", 14), ("youth", 10), ("education", 5), ("municipality", 9), ("police", 22), ("labour_inspectorate", 12),
            ("kmar", 4), ("riec", 8), ("ngo", 10), ("citizen", 6))  # fmt: skip
_PLACES = ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Breda", "Nijmegen",
           "Arnhem", "Haarlem", "Enschede", "Maastricht", "Zwolle", "Middelburg", "Leeuwarden")  # fmt: skip
_ORIGIN = {
    "nl": ("Nederlandse",),
    "eu": ("Poolse", "Roemeense", "Bulgaarse", "Hongaarse"),
    "asia": ("Vietnamese", "Filipijnse", "Indiase", "Chinese", "Oezbeekse", "Kirgizische"),
    "other": ("Nigeriaanse", "Oekraïense", "Colombiaanse", "Marokkaanse", "Eritrese"),
}


def yearly_level(year: int, base: int, *, flat: bool = False) -> int:
    """The expected number of signals in a year under the synthetic structure."""
    if flat:
        return base
    level = base * (0.9 ** max(0, min(year, 2018) - 2015))
    if year >= 2019:
        level *= 1.5 * 0.97 ** (year - 2019)
    if year in (2020, 2021):
        level *= 0.8
    return round(level)


def synthetic_signals(
    first: int = 2015, last: int = 2024, per_year: int = 1000, *, seed: int = 15, flat: bool = False
) -> Iterator[dict[str, Any]]:
    """Yield SignalCreate-shaped dicts (with persons, forms and identifiers) for each year."""
    rng = random.Random(seed)
    sectors, weights = zip(*_SECTORS, strict=True)
    gdpr_weights = tuple(w * 0.35 if s == "care" else w for s, w in _SECTORS)
    for year in range(first, last + 1):
        t = 0.0 if flat else (year - first) / max(1, last - first)
        count = yearly_level(year, per_year, flat=flat)
        hubs = [f"+3161{rng.randrange(10**6, 10**7)}" for _ in range(max(2, count // 50))]
        for number in range(count):
            received = date(year, rng.randrange(1, 13), rng.randrange(1, 29))
            # After the GDPR (May 2018) care organisations report about a third as often.
            gdpr = not flat and received >= date(2018, 5, 1)
            sector = rng.choices(sectors, gdpr_weights if gdpr else weights)[0]
            labour_p = (0.45 if flat else 0.5 + 0.25 * t) if sector == "riec" else 0.3
            form = "labour" if rng.random() < labour_p else rng.choice(("sexual", "sexual", "criminal", "other"))
            forms = [form] + (["criminal"] if form == "labour" and rng.random() < 0.1 else [])
            origin = rng.choices(("nl", "eu", "asia", "other"), (40, 25, 8 + (12 * t if form == "labour" else 0), 20))[
                0
            ]
            age = rng.randrange(13, 18) if rng.random() < 0.2 - 0.08 * t else rng.randrange(18, 60)
            organised = rng.random() < 0.3 - 0.15 * t
            item: dict[str, Any] = {
                "received_at": received,
                "reporter_org": f"synthetic-{sector}-{rng.randrange(1, 4)}",
                "reporter_sector": sector,
                "region": rng.choice(_PLACES),
                "source_id": f"synthetic-{seed}-{year}-{number}",
                "forms": [{"form": f} for f in dict.fromkeys(forms)],
                "persons": [
                    {
                        "role": "victim",
                        "age": age if rng.random() < 0.9 else None,
                        "gender": rng.choice(("v", "m")),
                        "nationality": rng.choice(_ORIGIN[origin]) if rng.random() < 0.92 else None,
                    }
                ],
                "identifiers": [{"kind": "phone", "value": rng.choice(hubs)}] if organised else [],
            }
            yield item
