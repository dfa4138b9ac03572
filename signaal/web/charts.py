"""Server-rendered SVG charts: stacked monthly bars, written by hand (no JavaScript chart library)."""

from __future__ import annotations

from html import escape

__all__ = ["PALETTE", "stacked_bars"]

# Colour-blind-safe palette (Okabe–Ito), then greys for the long tail.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
    "#666666",
    "#BBBBBB",
    "#444444",
)


def stacked_bars(
    months: list[str],
    series: dict[str, dict[str, int]],
    labels: dict[str, str],
    title: str,
    *,
    width: int = 760,
    height: int = 240,
) -> str:
    """An accessible SVG of stacked bars per month, one colour per series, with a legend and a title."""
    top = sorted(series, key=lambda k: -sum(series[k].values()))
    if len(top) > len(PALETTE):
        # Keep the chart readable: the smallest series fold into "other".
        keep, rest = top[: len(PALETTE) - 1], top[len(PALETTE) - 1 :]
        merged: dict[str, int] = {}
        for key in rest:
            for month, count in series[key].items():
                merged[month] = merged.get(month, 0) + count
        series = {**{k: series[k] for k in keep}, "_other": merged}
        labels = {**labels, "_other": "…"}
        top = [*keep, "_other"]
    totals = [sum(series[k].get(m, 0) for k in top) for m in months]
    peak = max(totals, default=0) or 1
    left, bottom, legend_h = 40, 30, 18 * ((len(top) + 2) // 3)
    plot_w, plot_h = width - left - 10, height - bottom - 10
    bar_w = plot_w / max(1, len(months))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height + legend_h}" '
        f'width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{10 + plot_h}" x2="{width - 10}" y2="{10 + plot_h}" stroke="#333"/>',
        f'<text x="{left - 4}" y="16" font-size="11" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{10 + plot_h}" font-size="11" text-anchor="end">0</text>',
    ]
    for i, month in enumerate(months):
        y = float(10 + plot_h)
        x = left + i * bar_w
        for j, key in enumerate(top):
            count = series[key].get(month, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(1.0, bar_w - 2):.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(month)} · {escape(labels.get(key, key))}: {count}</title></rect>'
            )
        if i % max(1, len(months) // 8) == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - 12}" font-size="10" text-anchor="middle">{escape(month)}</text>'
            )
    # A legend column holds about this many characters at font size 11; longer labels are cut,
    # with the whole label kept as the entry's tooltip.
    fits = max(8, int((plot_w / 3 - 20) / 6.2))
    for j, key in enumerate(top):
        lx, ly = left + (j % 3) * (plot_w / 3), height + 4 + 18 * (j // 3)
        label = labels.get(key, key)
        shown = label if len(label) <= fits else label[: fits - 1].rstrip() + "…"
        parts.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(
            f'<text x="{lx + 16:.1f}" y="{ly + 10}" font-size="11"><title>{escape(label)}</title>{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
