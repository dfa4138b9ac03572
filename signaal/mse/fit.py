"""Poisson log-linear fits of a model to a capture-pattern table, with empty overlaps at the boundary.

The log-linear model says ``log E[n_w] = sum of the terms contained in pattern w``; the unseen
count is ``exp(intercept)``. When no person is on all lists of a term (an empty overlap: two lists
that never saw the same person), the maximum-likelihood value of that term is minus infinity
(Chan, Silverman & Vincent 2021): it is fixed there by dropping every cell that holds all its
lists, and the remaining terms are fitted to the remaining cells. Such terms still count as
parameters in AIC and BIC, as in SparseMSE and MultipleSystemsEstimation.

:func:`fit_statsmodels` is the reference fit (statsmodels GLM, with the covariance that Wald
intervals need). :func:`fit_counts` fits many count vectors of one model at once by Newton's
method on stacked normal equations — bootstrap and simulation need tens of thousands of fits, and
no library fits a batch of Poisson GLMs that share a design; tests hold it to statsmodels.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

from signaal.mse.models import Model

__all__ = ["BatchFit", "Fit", "design", "fit_counts", "fit_model", "fit_statsmodels", "overlaps"]

MAX_ITER = 60
TOLERANCE = 1e-9


@lru_cache(maxsize=4096)
def design(n_lists: int, parameters: tuple[int, ...]) -> NDArray[np.float64]:
    """Design matrix over the observable cells 1..2**t-1: intercept, then one 0/1 column per term."""
    cells = np.arange(1, 2**n_lists)
    columns = [np.ones(cells.size)] + [((cells & m) == m).astype(float) for m in parameters]
    return np.column_stack(columns)


@lru_cache(maxsize=4096)
def _selector(size: int, masks: tuple[int, ...]) -> NDArray[np.int64]:
    cells = np.arange(size)
    return np.array([(cells & m) == m for m in masks], dtype=np.int64).T.reshape(size, len(masks))


@lru_cache(maxsize=100_000)
def full_rank(n_lists: int, free: tuple[int, ...], kept: bytes) -> bool:
    """Whether the design of ``free`` terms over the ``kept`` cells (int64 bytes) has full column rank."""
    x = design(n_lists, free)[np.frombuffer(kept, dtype=np.int64) - 1]
    return bool(np.linalg.matrix_rank(x) == x.shape[1])


def overlaps(counts: NDArray[np.int64], masks: list[int]) -> NDArray[np.int64]:
    """Persons seen by all lists of each term, for one count vector (length 2**t) or a batch of them."""
    return np.asarray(counts @ _selector(counts.shape[-1], tuple(masks)), dtype=np.int64)


@dataclass(frozen=True)
class Fit:
    """One fitted model: estimate, fit statistics and what was fixed at the boundary."""

    model: Model
    observed: int
    unseen: float
    loglik: float
    n_params: int
    boundary: tuple[int, ...]
    kept: NDArray[np.int64]
    fitted: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept_se: float = float("nan")

    @property
    def abundance(self) -> float:
        """Estimated population: observed plus unseen."""
        return self.observed + self.unseen

    def bic(self) -> float:
        """BIC with the number of observed persons as sample size (as Rcapture and MultipleSystemsEstimation)."""
        return self.n_params * float(np.log(self.observed)) - 2 * self.loglik

    def aic(self) -> float:
        """AIC, every parameter counted (boundary ones included)."""
        return 2 * self.n_params - 2 * self.loglik


def _split(model: Model, nstar: NDArray[np.int64]) -> tuple[tuple[int, ...], tuple[int, ...], NDArray[np.int64]]:
    """Terms fitted, terms at minus infinity, and the cells (masks) kept for the fit."""
    params = model.parameters
    boundary = tuple(m for m, n in zip(params, nstar, strict=True) if n == 0)
    free = tuple(m for m, n in zip(params, nstar, strict=True) if n > 0)
    cells = np.arange(1, 2**model.n_lists)
    keep = np.ones(cells.size, dtype=bool)
    for m in boundary:
        keep &= (cells & m) != m
    return free, boundary, cells[keep]


def _newton(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Poisson log-link MLE for each row of ``y`` (batch, cells) on design ``x``; coefficients and convergence."""
    eta = np.log(y + 0.1)
    mu = np.exp(eta)
    dev_old = np.full(y.shape[0], np.inf)
    converged = np.zeros(y.shape[0], dtype=bool)
    beta = np.zeros((y.shape[0], x.shape[1]))
    for _ in range(MAX_ITER):
        z = eta + (y - mu) / mu
        weighted = np.swapaxes(x[None, :, :] * mu[:, :, None], 1, 2)  # (batch, params, cells)
        xtwx = weighted @ x
        xtwz = (weighted @ z[:, :, None])[..., 0]
        try:
            beta = np.asarray(np.linalg.solve(xtwx, xtwz[..., None])[..., 0], dtype=float)
        except np.linalg.LinAlgError:
            beta = np.asarray(np.einsum("bij,bj->bi", np.linalg.pinv(xtwx), xtwz), dtype=float)
        eta = np.clip(beta @ x.T, -700, 700)
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            dev = 2 * np.sum(np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu), axis=1)
        converged = np.abs(dev - dev_old) <= TOLERANCE * (np.abs(dev) + 0.1)
        if converged.all():
            break
        dev_old = dev
    return beta, converged


@dataclass(frozen=True)
class BatchFit:
    """Estimates of one model over a batch of count vectors (NaN where the fit is not possible).

    ``fitted`` holds the fitted mean of every cell (zero for cells dropped at the boundary).
    """

    abundance: NDArray[np.float64]
    loglik: NDArray[np.float64]
    n_params: int
    fitted: NDArray[np.float64]


def fit_counts(model: Model, counts: NDArray[np.int64]) -> BatchFit:
    """Fit ``model`` to each row of ``counts`` (batch, 2**t); rows are grouped by their empty overlaps."""
    counts = np.atleast_2d(counts)
    params = model.parameters
    nstar = overlaps(counts, params)
    abundance = np.full(counts.shape[0], np.nan)
    loglik = np.full(counts.shape[0], np.nan)
    fitted = np.zeros(counts.shape, dtype=float)
    groups: dict[bytes, list[int]] = {}
    for row, empty in enumerate(nstar == 0):
        groups.setdefault(empty.tobytes(), []).append(row)
    for key, members in groups.items():
        rows = np.array(members)
        empty = np.frombuffer(key, dtype=np.bool_)
        probe = np.where(empty, 0, 1)
        free, _, kept = _split(model, probe)
        if not full_rank(model.n_lists, free, kept.astype(np.int64).tobytes()):
            continue
        x = design(model.n_lists, free)[kept - 1]
        y = counts[rows][:, kept].astype(float)
        beta, ok = _newton(x, y)
        mu = np.exp(np.clip(beta @ x.T, -700, 700))
        ll = np.sum(y * np.log(np.where(mu > 0, mu, 1.0)) - mu - gammaln(y + 1), axis=1)
        abundance[rows] = np.where(ok, counts[rows].sum(axis=1) + np.exp(beta[:, 0]), np.nan)
        loglik[rows] = np.where(ok, ll, np.nan)
        fitted[np.ix_(rows, kept)] = mu
    return BatchFit(abundance, loglik, len(params) + 1, fitted)


def fit_model(model: Model, counts: NDArray[np.int64]) -> Fit | None:
    """Fit one model to one table by the batch solver; None when the design is rank deficient."""
    params = model.parameters
    nstar = overlaps(counts, params)
    free, boundary, kept = _split(model, nstar)
    if not full_rank(model.n_lists, free, kept.astype(np.int64).tobytes()):
        return None
    x = design(model.n_lists, free)[kept - 1]
    y = counts[kept].astype(float)
    beta, ok = _newton(x, y[None, :])
    if not ok[0]:
        return None
    coef = beta[0]
    mu = np.exp(x @ coef)
    loglik = float(np.sum(y * np.log(mu) - mu - gammaln(y + 1)))
    return Fit(model, int(counts.sum()), float(np.exp(coef[0])), loglik, len(params) + 1, boundary, kept, mu, coef)


def fit_statsmodels(model: Model, counts: NDArray[np.int64]) -> Fit | None:
    """The reference fit with statsmodels' GLM (Poisson, log link), with the intercept's standard error."""
    import statsmodels.api as sm

    params = model.parameters
    nstar = overlaps(counts, params)
    free, boundary, kept = _split(model, nstar)
    x = design(model.n_lists, free)[kept - 1]
    if np.linalg.matrix_rank(x) < x.shape[1]:
        return None
    y = counts[kept].astype(float)
    with warnings.catch_warnings():
        # A model with as many parameters as cells fits exactly; statsmodels warns about the zero
        # residual degrees of freedom, which is expected here and harmless for the estimate.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", sm.tools.sm_exceptions.PerfectSeparationWarning)
        result = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-12, maxiter=200)
    coef = np.asarray(result.params, dtype=float)
    se = float(np.sqrt(result.cov_params()[0, 0]))
    mu = np.asarray(result.fittedvalues, dtype=float)
    return Fit(
        model,
        int(counts.sum()),
        float(np.exp(coef[0])),
        float(result.llf),
        len(params) + 1,
        boundary,
        kept,
        mu,
        coef,
        se,
    )
