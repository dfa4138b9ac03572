"""Charts of published (suppressed) tables, drawn with matplotlib without a browser: SVG for pages, PDF for print.

Each chart is drawn once and saved in both forms; text stays text in the SVG (no glyph paths),
which keeps the files small and the drawing fast.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from signaal.analytics.tables import PublishedTable

if TYPE_CHECKING:
    from signaal.analytics.report import MonitorReport

__all__ = ["draw_chart", "line_chart_svg", "report_pdf", "svg_of"]

MAX_LINES = 6
#: The units of the published tables in words, per language (an unknown unit is shown as it is).
UNITS = {
    "signals": {"nl": "signalen", "en": "signals"},
    "victims": {"nl": "slachtoffers", "en": "victims"},
    "persons": {"nl": "personen", "en": "persons"},
}
MAX_LINES_COMPACT = 4


def draw_chart(table: PublishedTable, lang: str, *, compact: bool = False) -> Figure:
    """A line chart of the largest categories of a published table; suppressed cells are gaps.

    ``compact`` draws for a page that may be a phone's: narrower, larger type, at most
    ``MAX_LINES_COMPACT`` lines and the legend under the plot instead of beside it.
    """
    source = table.source
    lines = MAX_LINES_COMPACT if compact else MAX_LINES
    size = (4.6, 4.2) if compact else (7.0, 3.2)
    with plt.rc_context({"svg.fonttype": "none", "font.size": 9 if compact else 8}):
        fig = Figure(figsize=size, dpi=100)
        ax = fig.add_axes((0.13, 0.42, 0.84, 0.5) if compact else (0.08, 0.12, 0.62, 0.76))
        x = list(range(len(source.cols)))
        rows = sorted(range(len(source.rows)), key=lambda i: -sum(v or 0 for v in table.values[i][:-1]))[:lines]
        for i in rows:
            ys = [math.nan if v is None else float(v) for v in table.values[i][:-1]]
            ax.plot(x, ys, marker="o", markersize=3, label=source.label(source.rows[i], lang))
        labels = [str(c) for c in source.cols]
        if compact and len(labels) > 6:  # every other year, so the labels do not run into each other
            labels = [c if (len(labels) - 1 - k) % 2 == 0 else "" for k, c in enumerate(labels)]
        ax.set_xticks(x, labels)
        unit = UNITS.get(source.unit, {}).get(lang, source.unit)
        ax.set_ylabel({"nl": "aantal", "en": "count"}[lang] + f" ({unit})")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        if rows and compact:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(-0.12, -0.12), ncols=2, frameon=False)
        elif rows:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        if not compact:  # a page has the title as its heading
            ax.set_title(source.title.get(lang, source.id), fontsize=10)
    return fig


def svg_of(fig: Figure) -> str:
    """The figure as an inline SVG element."""
    out = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "font.size": 8}):
        fig.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def line_chart_svg(table: PublishedTable, lang: str) -> str:
    """An SVG line chart of a published table, drawn for a page (see ``draw_chart``'s ``compact``)."""
    return svg_of(draw_chart(table, lang, compact=True))


def _text_page(lines: list[str], size: int) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.06, 0.96, "\n".join(lines), va="top", fontsize=size, family="sans-serif")
    return fig


def report_pdf(report: MonitorReport, lang: str, charts: dict[str, Figure]) -> bytes:
    """The monitor as a PDF: key figures, then per section its chart and a page of findings and caveats."""
    out = io.BytesIO()
    # The PDF's fourteen core fonts need no embedding, which makes it about three times faster to
    # write; the texts keep to their character set (no arrows or comparison signs).
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)  # the core fonts have no weight called "normal"; that is fine
    try:
        with plt.rc_context({"pdf.use14corefonts": True}), PdfPages(out) as pdf:
            _pages(pdf, report, lang, charts)
    finally:
        fonts.setLevel(level)
    return out.getvalue()


def _pages(pdf: Any, report: MonitorReport, lang: str, charts: dict[str, Figure]) -> None:
    lines = [report.title[lang], "", *(f"{label[lang]}: {value}" for label, value in report.key_figure_lines(lang))]
    pdf.savefig(_text_page(lines, 11))
    for section in report.sections:
        if section.id in charts:
            pdf.savefig(charts[section.id])
        text = [section.title[lang], ""]
        if section.answer is not None:
            text += [*textwrap.wrap(section.answer.summary[lang], 110), ""]
            for finding in section.answer.findings:
                text += textwrap.wrap("- " + finding.text[lang], 110)
            for caveat in section.answer.caveats:
                text += textwrap.wrap("! " + caveat[lang], 110)
        for caveat in section.caveats:
            text += textwrap.wrap("! " + caveat[lang], 110)
        pdf.savefig(_text_page(text, 8))
