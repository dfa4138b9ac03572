"""Strata estimated apart and summed; small strata merged with the reason, or refused."""

from __future__ import annotations

import pytest
from mse_synthetic import expected_counts, table

from signaal.errors import InvalidInput
from signaal.mse import Options, estimate_strata
from signaal.mse.table import CaptureTable


def stratum(name: str, size: int, probs: list[float]) -> CaptureTable:
    t = table("ABC", expected_counts(3, size, probs))
    return CaptureTable(t.lists, t.counts, name)


def test_total_is_the_sum_of_the_strata() -> None:
    strata = [stratum("sexual", 1500, [0.3, 0.2, 0.25]), stratum("labour", 2500, [0.1, 0.15, 0.3])]
    total, parts = estimate_strata(strata, "independence", "wald")
    assert [p.stratum for p in parts] == ["sexual", "labour"]
    assert total.estimate == pytest.approx(sum(p.estimate for p in parts))
    assert total.estimate == pytest.approx(4000, rel=0.03)
    assert total.interval[0] < total.estimate < total.interval[1]
    assert [s["stratum"] for s in total.details["strata"]] == ["sexual", "labour"]


def test_profile_request_on_strata_gives_a_bootstrap_interval_with_a_note() -> None:
    strata = [stratum("2019", 1500, [0.3, 0.2, 0.25]), stratum("2020", 1200, [0.25, 0.2, 0.3])]
    total, _ = estimate_strata(strata, "independence", "profile", Options(n_boot=60))
    assert total.interval_kind == "bootstrap"
    assert any("does not add over strata" in w for w in total.warnings)


def test_small_strata_are_merged_with_the_reason() -> None:
    strata = [
        stratum("NL", 3000, [0.3, 0.2, 0.25]),
        stratum("EU", 100, [0.3, 0.2, 0.25]),
        stratum("non-EU", 110, [0.3, 0.2, 0.25]),
    ]
    total, parts = estimate_strata(strata, "independence", "wald", min_observed=70)
    assert [p.stratum for p in parts] == ["NL", "EU+non-EU"]
    assert any("merged because too small" in w for w in total.warnings)


def test_a_lone_small_stratum_joins_the_smallest_adequate_one() -> None:
    strata = [
        stratum("NL", 3000, [0.3, 0.2, 0.25]),
        stratum("EU", 900, [0.3, 0.2, 0.25]),
        stratum("non-EU", 20, [0.3, 0.2, 0.25]),
    ]
    total, parts = estimate_strata(strata, "independence", "wald")
    assert [p.stratum for p in parts] == ["NL", "non-EU+EU"]
    assert total.observed == sum(t.observed for t in strata)


def test_strata_that_cannot_carry_an_estimate_even_pooled_are_refused() -> None:
    lonely = table("ABC", {"A": 6, "B": 5, "C": 4, "AB": 2})
    strata = [CaptureTable(lonely.lists, lonely.counts, "x"), CaptureTable(lonely.lists, lonely.counts, "y")]
    with pytest.raises(InvalidInput, match="too small for an estimate, even merged") as caught:
        estimate_strata(strata, "independence", "wald")
    assert all(p.field == "stratum" for p in caught.value.problems)
    assert "shares no person" in caught.value.problems[0].reason
