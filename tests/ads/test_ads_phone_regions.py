"""Numbers of other European regions: the span is the number as written, never past it (synthetic).

Every number here is invented, in ranges the regions' plans allow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signaal.ads.extract import extract
from signaal.ads.model import Ad
from signaal.ads.normalise import fold
from signaal.ads.phones import find_phones


@pytest.mark.parametrize(
    ("text", "region", "number", "written"),
    [
        ("Ruf mich an 0151 23456789 heute", "DE", "+4915123456789", "0151 23456789"),
        ("Tel 030 1234567 ok", "DE", "+49301234567", "030 1234567"),
        ("call 020 7946 0018 x", "GB", "+442079460018", "020 7946 0018"),
        ("bel 0470 12 34 56 nu", "BE", "+32470123456", "0470 12 34 56"),
        ("appelle 06 12 34 56 78 ok", "FR", "+33612345678", "06 12 34 56 78"),
        ("Ruf 0151 23456789", "DE", "+4915123456789", "0151 23456789"),
    ],
)
def test_a_regional_number_spans_its_digits_only(text: str, region: str, number: str, written: str) -> None:
    folded = fold(text).text
    found = find_phones(folded, region)
    assert [(p.e164, folded[p.start : p.end]) for p in found] == [(number, written)]


@pytest.mark.parametrize("region", ["DE", "GB", "BE", "FR"])
def test_a_number_at_the_end_of_an_ad_is_read_in_every_region(region: str) -> None:
    # keycap digits at the very end of the text: a span past the number ran past the text
    ad = Ad(
        id="1",
        body="Bellen of appen: 0\ufe0f\u20e36\ufe0f\u20e31\ufe0f\u20e32\ufe0f\u20e34\ufe0f\u20e3"
        "1\ufe0f\u20e30\ufe0f\u20e31\ufe0f\u20e33\ufe0f\u20e37\ufe0f\u20e3.",
    )
    for contact in extract(ad, region).contacts:
        assert contact.span is not None
        assert contact.span.end <= len(ad.body)
        assert contact.span.text and contact.span.text[-1] not in ". "


def test_ads_screen_reads_a_german_dump(tmp_path: Path) -> None:
    from signaal.cli import main

    body = "Neu in Berlin. Ruf an: " + "".join(f"{d}\ufe0f\u20e3" for d in "0612410137")
    dump = tmp_path / "ads.jsonl"
    dump.write_text(json.dumps({"id": "1", "body": body}) + "\n", encoding="utf-8")
    assert main(["ads", "screen", str(dump), "--out", str(tmp_path / "out"), "--region", "DE"]) == 0
    written = json.loads((tmp_path / "out" / "ads.jsonl").read_text(encoding="utf-8"))
    assert written["contacts"] == ["phone:+49612410137"]
