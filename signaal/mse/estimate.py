"""One call from a capture-pattern table to an estimate of the population with its 95 % interval.

``estimate(table, method, interval=...)`` validates the table, selects a model by the named method,
fits it (statsmodels GLM), computes the interval of the requested kind and collects every warning
that the data or the fit give. Methods: ``independence``, ``stepwise``, ``bic``, ``bic_pairwise``,
``downhill_bic``, ``fixed:TERMS``. Interval kinds: ``profile`` (default for a fixed model),
``bootstrap`` (default where a model is selected: the selection is repeated on every replicate),
``wald``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from signaal.errors import InvalidInput
from signaal.mse.checks import data_warnings, estimate_warnings, validate_table
from signaal.mse.existence import check_model, explain
from signaal.mse.fit import fit_counts, fit_statsmodels
from signaal.mse.intervals import bca_interval, bootstrap, profile_interval, wald_interval
from signaal.mse.models import Model, parse_terms
from signaal.mse.select import (
    DEFAULT_PTHRESH,
    default_max_order,
    downhill_bic,
    downhill_bic_batch,
    rank_by_bic,
    stepwise,
    stepwise_batch,
)
from signaal.mse.table import CaptureTable

__all__ = ["INTERVAL_KINDS", "METHODS", "Estimate", "Options", "estimate", "estimator_for", "parse_method"]

METHODS = ("independence", "stepwise", "bic", "bic_pairwise", "downhill_bic", "fixed:TERMS")
INTERVAL_KINDS = ("profile", "bootstrap", "wald")
#: How many of the best original-data models a BIC bootstrap re-ranks (as MultipleSystemsEstimation).
TOP_MODELS = {2: 10**9, 3: 10**9, 4: 20, 5: 100, 6: 100}


@dataclass(frozen=True)
class Options:
    """Tuning of an estimate; the defaults follow the reference software."""

    pthresh: float = DEFAULT_PTHRESH
    max_order: int | None = None
    n_boot: int = 1000
    seed: int = 1234
    level: float = 0.95


@dataclass(frozen=True)
class Estimate:
    """An estimate of the population with its interval, model and doubts."""

    estimate: float
    interval: tuple[float, float]
    interval_kind: str
    method: str
    model: list[str]
    model_hierarchy: str
    observed: int
    lists: tuple[str, ...]
    warnings: list[str]
    stratum: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the CLI and the API."""
        return {
            "estimate": round(self.estimate, 1),
            # a bound that could not be found (NaN) or lies beyond reach (inf) is null, with a warning
            "interval": [round(b, 1) if np.isfinite(b) else None for b in self.interval],
            "interval_level": 0.95,
            "interval_kind": self.interval_kind,
            "method": self.method,
            "model": self.model,
            "model_hierarchy": self.model_hierarchy,
            "observed": self.observed,
            "unseen": round(self.estimate - self.observed, 1),
            "lists": list(self.lists),
            "stratum": self.stratum,
            "warnings": self.warnings,
            **self.details,
        }


def parse_method(method: str, table: CaptureTable) -> tuple[str, Model | None]:
    """The method's name and, for ``fixed:TERMS`` and ``independence``, its model."""
    if method == "independence":
        return method, Model(table.n_lists)
    if method.startswith("fixed:"):
        return "fixed", parse_terms(method[len("fixed:") :], table.lists)
    if method in ("stepwise", "bic", "bic_pairwise", "downhill_bic"):
        return method, None
    raise InvalidInput(f"unknown method {method!r}; use one of: {', '.join(METHODS)}")


def _max_order(name: str, n_lists: int, options: Options) -> int:
    if name == "bic_pairwise":
        return 2
    if name == "downhill_bic":
        return options.max_order or 2
    return options.max_order or default_max_order(n_lists)


def select(name: str, fixed: Model | None, counts: NDArray[np.int64], n_lists: int, options: Options) -> Model:
    """The model a method chooses for these counts."""
    if fixed is not None:
        return fixed
    if name == "stepwise":
        return stepwise(counts, n_lists, options.pthresh)
    if name == "downhill_bic":
        return downhill_bic(counts, n_lists, _max_order(name, n_lists, options))
    ranked = rank_by_bic(counts, n_lists, _max_order(name, n_lists, options))
    if not ranked:
        raise InvalidInput("no model up to the requested order has a finite estimate on this table")
    return ranked[0].model


def estimator_for(
    name: str, fixed: Model | None, counts: NDArray[np.int64], n_lists: int, options: Options
) -> Callable[[NDArray[np.int64]], NDArray[np.float64]]:
    """A function from a batch of count vectors to estimates, repeating the method's selection on each."""
    if fixed is not None:
        return lambda batch: _fit_checked([fixed], batch)[0][0]
    if name in ("bic", "bic_pairwise"):
        ranked = rank_by_bic(counts, n_lists, _max_order(name, n_lists, options))
        top = [r.model for r in ranked[: TOP_MODELS.get(n_lists, 100)]]

        def best_of_top(batch: NDArray[np.int64]) -> NDArray[np.float64]:
            abundance, bic = _fit_checked(top, batch)
            best = np.argmin(np.where(np.isfinite(bic), bic, np.inf), axis=0)
            chosen = abundance[best, np.arange(batch.shape[0])]
            return np.where(np.isfinite(bic).any(axis=0), chosen, np.nan)

        return best_of_top

    def each(batch: NDArray[np.int64]) -> NDArray[np.float64]:
        if name == "stepwise":
            models: list[Model | None] = list(stepwise_batch(batch, n_lists, options.pthresh))
        else:
            models = downhill_bic_batch(batch, n_lists, _max_order(name, n_lists, options))
        out = np.full(batch.shape[0], np.nan)
        for model in {m for m in models if m is not None}:
            rows = [i for i, m in enumerate(models) if m == model]
            out[rows] = fit_counts(model, batch[rows]).abundance
        return out

    return each


def _fit_checked(models: list[Model], batch: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Abundance and BIC of each model on each count vector (NaN where the estimate does not exist)."""
    abundance = np.full((len(models), batch.shape[0]), np.nan)
    bic = np.full_like(abundance, np.nan)
    n = batch.sum(axis=1).astype(float)
    for k, model in enumerate(models):
        ok = np.array([check_model(model, row) == 0 for row in batch])
        if not ok.any():
            continue
        result = fit_counts(model, batch[ok])
        abundance[k, ok] = result.abundance
        bic[k, ok] = result.n_params * np.log(n[ok]) - 2 * result.loglik
    return abundance, bic


def estimate(
    table: CaptureTable, method: str, interval: str | None = None, options: Options | None = None, source: str = "table"
) -> Estimate:
    """Estimate the population behind one table (one stratum) by the named method."""
    options = options or Options()
    validate_table(table, source)
    name, fixed = parse_method(method, table)
    kind = interval or ("profile" if fixed is not None else "bootstrap")
    if kind not in INTERVAL_KINDS:
        raise InvalidInput(f"unknown interval {kind!r}; use one of: {', '.join(INTERVAL_KINDS)}")
    counts = table.counts
    model = select(name, fixed, counts, table.n_lists, options)
    code = check_model(model, counts)
    if code != 0:
        raise InvalidInput(f"{source}: model {model.describe(table.lists)}: {explain(code)}")
    fit = fit_statsmodels(model, counts)
    if fit is None:
        raise InvalidInput(f"{source}: model {model.describe(table.lists)} cannot be fitted to this table")
    warnings = data_warnings(table) + estimate_warnings(table, model, fit.boundary, fit.abundance)
    details: dict[str, Any] = {"bic": round(fit.bic(), 3), "aic": round(fit.aic(), 3)}
    if kind == "wald":
        low, high = wald_interval(fit, options.level)
    elif kind == "profile":
        low, high, notes = profile_interval(fit, counts, options.level)
        warnings += notes
    else:
        boot = bootstrap(
            counts, estimator_for(name, fixed, counts, table.n_lists, options), options.n_boot, options.seed
        )
        low, high = bca_interval(boot, fit.abundance, options.level)
        details.update(
            {
                "bootstrap": {
                    "replicates": options.n_boot,
                    "seed": options.seed,
                    "acceleration": round(boot.acceleration, 5),
                }
            }
        )
        if boot.failed:
            warnings.append(
                f"{boot.failed} of {options.n_boot} bootstrap replicates had no finite estimate and were left out"
            )
    if name == "stepwise":
        details["pthresh"] = options.pthresh
    return Estimate(
        estimate=fit.abundance,
        interval=(low, high),
        interval_kind=kind,
        method=method,
        model=model.names(table.lists),
        model_hierarchy=model.hierarchy(),
        observed=table.observed,
        lists=table.lists,
        warnings=warnings,
        stratum=table.stratum,
        details=details,
    )
