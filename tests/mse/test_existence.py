"""Existence and identifiability of the estimate when lists do not overlap (Fienberg-Rinaldo LP, rank)."""

from __future__ import annotations

from mse_synthetic import table

from signaal.mse import check_model, parse_terms

# Synthetic: only A and B ever overlap (the structure of Chan, Silverman & Vincent's Table 2).
SPARSE = table("ABC", {"A": 31, "B": 22, "C": 17, "AB": 5})


def test_all_pairs_with_two_empty_overlaps_is_not_identifiable() -> None:
    assert check_model(parse_terms("[12,13,23]", SPARSE.lists), SPARSE.counts) == 2


def test_the_one_overlapping_pair_alone_has_no_finite_estimate() -> None:
    assert check_model(parse_terms("[12,3]", SPARSE.lists), SPARSE.counts) == 1


def test_the_two_empty_pairs_at_the_boundary_exist() -> None:
    assert check_model(parse_terms("[13,23]", SPARSE.lists), SPARSE.counts) == 0


def test_a_full_table_passes_for_every_pairwise_model() -> None:
    full = table("ABC", {"A": 31, "B": 22, "C": 17, "AB": 5, "AC": 4, "BC": 3, "ABC": 1})
    assert check_model(parse_terms("[12,13,23]", full.lists), full.counts) == 0
    # the saturated model has as many parameters as cells plus the unseen: not identifiable
    assert check_model(parse_terms("[123]", full.lists), full.counts) == 2


def test_the_shortcut_through_the_largest_model_agrees_with_each_models_own_programme() -> None:
    import numpy as np

    from signaal.mse.existence import _lp_exists
    from signaal.mse.fit import _split, full_rank, overlaps
    from signaal.mse.models import enumerate_models

    rng = np.random.default_rng(4)
    for _ in range(6):
        counts = rng.poisson(rng.choice([0.0, 0.6, 3.0], size=16)).astype(np.int64)
        counts[0] = 0
        for model in enumerate_models(4, 2):
            free, _, kept = _split(model, overlaps(counts, model.parameters))
            key = kept.astype(np.int64).tobytes()
            y = counts[kept]
            finite = bool((y > 0).all()) or _lp_exists(4, free, key, (y > 0).tobytes())
            direct = (0 if full_rank(4, free, key) else 2) + (0 if finite else 1)
            assert check_model(model, counts) == direct, (model.hierarchy(), counts.tolist())
