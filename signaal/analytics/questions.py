"""The monitor's named questions, answered on any source of count series (the registry or published figures).

Each question tests one claim from the field ("the number of signals has been falling", "signals
that reach the RIEC's are mostly labour exploitation", ...) and answers in plain Dutch and
English what the data do and do not support. A source that cannot give a series says so, and the
answer is "not answerable" with the reason — never a guess.
"""

from __future__ import annotations

from collections.abc import Callable

from signaal.analytics.composition import newcombe, share_test, share_trend
from signaal.analytics.findings import share_finding, share_trend_finding
from signaal.analytics.questions_groups import diversity, hidden_third_country, organised_shift
from signaal.analytics.sources import Source, series_answer, share_of, trend_findings
from signaal.analytics.wording import Answer, Finding, pct, say
from signaal.catalogue.monitoring import TrendBreak
from signaal.errors import InvalidInput

__all__ = ["ASIA", "QUESTIONS", "Source", "answer_question", "series_answer", "share_of"]

#: World regions the "labour migration from Asia and Central Asia" question counts.
ASIA = ("central_asia", "southern_asia", "south_eastern_asia", "eastern_asia")


def _falling_signals(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say("Daalt het aantal signalen?", "Is the number of signals falling?")
    series = source.series({}, "signals")
    if series is None:
        return Answer(
            "falling-signals",
            title,
            "not_answerable",
            say("Geen totaalreeks in deze bron.", "No total series in this source."),
        )
    findings, move = trend_findings(say("totaal", "total"), series, breaks)
    verdict = {
        "falling": "supported",
        "rising": "contradicted",
        "mixed": "mixed",
        "jumps": "jumps",
        "no_trend": "not_supported",
        "too_few_points": "too_few_points",
    }[move]
    summary = {
        "supported": say(
            "Ja: het aantal daalt, zonder aantoonbare sprongen.", "Yes: the number falls, with no detectable jumps."
        ),
        "contradicted": say("Nee: het aantal stijgt.", "No: the number rises."),
        "mixed": say(
            "Deels: er is een onderliggende trend, maar de reeks is geen gladde trend — er zijn sprongen op bekende of gevonden momenten; lees de afzonderlijke toetsen.",
            "Partly: there is an underlying trend, but the series is not one smooth trend — it jumps at known or found moments; read the tests below.",
        ),
        "jumps": say(
            "Geen gestage daling: het niveau springt op bekende momenten (zie de breuken); de toets over de laatste jaren zegt hoe het nu gaat.",
            "No steady fall: the level jumps at known moments (see the breaks); the test over the last years says how it goes now.",
        ),
        "not_supported": say(
            "Niet aangetoond: de toetsen vinden geen daling (zie de power van de toets).",
            "Not shown: the tests find no fall (see the test's power).",
        ),
        "too_few_points": say("Te weinig jaren voor een toets.", "Too few years for a test."),
    }[verdict]
    model = next((f.result for f in findings if f.name == "poisson_breaks"), {})
    if verdict == "mixed" and model.get("trend_per_year") is not None:
        trend = model["trend_per_year"]
        summary = say(
            f"{summary['nl']} Onderliggende trend met de breuken in het model: {pct(trend, 'nl', 1, True)} per jaar.",
            f"{summary['en']} Underlying trend with the breaks in the model: {pct(trend, 'en', 1, True)} a year.",
        )
    caveats = (
        say(
            "Minder geregistreerde signalen kan minder zicht betekenen, niet minder mensenhandel.",
            "Fewer registered signals can mean less sight, not less trafficking.",
        ),
    )
    return Answer("falling-signals", title, verdict, summary, tuple(findings), caveats, (series.as_dict(),))


def _riec_labour(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say(
        "Gaan de signalen bij de RIEC's vooral over arbeidsuitbuiting?",
        "Are the signals that reach the RIEC's mostly labour exploitation?",
    )
    riec = source.series({"reporter_sector": "riec"})
    labour = source.series({"reporter_sector": "riec", "form": "labour"})
    share = share_of("labour/riec", labour, riec)
    if share is None or not share.periods or sum(share.whole) == 0:
        return Answer(
            "riec-labour",
            title,
            "not_answerable",
            say(
                "Deze bron telt geen signalen van RIEC's naar vorm.", "This source does not count RIEC signals by form."
            ),
        )
    test = share_test(share.part[-1], share.whole[-1])
    pooled = share_test(sum(share.part), sum(share.whole))
    what = say("aandeel arbeidsuitbuiting onder RIEC-signalen", "share of labour exploitation among RIEC signals")
    findings = [
        share_finding(share.periods[-1], test, what),
        share_finding(f"{share.periods[0]}–{share.periods[-1]}", pooled, what),
        share_trend_finding(say("aandeel arbeid", "labour share"), share_trend(share)),
    ]
    others_whole = source.series({})
    others_part = source.series({"form": "labour"})
    if others_whole and others_part:
        overall = share_test(sum(others_part.counts), sum(others_whole.counts))
        findings.append(
            share_finding(
                say("alle signalen", "all signals"),
                overall,
                say("aandeel arbeidsuitbuiting", "share of labour exploitation"),
            )
        )
    verdict = (
        "supported"
        if test.p_above is not None and test.p_above < 0.05
        else ("contradicted" if test.high < 0.5 else "not_supported")
    )
    summary = {
        "supported": say(
            f"Ja: in {share.periods[-1]} gaat {pct(test.share, 'nl')} over arbeidsuitbuiting, duidelijk meer dan de helft.",
            f"Yes: in {share.periods[-1]}, {pct(test.share, 'en')} are labour exploitation, clearly more than half.",
        ),
        "contradicted": say(
            f"Nee: in {share.periods[-1]} gaat {pct(test.share, 'nl')} over arbeidsuitbuiting, duidelijk minder dan de helft.",
            f"No: in {share.periods[-1]}, {pct(test.share, 'en')} are labour exploitation, clearly less than half.",
        ),
        "not_supported": say(
            f"Niet aangetoond: {pct(test.share, 'nl')} in {share.periods[-1]}; het interval omvat de helft.",
            f"Not shown: {pct(test.share, 'en')} in {share.periods[-1]}; the interval includes one half.",
        ),
    }[verdict]
    caveats = (
        say(
            "Vormen overlappen: een signaal kan arbeid én een andere vorm zijn.",
            "Forms overlap: a signal can be labour and another form.",
        ),
    )
    return Answer("riec-labour", title, verdict, summary, tuple(findings), caveats, (share.as_dict(),))


def _asia_migration(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say("Meer arbeidsmigratie uit Azië en Centraal-Azië?", "More labour migration from Asia and Central Asia?")
    asia = {"form": "labour", "world_region": "|".join(ASIA)}
    count = source.series(asia, "victims")
    known = source.series({"form": "labour", "nationality_group": "nl|eu|non_eu"}, "victims")
    share = share_of("asia/labour", count, known)
    if count is None or share is None:
        return Answer(
            "asia-migration",
            title,
            "not_answerable",
            say(
                "Deze bron kent geen nationaliteit naar werelddeel.", "This source has no nationality by world region."
            ),
        )
    findings, move = trend_findings(say("Azië, arbeid", "Asia, labour"), count, breaks)
    trend = share_trend(share)
    findings.append(
        share_trend_finding(
            say("aandeel Azië onder arbeid (bekende nationaliteit)", "Asian share of labour (known nationality)"), trend
        )
    )
    more = move == "rising" or trend.direction == "up"
    fewer = move == "falling" or trend.direction == "down"
    verdict = (
        "mixed"
        if more and fewer
        else (
            "supported"
            if more
            else ("contradicted" if fewer else ("too_few_points" if move == "too_few_points" else "not_supported"))
        )
    )
    summary = {
        "supported": say(
            "Ja: het aantal en/of het aandeel mogelijke slachtoffers van arbeidsuitbuiting uit Azië stijgt.",
            "Yes: the number and/or share of possible labour-exploitation victims from Asia rises.",
        ),
        "contradicted": say("Nee: het aantal of aandeel uit Azië daalt.", "No: the number or share from Asia falls."),
        "mixed": say(
            "Gemengd: aantal en aandeel gaan niet dezelfde kant op.",
            "Mixed: number and share move in different directions.",
        ),
        "not_supported": say(
            "Niet aangetoond: geen aantoonbare verandering (zie de power).",
            "Not shown: no detectable change (see the power).",
        ),
        "too_few_points": say("Te weinig jaren voor een toets.", "Too few years for a test."),
    }[verdict]
    caveats = (
        say(
            "Nationaliteit is hier een statistische groep, nooit een indicator.",
            "Nationality is a statistical group here, never an indicator.",
        ),
        say(
            "Alleen mogelijke slachtoffers met een bekende nationaliteit tellen mee in het aandeel.",
            "Only possible victims with a known nationality count in the share.",
        ),
    )
    return Answer(
        "asia-migration", title, verdict, summary, tuple(findings), caveats, (count.as_dict(), share.as_dict())
    )


def _care_reports(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say(
        "Zijn de meldingen uit de zorg gedaald sinds de AVG (mei 2018)?",
        "Did reports from care fall with the GDPR (May 2018)?",
    )
    care = source.series({"reporter_sector": "care"})
    total = source.series({})
    if care is None:
        return Answer(
            "care-reports",
            title,
            "not_answerable",
            say("Deze bron telt geen meldingen per bron.", "This source does not count reports by source."),
        )
    gdpr = tuple(b for b in breaks if b.id == "gdpr")
    findings, _ = trend_findings(say("zorg", "care"), care, gdpr)
    share = share_of("care/all", care, total)
    verdict = "not_supported"
    if share is not None and len(share.periods) >= 2:
        before = [i for i, p in enumerate(share.periods) if int(p[:4]) < 2018]
        after = [i for i, p in enumerate(share.periods) if int(p[:4]) >= 2018]
        if before and after:
            a, n1 = sum(share.part[i] for i in before), sum(share.whole[i] for i in before)
            first_after = after[0]
            b, n2 = share.part[first_after], share.whole[first_after]
            d, lo, hi = newcombe(a, n1, b, n2)
            findings.append(
                Finding(
                    "share_before_after",
                    say(
                        f"Aandeel zorg onder alle meldingen: {pct(a / n1, 'nl')} vóór 2018, {pct(b / n2, 'nl')} in {share.periods[first_after]} ({pct(d, 'nl', 1, True)}-punt, 95 %-interval {pct(lo, 'nl', 1, True)} tot {pct(hi, 'nl', 1, True)}).",
                        f"Share of care among all reports: {pct(a / n1, 'en')} before 2018, {pct(b / n2, 'en')} in {share.periods[first_after]} ({pct(d, 'en', 1, True)} points, 95 % interval {pct(lo, 'en', 1, True)} to {pct(hi, 'en', 1, True)}).",
                    ),
                    {
                        "before": a / n1,
                        "after": b / n2,
                        "difference": d,
                        "interval": [lo, hi],
                        "after_period": share.periods[first_after],
                    },
                )
            )
            verdict = "supported" if hi < 0 else ("contradicted" if lo > 0 else "not_supported")
        findings.append(share_trend_finding(say("aandeel zorg", "care share"), share_trend(share)))
    summary = {
        "supported": say(
            "Ja: het aandeel meldingen uit de zorg zakte in het AVG-jaar duidelijk; lees de toetsen voor hoe blijvend dat is.",
            "Yes: the share of reports from care dropped clearly in the GDPR year; read the tests for how lasting it is.",
        ),
        "contradicted": say("Nee: het aandeel uit de zorg steeg.", "No: the share from care rose."),
        "not_supported": say("Niet aangetoond met deze gegevens.", "Not shown with these data."),
    }[verdict]
    caveats = (
        say(
            "Een daling in meldingen uit de zorg na de AVG is een breuk in de registratie, geen daling van uitbuiting.",
            "A drop in reports from care after the GDPR is a break in registration, not a fall in exploitation.",
        ),
    )
    return Answer("care-reports", title, verdict, summary, tuple(findings), caveats, (care.as_dict(),))


Question = Callable[[Source, tuple[TrendBreak, ...]], Answer]

QUESTIONS: dict[str, Question] = {
    "falling-signals": _falling_signals,
    "riec-labour": _riec_labour,
    "asia-migration": _asia_migration,
    "diversity": diversity,
    "organised-shift": organised_shift,
    "hidden-third-country": hidden_third_country,
    "care-reports": _care_reports,
}


def answer_question(name: str, source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    """Answer one named question on a source."""
    if name not in QUESTIONS:
        raise InvalidInput(f"unknown question {name!r}; use one of {', '.join(QUESTIONS)}")
    return QUESTIONS[name](source, breaks)
