"""The monitor report: key figures, and sections each with a chart, its (suppressed) table, its test and caveats.

Everything here is made from published tables — never from raw counts — so the HTML, the PDF and
the CSV files carry no cell the suppression hid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from signaal.analytics.charts import line_chart_svg
from signaal.analytics.tables import PublishedTable
from signaal.analytics.wording import Answer, num, pct

__all__ = ["MonitorReport", "Section", "render_html"]


@dataclass(frozen=True)
class Section:
    """One part of the report: a table (may be absent), the answer that tests it, and caveats."""

    id: str
    title: dict[str, str]
    table: PublishedTable | None
    answer: Answer | None = None
    caveats: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class MonitorReport:
    """The whole monitor of one year."""

    year: int
    threshold: int
    sections: tuple[Section, ...]
    totals: PublishedTable  # signals per year (the key-figure table)
    victims: PublishedTable | None
    generated: date = field(default_factory=date.today)

    @property
    def title(self) -> dict[str, str]:
        """The report title in both languages."""
        return {"nl": f"Monitor mensenhandel {self.year}", "en": f"Trafficking monitor {self.year}"}

    def key_figure_lines(self, lang: str) -> list[tuple[dict[str, str], str]]:
        """Key figures as (label, shown value), from published cells only."""
        totals = self.totals.total_values()
        cols = self.totals.source.cols
        lines: list[tuple[dict[str, str], str]] = []
        year = str(self.year)
        if year in cols:
            i = cols.index(year)
            now = totals[i]
            lines.append(
                ({"nl": f"signalen in {year}", "en": f"signals in {year}"}, num(now, lang) if now is not None else "x")
            )
            if i > 0 and now is not None and totals[i - 1]:
                before = totals[i - 1]
                assert before is not None
                lines.append(
                    (
                        {"nl": f"verandering ten opzichte van {cols[i - 1]}", "en": f"change from {cols[i - 1]}"},
                        pct(now / before - 1, lang, 1, True),
                    )
                )
            if self.victims is not None:
                v = (
                    self.victims.total_values()[self.victims.source.cols.index(year)]
                    if year in self.victims.source.cols
                    else None
                )
                lines.append(
                    (
                        {"nl": f"mogelijke slachtoffers in {year}", "en": f"possible victims in {year}"},
                        num(v, lang) if v is not None else "x",
                    )
                )
        lines.append(({"nl": "drempel voor kleine cellen", "en": "small-cell threshold"}, str(self.threshold)))
        return lines


_ENV = Environment(loader=PackageLoader("signaal.analytics", "templates"), autoescape=select_autoescape(["html", "j2"]))


def render_html(report: MonitorReport, lang: str, svgs: dict[str, str] | None = None) -> str:
    """The report as one self-contained HTML page (charts inline as SVG, drawn here unless given)."""
    if svgs is None:
        svgs = {s.id: line_chart_svg(s.table, lang) for s in report.sections if s.table is not None}
    charts = {key: Markup(svg) for key, svg in svgs.items()}  # SVG made by matplotlib from published cells
    return _ENV.get_template("monitor.html.j2").render(report=report, lang=lang, charts=charts, num=num)
