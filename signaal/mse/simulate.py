"""Simulated populations of known size, for checking bias and interval coverage of the estimates.

Each person has a stratum and a latent catchability; each list catches a person with probability
``logistic(base[list] + stratum_shift[stratum, list] + spread * u)`` where ``u`` is standard
normal (heterogeneous catch); a *referral* ``(a, b, p)`` makes list ``b`` also catch, with
probability ``p``, persons that list ``a`` caught (list dependence, as when the police refer
persons to care). Everything is vectorised over persons; the random generator is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from signaal.mse.table import CaptureTable

__all__ = ["Scenario", "simulate"]


@dataclass(frozen=True)
class Scenario:
    """A population and the lists that try to see it."""

    name: str
    size: int
    base: tuple[float, ...]
    spread: float = 0.0
    strata: tuple[float, ...] = (1.0,)
    stratum_shift: tuple[tuple[float, ...], ...] = ()
    referrals: tuple[tuple[int, int, float], ...] = ()
    notes: str = field(default="")

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self.base)


def simulate(scenario: Scenario, rng: np.random.Generator) -> list[CaptureTable]:
    """One draw of the lists' catch: a table per stratum (one table when there are no strata)."""
    t = scenario.n_lists
    weights = np.asarray(scenario.strata, dtype=float)
    stratum = rng.choice(weights.size, size=scenario.size, p=weights / weights.sum())
    shift = np.asarray(scenario.stratum_shift or [[0.0] * t] * weights.size, dtype=float)
    u = rng.standard_normal(scenario.size)
    logits = np.asarray(scenario.base)[None, :] + shift[stratum] + scenario.spread * u[:, None]
    caught = rng.random((scenario.size, t)) < 1 / (1 + np.exp(-logits))
    for source, target, prob in scenario.referrals:
        caught[:, target] |= caught[:, source] & (rng.random(scenario.size) < prob)
    masks = caught.astype(np.int64) @ (1 << np.arange(t))
    names = tuple(chr(ord("A") + i) for i in range(t))
    tables = []
    for s in range(weights.size):
        counts = np.bincount(masks[stratum == s], minlength=2**t).astype(np.int64)
        counts[0] = 0
        tables.append(CaptureTable(names, counts, f"s{s}" if weights.size > 1 else None))
    return tables
