"""Log-linear count models: a trend with dummies for known breaks, and a scan for an unknown change point.

Counts are modelled with a Poisson GLM (statsmodels) with a log link, a linear time trend, an
offset log(denominator) where one exists, month-of-year terms for monthly series, and the
over-dispersion taken up by the Pearson scale (quasi-Poisson; never below 1). Tests between
nested models are F tests on the deviance, which hold up on the short series a monitor has.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats

from signaal.analytics.series import Series, period_bounds, period_time
from signaal.catalogue.monitoring import TrendBreak

__all__ = ["BreakEffect", "BreakModel", "ChangePoint", "break_dummy", "fit_breaks", "scan_change_point"]


def _exp(value: float) -> float:
    """exp() kept finite: an inestimable coefficient must not overflow into inf."""
    return float(np.exp(np.clip(value, -50.0, 50.0)))


def _months(start: tuple[int, int], end: tuple[int, int]) -> int:
    return (end[0] - start[0]) * 12 + end[1] - start[1] + 1


def break_dummy(brk: TrendBreak, period: str) -> float:
    """The share of a period that lies inside a break (0 before it; 1 for a step once it has started)."""
    first, last = period_bounds(period)
    stop = brk.end if brk.kind == "temporary" and brk.end is not None else (9999, 12)
    lo = max(first, brk.start)
    hi = min(last, stop)
    if lo > hi:
        return 0.0
    return _months(lo, hi) / _months(first, last)


@dataclass(frozen=True)
class _Fit:
    deviance: float
    df_resid: int
    params: np.ndarray
    bse: np.ndarray
    scale: float


def _design(series: Series, extra: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    t = np.array([period_time(p) for p in series.periods])
    columns = [np.ones_like(t), t - t.mean()]
    if series.monthly and len(series.periods) >= 24:
        months = np.array([int(p[5:7]) for p in series.periods])
        columns += [(months == m).astype(float) for m in range(2, 13)]
    columns += extra
    offset = np.log(np.asarray(series.exposure, dtype=float)) if series.exposure is not None else None
    return np.column_stack(columns), np.asarray(series.counts, dtype=float), offset


def _fit(y: np.ndarray, x: np.ndarray, offset: np.ndarray | None) -> _Fit:
    model = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset)
    with warnings.catch_warnings():
        # A break with no counts on one side cannot be estimated; its interval shows that, not a warning.
        warnings.simplefilter("ignore")
        result = model.fit()
    df = int(result.df_resid)
    scale = max(1.0, float(result.pearson_chi2) / df) if df > 0 else 1.0
    return _Fit(float(result.deviance), df, np.asarray(result.params), np.asarray(result.bse) * np.sqrt(scale), scale)


def _f_test(reduced: _Fit, full: _Fit, extra: int) -> float | None:
    if full.df_resid < 1:
        return None
    f = max(reduced.deviance - full.deviance, 0.0) / extra / full.scale
    return float(stats.f.sf(f, extra, full.df_resid))


@dataclass(frozen=True)
class BreakEffect:
    """The estimated level change at one known break: a rate ratio with its interval and p-value."""

    id: str
    ratio: float
    low: float
    high: float
    p: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"break": self.id, "rate_ratio": self.ratio, "interval": [self.low, self.high], "p": self.p}


@dataclass(frozen=True)
class BreakModel:
    """A trend model with known breaks, compared with one smooth trend."""

    n: int
    trend: float | None  # change per year (0.05 = +5 %), with breaks in the model
    trend_low: float | None
    trend_high: float | None
    trend_p: float | None
    breaks: tuple[BreakEffect, ...]
    left_out: tuple[str, ...]  # breaks inside the series the data could not estimate
    breaks_p: float | None  # F test: all breaks together vs one smooth trend
    dispersion: float
    reason: str | None = None  # why no model was fitted

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "test": "poisson_breaks",
            "n": self.n,
            "trend_per_year": self.trend,
            "trend_interval": [self.trend_low, self.trend_high] if self.trend is not None else None,
            "trend_p": self.trend_p,
            "breaks": [b.as_dict() for b in self.breaks],
            "breaks_not_estimated": list(self.left_out),
            "breaks_vs_smooth_p": self.breaks_p,
            "dispersion": self.dispersion,
            "reason": self.reason,
        }


def _usable_breaks(
    series: Series, breaks: tuple[TrendBreak, ...]
) -> tuple[list[tuple[TrendBreak, np.ndarray]], list[str]]:
    chosen: list[tuple[TrendBreak, np.ndarray]] = []
    left_out: list[str] = []
    n = len(series.periods)
    room = n - 2 - (11 if series.monthly and n >= 24 else 0) - 2  # keep two residual degrees of freedom
    for brk in breaks:
        if not brk.applies_to(series.filters):
            continue
        column = np.array([break_dummy(brk, p) for p in series.periods])
        inside, outside = int(np.sum(column > 0)), int(np.sum(column == 0))
        if inside == 0 or outside == 0:
            continue  # the break lies outside the series (or covers all of it)
        duplicate = any(np.allclose(column, c) for _, c in chosen)
        if inside < 1 or outside < 2 or len(chosen) >= room or duplicate:
            left_out.append(brk.id)
            continue
        chosen.append((brk, column))
    return chosen, left_out


def fit_breaks(series: Series, breaks: tuple[TrendBreak, ...]) -> BreakModel:
    """Fit trend + known breaks (that apply to the series and lie inside it) and test them against a smooth trend."""
    n = len(series.periods)
    if n < 5:
        return BreakModel(n, None, None, None, None, (), (), None, 1.0, reason="too few points")
    chosen, left_out = _usable_breaks(series, breaks)
    x, y, offset = _design(series, [c for _, c in chosen])
    while chosen and np.linalg.matrix_rank(x) < x.shape[1]:  # a break that is a sum of others
        left_out.append(chosen.pop()[0].id)
        x, y, offset = _design(series, [c for _, c in chosen])
    if np.sum(y) == 0:
        return BreakModel(n, None, None, None, None, (), tuple(left_out), None, 1.0, reason="no counts")
    full = _fit(y, x, offset)
    crit = float(stats.t.ppf(0.975, max(full.df_resid, 1)))
    base = x.shape[1] - len(chosen)
    effects = []
    for i, (brk, _) in enumerate(chosen):
        j = base + i
        reduced = _fit(y, np.delete(x, j, axis=1), offset)
        b, se = full.params[j], full.bse[j]
        effects.append(
            BreakEffect(
                brk.id,
                _exp(b),
                _exp(b - crit * se),
                _exp(b + crit * se),
                _f_test(reduced, full, 1),
            )
        )
    smooth = _fit(y, x[:, :base], offset)
    trend_reduced = _fit(y, np.delete(x, 1, axis=1), offset)
    b, se = full.params[1], full.bse[1]
    return BreakModel(
        n=n,
        trend=_exp(b) - 1,
        trend_low=_exp(b - crit * se) - 1,
        trend_high=_exp(b + crit * se) - 1,
        trend_p=_f_test(trend_reduced, full, 1),
        breaks=tuple(effects),
        left_out=tuple(left_out),
        breaks_p=_f_test(smooth, full, len(chosen)) if chosen else None,
        dispersion=full.scale,
    )


@dataclass(frozen=True)
class ChangePoint:
    """The most likely further level shift in a series beyond its known breaks, with a conservative p-value."""

    n: int
    period: str | None  # first period after the change
    p: float | None  # Bonferroni-adjusted over the candidate periods
    ratio: float | None  # level just after vs the earlier trend carried forward
    trend: float | None  # change per year of the trend it shifts from
    candidates: int
    reason: str | None = None

    @property
    def found(self) -> bool:
        """Whether a change is significant at the 5 % level."""
        return self.p is not None and self.p < 0.05

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "test": "change_point_scan",
            "n": self.n,
            "period": self.period,
            "p_adjusted": self.p,
            "found": self.found,
            "level_ratio": self.ratio,
            "trend_per_year": self.trend,
            "candidates": self.candidates,
            "reason": self.reason,
        }


def scan_change_point(series: Series, breaks: tuple[TrendBreak, ...] = ()) -> ChangePoint:
    """Scan every admissible period for one more level shift beyond the known breaks; F test against the model without it."""
    n = len(series.periods)
    segment = 3 if n >= 12 else 2
    candidates = list(range(segment, n - segment + 1))
    known = [column for _, column in _usable_breaks(series, breaks)[0]]
    x0, y, offset = _design(series, known)
    if n < 7 or not candidates or np.sum(y) == 0:
        return ChangePoint(n, None, None, None, None, 0, reason="too few points")
    base = _fit(y, x0, offset)
    best: tuple[float, int, _Fit] | None = None
    for k in candidates:
        step = (np.arange(n) >= k).astype(float)
        if any(np.allclose(step, column) for column in known) or x0.shape[1] + 1 > n - 2:
            continue  # a known break already there, or no room left
        x = np.column_stack([x0, step])
        if np.linalg.matrix_rank(x) < x.shape[1]:
            continue  # the shift is a sum of known breaks
        full = _fit(y, x, offset)
        p = _f_test(base, full, 1)
        if p is not None and (best is None or p < best[0]):
            best = (p, k, full)
    if best is None:
        return ChangePoint(n, None, None, None, None, len(candidates), reason="too few points")
    p, k, full = best
    trend = _exp(full.params[1]) - 1
    return ChangePoint(
        n=n,
        period=series.periods[k],
        p=min(1.0, p * len(candidates)),
        ratio=_exp(full.params[-1]),
        trend=trend,
        candidates=len(candidates),
    )
