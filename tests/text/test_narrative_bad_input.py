"""Bad input is read without crashing: empty, very long, other languages and scripts, HTML."""

from __future__ import annotations

from narrative_reading import read as _read

# Synthetic texts written for these tests.
DUTCH = "Zij woont op het werk en haar paspoort is ingenomen door de baas. Ze moet haar schuld terugbetalen."


def test_empty_and_blank_text_suggest_nothing() -> None:
    for text in ("", "   \n\t "):
        reading = _read(text)
        assert not reading.supported
        assert reading.indicators == () and reading.forms == ()
        assert reading.notes


def test_very_long_text_is_read() -> None:
    text = (DUTCH + " ") * (100_000 // (len(DUTCH) + 1) + 1)
    assert len(text) >= 100_000
    reading = _read(text)
    assert reading.language == "nl"
    assert "documents_retained" in {h.indicator_id for h in reading.present_indicators}


def test_other_latin_languages_are_named_and_nothing_is_suggested() -> None:
    for text in (
        "Sie wohnt bei der Arbeit und ihr Pass ist nicht bei ihr, sagt die Nachbarin.",
        "Elle habite au travail et son passeport est chez le patron, dit la voisine.",
        "Ella vive en el trabajo y su pasaporte está con el jefe, dice la vecina.",
    ):
        reading = _read(text)
        assert reading.language == "other"
        assert not reading.supported
        assert reading.indicators == () and reading.forms == () and reading.facts == ()
        assert any("only Dutch and English" in n for n in reading.notes)


def test_other_scripts_are_named() -> None:
    for text in (
        "Она живёт на работе, паспорт у начальника.",
        "她住在工作的地方,护照在老板那里。",
        "تعيش في مكان العمل",
    ):
        reading = _read(text)
        assert reading.language == "other"
        assert reading.indicators == ()


def test_mixed_scripts_with_dutch_majority_is_read_as_dutch() -> None:
    reading = _read(DUTCH + " Она сказала: паспорт.")
    assert reading.language == "nl"
    assert "documents_retained" in {h.indicator_id for h in reading.present_indicators}


def test_html_is_ignored_and_spans_point_into_the_original() -> None:
    html = "<div><p>Haar <b>paspoort</b> is ingenomen&nbsp;door de baas.</p><script>var x='geslagen';</script></div>"
    reading = _read(html)
    hit = next(h for h in reading.indicators if h.indicator_id == "documents_retained")
    assert html[hit.evidence.start : hit.evidence.end].startswith("paspoort")
    assert "violence" not in {h.indicator_id for h in reading.indicators}
    assert any("markup" in n for n in reading.notes)


def test_too_few_words_is_undetermined() -> None:
    reading = _read("ok")
    assert reading.language == "und"
    assert not reading.supported


def test_junk_does_not_crash() -> None:
    for text in ("\x00\x01\x02" * 100, "1234567890 " * 500, "<<<>>>&&&;;;" * 50, "é" * 10_000):
        reading = _read(text)
        assert reading.forms == () or reading.supported
