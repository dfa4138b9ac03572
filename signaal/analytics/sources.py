"""Where the monitor's series come from, and the trend tests every count series gets.

A :class:`Source` gives yearly count series by filters (the registry's events, or published
figures); :func:`series_answer` runs Mann-Kendall, the break model, the change-point scan and the
recent-years test on one of them.
"""

from __future__ import annotations

from typing import Protocol

from signaal.analytics.findings import Label, _n, break_finding, change_finding, mk_finding
from signaal.analytics.models import fit_breaks, scan_change_point
from signaal.analytics.monotonic import mann_kendall
from signaal.analytics.series import Series, ShareSeries
from signaal.analytics.wording import Answer, Finding, say
from signaal.catalogue.monitoring import TrendBreak

__all__ = ["MOVES", "Source", "series_answer", "share_of", "trend_findings"]


class Source(Protocol):
    """Where the series come from: the analytics events, or a file of published figures."""

    description: dict[str, str]

    def series(self, filters: dict[str, str], unit: str = "signals") -> Series | None:
        """Yearly counts matching the filters (dimension -> value, "a|b" for either), or None if unknown here."""
        ...

    def distribution(
        self, dimension: str, filters: dict[str, str], unit: str = "victims"
    ) -> tuple[tuple[str, ...], tuple[str, ...], list[list[int]]] | None:
        """(years, categories, counts years x categories) of one dimension, or None if unknown here."""
        ...

    def estimates(self) -> list[tuple[str, float, float | None, float | None]]:
        """Estimates of the total (hidden number included) per year: (year, estimate, low, high)."""
        ...


def share_of(name: str, part: Series | None, whole: Series | None) -> ShareSeries | None:
    """The share of ``part`` in ``whole`` over the periods both have."""
    if part is None or whole is None:
        return None
    counts = dict(zip(part.periods, part.counts, strict=True))
    periods = tuple(p for p in whole.periods if p in counts)
    totals = dict(zip(whole.periods, whole.counts, strict=True))
    return ShareSeries(name, periods, tuple(counts[p] for p in periods), tuple(totals[p] for p in periods))


RECENT = 6


def trend_findings(label: Label, series: Series, breaks: tuple[TrendBreak, ...]) -> tuple[list[Finding], str]:
    mk = mann_kendall(series)
    model = fit_breaks(series, breaks)
    cp = scan_change_point(series, breaks)
    findings = [mk_finding(label, mk), break_finding(label, model, breaks), change_finding(label, cp)]
    if len(series.periods) >= RECENT + 2 and not series.monthly:
        tail = Series(series.name, series.periods[-RECENT:], series.counts[-RECENT:], series.filters)
        span = f"{tail.periods[0]}–{tail.periods[-1]}"
        recent = {lang: f"{_n(label, lang)}, {span}" for lang in ("nl", "en")}
        findings.append(mk_finding(recent, mann_kendall(tail)))
    if mk.too_few and model.reason:
        return findings, "too_few_points"
    significant = model.trend is not None and model.trend_p is not None and model.trend_p < 0.05
    falling = mk.direction == "down" or (significant and model.trend is not None and model.trend < 0)
    rising = mk.direction == "up" or (significant and model.trend is not None and model.trend > 0)
    broken = (model.breaks_p is not None and model.breaks_p < 0.05) or cp.found
    if falling and rising:
        return findings, "mixed"
    if falling or rising:
        return findings, ("mixed" if broken else ("falling" if falling else "rising"))
    return findings, ("jumps" if broken else "no_trend")


MOVES = {
    "falling": ("dalend", "falling"),
    "rising": ("stijgend", "rising"),
    "mixed": (
        "geen gladde trend: een onderliggende trend met sprongen",
        "not one smooth trend: an underlying trend with jumps",
    ),
    "no_trend": ("geen aantoonbare trend", "no detectable trend"),
    "jumps": (
        "geen gestage trend, wel sprongen op bekende of gevonden momenten",
        "no steady trend, but jumps at known or found moments",
    ),
    "too_few_points": ("te weinig punten voor een toets", "too few points for a test"),
}


def series_answer(
    source: Source, filters: dict[str, str], breaks: tuple[TrendBreak, ...], unit: str = "signals"
) -> Answer:
    """An ad-hoc question: the trend of one series, with every test."""
    label = ", ".join(f"{k}={v}" for k, v in filters.items()) or ("alle" if unit == "signals" else "all")
    title = say(f"Reeks {label}", f"Series {label}")
    series = source.series(filters, unit)
    if series is None:
        return Answer(
            "series",
            title,
            "not_answerable",
            say("Deze reeks is in deze bron niet beschikbaar.", "This series is not available in this source."),
        )
    findings, move = trend_findings(label, series, breaks)
    summary = say(f"{label}: {MOVES[move][0]}.", f"{label}: {MOVES[move][1]}.")
    return Answer("series", title, move, summary, tuple(findings), data=(series.as_dict(),))
