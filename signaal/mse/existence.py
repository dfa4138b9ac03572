"""Does a model have a finite, identifiable (extended) maximum-likelihood estimate on these counts?

Two checks, as in SparseMSE's ``checkident`` (Chan, Silverman & Vincent 2021, after Fienberg &
Rinaldo 2012): after fixing the terms of empty overlaps at minus infinity and dropping their cells,

1. existence — the margins ``t = A'n`` must lie in the relative interior of the cone spanned by the
   design rows: a linear program looks for counts ``x`` with the same margins and every cell at
   least ``s`` and maximises ``s``; when the best ``s`` is zero the estimate does not exist;
2. identifiability — the design over the kept cells must have full column rank.

Existence depends only on which kept cells are zero, so results are cached on that pattern. It
is also inherited by smaller models on the same cells (Chan, Silverman & Vincent 2021, section
2.7: the margins of a sub-model are a projection of the larger model's, and a projection maps the
relative interior of a cone onto that of its image): so the largest model with the same terms at
minus infinity is checked first, once per zero pattern, and a model's own programme is solved
only when that one fails. Model searches then need a few programmes per table, not one per model.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from signaal.mse.fit import _split, design, full_rank, overlaps
from signaal.mse.models import Model

__all__ = ["EXISTS", "NOT_FINITE", "NOT_IDENTIFIABLE", "check_model", "explain"]

EXISTS = 0
NOT_FINITE = 1
NOT_IDENTIFIABLE = 2
#: The LP's optimum below this counts as zero (margins of a 0/1 support, so a real optimum is far above).
LP_ZERO = 1e-7


@lru_cache(maxsize=200_000)
def _lp_exists(n_lists: int, free: tuple[int, ...], kept: bytes, support: bytes) -> bool:
    kept_cells = np.frombuffer(kept, dtype=np.int64)
    x = design(n_lists, free)[kept_cells - 1]
    # Any counts with this support have margins in the same face of the cone, so the indicator of
    # the support stands in for the counts (and the answer is cached on the support alone).
    margins = x.T @ np.frombuffer(support, dtype=np.bool_).astype(float)
    n_cells, n_par = x.shape
    cost = np.zeros(n_cells + 1)
    cost[-1] = -1.0
    a_eq = np.hstack([x.T, np.zeros((n_par, 1))])
    a_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(n_cells), A_eq=a_eq, b_eq=margins, bounds=(0, None), method="highs")
    return bool(result.status == 0 and -result.fun > LP_ZERO)


def _largest(n_lists: int, order: int, counts: NDArray[np.int64], boundary: tuple[int, ...]) -> tuple[int, ...]:
    """Every term of up to ``order`` lists that has an overlap (so none below a boundary term)."""
    masks = [m for m in range(1, 2**n_lists) if bin(m).count("1") <= order]
    nstar = overlaps(counts, masks)
    return tuple(m for m, n in zip(masks, nstar, strict=True) if n > 0 and m not in boundary)


def check_model(model: Model, counts: NDArray[np.int64]) -> int:
    """0 if the estimate exists and is identifiable; 1 if not finite; 2 if not identifiable; 3 if both."""
    nstar = overlaps(counts, model.parameters)
    free, boundary, kept = _split(model, nstar)
    kept_key = kept.astype(np.int64).tobytes()
    y = counts[kept]
    support = (y > 0).tobytes()
    if not (y > 0).all():
        largest = _largest(model.n_lists, max(2, model.order), counts, boundary)
        if full_rank(model.n_lists, largest, kept_key) and _lp_exists(model.n_lists, largest, kept_key, support):
            return EXISTS
    code = EXISTS if full_rank(model.n_lists, free, kept_key) else NOT_IDENTIFIABLE
    if not (y > 0).all() and not _lp_exists(model.n_lists, free, kept_key, support):
        code += NOT_FINITE
    return code


def explain(code: int) -> str:
    """Plain words for a check result."""
    if code == EXISTS:
        return "the estimate exists and is identifiable"
    reasons = []
    if code & NOT_FINITE:
        reasons.append("the maximum-likelihood estimate does not exist (the zero cells leave some term unbounded)")
    if code & NOT_IDENTIFIABLE:
        reasons.append("the model is not identifiable from these cells")
    return "; ".join(reasons)
