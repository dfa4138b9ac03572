"""Render the HTML screening report: ranked groups, evidence highlighted in the ad text (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from signaal.ads.model import Ad, AdFeatures, Span

__all__ = ["highlight", "render_report"]


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


def render_report(
    clusters: Sequence[dict[str, Any]],
    ads: dict[str, tuple[Ad, AdFeatures]],
    stats: dict[str, int],
    max_ads_shown: int = 10,
) -> str:
    """The self-contained, escaped HTML report of the ranked clusters."""
    # Autoescape always: select_autoescape() would not match the '.j2' name and leave ad text raw.
    env = Environment(loader=PackageLoader("signaal.ads", "templates"), autoescape=True)
    shown_clusters = []
    for cluster in clusters:
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
        shown_clusters.append({**cluster, "shown": shown})
    return env.get_template("report.html.j2").render(clusters=shown_clusters, stats=stats)
