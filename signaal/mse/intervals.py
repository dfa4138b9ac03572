"""95 % intervals for the population: Wald on the log of the unseen, profile likelihood, BCa bootstrap.

- **Wald** (SparseMSE ``estimatepopulation.0``): ``observed + exp(intercept +- z * se)``;
  conditional on the model.
- **Profile likelihood** (Rcapture ``closedpCI.t``, Cormack 1992): the multinomial likelihood of
  the table plus an unseen cell of ``N - n`` persons, maximised over the model for each ``N``; the
  interval holds every ``N`` whose log-likelihood is within ``chi2(1, 0.95) / 2`` of the best.
  Conditional on the model.
- **BCa bootstrap** (SparseMSE ``estimatepopulation``; DiCiccio & Efron 1996): resample the
  observed persons (multinomial over the cells), repeat the whole estimation including model
  selection on each replicate, and correct the percentiles for bias and for skewness (the
  acceleration, from a delete-one-person jackknife). Seeded, so a run can be repeated exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2, norm

from signaal.mse.fit import Fit, _newton, design

__all__ = ["Bootstrap", "bca_interval", "bootstrap", "profile_interval", "wald_interval"]

LEVEL = 0.95
#: The upper profile bound is looked for up to this multiple of the estimate.
PROFILE_REACH = 1000.0


def wald_interval(fit: Fit, level: float = LEVEL) -> tuple[float, float]:
    """Wald interval on the log of the unseen count (needs a fit with the intercept's standard error)."""
    z = float(norm.ppf(0.5 + level / 2))
    log_unseen = float(np.log(fit.unseen))
    return (
        fit.observed + float(np.exp(log_unseen - z * fit.intercept_se)),
        fit.observed + float(np.exp(log_unseen + z * fit.intercept_se)),
    )


def _profile_loglik(fit: Fit, counts: NDArray[np.int64], population: NDArray[np.float64]) -> NDArray[np.float64]:
    """Multinomial profile log-likelihood of each total ``population`` under the fit's model."""
    free = tuple(m for m in fit.model.parameters if m not in fit.boundary)
    x = np.vstack([design(fit.model.n_lists, free)[fit.kept - 1], np.eye(1, len(free) + 1)])
    y_obs = counts[fit.kept].astype(float)
    unseen = np.maximum(population - fit.observed, 0.0)
    y = np.column_stack([np.tile(y_obs, (unseen.size, 1)), unseen])
    beta, _ = _newton(x, y)
    mu = np.exp(np.clip(beta @ x.T, -700, 700))
    total = y.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(mu / total[:, None]), 0.0)
    return np.asarray(gammaln(total + 1) - gammaln(y + 1).sum(axis=1) + terms.sum(axis=1), dtype=float)


def profile_interval(fit: Fit, counts: NDArray[np.int64], level: float = LEVEL) -> tuple[float, float, list[str]]:
    """Profile-likelihood interval for the population, with notes where a bound is at its limit."""
    notes: list[str] = []
    n = float(fit.observed)

    def loglik(value: float) -> float:
        return float(_profile_loglik(fit, counts, np.array([value]))[0])

    grid = n + (fit.unseen + 1.0) * np.concatenate(
        [np.linspace(0.0, 3.0, 61)[1:], np.geomspace(3.0, PROFILE_REACH, 40)[1:]]
    )
    values = _profile_loglik(fit, counts, grid)
    best = int(np.nanargmax(values))
    lo_b, hi_b = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    peak = minimize_scalar(
        lambda v: -loglik(v), bounds=(min(lo_b, n + 1e-9), hi_b), method="bounded", options={"xatol": 1e-4}
    )
    top = -float(peak.fun)
    cut = top - float(chi2.ppf(level, 1)) / 2

    def gap(value: float) -> float:
        return loglik(value) - cut

    if gap(n) >= 0:
        lower = n
        notes.append("the lower profile bound is the number observed")
    else:
        lower = brentq(gap, n, float(peak.x), xtol=1e-6)
    above = np.flatnonzero((values < cut) & (grid > peak.x))
    if above.size == 0:
        upper = float("inf")
        notes.append(f"the upper profile bound lies beyond {PROFILE_REACH:g} times the estimate")
    else:
        upper = brentq(gap, float(peak.x), float(grid[above[0]]), xtol=1e-6)
    return float(lower), float(upper), notes


@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap replicates of the population estimate, with the jackknife acceleration."""

    replicates: NDArray[np.float64]
    acceleration: float
    failed: int


def bootstrap(
    counts: NDArray[np.int64],
    estimator: Callable[[NDArray[np.int64]], NDArray[np.float64]],
    n_boot: int,
    seed: int,
) -> Bootstrap:
    """Resample persons ``n_boot`` times and apply ``estimator`` (batch of count vectors -> estimates)."""
    rng = np.random.default_rng(seed)
    n = int(counts.sum())
    samples = rng.multinomial(n, counts / n, size=n_boot).astype(np.int64)
    estimates = np.asarray(estimator(samples), dtype=float)
    cells = np.flatnonzero(counts > 0)
    jack = np.repeat(counts[None, :], cells.size, axis=0)
    jack[np.arange(cells.size), cells] -= 1
    jack_estimates = np.asarray(estimator(jack), dtype=float)
    usable = np.isfinite(jack_estimates)
    weights = counts[cells][usable].astype(float)
    jack_estimates = jack_estimates[usable]
    acceleration = 0.0
    if weights.sum() > 0:
        resid = np.sum(weights * jack_estimates) / weights.sum() - jack_estimates
        denom = 6 * np.sum(weights * resid**2) ** 1.5
        acceleration = float(np.sum(weights * resid**3) / denom) if denom > 0 else 0.0
    finite = np.isfinite(estimates)
    return Bootstrap(estimates[finite], acceleration, int((~finite).sum()))


def bca_interval(boot: Bootstrap, estimate: float, level: float = LEVEL) -> tuple[float, float]:
    """Bias-corrected and accelerated percentile interval (quantiles as R's type 8)."""
    reps = boot.replicates
    if reps.size == 0:
        return float("nan"), float("nan")
    share = float(np.mean(reps < estimate))
    share = min(max(share, 0.5 / reps.size), 1 - 0.5 / reps.size)
    z0 = float(norm.ppf(share))
    alphas = np.array([0.5 - level / 2, 0.5 + level / 2])
    za = norm.ppf(alphas) + z0
    probs = norm.cdf(z0 + za / (1 - boot.acceleration * za))
    low, high = np.quantile(reps, probs, method="median_unbiased")
    return float(low), float(high)
