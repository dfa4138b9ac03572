"""Composition: shares (labour among RIEC signals, non-EU among victims) and distributions (age bands) over time.

A share gets a Wilson interval per period, a logistic trend (binomial GLM, over-dispersion taken
up by the Pearson scale) with an odds ratio per year, and the first-to-last difference with
Newcombe's interval. A distribution gets a chi-square test of homogeneity across periods and the
Gini-Simpson diversity per period with a bootstrap interval for its change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats

from signaal.analytics.series import ShareSeries, period_time

__all__ = [
    "Diversity",
    "ShareTest",
    "ShareTrend",
    "diversity_shift",
    "newcombe",
    "share_test",
    "share_trend",
    "wilson",
]

Z = 1.959963984540054


def wilson(part: int, whole: int) -> tuple[float, float]:
    """Wilson 95 % interval of a proportion (0, 1 for an empty whole)."""
    if whole == 0:
        return 0.0, 1.0
    p = part / whole
    denom = 1 + Z * Z / whole
    centre = (p + Z * Z / (2 * whole)) / denom
    half = Z * math.sqrt(p * (1 - p) / whole + Z * Z / (4 * whole * whole)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ShareTest:
    """One share with its interval, tested against a reference share (e.g. "mostly" = above 50 %)."""

    part: int
    whole: int
    share: float | None
    low: float
    high: float
    reference: float
    p_above: float | None  # one-sided exact binomial p-value that the share exceeds the reference

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "test": "binomial_share",
            "part": self.part,
            "whole": self.whole,
            "share": self.share,
            "interval": [self.low, self.high],
            "reference": self.reference,
            "p_above_reference": self.p_above,
        }


def share_test(part: int, whole: int, reference: float = 0.5) -> ShareTest:
    """A share with its Wilson interval and an exact one-sided test that it is above ``reference``."""
    low, high = wilson(part, whole)
    p = float(stats.binomtest(part, whole, reference, alternative="greater").pvalue) if whole else None
    return ShareTest(part, whole, part / whole if whole else None, low, high, reference, p)


@dataclass(frozen=True)
class ShareTrend:
    """The trend of a share over periods."""

    n: int
    odds_ratio: float | None  # per year
    low: float | None
    high: float | None
    p: float | None
    first: str | None
    last: str | None
    difference: float | None  # last share minus first share
    diff_low: float | None
    diff_high: float | None
    homogeneity_p: float | None  # chi-square: the share is the same in every period
    reason: str | None = None
    power: float | None = None  # power to see the odds change by POWER_ODDS a year, when no trend was found

    @property
    def direction(self) -> str:
        """ "up", "down" or "none" at the 5 % level."""
        if self.p is None or self.p >= 0.05 or self.odds_ratio is None:
            return "none"
        return "up" if self.odds_ratio > 1 else "down"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "test": "share_trend",
            "n": self.n,
            "odds_ratio_per_year": self.odds_ratio,
            "interval": [self.low, self.high] if self.odds_ratio is not None else None,
            "p": self.p,
            "direction": self.direction,
            "first": self.first,
            "last": self.last,
            "difference_last_minus_first": self.difference,
            "difference_interval": [self.diff_low, self.diff_high] if self.difference is not None else None,
            "homogeneity_p": self.homogeneity_p,
            "reason": self.reason,
            "power_at_10pct_odds_per_year": self.power,
        }


#: The change in the odds per year whose detection power is reported when a share shows no trend.
POWER_ODDS = 0.10


def share_power(
    whole: np.ndarray, t: np.ndarray, share: float, scale: float, *, runs: int = 2000, seed: int = 15
) -> float:
    """Share of simulated series (these wholes, this share, the odds changing POWER_ODDS a year) a trend test flags.

    Simulated with binomial counts on wholes shrunk by the over-dispersion and tested with the
    Cochran-Armitage trend test, which agrees with the logistic trend's test on such data.
    """
    rng = np.random.default_rng(seed)
    n = np.maximum(np.round(whole / max(scale, 1.0)), 1).astype(int)
    centred = t - t.mean()
    logit = math.log(share / (1 - share)) + math.log(1 + POWER_ODDS) * centred
    p = 1 / (1 + np.exp(-logit))
    x = rng.binomial(n, p, size=(runs, len(n)))
    total = n.sum()
    pooled = x.sum(axis=1) / total
    stat = (x * centred).sum(axis=1) - pooled * (n * centred).sum()
    var = pooled * (1 - pooled) * ((n * centred**2).sum() - (n * centred).sum() ** 2 / total)
    z = np.divide(stat, np.sqrt(var), out=np.zeros_like(stat, dtype=float), where=var > 0)
    return float(np.mean(np.abs(z) > Z))


def newcombe(a: int, n1: int, b: int, n2: int) -> tuple[float, float, float]:
    """The difference b/n2 - a/n1 with Newcombe's hybrid Wilson 95 % interval."""
    p1, p2 = a / n1, b / n2
    l1, u1 = wilson(a, n1)
    l2, u2 = wilson(b, n2)
    d = p2 - p1
    return d, d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def share_trend(share: ShareSeries, *, min_points: int = 3) -> ShareTrend:
    """Logistic trend of a share, the first-to-last difference and a homogeneity test."""
    keep = [i for i, w in enumerate(share.whole) if w > 0]
    n = len(keep)
    if n < min_points:
        return ShareTrend(n, None, None, None, None, None, None, None, None, None, None, reason="too few points")
    part = np.array([share.part[i] for i in keep], dtype=float)
    whole = np.array([share.whole[i] for i in keep], dtype=float)
    t = np.array([period_time(share.periods[i]) for i in keep])
    i0, i1 = keep[0], keep[-1]
    diff = newcombe(share.part[i0], share.whole[i0], share.part[i1], share.whole[i1])
    table = np.column_stack([part, whole - part])
    cols = table.sum(axis=0)
    homogeneity = float(stats.chi2_contingency(table)[1]) if np.all(cols > 0) else None
    if cols[0] == 0 or cols[1] == 0:
        return ShareTrend(
            n,
            None,
            None,
            None,
            None,
            share.periods[i0],
            share.periods[i1],
            *diff,
            homogeneity,
            reason="share is 0 or 1 throughout",
        )
    x = np.column_stack([np.ones_like(t), t - t.mean()])
    result = sm.GLM(table, x, family=sm.families.Binomial()).fit()
    df = int(result.df_resid)
    scale = max(1.0, float(result.pearson_chi2) / df) if df > 0 else 1.0
    b, se = float(result.params[1]), float(result.bse[1]) * math.sqrt(scale)
    crit = float(stats.t.ppf(0.975, max(df, 1))) if scale > 1 else Z
    z = b / se if se > 0 else 0.0
    p = float(2 * stats.t.sf(abs(z), max(df, 1))) if scale > 1 else float(2 * stats.norm.sf(abs(z)))
    pooled = float(part.sum() / whole.sum())
    power = share_power(whole, t, pooled, scale) if p >= 0.05 else None
    return ShareTrend(
        n=n,
        power=power,
        odds_ratio=math.exp(b),
        low=math.exp(b - crit * se),
        high=math.exp(b + crit * se),
        p=p,
        first=share.periods[i0],
        last=share.periods[i1],
        difference=diff[0],
        diff_low=diff[1],
        diff_high=diff[2],
        homogeneity_p=homogeneity,
    )


@dataclass(frozen=True)
class Diversity:
    """How a distribution (e.g. over age bands) changes: homogeneity test and Gini-Simpson diversity."""

    periods: tuple[str, ...]
    categories: tuple[str, ...]
    index: tuple[float | None, ...]  # Gini-Simpson diversity per period
    change: float | None  # last minus first
    change_low: float | None
    change_high: float | None
    homogeneity_p: float | None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "test": "distribution_shift",
            "periods": list(self.periods),
            "categories": list(self.categories),
            "gini_simpson": list(self.index),
            "change_last_minus_first": self.change,
            "change_interval": [self.change_low, self.change_high] if self.change is not None else None,
            "homogeneity_p": self.homogeneity_p,
            "reason": self.reason,
        }


def _gini_simpson(counts: np.ndarray) -> np.ndarray:
    totals = counts.sum(axis=-1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts, dtype=float), where=totals > 0)
    return np.asarray(1.0 - np.sum(shares**2, axis=-1))


def diversity_shift(
    periods: tuple[str, ...], categories: tuple[str, ...], counts: list[list[int]], *, runs: int = 1000, seed: int = 15
) -> Diversity:
    """Test whether a distribution over categories changes across periods, and how its diversity moves."""
    table = np.asarray(counts, dtype=float)  # periods x categories
    keep_rows = table.sum(axis=1) > 0
    keep_cols = table.sum(axis=0) > 0
    index = tuple(float(v) if k else None for v, k in zip(_gini_simpson(table), keep_rows, strict=True))
    if keep_rows.sum() < 2 or keep_cols.sum() < 2:
        return Diversity(periods, categories, index, None, None, None, None, reason="too few points")
    used = table[keep_rows][:, keep_cols]
    homogeneity = float(stats.chi2_contingency(used)[1])
    first, last = used[0], used[-1]
    rng = np.random.default_rng(seed)
    sims_first = rng.multinomial(int(first.sum()), first / first.sum(), size=runs)
    sims_last = rng.multinomial(int(last.sum()), last / last.sum(), size=runs)
    changes = _gini_simpson(sims_last.astype(float)) - _gini_simpson(sims_first.astype(float))
    change = float(_gini_simpson(last) - _gini_simpson(first))
    low, high = (float(v) for v in np.percentile(changes, [2.5, 97.5]))
    return Diversity(periods, categories, index, change, low, high, homogeneity)
