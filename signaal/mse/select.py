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
from signaal.mse.fit import Fit, fit_model, overlaps
from signaal.mse.models import Model, enumerate_models, neighbours

__all__ = [
    "DEFAULT_PTHRESH",
    "Ranked",
    "default_max_order",
    "downhill_bic",
    "rank_by_bic",
    "stepwise",
]

#: The threshold SparseMSE uses and its authors recommend (Chan, Silverman & Vincent 2021, section 3).
DEFAULT_PTHRESH = 0.02
#: Beyond this many models an exhaustive search is refused (6 lists with pairs only: 32,768).
MAX_MODELS = 40_000


def pair_masks(n_lists: int) -> list[int]:
    """Every pair of lists as a mask, in list order (1-2, 1-3, ..., 2-3, ...)."""
    return [(1 << i) | (1 << j) for i, j in combinations(range(n_lists), 2)]


def _pair_pvalues(fit: Fit, counts: NDArray[np.int64], pairs: list[int]) -> NDArray[np.float64]:
    """Two-sided Poisson p-value of each pair's observed overlap under the current fit."""
    nstar = overlaps(counts, pairs)
    expected = np.array([fit.fitted[(fit.kept & m) == m].sum() for m in pairs])
    lower = poisson.cdf(nstar, expected)
    upper = poisson.sf(nstar - 1, expected)
    return np.asarray(np.minimum(lower, upper), dtype=float)


def stepwise(counts: NDArray[np.int64], n_lists: int, pthresh: float = DEFAULT_PTHRESH) -> Model:
    """The model chosen by the SparseMSE stepwise rule."""
    model = Model(n_lists)
    if pthresh <= 0:
        return model
    pairs = pair_masks(n_lists)
    while True:
        fit = fit_model(model, counts)
        if fit is None:
            return model
        candidates = [j for j, m in enumerate(pairs) if m not in model.terms]
        if not candidates:
            return model
        pvalues = _pair_pvalues(fit, counts, [pairs[j] for j in candidates])
        chosen = None
        for p, j in sorted(zip(pvalues.tolist(), candidates, strict=True)):
            if p >= pthresh:
                break
            if check_model(model.add(pairs[j]), counts) == 0:
                chosen = j
                break
        if chosen is None:
            return model
        model = model.add(pairs[chosen])


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


def downhill_bic(counts: NDArray[np.int64], n_lists: int, max_order: int, max_steps: int = 20) -> Model:
    """The local BIC optimum reached from main effects by single-term moves."""

    def score(model: Model) -> float:
        if check_model(model, counts) != 0:
            return float("inf")
        fit = fit_model(model, counts)
        return fit.bic() if fit is not None else float("inf")

    best = Model(n_lists)
    best_score = score(best)
    seen = {best}
    for _ in range(max_steps):
        fresh = [m for m in neighbours(best, max_order) if m not in seen]
        if not fresh:
            break
        seen.update(fresh)
        scores = [score(m) for m in fresh]
        i = int(np.argmin(scores))
        if scores[i] >= best_score:
            break
        best, best_score = fresh[i], scores[i]
    return best
