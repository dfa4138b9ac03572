"""Log-linear fits: closed forms, the batch solver against statsmodels, and empty overlaps at the boundary."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from mse_synthetic import table

from signaal.mse.fit import fit_counts, fit_model, fit_statsmodels
from signaal.mse.models import Model, enumerate_models, neighbours, parse_terms


def test_two_lists_independence_is_lincoln_petersen() -> None:
    t = table("AB", {"A": 60, "B": 30, "AB": 20})
    fit = fit_statsmodels(Model(2), t.counts)
    assert fit is not None
    assert fit.abundance == pytest.approx(80 * 50 / 20)


def test_batch_solver_agrees_with_statsmodels() -> None:
    rng = np.random.default_rng(3)
    t = table(
        "ABCD", {"A": 40, "B": 33, "C": 51, "D": 12, "AB": 9, "AC": 14, "BD": 4, "CD": 6, "ABC": 3, "BCD": 2, "AD": 5}
    )
    batch = np.vstack([t.counts, rng.multinomial(t.observed, t.counts / t.observed, size=5)])
    model = parse_terms("A:B, A:C, C:D", t.lists)
    result = fit_counts(model, batch)
    for row, abundance, loglik in zip(batch, result.abundance, result.loglik, strict=True):
        reference = fit_statsmodels(model, row)
        assert reference is not None
        assert abundance == pytest.approx(reference.abundance, rel=1e-7)
        assert loglik == pytest.approx(reference.loglik, rel=1e-9)


def test_an_empty_overlap_in_the_model_is_fitted_at_minus_infinity_by_dropping_its_cells() -> None:
    # A and C never see the same person: with A:C in the model, its cells are dropped and
    # A:C counts as a parameter in the BIC.
    t = table("ABC", {"A": 30, "B": 25, "C": 20, "AB": 6, "BC": 5})
    with_ac = fit_model(parse_terms("A:C", t.lists), t.counts)
    assert with_ac is not None
    assert with_ac.boundary == (0b101,)
    assert 0b101 not in with_ac.kept and 0b111 not in with_ac.kept
    assert with_ac.n_params == 5
    # the same as a main-effects Poisson fit to the five cells that hold no A-and-C person
    cells = [0b001, 0b010, 0b100, 0b011, 0b110]
    x = np.array([[1, c & 1, (c >> 1) & 1, (c >> 2) & 1] for c in cells], dtype=float)
    direct = sm.GLM(t.counts[cells].astype(float), x, family=sm.families.Poisson()).fit()
    assert with_ac.unseen == pytest.approx(np.exp(direct.params[0]), rel=1e-7)


def test_model_names_and_bracket_notation() -> None:
    lists = ("P", "K", "I")
    model = parse_terms("[12,23]", lists)
    assert model.names(lists) == ["P", "K", "I", "P:K", "K:I"]
    assert model.hierarchy() == "[12,23]"
    assert parse_terms("P:K + K:I", lists) == model
    assert parse_terms("P:K:I", lists).hierarchy() == "[123]"
    assert parse_terms("P:K:I", lists).terms == frozenset({0b011, 0b101, 0b110, 0b111})


def test_hierarchical_model_counts() -> None:
    # 4 lists up to three-way terms: 113 models (as in Silverman, Chan & Vincent 2024 for Kosovo).
    assert sum(1 for _ in enumerate_models(3, 2)) == 8
    assert sum(1 for _ in enumerate_models(4, 2)) == 64
    assert sum(1 for _ in enumerate_models(4, 3)) == 113


def test_neighbours_add_or_drop_one_term_and_stay_hierarchical() -> None:
    model = parse_terms("[12,13]", ("A", "B", "C"))
    found = {n.hierarchy() for n in neighbours(model, 3)}
    assert found == {"[13,2]", "[12,3]", "[12,13,23]"}
    full = parse_terms("[12,13,23]", ("A", "B", "C"))
    assert "[123]" in {n.hierarchy() for n in neighbours(full, 3)}
    assert "[123]" not in {n.hierarchy() for n in neighbours(full, 2)}
