"""Folding keeps the way back to the original characters (synthetic texts, invented numbers)."""

from __future__ import annotations

from signaal.ads.extract import extract
from signaal.ads.model import Ad
from signaal.ads.normalise import fold


def _original(text: str, start: int, end: int) -> str:
    o_start, o_end = fold(text).to_original(start, end)
    return text[o_start:o_end]


def test_decomposed_accents_do_not_shift_spans() -> None:
    # "é" and "ë" written as a letter plus a combining mark, as some systems store them
    text = "Cafe\u0301 Zoe\u0308: nieuw in de stad, bel 06 1234 0001"
    folded = fold(text)
    assert folded.text == "Café Zoë: nieuw in de stad, bel 06 1234 0001"
    at = folded.text.index("nieuw in de stad")
    assert _original(text, at, at + len("nieuw in de stad")) == "nieuw in de stad"
    # a span ending on a composed letter takes its combining mark along
    assert _original(text, 0, 4) == "Cafe\u0301"
    feats = extract(Ad(id="nfd", body=text))
    assert [c.span.text for c in feats.contacts if c.span] == ["06 1234 0001"]
    assert all(h.span.text == text[h.span.start : h.span.end] for h in feats.indicators)
    assert "nieuw in de stad" in [h.span.text for h in feats.indicators]


def test_a_keycap_span_ends_after_the_last_keycap() -> None:
    text = "bel 0\ufe0f\u20e36\ufe0f\u20e3 1\ufe0f\u20e32\ufe0f\u20e33\ufe0f\u20e34\ufe0f\u20e3 0001\ufe0f\u20e3 ok"
    folded = fold(text)
    assert folded.text == "bel 06 1234 0001 ok"
    assert _original(text, 4, 16) == text[4 : text.index(" ok")]


def test_dropped_invisible_characters_after_a_span_are_not_taken_along() -> None:
    text = "Lisa\u200b bel"
    assert _original(text, 0, 4) == "Lisa"


def test_ascii_text_maps_to_itself() -> None:
    assert fold("bel 06 1234 0001").to_original(4, 16) == (4, 16)
