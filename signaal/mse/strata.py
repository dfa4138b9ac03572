"""Stratified estimates: one model per stratum (year, form, age or nationality group), totals summed.

Catchability often differs between strata — police see more sexual than labour exploitation, care
sees more minors — and pooling such strata biases a log-linear estimate. Estimating each stratum
on its own and adding the estimates removes that source of heterogeneity. A stratum too small to
carry its own estimate (fewer than ``min_observed`` persons, a list with nobody, a list that
overlaps no other) is merged with the other small ones, or with the smallest adequate stratum; if
even that cannot carry an estimate, the request is refused with the reasons.

The interval of a total is a bootstrap one (resampling persons within each stratum and repeating
every stratum's model selection), or, on request, a Wald interval on the log of the summed unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy.stats import norm

from signaal.errors import InvalidInput, Problem, SignaalError
from signaal.mse.checks import validate_table
from signaal.mse.estimate import Estimate, Options, estimate, estimator_for, parse_method
from signaal.mse.fit import fit_statsmodels
from signaal.mse.intervals import Bootstrap, bca_interval, bootstrap
from signaal.mse.models import parse_terms
from signaal.mse.table import CaptureTable

__all__ = ["MIN_OBSERVED", "estimate_strata", "merge_small_strata"]

#: A stratum with fewer persons seen than this is merged with the other small strata.
MIN_OBSERVED = 30


def _unfit_reason(table: CaptureTable, source: str, min_observed: int) -> str | None:
    if table.observed < min_observed:
        return f"only {table.observed} persons seen (fewer than {min_observed})"
    try:
        validate_table(table, source)
    except SignaalError as exc:
        return "; ".join(p.reason + (f" ({p.field})" if p.field else "") for p in exc.problems) or exc.message
    return None


def merge_small_strata(
    tables: Sequence[CaptureTable], source: str, min_observed: int = MIN_OBSERVED
) -> list[CaptureTable]:
    """The strata that can carry an estimate, plus one merged stratum of those that cannot (with a note why).

    Small strata are merged together; a lone small stratum, or small ones still too small together,
    are merged with the smallest stratum that can carry an estimate. Refused only when even that fails.
    """
    keep, small, reasons = [], [], []
    for table in tables:
        reason = _unfit_reason(table, source, min_observed)
        if reason is None:
            keep.append(table)
        else:
            small.append(table)
            reasons.append(f"{table.stratum}: {reason}")
    if not small:
        return keep
    if len(small) == 1 and keep:
        # a single small stratum goes in with the smallest stratum that can carry an estimate
        partner = min(keep, key=lambda t: t.observed)
        keep = [t for t in keep if t is not partner]
        small.append(partner)
    names = [str(t.stratum) for t in small]
    merged = CaptureTable(
        small[0].lists,
        np.sum([t.counts for t in small], axis=0),
        "+".join(names),
        (f"strata {', '.join(names)} merged because too small on their own: {'; '.join(reasons)}",),
    )
    reason = _unfit_reason(merged, source, min_observed if keep else 1)
    if reason is not None and keep:
        # still too small: take in the smallest stratum that can carry an estimate, and try again
        partner = min(keep, key=lambda t: t.observed)
        keep = [t for t in keep if t is not partner]
        names.append(str(partner.stratum))
        merged = CaptureTable(merged.lists, merged.counts + partner.counts, "+".join(names), merged.notes)
        reason = _unfit_reason(merged, source, min_observed if keep else 1)
    if reason is not None:
        raise InvalidInput(
            f"{source}: strata {', '.join(names)} are too small for an estimate, even merged",
            [
                Problem(f"merged stratum: {reason}", source, None, "stratum"),
                *(Problem(r, source, None, "stratum") for r in reasons),
            ],
        )
    return [*keep, merged]


def estimate_strata(
    tables: Sequence[CaptureTable],
    method: str,
    interval: str | None = None,
    options: Options | None = None,
    source: str = "table",
    min_observed: int = MIN_OBSERVED,
) -> tuple[Estimate, list[Estimate]]:
    """The total over strata and each stratum's own estimate."""
    options = options or Options()
    if len(tables) == 1 and tables[0].stratum is None:
        single = estimate(tables[0], method, interval, options, source)
        return single, []
    lists = {t.lists for t in tables}
    if len(lists) != 1:
        raise InvalidInput(f"{source}: the strata do not share the same lists")
    strata = merge_small_strata(tables, source, min_observed)
    kind = interval or ("profile" if method.startswith("fixed:") or method == "independence" else "bootstrap")
    notes: list[str] = []
    if kind == "profile":
        notes.append("a profile interval does not add over strata: the interval of the total is a BCa bootstrap")
        kind = "bootstrap"
    parts = [estimate(t, method, "wald", options, source) for t in strata]
    total = sum(p.estimate for p in parts)
    observed = sum(p.observed for p in parts)
    if kind == "wald":
        low, high = _summed_wald(strata, parts, method, options)
    else:
        boots = [
            bootstrap(
                t.counts,
                estimator_for(*parse_method(method, t), t.counts, t.n_lists, options),
                options.n_boot,
                options.seed + i,
            )
            for i, t in enumerate(strata)
        ]
        summed = Bootstrap(
            _sum_replicates(boots), float(np.mean([b.acceleration for b in boots])), sum(b.failed for b in boots)
        )
        low, high = bca_interval(summed, total, options.level)
    warnings = notes + [w for p in parts for w in p.warnings]
    first = parts[0]
    result = replace(
        first,
        estimate=total,
        interval=(low, high),
        interval_kind=kind,
        model=[],
        model_hierarchy="per stratum",
        observed=observed,
        stratum=None,
        warnings=warnings,
        details={"strata": [p.as_dict() for p in parts]},
    )
    return result, parts


def _sum_replicates(boots: Sequence[Bootstrap]) -> np.ndarray:
    size = min(b.replicates.size for b in boots)
    return np.asarray(np.sum([b.replicates[:size] for b in boots], axis=0), dtype=float)


def _summed_wald(
    strata: Sequence[CaptureTable], parts: Sequence[Estimate], method: str, options: Options
) -> tuple[float, float]:
    """Wald interval on the log of the summed unseen, stratum variances added (delta method)."""
    unseen, variance = 0.0, 0.0
    for table, part in zip(strata, parts, strict=True):
        fit = fit_statsmodels(parse_terms(part.model_hierarchy, table.lists), table.counts)
        if fit is None:
            continue
        unseen += fit.unseen
        variance += (fit.unseen * fit.intercept_se) ** 2
    z = float(norm.ppf(0.5 + options.level / 2))
    se_log = float(np.sqrt(variance)) / unseen
    observed = sum(p.observed for p in parts)
    return observed + unseen * float(np.exp(-z * se_log)), observed + unseen * float(np.exp(z * se_log))
