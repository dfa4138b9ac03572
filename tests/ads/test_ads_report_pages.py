"""The HTML report of a screen: Dutch by default, a table of contents, groups in pages (synthetic)."""

from __future__ import annotations

import re

from signaal.ads.report import PAGE_SIZE, render_report


def _clusters(n: int) -> list[dict[str, object]]:
    """Synthetic groups without ads shown: enough for the contents and the pages."""
    return [
        {
            "id": f"c{i}",
            "score": 100 - i / 2,
            "ads": ["a", "b"],
            "cities": ["Utrecht"],
            "names": [],
            "reasons": ["+8 risk phrases: ad_available_24_7"],
            "reason_codes": [{"code": "phrases", "points": 8, "values": {"indicators": ["ad_available_24_7"]}}],
            "template": None,
        }
        for i in range(n)
    ]


def test_the_report_is_dutch_with_contents_and_pages() -> None:
    count = 2 * PAGE_SIZE + 5
    html = render_report(_clusters(count), {}, {"ads": 2 * count, "skipped": 1, "clusters": count})
    assert '<html lang="nl">' in html and "Screening van advertenties" in html and "Inhoud" in html
    pages = re.findall(r'<section class="page[^"]*" id="(page-\d+)"', html)
    assert pages == ["page-1", "page-2", "page-3"]
    assert html.count('class="page first"') == 1
    for page in pages:
        assert f'href="#{page}"' in html  # in the contents
    last = f"c{count - 1}"
    assert f'href="#{last}"' in html and f'id="{last}"' in html  # every group in the contents, and on a page
    assert "Volgende pagina" in html and "Vorige pagina" in html
    assert "ad_available_24_7" not in html  # reasons in words, no ids
    assert "score 99,5" in html  # a decimal comma
    page_2 = html.split('id="page-2"', 1)[1].split('id="page-3"', 1)[0]
    assert f'id="c{PAGE_SIZE}"' in page_2 and 'id="c0"' not in page_2


def test_the_report_speaks_english_on_request() -> None:
    html = render_report(_clusters(1), {}, {"ads": 2, "skipped": 0, "clusters": 1}, lang="en")
    assert '<html lang="en">' in html and "Ad screening report" in html and "Contents" in html
    assert "Volgende" not in html and "ad_available_24_7" not in html


def test_a_report_without_groups_says_so() -> None:
    html = render_report([], {}, {"ads": 3, "skipped": 0, "clusters": 0})
    assert "Geen groepen boven de drempel." in html and 'class="page' not in html
