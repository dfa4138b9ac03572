"""Estimates with intervals and warnings; tables that cannot support an estimate are refused by name."""

from __future__ import annotations

import numpy as np
import pytest
from mse_synthetic import expected_counts, table

from signaal.errors import InvalidInput
from signaal.mse import Options, estimate
from signaal.mse.simulate import Scenario, simulate

INDEPENDENT = table("ABC", expected_counts(3, 2000, [0.2, 0.3, 0.25]))


def test_independence_on_independent_lists_finds_the_population() -> None:
    result = estimate(INDEPENDENT, "independence")
    assert result.estimate == pytest.approx(2000, rel=0.02)
    assert result.interval_kind == "profile"
    low, high = result.interval
    assert low < result.estimate < high
    assert result.model == ["A", "B", "C"]
    assert result.warnings == []


def test_wald_and_profile_intervals_are_close_on_a_well_filled_table() -> None:
    wald = estimate(INDEPENDENT, "independence", "wald").interval
    profile = estimate(INDEPENDENT, "independence", "profile").interval
    assert wald[0] == pytest.approx(profile[0], rel=0.03)
    assert wald[1] == pytest.approx(profile[1], rel=0.03)


def test_bootstrap_interval_is_reproducible_by_seed() -> None:
    counts = simulate(Scenario("s", 3000, (-1.5, -1.8, -1.2), referrals=((0, 1, 0.4),)), np.random.default_rng(5))[0]
    first = estimate(counts, "stepwise", options=Options(n_boot=100, seed=7))
    again = estimate(counts, "stepwise", options=Options(n_boot=100, seed=7))
    other = estimate(counts, "stepwise", options=Options(n_boot=100, seed=8))
    assert first.interval == again.interval
    assert first.interval != other.interval
    assert first.interval_kind == "bootstrap"
    assert first.interval[0] < first.estimate < first.interval[1]
    assert first.details["bootstrap"]["replicates"] == 100


def test_bic_bootstrap_repeats_the_selection() -> None:
    t = table("ABC", {"A": 60, "B": 45, "C": 80, "AB": 20, "AC": 9, "BC": 12, "ABC": 5})
    result = estimate(t, "bic", options=Options(n_boot=100))
    assert result.interval[0] < result.estimate < result.interval[1]


def test_a_list_that_overlaps_no_other_is_refused_by_name() -> None:
    t = table("ABC", {"A": 30, "B": 25, "C": 20, "AB": 6})
    with pytest.raises(InvalidInput) as caught:
        estimate(t, "independence", source="lists.csv")
    assert [p.field for p in caught.value.problems] == ["C"]
    assert "shares no person" in caught.value.problems[0].reason


def test_an_empty_list_is_refused_by_name() -> None:
    t = table("ABC", {"A": 30, "B": 25, "AB": 6})
    with pytest.raises(InvalidInput) as caught:
        estimate(t, "independence")
    assert caught.value.problems[0].field == "C"
    assert "nobody" in caught.value.problems[0].reason


def test_pairs_that_never_overlap_and_a_dominating_list_are_warned_about() -> None:
    t = table("ABC", {"A": 900, "B": 20, "C": 15, "AB": 30, "AC": 25, "ABC": 0})
    result = estimate(t, "independence")
    text = " ".join(result.warnings)
    assert "B-C" in text and "never saw the same person" in text
    assert "list A holds" in text


def test_unknown_method_and_interval_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown method"):
        estimate(INDEPENDENT, "magic")
    with pytest.raises(InvalidInput, match="unknown interval"):
        estimate(INDEPENDENT, "independence", "credible")
    with pytest.raises(InvalidInput, match="unknown list 'Q'"):
        estimate(INDEPENDENT, "fixed:A:Q")


def test_a_fixed_model_without_finite_estimate_is_refused_with_the_reason() -> None:
    sparse = table("ABC", {"A": 31, "B": 22, "C": 17, "AB": 5, "AC": 0, "BC": 3})
    with pytest.raises(InvalidInput, match=r"not identifiable|does not exist"):
        estimate(sparse, "fixed:[12,13,23]")


def test_a_bound_beyond_reach_is_null_in_json() -> None:
    import json
    from dataclasses import replace

    result = estimate(INDEPENDENT, "independence", "wald")
    unbounded = replace(result, interval=(result.interval[0], float("inf")))
    out = json.loads(json.dumps(unbounded.as_dict(), allow_nan=False))
    assert out["interval"] == [round(result.interval[0], 1), None]
