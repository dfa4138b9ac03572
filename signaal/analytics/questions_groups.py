"""Named questions about the make-up of the group: diversity, organised cases, and who is not seen."""

from __future__ import annotations

from signaal.analytics.composition import diversity_shift, share_trend
from signaal.analytics.findings import diversity_finding, share_trend_finding
from signaal.analytics.linkgroups import ORGANISED_MIN_GROUP
from signaal.analytics.series import Series
from signaal.analytics.sources import Source, share_of
from signaal.analytics.wording import Answer, Finding, num, pct, say
from signaal.catalogue.monitoring import TrendBreak

__all__ = ["diversity", "hidden_third_country", "organised_shift"]


def diversity(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
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
        findings.append(diversity_finding(label, div))
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


def organised_shift(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
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
            say(
                f"signalen in een groep van {ORGANISED_MIN_GROUP} of meer",
                f"signals in a group of {ORGANISED_MIN_GROUP} or more",
            ),
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


def _visible_share(source: Source, total: Series | None) -> Finding | None:
    """The registered part of the estimated number per year, when the source has estimates."""
    estimates = source.estimates()
    if not estimates or total is None:
        return None
    registered = dict(zip(total.periods, total.counts, strict=True))
    seen = [(year, registered[year] / est, low, high) for year, est, low, high in estimates if year in registered]
    if not seen:
        return None
    pairs = list(zip(seen, [x for x in estimates if x[0] in registered], strict=True))
    parts_nl = "; ".join(f"{y}: {pct(s, 'nl')} van de geschatte {num(e, 'nl')}" for (y, s, _, _), (_, e, _, _) in pairs)
    parts_en = "; ".join(f"{y}: {pct(s, 'en')} of the estimated {num(e, 'en')}" for (y, s, _, _), (_, e, _, _) in pairs)
    return Finding(
        "visible_share",
        say(
            f"Geregistreerd deel van de schatting (meervoudige-systeemschatting): {parts_nl}. De marges van de schattingen overlappen.",
            f"Registered share of the estimate (multiple systems estimation): {parts_en}. The estimates' ranges overlap.",
        ),
        {"visible_share": [{"year": y, "share": s} for y, s, _, _ in seen]},
    )


def hidden_third_country(source: Source, breaks: tuple[TrendBreak, ...]) -> Answer:
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
        findings.append(share_trend_finding(say(f"aandeel {label['nl']}", f"share of {label['en']}"), trend))
        directions.append(trend.direction)
        data.append(share.as_dict())
    visible = _visible_share(source, total)
    if visible is not None:
        findings.append(visible)
        shares = visible.result["visible_share"]
        directions.append("visible_up" if shares[-1]["share"] > shares[0]["share"] else "visible_down")
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
