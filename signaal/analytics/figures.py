"""Published figures (long format: year, series, measure, value, note, source) as a source for the questions.

The Rapporteur's cleaned series is preferred; CoMensha's own count fills the years it lacks only
when asked for (``series_name="comensha"``), because the two count differently and splicing them
would make a break of its own.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from signaal.analytics.series import Series
from signaal.errors import InvalidInput, Problem

__all__ = ["FIGURE_FILTERS", "FiguresSource", "parse_figures"]

#: Which published measure answers which series of the questions.
FIGURE_FILTERS: dict[tuple[tuple[str, str], ...], str] = {
    (): "registered_total",
    (("reporter_sector", "care"),): "reported_by_care",
    (("reporter_sector", "police"),): "reported_by_police",
    (("reporter_sector", "labour_inspectorate"),): "reported_by_labour_inspectorate",
    (("reporter_sector", "kmar"),): "reported_by_kmar",
    (("minor", "yes"),): "minors",
    (("form", "sexual"),): "sexual",
    (("form", "labour"),): "labour_incl_criminal",
    (("form", "criminal"),): "criminal",
}
_RANGE = re.compile(r"range (?:about )?([\d,]+)\s*[-–]\s*([\d,]+)")


@dataclass(frozen=True)
class FiguresSource:
    """Published yearly figures: measure -> {year: value} per series name."""

    values: dict[str, dict[str, dict[str, int]]]  # series -> measure -> year -> value
    notes: dict[tuple[str, str, str], str] = field(default_factory=dict)
    series_name: str = "rapporteur"
    description: dict[str, str] = field(
        default_factory=lambda: {"nl": "gepubliceerde cijfers", "en": "published figures"}
    )

    def series(self, filters: dict[str, str], unit: str = "signals") -> Series | None:
        """The published series for these filters, or None when no published measure matches."""
        measure = FIGURE_FILTERS.get(tuple(sorted(filters.items())))
        found = self.values.get(self.series_name, {}).get(measure or "", {})
        if not found:
            return None
        years = tuple(sorted(found))
        return Series(f"{self.series_name}:{measure}", years, tuple(found[y] for y in years), dict(filters))

    def distribution(self, dimension: str, filters: dict[str, str], unit: str = "victims") -> None:
        """Published figures hold no full distributions."""
        return None

    def estimates(self) -> list[tuple[str, float, float | None, float | None]]:
        """The multiple systems estimates with their published ranges."""
        out = []
        for year, value in sorted(self.values.get("mse_estimate", {}).get("estimated_total", {}).items()):
            match = _RANGE.search(self.notes.get(("mse_estimate", "estimated_total", year), ""))
            low, high = (float(g.replace(",", "")) for g in match.groups()) if match else (None, None)
            out.append((year, float(value), low, high))
        return out


def parse_figures(text: str, file: str = "nl-figures.csv") -> FiguresSource:
    """Read published figures; a bad row is named by file, line and field."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"year", "series", "measure", "value"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(f"{file}: missing columns {', '.join(sorted(missing))}")
    values: dict[str, dict[str, dict[str, int]]] = {}
    notes: dict[tuple[str, str, str], str] = {}
    problems = []
    for line, row in enumerate(reader, start=2):
        year, value = (row.get("year") or "").strip(), (row.get("value") or "").strip()
        if not re.fullmatch(r"\d{4}", year):
            problems.append(Problem(f"year {year!r} is not a year", file=file, line=line, field="year"))
            continue
        if not re.fullmatch(r"\d+", value):
            problems.append(
                Problem(f"value {value!r} is not a non-negative whole number", file=file, line=line, field="value")
            )
            continue
        key = (row["series"].strip(), row["measure"].strip())
        values.setdefault(key[0], {}).setdefault(key[1], {})[year] = int(value)
        notes[(key[0], key[1], year)] = row.get("note") or ""
    if problems:
        raise InvalidInput(f"{file}: {len(problems)} bad rows", problems)
    return FiguresSource(values, notes)
