"""Render the HTML screening report: ranked groups, evidence highlighted in the ad text, a table of
contents and pages of groups, in Dutch or English."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from signaal.ads.model import Ad, AdFeatures, Span
from signaal.ads.reasons import reason_lines
from signaal.domain.formats import format_number

__all__ = ["PAGE_SIZE", "TEXTS", "highlight", "render_report"]


def highlight(text: str, spans: Sequence[tuple[Span, str]]) -> Markup:
    """Escape text and wrap each (span, css class) in a <mark>; overlapping spans are skipped."""
    out: list[str] = []
    pos = 0
    for span, css in sorted(spans, key=lambda s: (s[0].start, s[0].end)):
        if span.start < pos or span.end > len(text):
            continue
        out.append(str(escape(text[pos : span.start])))
        out.append(f'<mark class="{css}">{escape(text[span.start : span.end])}</mark>')
        pos = span.end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


#: Groups per page of the report: a page stays a few screens long however many groups there are.
PAGE_SIZE = 10

#: The report's own texts (the reasons are written by :func:`signaal.ads.reasons.reason_lines`).
TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Screening van advertenties",
        "intro": "{ads} advertenties gelezen, {skipped} overgeslagen, {clusters} groepen van twee of meer advertenties.",
        "advice": "Scores zijn advies voor een mens die beoordeelt, nooit bewijs; bij elke score staat waarop die rust.",
        "contents": "Inhoud",
        "pages": "Pagina's",
        "page": "Pagina {n}",
        "page_range": "Pagina {n}: groepen {first}–{last}",
        "all_groups": "Alle groepen in deze rapportage ({n})",
        "rank": "#",
        "group": "Groep",
        "score": "Score",
        "ads": "Advertenties",
        "cities": "Plaatsen",
        "names": "Namen",
        "group_head": "{rank}. groep {id} — score {score} — {n} advertenties",
        "reasons": "Waarom deze score",
        "template": "Gedeelde tekst van {n} advertenties (contacten, namen en nummers gemaskeerd; … waar de advertenties verschillen)",
        "varying": "Verschilt: {slots}",
        "ad": "Advertentie {id} — {city} — {posted}",
        "more": "… en nog {n} advertenties",
        "previous": "← Vorige pagina",
        "next": "Volgende pagina →",
        "to_contents": "Naar de inhoud",
        "none": "Geen groepen boven de drempel.",
    },
    "en": {
        "title": "Ad screening report",
        "intro": "{ads} ads read, {skipped} skipped, {clusters} groups of two or more ads.",
        "advice": "Scores are advice for a person to review, never proof; the evidence that made each score is listed.",
        "contents": "Contents",
        "pages": "Pages",
        "page": "Page {n}",
        "page_range": "Page {n}: groups {first}–{last}",
        "all_groups": "All groups in this report ({n})",
        "rank": "#",
        "group": "Group",
        "score": "Score",
        "ads": "Ads",
        "cities": "Cities",
        "names": "Names",
        "group_head": "{rank}. group {id} — score {score} — {n} ads",
        "reasons": "Why this score",
        "template": "Shared text of {n} ads (contacts, names and numbers masked; … where the ads differ)",
        "varying": "Varies: {slots}",
        "ad": "Ad {id} — {city} — {posted}",
        "more": "… and {n} more ads",
        "previous": "← Previous page",
        "next": "Next page →",
        "to_contents": "Back to the contents",
        "none": "No groups above the threshold.",
    },
}


def _shown_ads(
    cluster: dict[str, Any], ads: dict[str, tuple[Ad, AdFeatures]], max_ads_shown: int
) -> list[dict[str, Any]]:
    """The first ads of a group with their evidence marked in the text."""
    shown = []
    for ad_id in cluster["ads"][:max_ads_shown]:
        if ad_id not in ads:
            continue
        ad, feats = ads[ad_id]
        spans: dict[str, list[tuple[Span, str]]] = {"title": [], "body": []}
        # hits from other fields (a stated age in the age field) are in the reasons, not in the text
        for hit in feats.indicators:
            if hit.span.field in spans:
                spans[hit.span.field].append((hit.span, "counter" if hit.counter else "risk"))
        for contact in feats.contacts:
            if contact.span is not None and contact.span.field in spans:
                spans[contact.span.field].append((contact.span, "contact"))
        shown.append(
            {
                "id": ad.id,
                "city": ad.city,
                "posted": ad.posted,
                "title_html": highlight(ad.title, spans["title"]),
                "body_html": highlight(ad.body, spans["body"]),
            }
        )
    return shown


def render_report(
    clusters: Sequence[dict[str, Any]],
    ads: dict[str, tuple[Ad, AdFeatures]],
    stats: dict[str, int],
    max_ads_shown: int = 10,
    lang: str = "nl",
) -> str:
    """The self-contained, escaped HTML report of the ranked clusters, in ``lang`` (Dutch by default).

    It opens with a table of contents (the pages and every group with its score) and shows the groups
    in pages of ``PAGE_SIZE``: one file still, paged with CSS (``:target``), so a link to a group opens
    its page and the report reads without JavaScript.
    """
    lang = lang if lang in TEXTS else "nl"
    # Autoescape always: select_autoescape() would not match the '.j2' name and leave ad text raw.
    env = Environment(loader=PackageLoader("signaal.ads", "templates"), autoescape=True)
    shown_clusters = [
        {
            **c,
            "rank": i + 1,
            "score": format_number(c["score"], lang),
            "shown": _shown_ads(c, ads, max_ads_shown),
            "reason_lines": reason_lines(c, lang),
        }
        for i, c in enumerate(clusters)
    ]
    pages = [shown_clusters[i : i + PAGE_SIZE] for i in range(0, len(shown_clusters), PAGE_SIZE)]
    return env.get_template("report.html.j2").render(
        clusters=shown_clusters, pages=pages, stats=stats, lang=lang, t=TEXTS[lang]
    )
