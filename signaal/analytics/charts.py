"""Charts of published (suppressed) tables, drawn with matplotlib without a browser: SVG for pages, PDF for print."""

from __future__ import annotations

import io
import math
import textwrap
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from signaal.analytics.tables import PublishedTable

if TYPE_CHECKING:
    from signaal.analytics.report import MonitorReport

__all__ = ["line_chart_svg", "report_pdf"]

MAX_LINES = 6


def _draw(table: PublishedTable, lang: str) -> Figure:
    source = table.source
    fig, ax = plt.subplots(figsize=(7.0, 3.2), dpi=100)
    x = list(range(len(source.cols)))
    rows = sorted(range(len(source.rows)), key=lambda i: -sum(v or 0 for v in table.values[i][:-1]))[:MAX_LINES]
    for i in rows:
        ys = [math.nan if v is None else float(v) for v in table.values[i][:-1]]
        ax.plot(x, ys, marker="o", markersize=3, label=source.label(source.rows[i], lang))
    ax.set_xticks(x, list(source.cols), rotation=0, fontsize=8)
    ax.set_ylabel({"nl": "aantal", "en": "count"}[lang] + f" ({source.unit})", fontsize=8)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title(source.title.get(lang, source.id), fontsize=10)
    fig.tight_layout()
    return fig


def line_chart_svg(table: PublishedTable, lang: str) -> str:
    """An SVG line chart of the largest categories of a published table; suppressed cells are gaps."""
    fig = _draw(table, lang)
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def report_pdf(report: MonitorReport, lang: str) -> bytes:
    """The monitor as a PDF: a page of key figures, then a page per section with chart, findings and caveats."""
    out = io.BytesIO()
    with PdfPages(out) as pdf:
        fig = plt.figure(figsize=(8.27, 11.69))
        lines = [report.title[lang], "", *(f"{label[lang]}: {value}" for label, value in report.key_figure_lines(lang))]
        fig.text(0.08, 0.95, "\n".join(lines), va="top", fontsize=11, family="sans-serif")
        pdf.savefig(fig)
        plt.close(fig)
        for section in report.sections:
            fig = plt.figure(figsize=(8.27, 11.69))
            if section.table is not None:
                chart = _draw(section.table, lang)
                chart.set_size_inches(7.5, 3.4)
                pdf.savefig(chart)
                plt.close(chart)
            text = [section.title[lang], ""]
            if section.answer is not None:
                text += [*textwrap.wrap(section.answer.summary[lang], 100), ""]
                for finding in section.answer.findings:
                    text += textwrap.wrap("- " + finding.text[lang], 100)
                for caveat in section.answer.caveats:
                    text += textwrap.wrap("! " + caveat[lang], 100)
            for caveat in section.caveats:
                text += textwrap.wrap("! " + caveat[lang], 100)
            fig.text(0.06, 0.95, "\n".join(text), va="top", fontsize=8, family="sans-serif")
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()
