"""Hole 2: the ad-screening report escapes everything that comes from an ad (synthetic hostile ads)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from signaal.ads.extract import extract
from signaal.ads.model import Ad
from signaal.ads.report import render_report
from signaal.cli import main

# Synthetic: markup in every field an ad brings into the report.
PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _hostile(i: int) -> Ad:
    return Ad(
        id=f'"><svg onload=alert({i})>',
        title=f"Nieuw {PAYLOAD} bel 06-1234 0009",
        body=f"Synthetisch {PAYLOAD} lief en jong, bel 06-1234 0009 <b>24/7</b>",
        city=f"<i>Utrecht{i}</i>",
        posted=f"<u>2024-05-0{i}</u>",
    )


def _markup_from_ads(html: str) -> list[str]:
    """Tags in the page that only an ad could have put there."""
    return re.findall(r"<(?:script|img|svg|b|i|u)\b", html, re.I)


def test_render_report_escapes_every_field_of_an_ad() -> None:
    ads = [_hostile(i) for i in (1, 2)]
    by_id = {a.id: (a, extract(a)) for a in ads}
    cluster = {
        "id": '<script>alert("c")</script>',
        "score": 42,
        "ads": [a.id for a in ads],
        "cities": [a.city for a in ads],
        "names": ["<b>Anna</b>"],
        "reasons": ["<script>reason()</script>"],
        "template": {"ads": 2, "text": f"template {PAYLOAD}", "slots": ["<i>slot</i>"]},
    }
    html = render_report([cluster], by_id, {"ads": 2, "skipped": 0, "clusters": 1})
    assert _markup_from_ads(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark" in html  # the report's own markup is kept


def test_screened_dump_with_hostile_ads_gives_a_report_without_their_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = tmp_path / "ads.jsonl"
    lines = []
    for i in (1, 2, 3):
        ad = _hostile(i)
        lines.append(
            json.dumps({"id": f"h{i}", "title": ad.title, "body": ad.body, "city": ad.city, "posted": ad.posted})
        )
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert main(["ads", "screen", str(dump), "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Synthetisch" in html
    assert _markup_from_ads(html) == []
