"""Model selection on synthetic tables: stepwise, exhaustive BIC and downhill BIC."""

from __future__ import annotations

import numpy as np
from mse_synthetic import expected_counts, table

from signaal.mse.fit import fit_model
from signaal.mse.models import Model, parse_terms
from signaal.mse.select import downhill_bic, rank_by_bic, stepwise
from signaal.mse.simulate import Scenario, simulate


def referral_table() -> np.ndarray:
    """Four lists; list B also catches 60 % of those A caught (a strong A-B dependence)."""
    scenario = Scenario("referral", 4000, (-1.6, -2.0, -1.4, -2.2), referrals=((0, 1, 0.6),))
    return simulate(scenario, np.random.default_rng(11))[0].counts


def test_stepwise_adds_the_dependent_pair_first() -> None:
    model = stepwise(referral_table(), 4)
    assert 0b0011 in model.terms


def test_stepwise_keeps_main_effects_on_independent_lists() -> None:
    t = table("ABC", expected_counts(3, 3000, [0.2, 0.3, 0.25]))
    assert stepwise(t.counts, 3) == Model(3)
    assert stepwise(referral_table(), 4, pthresh=0) == Model(4)


def test_stepwise_never_adds_a_pair_whose_estimate_would_not_exist() -> None:
    sparse = table("ABC", {"A": 31, "B": 22, "C": 17, "AB": 5})
    model = stepwise(sparse.counts, 3, pthresh=1.0)
    assert model.terms != frozenset({0b011})
    assert fit_model(model, sparse.counts) is not None


def test_bic_ranking_puts_the_generating_model_first() -> None:
    ranked = rank_by_bic(referral_table(), 4, 3)
    assert 0b0011 in ranked[0].model.terms
    assert [r.bic for r in ranked] == sorted(r.bic for r in ranked)
    assert len(ranked) <= 113


def test_downhill_reaches_the_exhaustive_optimum_on_a_simple_table() -> None:
    counts = referral_table()
    best = rank_by_bic(counts, 4, 2)[0].model
    assert downhill_bic(counts, 4, 2) == best


def test_fixed_terms_reach_the_fit() -> None:
    t = table("ABC", {"A": 31, "B": 22, "C": 17, "AB": 9, "AC": 4, "BC": 3, "ABC": 1})
    fit = fit_model(parse_terms("A:B", t.lists), t.counts)
    assert fit is not None and fit.model.hierarchy() == "[12,3]"


def test_batch_searches_choose_what_each_table_alone_chooses() -> None:
    from signaal.mse.select import downhill_bic_batch, stepwise_batch

    counts = referral_table()
    rng = np.random.default_rng(9)
    batch = rng.multinomial(counts.sum() // 8, counts / counts.sum(), size=12).astype(np.int64)
    assert stepwise_batch(batch, 4) == [stepwise(row, 4) for row in batch]
    assert downhill_bic_batch(batch, 4, 2) == [downhill_bic(row, 4, 2) for row in batch]
