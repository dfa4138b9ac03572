"""Trend tests, models and composition on small synthetic series with a known structure."""

from __future__ import annotations

import numpy as np
import pytest

from signaal.analytics.composition import diversity_shift, share_test, share_trend, wilson
from signaal.analytics.figures import parse_figures
from signaal.analytics.models import break_dummy, fit_breaks, scan_change_point
from signaal.analytics.monotonic import mann_kendall
from signaal.analytics.questions import answer_question
from signaal.analytics.series import Series, ShareSeries
from signaal.errors import InvalidInput
from signaal.knowledge import bundled

YEARS = tuple(str(y) for y in range(2011, 2025))


def test_a_clear_fall_is_found_with_its_slope() -> None:
    series = Series("t", YEARS, tuple(int(1000 * 0.9**i) for i in range(len(YEARS))))
    mk = mann_kendall(series)
    assert mk.direction == "down" and mk.p is not None and mk.p < 0.001
    assert mk.slope is not None and mk.slope_high is not None and mk.slope < mk.slope_high < 0


def test_a_short_series_gets_too_few_points_not_a_p_value() -> None:
    mk = mann_kendall(Series("t", ("2021", "2022", "2023", "2024"), (10, 8, 6, 4)))
    assert mk.too_few and mk.p is None
    assert fit_breaks(Series("t", ("2021", "2022", "2023", "2024"), (10, 8, 6, 4)), ()).reason == "too few points"


def test_no_trend_reports_the_power_of_the_test() -> None:
    rng = np.random.default_rng(3)
    series = Series("t", YEARS[:6], tuple(int(v) for v in rng.poisson(40, 6)))
    mk = mann_kendall(series)
    if mk.direction == "none":
        assert mk.power is not None and 0 <= mk.power < 0.8  # six points cannot see 5 % a year


def test_the_test_stays_quiet_on_flat_series() -> None:
    rng = np.random.default_rng(11)
    hits = sum(
        mann_kendall(Series("t", YEARS, tuple(int(v) for v in rng.poisson(200, len(YEARS)))), power=False).direction
        != "none"
        for _ in range(200)
    )
    assert hits / 200 <= 0.10


def test_a_break_is_a_share_of_the_year_it_starts_in() -> None:
    gdpr = next(b for b in bundled().trend_breaks if b.id == "gdpr")
    assert break_dummy(gdpr, "2017") == 0
    assert break_dummy(gdpr, "2018") == pytest.approx(8 / 12)
    assert break_dummy(gdpr, "2019") == 1
    covid = next(b for b in bundled().trend_breaks if b.id == "covid")
    assert break_dummy(covid, "2022") == 0 and break_dummy(covid, "2021-06") == 1


def test_a_known_jump_is_estimated_and_the_series_is_not_one_smooth_trend() -> None:
    counts = [int(1500 * 0.88**i) for i in range(8)] + [int(1500 * 0.88**7 * 2.0 * 0.97**i) for i in range(6)]
    series = Series("t", YEARS, tuple(counts))
    model = fit_breaks(series, tuple(b for b in bundled().trend_breaks if b.id == "asylum_route"))
    jump = model.breaks[0]
    assert jump.id == "asylum_route" and jump.low > 1.5 and jump.p is not None and jump.p < 0.01
    assert model.breaks_p is not None and model.breaks_p < 0.01
    cp = scan_change_point(series)
    assert cp.period == "2019" and cp.found


def test_shares_have_intervals_and_trends() -> None:
    low, high = wilson(30, 100)
    assert low < 0.3 < high
    assert share_test(80, 100).p_above is not None and share_test(80, 100).p_above < 0.001  # type: ignore[operator]
    rising = ShareSeries("s", YEARS, tuple(20 + 3 * i for i in range(len(YEARS))), (100,) * len(YEARS))
    trend = share_trend(rising)
    assert trend.direction == "up" and trend.diff_low is not None and trend.diff_low > 0


def test_a_flat_share_on_few_cases_says_how_little_the_test_could_see() -> None:
    flat = ShareSeries("s", ("2022", "2023", "2024"), (9, 10, 9), (30, 30, 30))
    trend = share_trend(flat)
    assert trend.direction == "none" and trend.power is not None and trend.power < 0.5


def test_a_spreading_distribution_is_more_diverse() -> None:
    div = diversity_shift(("2015", "2024"), ("a", "b", "c"), [[180, 10, 10], [70, 70, 60]])
    assert (
        div.change_low is not None
        and div.change_low > 0
        and div.homogeneity_p is not None
        and div.homogeneity_p < 0.001
    )


def test_bad_series_are_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        Series("labour", ("2020", "2021"), (3, -1))
    with pytest.raises(InvalidInput, match="increasing"):
        Series("labour", ("2021", "2020"), (3, 1))


def test_published_figures_answer_and_bad_rows_are_named() -> None:
    # Synthetic figures in the published file's format (not the real numbers).
    rows = ["year,series,measure,value,note,source"]
    rows += [
        f"{y},rapporteur,registered_total,{v},,"
        for y, v in zip(range(2013, 2025), (900, 880, 800, 760, 700, 650, 1100, 1000, 950, 900, 880, 860), strict=True)
    ]
    rows += [
        "2016,rapporteur,reported_by_care,300,,",
        "2017,rapporteur,reported_by_care,310,,",
        "2018,rapporteur,reported_by_care,90,,",
        "2019,rapporteur,reported_by_care,200,,",
    ]
    source = parse_figures("\n".join(rows))
    falling = answer_question("falling-signals", source, bundled().trend_breaks)
    assert falling.verdict == "mixed"
    assert answer_question("care-reports", source, bundled().trend_breaks).verdict == "supported"
    assert answer_question("riec-labour", source, bundled().trend_breaks).verdict == "not_answerable"
    with pytest.raises(InvalidInput) as caught:
        parse_figures("year,series,measure,value\n2019,x,y,-3\n")
    assert caught.value.problems[0].line == 2 and caught.value.problems[0].field == "value"


def test_nationalities_group_what_people_write() -> None:
    nat = bundled().nationalities
    assert nat.group_of("Poolse") == ("eu", None)
    assert nat.group_of("Eritrese") == ("non_eu", "sub_saharan_africa")
    assert nat.group_of("Indiase") == ("non_eu", "southern_asia")
    assert nat.group_of("nederlands") == ("nl", None)
    assert nat.group_of("Atlantis") == ("unknown", None)
