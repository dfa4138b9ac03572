"""Server-rendered charts: stacked monthly bars, written by hand (no JavaScript chart library).

The bars are an SVG stretched to the width of the page; the texts around them (the scale, the
months, the legend, the note on a month still running) are HTML, so they keep their size and wrap
on a phone instead of shrinking with the drawing. A chart shows at most ``MAX_SERIES`` series: the
largest, and the rest together as "other". Colours come from classes in ``style.css`` (the content
security policy allows no inline styles).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

__all__ = ["MAX_SERIES", "PALETTE", "stacked_bars"]

# Colour-blind-safe palette (Okabe–Ito), then greys; ``style.css`` has the same as .sw0 … .sw7.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#999999",
    "#000000",
)

#: Series drawn per chart: the five largest and "other".
MAX_SERIES = 6
OTHER = "_other"


def _fold(
    series: dict[str, dict[str, int]], labels: dict[str, str], other: str
) -> tuple[list[str], dict[str, dict[str, int]], dict[str, str]]:
    """The largest series first; beyond ``MAX_SERIES`` the smallest fold into one "other" series."""
    top = sorted(series, key=lambda k: (-sum(series[k].values()), k))
    if len(top) <= MAX_SERIES:
        return top, series, labels
    keep, rest = top[: MAX_SERIES - 1], top[MAX_SERIES - 1 :]
    merged: dict[str, int] = {}
    for key in rest:
        for month, count in series[key].items():
            merged[month] = merged.get(month, 0) + count
    return [*keep, OTHER], {**{k: series[k] for k in keep}, OTHER: merged}, {**labels, OTHER: other}


def _bars(
    months: list[str],
    top: list[str],
    series: dict[str, dict[str, int]],
    labels: dict[str, str],
    peak: int,
    partial: bool,
    title: str,
) -> str:
    width = 10 * max(1, len(months))
    parts = [
        f'<svg class="bars-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 100" '
        f'preserveAspectRatio="none" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="0" y1="50" x2="{width}" y2="50" stroke="#d0d0d0" stroke-width="1" vector-effect="non-scaling-stroke"/>',
    ]
    for i, month in enumerate(months):
        y = 100.0
        last = partial and i == len(months) - 1
        for j, key in enumerate(top):
            count = series[key].get(month, 0)
            if not count:
                continue
            h = 100 * count / peak
            y -= h
            extra = ' fill-opacity="0.45"' if last else ""
            parts.append(
                f'<rect x="{10 * i + 1}" y="{y:.2f}" width="8" height="{h:.2f}" fill="{PALETTE[j % len(PALETTE)]}"{extra}>'
                f"<title>{escape(month)} · {escape(labels.get(key, key))}: {count}</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(
    months: list[str],
    series: dict[str, dict[str, int]],
    labels: dict[str, str],
    title: str,
    *,
    month_label: Callable[[str], str] = str,
    other: str = "…",
    partial_note: str | None = None,
) -> str:
    """A chart of stacked bars per month (HTML around an SVG), one colour per series, with a legend.

    ``month_label`` writes a month ("2026-12") for people; ``partial_note`` says that the last month
    is still running — its bars are drawn paler and the note stands under the chart.
    """
    top, series, labels = _fold(series, labels, other)
    totals = [sum(series[k].get(m, 0) for k in top) for m in months]
    peak = max(totals, default=0) or 1
    ticks = [months[0], months[len(months) // 2], months[-1]] if len(months) > 2 else months
    legend = "".join(
        f'<li><span class="swatch sw{j % len(PALETTE)}" aria-hidden="true"></span>{escape(labels.get(key, key))} '
        f'<span class="legend-n">({sum(series[key].values())})</span></li>'
        for j, key in enumerate(top)
    )
    note = f'<figcaption class="hint partial-note">{escape(partial_note)}</figcaption>' if partial_note else ""
    half = f"{peak / 2:g}" if peak % 2 == 0 else ""
    return (
        '<figure class="bars">'
        f'<div class="bars-grid"><div class="bars-y" aria-hidden="true"><span>{peak}</span><span>{half}</span><span>0</span></div>'
        f"{_bars(months, top, series, labels, peak, partial_note is not None, title)}"
        '<div></div><div class="bars-x" aria-hidden="true">'
        + "".join(f"<span>{escape(month_label(m))}</span>" for m in ticks)
        + f'</div></div><ul class="legend">{legend}</ul>{note}</figure>'
    )
