"""Mann-Kendall test for a monotonic trend with Sen's slope, and its power where the answer is "no trend".

The test is Kendall's tau between time and count (scipy, tau-b with the tie correction); Sen's
slope and its interval come from scipy's Theil-Sen estimator. Power is simulated: counts with
the series' own level and over-dispersion and a known change per year, tested with Mann-Kendall's
normal approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from signaal.analytics.series import Series, period_time

__all__ = ["MIN_POINTS", "MannKendall", "mann_kendall", "trend_power"]

#: Fewer points than this get "too few points": with four points no two-sided p-value can go under 0.05.
MIN_POINTS = 5
ALPHA = 0.05
#: The change per year whose detection power is reported when no trend is found.
POWER_CHANGE = 0.05


@dataclass(frozen=True)
class MannKendall:
    """The outcome of a Mann-Kendall test (``p`` is None when there were too few points)."""

    n: int
    s: int
    tau: float | None
    p: float | None
    slope: float | None  # Sen's slope, counts per year
    slope_low: float | None
    slope_high: float | None
    relative_slope: float | None  # Sen's slope as a share of the median count
    power: float | None  # power to detect a POWER_CHANGE change per year, when no trend was found

    @property
    def too_few(self) -> bool:
        """Whether the series was too short for the test."""
        return self.p is None

    @property
    def direction(self) -> str:
        """ "up", "down" or "none" (at the 5 % level)."""
        if self.p is None or self.p >= ALPHA or self.tau is None:
            return "none"
        return "up" if self.tau > 0 else "down"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "test": "mann_kendall",
            "n": self.n,
            "s": self.s,
            "tau": self.tau,
            "p": self.p,
            "direction": self.direction,
            "sen_slope_per_year": self.slope,
            "sen_slope_interval": [self.slope_low, self.slope_high] if self.slope is not None else None,
            "relative_slope_per_year": self.relative_slope,
            "power_at_5pct_per_year": self.power,
        }


def _s_statistic(y: np.ndarray) -> int:
    diff = np.sign(y[None, :] - y[:, None])
    return int(np.triu(diff, 1).sum())


def mann_kendall(series: Series, *, power: bool = True, seed: int = 15) -> MannKendall:
    """Mann-Kendall test and Sen's slope (per year) of a count series; "too few points" under MIN_POINTS."""
    y = np.asarray(series.counts, dtype=float)
    if series.exposure is not None:
        y = y / np.asarray(series.exposure) * float(np.mean(series.exposure))
    n = len(y)
    if n < MIN_POINTS or np.all(y == y[0]):
        return MannKendall(n, 0, None, None, None, None, None, None, None)
    t = np.array([period_time(p) for p in series.periods])
    tau, p = stats.kendalltau(t, y)
    sen = stats.theilslopes(y, t, alpha=0.95)
    median = float(np.median(y))
    relative = float(sen.slope) / median if median > 0 else None
    result = MannKendall(
        n=n,
        s=_s_statistic(y),
        tau=float(tau),
        p=float(p),
        slope=float(sen.slope),
        slope_low=float(sen.low_slope),
        slope_high=float(sen.high_slope),
        relative_slope=relative,
        power=None,
    )
    if power and result.direction == "none":
        return MannKendall(**{**result.__dict__, "power": trend_power(series, POWER_CHANGE, seed=seed)})
    return result


def _dispersion(y: np.ndarray, t: np.ndarray) -> float:
    """NB2 over-dispersion alpha from a log-linear fit's Pearson residuals (0 for Poisson-like data)."""
    slope, intercept = np.polyfit(t - t.mean(), np.log(np.maximum(y, 0.5)), 1)
    mu = np.exp(intercept + slope * (t - t.mean()))
    df = max(len(y) - 2, 1)
    phi = float(np.sum((y - mu) ** 2 / mu) / df)
    return max(0.0, (phi - 1.0) / float(np.mean(mu)))


def trend_power(series: Series, change: float, *, runs: int = 2000, seed: int = 15) -> float:
    """Share of simulated series (this series' length, level and dispersion, a ``change`` per year) the test flags."""
    y = np.asarray(series.counts, dtype=float)
    t = np.array([period_time(p) for p in series.periods])
    level = max(float(np.mean(y)), 0.5)
    alpha = _dispersion(y, t)
    rng = np.random.default_rng(seed)
    mu = level * (1.0 - change) ** (t - t.mean())
    if alpha > 0:
        sims = rng.poisson(rng.gamma(1.0 / alpha, mu * alpha, size=(runs, len(t))))
    else:
        sims = rng.poisson(mu, size=(runs, len(t)))
    # Mann-Kendall's S for every run at once, with the normal approximation (ties not corrected,
    # which overstates the variance a little: the power reported errs on the low side).
    order = np.argsort(t)
    sims = sims[:, order]
    i, j = np.triu_indices(len(t), 1)
    s = np.sign(sims[:, j] - sims[:, i]).sum(axis=1)
    n = len(t)
    sd = math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    z = (s + np.where(s > 0, -1, np.where(s < 0, 1, 0))) / sd
    p = 2 * stats.norm.sf(np.abs(z))
    return float(np.mean((p < ALPHA) & (s < 0)))
