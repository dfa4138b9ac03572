"""Language that used to mislead the form suggestions: own papers, risks, records, promises, alternatives,
statements that nothing was found, denials and acquittals. Every text is synthetic (written for these tests).
"""

from __future__ import annotations

from narrative_reading import read as _read

from signaal.text import (
    Reading,
)


def _forms(reading: Reading) -> set[str]:
    return {f.form for f in reading.forms}


def _present(reading: Reading) -> set[str]:
    return {h.indicator_id for h in reading.present_indicators}


def _hit(reading: Reading, indicator: str) -> tuple[bool, bool]:
    """(negated, hedged) of one indicator in the reading."""
    hit = next(h for h in reading.indicators if h.indicator_id == indicator)
    return hit.negated, hit.hedged


def test_keeping_her_own_passport_is_no_retained_document() -> None:
    reading = _read("Zij hield haar eigen paspoort steeds bij zich, maar moest zestien uur per dag in de kas werken.")
    assert "documents_retained" not in _present(reading)
    assert "excessive_hours" in _present(reading)


def test_own_papers_in_own_possession_is_no_retained_document() -> None:
    reading = _read("Alle vrouwen hadden een geldig identiteitsbewijs dat zij zelf in bezit hadden.")
    assert "documents_retained" not in _present(reading)


def test_own_passport_not_in_her_possession_is_a_retained_document() -> None:
    reading = _read("Zij had haar eigen paspoort niet in bezit; de werkgever bewaarde het in een kluis.")
    assert "documents_retained" in _present(reading)


def test_english_own_passport_kept_is_no_retained_document() -> None:
    reading = _read("She kept her own passport and worked at the farm during the summer season.")
    assert "documents_retained" not in _present(reading)


def test_sexual_offence_on_the_suspects_record_does_not_make_a_begging_case_sexual() -> None:
    reading = _read(
        "De mannen moesten elke dag bij het station bedelen en al het geld afdragen aan de verdachte. "
        "De verdachte staat ook geregistreerd voor een verkrachting uit 2015."
    )
    assert _forms(reading) == {"other"}
    assert "sexual_violence" not in _present(reading)


def test_a_passing_sexual_word_does_not_take_the_shared_indicators_of_a_begging_case() -> None:
    reading = _read(
        "De vrouwen moesten vrijwel non-stop bedelen bij supermarkten en al het geld afdragen. "
        "Volgens een getuige zou een neef ook seks met een van de vrouwen hebben gehad."
    )
    assert "sexual" not in _forms(reading)
    assert "other" in _forms(reading)


def test_drug_trade_or_prostitution_named_as_a_risk_suggests_neither() -> None:
    reading = _read(
        "De Vietnamese jongeren werken lange dagen in nagelsalons voor een paar euro per uur. "
        "Zij lopen het risico in de drugshandel of de prostitutie terecht te komen."
    )
    assert _forms(reading) == {"labour"}
    assert "drug_running" not in _present(reading)


def test_two_forms_named_as_alternatives_are_possibilities() -> None:
    reading = _read(
        "Hij werd haar loverboy en bracht haar naar klanten in hotels; zij moest al het geld afstaan. "
        "Criminelen betrekken meisjes in drugshandel of prostitutie."
    )
    assert _forms(reading) == {"sexual"}


def test_the_promised_job_is_not_the_work_that_was_done() -> None:
    reading = _read(
        "Hij werd met de belofte van werk in de bouw naar Nederland gehaald. "
        "Daar moest hij elke dag bij supermarkten bedelen en de opbrengst afdragen."
    )
    assert _forms(reading) == {"other"}


def test_an_inspection_without_findings_suggests_no_form() -> None:
    reading = _read(
        "De inspectie controleerde twintig tuinbouwbedrijven met arbeidsmigranten en uitzendkrachten. "
        "Er zijn geen signalen van uitbuiting aangetroffen."
    )
    assert _forms(reading) == {"unknown"}
    assert any("no exploitation" in note for note in reading.notes)


def test_a_defence_argument_that_there_was_no_exploitation_does_not_silence_the_case() -> None:
    reading = _read(
        "De raadsman heeft aangevoerd dat van uitbuiting geen sprake is geweest. "
        "De werknemers werkten zeventig uur per week in de wasserij en kregen geen loon."
    )
    assert "labour" in _forms(reading)


def test_a_suspects_denial_hedges_the_fact_instead_of_negating_it() -> None:
    reading = _read("Verdachte ontkent dat hij haar paspoort heeft afgepakt.")
    negated, hedged = _hit(reading, "documents_retained")
    assert not negated and hedged


def test_the_persons_own_denial_still_negates() -> None:
    reading = _read("Zij ontkent dat ze wordt bedreigd.")
    negated, _ = _hit(reading, "threats")
    assert negated


def test_acquittal_language_keeps_the_alleged_facts_as_hedged() -> None:
    reading = _read("Het hof acht niet bewezen dat verdachte de vrouw heeft gedwongen tot prostitutie.")
    negated, hedged = _hit(reading, "forced_prostitution")
    assert not negated and hedged
    assert "sexual" in _forms(reading)


def test_in_accordance_with_the_agreement_is_no_reported_speech() -> None:
    reading = _read("Hij werd volgens de cao betaald, maar moest zestien uur per dag werken.")
    _, hedged = _hit(reading, "excessive_hours")
    assert not hedged


def test_separable_verbs_of_pickpocketing_and_burglary_suggest_criminal() -> None:
    assert "criminal" in _forms(
        _read("De meisjes werden gedwongen om in trams zakken te rollen en de buit af te staan.")
    )
    assert "criminal" in _forms(_read("De jongens kregen opdracht om in woningen in te breken voor de bende."))


def test_sex_paid_for_by_others_suggests_sexual() -> None:
    reading = _read("Zij werd door hem aangeboden aan bekenden, die voor seks met haar betaalden.")
    assert "sexual" in _forms(reading)
    assert "forced_prostitution" in _present(reading)


def test_social_workers_are_not_labour() -> None:
    reading = _read("She told social workers that older men made her deal drugs and threatened her brother.")
    assert _forms(reading) == {"criminal"}
