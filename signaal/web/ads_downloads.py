"""Downloads of a finished ad screen: its groups and its grouped ads as CSV, and the HTML report.

Every CSV cell goes through the export's formula neutraliser (:func:`signaal.ingest.tabular.safe_cell`):
ad text is written by strangers, and a spreadsheet must not run it. A download for a Dutch page is
written as Dutch Excel reads it: cells separated by ";" and numbers with a decimal comma ("42,5");
an English one with "," and a decimal point.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from signaal.ads.reasons import indicator_label, reason_lines
from signaal.ingest.tabular import safe_cell
from signaal.store.screen_files import ScreenFolder
from signaal.web.i18n import Translator

__all__ = ["ads_csv", "groups_csv", "report_html"]

GROUP_COLUMNS = ("rank", "group", "score", "ads", "hubs", "cities", "movement", "names", "contacts", "reasons")
AD_COLUMNS = (
    "group",
    "ad",
    "score",
    "city",
    "posted",
    "name",
    "title",
    "body",
    "contacts",
    "indicators",
    "counter_signals",
    "url",
)
# Groups and ads per group in the HTML report (as the CLI's report).
REPORT_GROUPS = 200
REPORT_ADS = 10


def _number(value: object, lang: str) -> object:
    """A fractional number with a decimal comma in Dutch; any other cell as it is."""
    if isinstance(value, float) and lang == "nl":
        return repr(value).replace(".", ",")
    return value


def _csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]], lang: str = "en") -> Iterator[str]:
    """CSV text a line at a time (with a BOM, so Excel reads UTF-8), every cell neutralised; in Dutch
    separated by semicolons, numbers with a decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "nl" else ",")
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_number(safe_cell(cell), lang) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _joined(values: Iterable[object]) -> str:
    return "; ".join(str(v) for v in values)


def _header(columns: Iterable[str], t: Translator | None) -> list[str]:
    """Column names in the reader's language (as they are without a translator)."""
    return [t(f"adscsv.{c}") if t is not None else c for c in columns]


def groups_csv(folder: ScreenFolder, t: Translator | None = None) -> Iterator[str]:
    """Every group of the screen, highest score first: one CSV line each; with a translator the column
    names and the reasons are in its language, indicators by their label."""

    def rows() -> Iterator[list[object]]:
        for rank, g in enumerate(folder.groups(), start=1):
            movement = g.get("movement") or {}
            moved = f"{' -> '.join(movement['cities'])} ({movement['first']} - {movement['last']})" if movement else ""
            yield [
                rank,
                g["id"],
                g["score"],
                len(g["ads"]),
                _joined(h["contact"] for h in g["hubs"]),
                _joined(g["cities"]),
                moved,
                _joined(g["names"]),
                _joined(g["contacts"]),
                _joined(reason_lines(g, t.lang) if t is not None else g["reasons"]),
            ]

    return _csv_lines(_header(GROUP_COLUMNS, t), rows(), t.lang if t is not None else "en")


def ads_csv(folder: ScreenFolder, t: Translator | None = None) -> Iterator[str]:
    """Every ad of every group, group by group in rank order: one CSV line each (column names and
    indicators in the translator's language when there is one)."""

    def named(ids: Iterable[str]) -> str:
        return _joined(indicator_label(i, t.lang) if t is not None else i for i in sorted(set(ids)))

    def rows() -> Iterator[list[object]]:
        for g in folder.groups():
            for features, ad in folder.group_ads(g["id"]):
                hits = features.get("indicators", [])
                yield [
                    g["id"],
                    ad["id"],
                    features.get("score"),
                    ad["city"],
                    ad["posted"],
                    ad["name"],
                    ad["title"],
                    ad["body"],
                    _joined(features.get("contacts", [])),
                    named(h["id"] for h in hits if not h.get("counter")),
                    named(h["id"] for h in hits if h.get("counter")),
                    ad["url"],
                ]

    return _csv_lines(_header(AD_COLUMNS, t), rows(), t.lang if t is not None else "en")


def report_html(folder: ScreenFolder, summary: dict[str, Any], lang: str = "nl") -> str:
    """The screen's HTML report (as ``signaal ads screen`` writes it), from the stored folder, in ``lang``."""
    from signaal.ads.extract import extract
    from signaal.ads.model import Ad
    from signaal.ads.report import render_report

    region = str(folder.manifest().get("region") or "NL")
    top = folder.groups()[:REPORT_GROUPS]
    by_id = {}
    for g in top:
        for _features, text in folder.group_ads(g["id"], REPORT_ADS):
            ad = Ad(
                id=text["id"],
                title=text["title"],
                body=text["body"],
                city=text["city"],
                posted=text["posted"],
                url=text["url"],
                name=text["name"],
            )
            by_id[ad.id] = (ad, extract(ad, region))
    stats = {
        "ads": int(summary.get("ads", 0)),
        "skipped": int(summary.get("skipped", 0)),
        "clusters": int(summary.get("clusters", 0)),
    }
    return render_report(top, by_id, stats, REPORT_ADS, lang=lang)
