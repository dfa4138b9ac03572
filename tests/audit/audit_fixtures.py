"""Synthetic signals for the audit and privacy tests (invented; no real person, number or text)."""

from __future__ import annotations

from datetime import date

from signaal.domain.signal import SignalCreate


def make_signal(n: int = 0, **overrides: object) -> SignalCreate:
    """A synthetic care signal with a narrative and two identifiers, varied by ``n``."""
    data: dict[str, object] = {
        "source_id": f"synthetic-{n}",
        "received_at": date(2026, 3, 2),
        "reporter_org": "org-a",
        "reporter_sector": "youth",
        "region": "Utrecht",
        "narrative": f"[synthetisch {n}] Zij heeft een veel oudere vriend die haar ophaalt.",
        "indicators": [{"indicator_id": "older_controlling_partner", "words": "veel oudere vriend"}],
        "forms": [{"form": "sexual"}],
        "persons": [{"role": "victim", "age": 16, "gender": "v", "residence": "dutch"}],
        "identifiers": [
            {"kind": "phone", "value": f"06 1234 {n:04d}"},
            {"kind": "plate", "value": f"xx-{100 + n}-b"},
        ],
    }
    data.update(overrides)
    return SignalCreate(**data)  # type: ignore[arg-type]
