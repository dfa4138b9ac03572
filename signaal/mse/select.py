"""Model selection: the stepwise rule of SparseMSE, exhaustive BIC, and downhill BIC.

- **stepwise** (Chan, Silverman & Vincent 2021): from main effects, compute for every pair of lists
  not yet in the model the two-sided Poisson p-value of its observed overlap under the current fit;
  add the pair with the smallest p-value if it is below the threshold and the model with it still
  has a finite, identifiable estimate; repeat. Ties go to the first pair in list order.
- **bic** / **bic_pairwise**: the hierarchical model with the smallest BIC among all whose estimate
  exists (Rcapture's ``closedpMS.t``; Silverman, Chan & Vincent 2024).
- **downhill_bic**: from main effects, move to the best neighbouring model (one term more or less)
  while that lowers the BIC (Silverman, Chan & Vincent 2024).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray
from scipy.stats import poisson

from signaal.errors import InvalidInput
from signaal.mse.existence import check_model
from signaal.mse.fit import fit_counts, fit_model
from signaal.mse.models import Model, enumerate_models, neighbours

__all__ = [
    "DEFAULT_PTHRESH",
    "Ranked",
    "default_max_order",
    "downhill_bic",
    "downhill_bic_batch",
    "rank_by_bic",
    "stepwise",
    "stepwise_batch",
]

#: The threshold SparseMSE uses and its authors recommend (Chan, Silverman & Vincent 2021, section 3).
DEFAULT_PTHRESH = 0.02
#: Beyond this many models an exhaustive search is refused (6 lists with pairs only: 32,768).
MAX_MODELS = 40_000


def pair_masks(n_lists: int) -> list[int]:
    """Every pair of lists as a mask, in list order (1-2, 1-3, ..., 2-3, ...)."""
    return [(1 << i) | (1 << j) for i, j in combinations(range(n_lists), 2)]


def _pair_selector(n_lists: int, pairs: list[int]) -> NDArray[np.float64]:
    cells = np.arange(2**n_lists)
    return np.array([(cells & m) == m for m in pairs], dtype=float)


def stepwise_batch(counts: NDArray[np.int64], n_lists: int, pthresh: float = DEFAULT_PTHRESH) -> list[Model]:
    """The model the SparseMSE stepwise rule chooses for each row of ``counts`` (rows sharing a model are fitted together)."""
    counts = np.atleast_2d(counts)
    chosen: list[Model] = [Model(n_lists)] * counts.shape[0]
    if pthresh <= 0:
        return chosen
    pairs = pair_masks(n_lists)
    selector = _pair_selector(n_lists, pairs)
    nstar = counts @ selector.T.astype(np.int64)
    groups: dict[Model, list[int]] = {Model(n_lists): list(range(counts.shape[0]))}
    while groups:
        moved: dict[Model, list[int]] = {}
        for model, rows in groups.items():
            fit = fit_counts(model, counts[rows])
            expected = fit.fitted @ selector.T
            pvalues = np.minimum(poisson.cdf(nstar[rows], expected), poisson.sf(nstar[rows] - 1, expected))
            pvalues[:, [j for j, m in enumerate(pairs) if m in model.terms]] = np.inf
            for k, row in enumerate(rows):
                step = (
                    _next_pair(model, counts[row], pvalues[k], pairs, pthresh)
                    if np.isfinite(fit.abundance[k])
                    else None
                )
                if step is None:
                    chosen[row] = model
                else:
                    moved.setdefault(model.add(step), []).append(row)
        groups = moved
    return chosen


def _next_pair(
    model: Model, counts: NDArray[np.int64], pvalues: NDArray[np.float64], pairs: list[int], pthresh: float
) -> int | None:
    """The pair to add: smallest p-value below the threshold whose model still exists (ties: list order)."""
    for j in np.lexsort((np.arange(len(pairs)), pvalues)):
        if not pvalues[j] < pthresh:
            return None
        if check_model(model.add(pairs[j]), counts) == 0:
            return int(pairs[j])
    return None


def stepwise(counts: NDArray[np.int64], n_lists: int, pthresh: float = DEFAULT_PTHRESH) -> Model:
    """The model chosen by the SparseMSE stepwise rule."""
    return stepwise_batch(counts[None, :], n_lists, pthresh)[0]


def default_max_order(n_lists: int) -> int:
    """Highest interaction order searched by ``bic``: 2 for 3 or 6+ lists, 3 for 4 or 5 (as MultipleSystemsEstimation)."""
    return 3 if n_lists in (4, 5) else 2


@dataclass(frozen=True)
class Ranked:
    """One candidate of an exhaustive search."""

    model: Model
    bic: float
    abundance: float


def rank_by_bic(counts: NDArray[np.int64], n_lists: int, max_order: int) -> list[Ranked]:
    """Every hierarchical model up to ``max_order`` whose estimate exists, best BIC first."""
    if n_lists > 6 or (n_lists == 6 and max_order > 2):
        raise InvalidInput(
            f"an exhaustive search over {n_lists} lists with terms of up to {max_order} lists is too large; "
            "use --method downhill_bic or stepwise, or merge lists"
        )
    ranked = []
    for count, model in enumerate(enumerate_models(n_lists, max_order)):
        if count > MAX_MODELS:
            raise InvalidInput(f"more than {MAX_MODELS} models to search; use downhill_bic or stepwise")
        if check_model(model, counts) != 0:
            continue
        fit = fit_model(model, counts)
        if fit is not None:
            ranked.append(Ranked(model, fit.bic(), fit.abundance))
    ranked.sort(key=lambda r: r.bic)
    return ranked


def _bic_scores(model: Model, counts: NDArray[np.int64], rows: list[int]) -> NDArray[np.float64]:
    """BIC of a model on each row; infinite where its estimate does not exist."""
    out = np.full(len(rows), np.inf)
    ok = np.array([check_model(model, counts[r]) == 0 for r in rows])
    if ok.any():
        picked = [r for r, good in zip(rows, ok, strict=True) if good]
        fit = fit_counts(model, counts[picked])
        bic = fit.n_params * np.log(counts[picked].sum(axis=1)) - 2 * fit.loglik
        out[ok] = np.where(np.isfinite(bic), bic, np.inf)
    return out


def downhill_bic_batch(
    counts: NDArray[np.int64], n_lists: int, max_order: int, max_steps: int = 20
) -> list[Model | None]:
    """The local BIC optimum reached from main effects by single-term moves, for each row (None if main effects fail)."""
    counts = np.atleast_2d(counts)
    start = Model(n_lists)
    best = _bic_scores(start, counts, list(range(counts.shape[0])))
    chosen: list[Model | None] = [start if np.isfinite(b) else None for b in best]
    # Rows that walked the same path have the same models behind them, so they move together.
    paths: dict[tuple[Model, ...], list[int]] = {(start,): [r for r in range(counts.shape[0]) if np.isfinite(best[r])]}
    for _ in range(max_steps):
        moved: dict[tuple[Model, ...], list[int]] = {}
        for path, rows in paths.items():
            seen = {start}.union(*(neighbours(m, max_order) for m in path[:-1]))
            fresh = [m for m in neighbours(path[-1], max_order) if m not in seen]
            if not fresh or not rows:
                continue
            scores = np.vstack([_bic_scores(m, counts, rows) for m in fresh])
            pick = np.argmin(scores, axis=0)
            for k, row in enumerate(rows):
                if scores[pick[k], k] < best[row]:
                    best[row] = scores[pick[k], k]
                    chosen[row] = fresh[pick[k]]
                    moved.setdefault((*path, fresh[pick[k]]), []).append(row)
        if not moved:
            break
        paths = moved
    return chosen


def downhill_bic(counts: NDArray[np.int64], n_lists: int, max_order: int, max_steps: int = 20) -> Model:
    """The local BIC optimum reached from main effects by single-term moves."""
    model = downhill_bic_batch(counts[None, :], n_lists, max_order, max_steps)[0]
    if model is None:
        raise InvalidInput("the main-effects model has no finite estimate on this table, so downhill BIC cannot start")
    return model
