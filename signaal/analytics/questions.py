"""The monitor's named questions, answered on any source of count series (the registry or published figures).

Each question tests one claim from the field ("the number of signals has been falling", "signals
that reach the RIEC's are mostly labour exploitation", ...) and answers in plain Dutch and
English what the data do and do not support. A source that cannot give a series says so, and the
answer is "not answerable" with the reason — never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from signaal.analytics.composition import diversity_shift, share_test, share_trend
from signaal.analytics.findings import (
    break_finding,
    change_finding,
    diversity_finding,
    mk_finding,
    share_finding,
    share_trend_finding,
)
from signaal.analytics.linkgroups import ORGANISED_MIN_GROUP
from signaal.analytics.models import fit_breaks, scan_change_point
from signaal.analytics.monotonic import mann_kendall
from signaal.analytics.series import Series, ShareSeries
from signaal.analytics.wording import Answer, Finding, num, pct, say
from signaal.catalogue.monitoring import TrendBreak
from signaal.errors import InvalidInput

__all__ = ["ASIA", "QUESTIONS", "Source", "answer_question", "series_answer", "share_of"]

#: World regions the "labour migration from Asia and Central Asia" question counts.
ASIA = ("central_asia", "southern_asia", "south_eastern_asia", "eastern_asia")


class Source(Protocol):
    """Where the series come from: the analytics events, or a file of published figures."""

    description: dict[str, str]

    def series(self, filters: dict[str, str], unit: str = "signals") -> Series | None:
        """Yearly counts matching the filters (dimension -> value, "a|b" for either), or None if unknown here."""
        ...

    def distribution(
        self, dimension: str, filters: dict[str, str], unit: str = "victims"
    ) -> tuple[tuple[str, ...], tuple[str, ...], list[list[int]]] | None:
        """(years, categories, counts years x categories) of one dimension, or None if unknown here."""
        ...

    def estimates(self) -> list[tuple[str, float, float | None, float | None]]:
        """Estimates of the total (hidden number included) per year: (year, estimate, low, high)."""
        ...


def share_of(name: str, part: Series | None, whole: Series | None) -> ShareSeries | None:
    """The share of ``part`` in ``whole`` over the periods both have."""
    if part is None or whole is None:
        return None
    counts = dict(zip(part.periods, part.counts, strict=True))
    periods = tuple(p for p in whole.periods if p in counts)
    totals = dict(zip(whole.periods, whole.counts, strict=True))
    return ShareSeries(name, periods, tuple(counts[p] for p in periods), tuple(totals[p] for p in periods))


RECENT = 6


def _trend(label: str, series: Series, breaks: tuple[TrendBreak, ...]) -> tuple[list[Finding], str]:
    mk = mann_kendall(series)
    model = fit_breaks(series, breaks)
    cp = scan_change_point(series, breaks)
    findings = [mk_finding(label, mk), break_finding(label, model, breaks), change_finding(label, cp)]
    if len(series.periods) >= RECENT + 2 and not series.monthly:
        tail = Series(series.name, series.periods[-RECENT:], series.counts[-RECENT:], series.filters)
        findings.append(mk_finding(f"{label}, {tail.periods[0]}–{tail.periods[-1]}", mann_kendall(tail)))
    if mk.too_few and model.reason:
        return findings, "too_few_points"
    significant = model.trend is not None and model.trend_p is not None and model.trend_p < 0.05
    falling = mk.direction == "down" or (significant and model.trend is not None and model.trend < 0)
    rising = mk.direction == "up" or (significant and model.trend is not None and model.trend > 0)
    broken = (model.breaks_p is not None and model.breaks_p < 0.05) or cp.found
    if falling and rising:
        return findings, "mixed"
    if falling or rising:
        return findings, ("mixed" if broken else ("falling" if falling else "rising"))
    return findings, ("jumps" if broken else "no_trend")


_MOVE = {
    "falling": ("dalend", "falling"),
    "rising": ("stijgend", "rising"),
    "mixed": (
        "geen gladde trend: een onderliggende trend met sprongen",
        "not one smooth trend: an underlying trend with jumps",
    ),
    "no_trend": ("geen aantoonbare trend", "no detectable trend"),
    "jumps": (
        "geen gestage trend, wel sprongen op bekende of gevonden momenten",
        "no steady trend, but jumps at known or found moments",
    ),
    "too_few_points": ("te weinig punten voor een toets", "too few points for a test"),
}


def series_answer(
    source: Source, filters: dict[str, str], breaks: tuple[TrendBreak, ...], unit: str = "signals"
) -> Answer:
    """An ad-hoc question: the trend of one series, with every test."""
    label = ", ".join(f"{k}={v}" for k, v in filters.items()) or ("alle" if unit == "signals" else "all")
    title = say(f"Reeks {label}", f"Series {label}")
    series = source.series(filters, unit)
    if series is None:
        return Answer(
            "series",
            title,
            "not_answerable",
            say("Deze reeks is in deze bron niet beschikbaar.", "This series is not available in this source."),
        )
    findings, move = _trend(label, series, breaks)
    summary = say(f"{label}: {_MOVE[move][0]}.", f"{label}: {_MOVE[move][1]}.")
    return Answer("series", title, move, summary, tuple(findings), data=(series.as_dict(),))


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
    findings, move = _trend("totaal / total", series, breaks)
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
        share_trend_finding("aandeel arbeid / labour share", share_trend(share)),
    ]
    others_whole = source.series({})
    others_part = source.series({"form": "labour"})
    if others_whole and others_part:
        overall = share_test(sum(others_part.counts), sum(others_whole.counts))
        findings.append(
            share_finding(
                "alle signalen / all signals", overall, say("aandeel arbeidsuitbuiting", "share of labour exploitation")
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
    findings, move = _trend("Azië, arbeid / Asia, labour", count, breaks)
    trend = share_trend(share)
    findings.append(
        share_trend_finding(
            "aandeel Azië onder arbeid (bekende nationaliteit) / Asian share of labour (known nationality)", trend
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


def _diversity(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say(
        "Is de groep diverser geworden (leeftijd, herkomst, vormen)?",
        "Has the group become more diverse (age, origin, forms)?",
    )
    findings: list[Finding] = []
    moves: list[str] = []
    for dim, label in (
        ("age_band", say("leeftijd", "age")),
        ("nationality_group", say("herkomst", "origin")),
        ("forms", say("vormen", "forms")),
    ):
        dist = source.distribution(dim, {}, "victims")
        if dist is None:
            continue
        years, cats, counts = dist
        keep = [i for i, c in enumerate(cats) if c != "unknown"]
        table = [[row[i] for i in keep] for row in counts]
        div = diversity_shift(years, tuple(cats[i] for i in keep), table)
        findings.append(diversity_finding(f"{label['nl']} / {label['en']}", div))
        if div.change is not None and div.change_low is not None and div.change_high is not None:
            moves.append("more" if div.change_low > 0 else ("less" if div.change_high < 0 else "same"))
    if not findings:
        return Answer(
            "diversity",
            title,
            "not_answerable",
            say(
                "Deze bron kent geen verdeling naar leeftijd, herkomst of vorm.",
                "This source has no distribution by age, origin or form.",
            ),
        )
    verdict = (
        "supported"
        if "more" in moves and "less" not in moves
        else (
            "contradicted"
            if "less" in moves and "more" not in moves
            else ("mixed" if moves and "more" in moves else "not_supported")
        )
    )
    summary = {
        "supported": say(
            "Ja, op ten minste één kenmerk is de groep aantoonbaar diverser en op geen enkel minder divers.",
            "Yes: on at least one characteristic the group is detectably more diverse, and on none less.",
        ),
        "contradicted": say(
            "Nee: de groep is op ten minste één kenmerk minder divers.",
            "No: the group is less diverse on at least one characteristic.",
        ),
        "mixed": say(
            "Gemengd: diverser op het ene kenmerk, minder op het andere.",
            "Mixed: more diverse on one characteristic, less on another.",
        ),
        "not_supported": say(
            "Niet aangetoond: de spreiding verandert niet aantoonbaar.",
            "Not shown: the spread does not change detectably.",
        ),
    }[verdict]
    caveats = (
        say(
            "'Problematiek' (zorgbehoeften) wordt niet gecodeerd geregistreerd en is hier niet getoetst.",
            "'Problems' (care needs) are not recorded as codings and are not tested here.",
        ),
    )
    return Answer("diversity", title, verdict, summary, tuple(findings), caveats)


def _organised_shift(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say(
        "Verschuiving van georganiseerde naar kleinschalige uitbuiting?",
        "A shift from organised to small-scale exploitation?",
    )
    linked = source.series({"linked_group": f">={ORGANISED_MIN_GROUP}"})
    total = source.series({})
    share = share_of("organised/all", linked, total)
    if share is None or sum(share.part) == 0:
        return Answer(
            "organised-shift",
            title,
            "not_answerable",
            say("Deze bron kent geen koppelingen tussen signalen.", "This source has no links between signals."),
        )
    trend = share_trend(share)
    findings = [
        share_trend_finding(
            f"signalen in een groep van {ORGANISED_MIN_GROUP} of meer / signals in a group of {ORGANISED_MIN_GROUP} or more",
            trend,
        )
    ]
    verdict = (
        {"down": "supported", "up": "contradicted", "none": "not_supported"}[trend.direction]
        if not trend.reason
        else "too_few_points"
    )
    summary = {
        "supported": say(
            "Ja, voor zover gekoppelde signalen iets zeggen: het aandeel in grotere groepen daalt.",
            "Yes, as far as linked signals tell: the share in larger groups falls.",
        ),
        "contradicted": say(
            "Nee: het aandeel signalen in grotere groepen stijgt.", "No: the share of signals in larger groups rises."
        ),
        "not_supported": say(
            "Niet aangetoond: het aandeel gekoppelde signalen verandert niet aantoonbaar.",
            "Not shown: the share of linked signals does not change detectably.",
        ),
        "too_few_points": say("Te weinig jaren voor een toets.", "Too few years for a test."),
    }[verdict]
    caveats = (
        say(
            f"Benadering: 'georganiseerd' = het signaal deelt een telefoon, bedrijf, kenteken of rekening met ten minste {ORGANISED_MIN_GROUP - 1} andere signalen; dat is niet het netwerkbeeld van de koppelanalyse.",
            f"Proxy: 'organised' = the signal shares a phone, company, plate or account with at least {ORGANISED_MIN_GROUP - 1} other signals; that is not the linking work's network picture.",
        ),
        say(
            "Meer vastgelegde identificatoren geeft vanzelf meer koppelingen.",
            "Recording more identifiers gives more links by itself.",
        ),
    )
    return Answer("organised-shift", title, verdict, summary, tuple(findings), caveats, (share.as_dict(),))


def _hidden_third_country(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    title = say(
        "Minder zicht op slachtoffers, vooral derdelanders en jongeren?",
        "Less sight on victims, especially third-country nationals and young people?",
    )
    total = source.series({}, "victims")
    findings: list[Finding] = []
    data = []
    directions = []
    for filters, label in (
        ({"nationality_group": "non_eu"}, say("derdelanders", "third-country nationals")),
        ({"minor": "yes"}, say("minderjarigen", "minors")),
    ):
        share = share_of(label["en"], source.series(filters, "victims"), total)
        if share is None or not share.periods:
            continue
        trend = share_trend(share)
        findings.append(share_trend_finding(f"aandeel {label['nl']} / share of {label['en']}", trend))
        directions.append(trend.direction)
        data.append(share.as_dict())
    estimates = source.estimates()
    if estimates and total is not None:
        registered = dict(zip(total.periods, total.counts, strict=True))
        seen = [(year, registered[year] / est, low, high) for year, est, low, high in estimates if year in registered]
        if seen:
            parts_nl = "; ".join(
                f"{y}: {pct(s, 'nl')} van de geschatte {num(e, 'nl')}"
                for (y, s, _, _), (_, e, _, _) in zip(seen, [x for x in estimates if x[0] in registered], strict=True)
            )
            parts_en = "; ".join(
                f"{y}: {pct(s, 'en')} of the estimated {num(e, 'en')}"
                for (y, s, _, _), (_, e, _, _) in zip(seen, [x for x in estimates if x[0] in registered], strict=True)
            )
            findings.append(
                Finding(
                    "visible_share",
                    say(
                        f"Geregistreerd deel van de schatting (meervoudige-systeemschatting): {parts_nl}. De marges van de schattingen overlappen.",
                        f"Registered share of the estimate (multiple systems estimation): {parts_en}. The estimates' ranges overlap.",
                    ),
                    {"visible_share": [{"year": y, "share": s} for y, s, _, _ in seen]},
                )
            )
            directions.append("visible_up" if seen[-1][1] > seen[0][1] else "visible_down")
    if not findings:
        return Answer(
            "hidden-third-country",
            title,
            "not_answerable",
            say(
                "Deze bron kent geen herkomst, leeftijd of schatting van het verborgen aantal.",
                "This source has no origin, age or estimate of the hidden number.",
            ),
        )
    less = "down" in directions or "visible_down" in directions
    more = "up" in directions or "visible_up" in directions
    verdict = "mixed" if less and more else ("supported" if less else ("contradicted" if more else "not_supported"))
    summary = {
        "supported": say(
            "Deels ondersteund: het geregistreerde aandeel van deze groepen daalt; of dat minder zicht is, vraagt een schatting van het verborgen aantal per groep.",
            "Partly supported: the registered share of these groups falls; whether that is less sight needs an estimate of the hidden number per group.",
        ),
        "contradicted": say(
            "Niet ondersteund: het geregistreerde aandeel van deze groepen (of het zichtbare deel van de schatting) stijgt.",
            "Not supported: the registered share of these groups (or the visible part of the estimate) rises.",
        ),
        "mixed": say(
            "Gemengd: sommige aandelen dalen, andere stijgen; zie de toetsen.",
            "Mixed: some shares fall, others rise; see the tests.",
        ),
        "not_supported": say(
            "Niet aangetoond: de aandelen veranderen niet aantoonbaar.",
            "Not shown: the shares do not change detectably.",
        ),
    }[verdict]
    caveats = (
        say(
            "Registraties laten niet zien wie níet gezien wordt; alleen een schatting van het verborgen aantal (meervoudige-systeemschatting) doet dat.",
            "Registrations do not show who is not seen; only an estimate of the hidden number (multiple systems estimation) does.",
        ),
    )
    return Answer("hidden-third-country", title, verdict, summary, tuple(findings), caveats, tuple(data))


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
    findings, _ = _trend("zorg / care", care, gdpr)
    share = share_of("care/all", care, total)
    verdict = "not_supported"
    if share is not None and len(share.periods) >= 2:
        before = [i for i, p in enumerate(share.periods) if int(p[:4]) < 2018]
        after = [i for i, p in enumerate(share.periods) if int(p[:4]) >= 2018]
        if before and after:
            a, n1 = sum(share.part[i] for i in before), sum(share.whole[i] for i in before)
            first_after = after[0]
            b, n2 = share.part[first_after], share.whole[first_after]
            from signaal.analytics.composition import _newcombe

            d, lo, hi = _newcombe(a, n1, b, n2)
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
        findings.append(share_trend_finding("aandeel zorg / care share", share_trend(share)))
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
    "diversity": _diversity,
    "organised-shift": _organised_shift,
    "hidden-third-country": _hidden_third_country,
    "care-reports": _care_reports,
}


def answer_question(name: str, source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
    """Answer one named question on a source."""
    if name not in QUESTIONS:
        raise InvalidInput(f"unknown question {name!r}; use one of {', '.join(QUESTIONS)}")
    return QUESTIONS[name](source, breaks)
