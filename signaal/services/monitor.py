"""The monitor report of one year: tables from the analytics events, suppressed together, tested and written out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from signaal.analytics.charts import draw_chart, report_pdf, svg_of
from signaal.analytics.linkgroups import ORGANISED_MIN_GROUP
from signaal.analytics.questions import answer_question
from signaal.analytics.report import MonitorReport, Section, render_html
from signaal.analytics.suppression import suppress_report
from signaal.analytics.tables import CountTable, PublishedTable
from signaal.analytics.wording import num, say
from signaal.catalogue import Catalogue
from signaal.catalogue.monitoring import Nationalities
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, StorageError
from signaal.services.analytics import (
    WarehouseSource,
    complete_years,
    hidden_number,
    open_warehouse,
    refresh_analytics,
    require_analytics,
)
from signaal.services.warehouse import Warehouse
from signaal.store import Store

__all__ = ["MonitorFiles", "build_monitor", "latest_year", "monitor_tables", "write_monitor"]

YEARS_SHOWN = 10

#: (table id, dimension, unit, title, extra filters, totals key, the test that goes with it)
TABLES: tuple[tuple[str, str, str, dict[str, str], dict[str, str], str, str | None], ...] = (
    (
        "sources",
        "reporter_sector",
        "signals",
        say("Signalen naar bron (sector van de melder)", "Signals by source (reporter sector)"),
        {},
        "signals",
        "care-reports",
    ),
    (
        "forms",
        "form",
        "signals",
        say("Signalen naar vorm van uitbuiting", "Signals by form of exploitation"),
        {},
        "signals",
        "riec-labour",
    ),
    (
        "regions",
        "police_unit",
        "signals",
        say("Signalen naar politie-eenheid (RIEC-regio)", "Signals by police unit (RIEC region)"),
        {},
        "signals",
        None,
    ),
    (
        "age",
        "age_band",
        "victims",
        say("Mogelijke slachtoffers naar leeftijd", "Possible victims by age"),
        {},
        "victims",
        "diversity",
    ),
    (
        "nationality",
        "nationality_group",
        "victims",
        say(
            "Mogelijke slachtoffers naar herkomst (NL / EU / buiten de EU)",
            "Possible victims by origin (NL / EU / non-EU)",
        ),
        {},
        "victims",
        "hidden-third-country",
    ),
    (
        "world_region",
        "world_region",
        "victims",
        say("Mogelijke slachtoffers van buiten de EU naar werelddeel", "Possible non-EU victims by world region"),
        {"nationality_group": "non_eu"},
        "victims:non_eu",
        "asia-migration",
    ),
    (
        "sex",
        "sex",
        "victims",
        say("Mogelijke slachtoffers naar geslacht", "Possible victims by sex"),
        {},
        "victims",
        None,
    ),
)


def _labels(catalogue: Catalogue, nat: Nationalities) -> dict[str, dict[str, dict[str, str]]]:
    return {
        "reporter_sector": {k: {"nl": v.nl, "en": v.en} for k, v in catalogue.reporter_sectors.items()},
        "form": {k: {"nl": v.nl, "en": v.en} for k, v in catalogue.forms.items()},
        "police_unit": {k: {"nl": v.nl, "en": v.nl} for k, v in catalogue.police_units.items()},
        "nationality_group": {
            "nl": say("Nederlands", "Dutch"),
            "eu": say("EU/EER", "EU/EEA"),
            "non_eu": say("buiten de EU", "non-EU"),
        },
        "world_region": {k: {"nl": v.nl, "en": v.en} for k, v in nat.regions.items()},
        "sex": {"female": say("vrouw", "female"), "male": say("man", "male"), "other": say("anders", "other")},
    }


def _shelter_table(warehouse: Warehouse, catalogue: Catalogue, years: tuple[str, ...]) -> CountTable | None:
    """Signals with a shelter request, by the type of shelter asked for (None when there are none)."""
    found = warehouse.counts({}, "shelter_type")
    kinds = sorted({g for (p, g) in found if p in years and g not in ("None", "unknown")})
    if not kinds:
        return None
    cells = tuple(tuple(found.get((y, k), 0) for y in years) for k in kinds)
    return CountTable(
        id="shelter",
        title=say(
            "Signalen met een opvangaanvraag, naar soort opvang", "Signals with a shelter request, by type of shelter"
        ),
        dimension="shelter_type",
        rows=tuple(kinds),
        cols=years,
        cells=cells,
        col_totals=tuple(sum(row[i] for row in cells) for i in range(len(years))),
        unit="signals",
        total_key="signals:shelter",
    )


def _waiting_note(warehouse: Warehouse, years: tuple[str, ...], threshold: int) -> dict[str, str]:
    """Median days from shelter request to placement per year, only where enough placements back it."""
    waits = warehouse.shelter_waits()
    shown = [(y, *waits[y]) for y in years if y in waits and waits[y][0] >= threshold]
    if not shown:
        return say(
            f"Wachttijd tot plaatsing: in geen enkel jaar {threshold} of meer gestarte plaatsingen; niet getoond.",
            f"Waiting time to placement: no year with {threshold} or more started placements; not shown.",
        )
    return say(
        "Mediane wachttijd van aanvraag tot plaatsing: "
        + "; ".join(f"{y}: {num(m, 'nl', 1)} dagen (n = {n})" for y, n, m in shown)
        + ".",
        "Median days from request to placement: "
        + "; ".join(f"{y}: {num(m, 'en', 1)} days (n = {n})" for y, n, m in shown)
        + ".",
    )


def monitor_tables(
    warehouse: Warehouse, catalogue: Catalogue, nationalities: Nationalities, years: tuple[str, ...]
) -> list[CountTable]:
    """The count tables of the report (true counts; suppress before they leave the analyst role)."""
    labels = _labels(catalogue, nationalities)
    totals = {
        "signals": warehouse.counts({}, None),
        "victims": warehouse.counts({}, None, unit="victims"),
        "victims:non_eu": warehouse.counts({"nationality_group": "non_eu"}, None, unit="victims"),
    }
    tables = []
    for table_id, dim, unit, title, filters, key, _ in TABLES:
        found = warehouse.counts(filters, dim, unit=unit)
        cats = sorted({g for (p, g) in found if p in years})
        cats = [c for c in cats if c not in ("unknown", "none")] + [c for c in cats if c in ("unknown",)]
        additive = dim != "form"
        cells = tuple(tuple(found.get((y, c), 0) for y in years) for c in cats)
        col_totals = tuple(totals[key].get((y, "all"), 0) for y in years)
        if additive:
            col_totals = tuple(sum(row[i] for row in cells) for i in range(len(years)))
        unknown_label = {"unknown": say("onbekend", "unknown")}
        tables.append(
            CountTable(
                id=table_id, title=title, dimension=dim, rows=tuple(cats), cols=years, cells=cells, col_totals=col_totals,
                labels={**labels.get(dim, {}), **unknown_label}, additive=additive, unit=unit, total_key=key,
                row_keys={"non_eu": "victims:non_eu"} if dim == "nationality_group" else {},
            )
        )  # fmt: skip
    shelter = _shelter_table(warehouse, catalogue, years)
    if shelter is not None:
        tables.append(shelter)
    linked = warehouse.counts({"linked_group": f">={ORGANISED_MIN_GROUP}"}, None)
    total = totals["signals"]
    in_group = tuple(linked.get((y, "all"), 0) for y in years)
    tables.append(
        CountTable(
            id="linked", title=say("Signalen in een groep gekoppelde signalen", "Signals in a group of linked signals"),
            dimension="linked_group", rows=("linked", "single"), cols=years,
            cells=(in_group, tuple(total.get((y, "all"), 0) - n for y, n in zip(years, in_group, strict=True))),
            col_totals=tuple(total.get((y, "all"), 0) for y in years), unit="signals", total_key="signals",
            labels={"linked": say(f"in een groep van {ORGANISED_MIN_GROUP} of meer", f"in a group of {ORGANISED_MIN_GROUP} or more"), "single": say("overig", "other")},
        )
    )  # fmt: skip
    return tables


def latest_year(store: Store, actor: Actor) -> int:
    """The last complete year with signals (the current one only once its December has events)."""
    require_analytics(actor)
    refresh_analytics(store, actor)
    warehouse = open_warehouse(store)
    try:
        years = complete_years(warehouse)
    finally:
        warehouse.close()
    if not years:
        raise InvalidInput("no complete year of signals in the analytics events yet")
    return int(years[-1])


def build_monitor(store: Store, actor: Actor, year: int) -> tuple[MonitorReport, list[PublishedTable]]:
    """The monitor of ``year`` (the ten years up to it), suppressed, with the named questions as its tests."""
    require_analytics(actor)
    refresh_analytics(store, actor)
    warehouse = open_warehouse(store)
    try:
        have = warehouse.periods("year")
        if str(year) not in have:
            raise InvalidInput(
                f"no signals in {year} in the analytics events; years with signals: {', '.join(have) or 'none'}"
            )
        first = max(int(have[0]), year - YEARS_SHOWN + 1)
        years = tuple(str(y) for y in range(first, year + 1))
        tables = monitor_tables(warehouse, store.catalogue, store.knowledge.nationalities, years)
        estimates, hidden_text = hidden_number(store, actor, year)
        waiting = _waiting_note(warehouse, years, store.settings.suppression_threshold)
        source = WarehouseSource(warehouse, years, found_estimates=estimates)
        breaks = store.knowledge.trend_breaks
        tests = {name: answer_question(name, source, breaks) for _, _, _, _, _, _, name in TABLES if name}
        tests["falling-signals"] = answer_question("falling-signals", source, breaks)
        tests["organised-shift"] = answer_question("organised-shift", source, breaks)
    finally:
        warehouse.close()
    published = suppress_report(tables, store.settings.suppression_threshold)
    by_id = {p.id: p for p in published}
    sections = [
        Section("total", say("Aantal signalen", "Number of signals"), by_id["sources"], tests["falling-signals"])
    ]
    for table_id, _, _, title, _, _, test in TABLES:
        caveat = (
            (
                say(
                    "Regio's verschillen in hoe en hoeveel ze registreren.",
                    "Regions differ in how and how much they register.",
                ),
            )
            if table_id == "regions"
            else ()
        )
        sections.append(Section(table_id, title, by_id[table_id], tests.get(test) if test else None, caveat))
    if "shelter" in by_id:
        sections.append(Section("shelter", by_id["shelter"].source.title, by_id["shelter"], None, (waiting,)))
    sections.append(Section("linked", by_id["linked"].source.title, by_id["linked"], tests["organised-shift"]))
    sections.append(Section("hidden", say("Het verborgen aantal", "The hidden number"), None, None, (hidden_text,)))
    victims = by_id["age"]
    report = MonitorReport(year, store.settings.suppression_threshold, tuple(sections), by_id["sources"], victims)
    return report, published


@dataclass(frozen=True)
class MonitorFiles:
    """What ``write_monitor`` wrote."""

    html: Path
    pdf: Path
    csv: tuple[Path, ...]


def write_monitor(store: Store, actor: Actor, year: int, out: Path, lang: str = "nl") -> MonitorFiles:
    """Write the monitor of ``year`` as HTML, PDF and one CSV per table (all suppressed) into ``out``."""
    if lang not in ("nl", "en"):
        raise InvalidInput(f"unknown language {lang!r}; use nl or en")
    report, published = build_monitor(store, actor, year)
    try:
        (out / "tables").mkdir(parents=True, exist_ok=True)
        html = out / f"monitor-{year}.html"
        charts = {s.id: draw_chart(s.table, lang) for s in report.sections if s.table is not None}
        html.write_text(render_html(report, lang, {key: svg_of(fig) for key, fig in charts.items()}), encoding="utf-8")
        pdf = out / f"monitor-{year}.pdf"
        pdf.write_bytes(report_pdf(report, lang, charts))
        csvs = []
        for table in published:
            path = out / "tables" / f"{table.id}.csv"
            path.write_text(table.to_csv(lang), encoding="utf-8")
            csvs.append(path)
    except OSError as exc:
        raise StorageError(f"cannot write the report to {out}: {exc.strerror or exc}") from None
    return MonitorFiles(html, pdf, tuple(csvs))
