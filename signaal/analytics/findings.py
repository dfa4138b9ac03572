"""Test results as findings in plain Dutch and English: what the test supports, and what it does not."""

from __future__ import annotations

from signaal.analytics.composition import Diversity, ShareTest, ShareTrend
from signaal.analytics.models import BreakModel, ChangePoint
from signaal.analytics.monotonic import MannKendall
from signaal.analytics.wording import Finding, num, pct, pval, say
from signaal.catalogue.monitoring import TrendBreak

Label = str | dict[str, str]  # a name the same in both languages, or one per language


def _n(name: Label, lang: str) -> str:
    """The name in one language."""
    return name if isinstance(name, str) else name[lang]


__all__ = [
    "Label",
    "_n",
    "break_finding",
    "change_finding",
    "diversity_finding",
    "mk_finding",
    "share_finding",
    "share_trend_finding",
]


def mk_finding(name: Label, mk: MannKendall) -> Finding:
    """Mann-Kendall and Sen's slope, or "too few points", or "no trend" with the test's power."""
    if mk.too_few:
        text = say(
            f"{_n(name, 'nl')}: te weinig punten ({mk.n}) voor een trendtoets; geen p-waarde.",
            f"{_n(name, 'en')}: too few points ({mk.n}) for a trend test; no p-value.",
        )
        return Finding("mann_kendall", text, mk.as_dict())
    slope = {
        lang: f"{num(mk.slope, lang, 1)} per jaar" if lang == "nl" else f"{num(mk.slope, lang, 1)} a year"
        for lang in ("nl", "en")
    }
    ci = {
        lang: f"{num(mk.slope_low, lang, 1)} tot {num(mk.slope_high, lang, 1)}"
        if lang == "nl"
        else f"{num(mk.slope_low, lang, 1)} to {num(mk.slope_high, lang, 1)}"
        for lang in ("nl", "en")
    }
    if mk.direction != "none":
        up = mk.direction == "up"
        text = say(
            f"{_n(name, 'nl')}: {'stijgende' if up else 'dalende'} trend (Mann-Kendall, {pval(mk.p, 'nl')}, n = {mk.n}); "
            f"helling volgens Sen {slope['nl']} (95 %-interval {ci['nl']}).",
            f"{_n(name, 'en')}: {'rising' if up else 'falling'} trend (Mann-Kendall, {pval(mk.p, 'en')}, n = {mk.n}); "
            f"Sen's slope {slope['en']} (95 % interval {ci['en']}).",
        )
    else:
        weak = mk.power is not None and mk.power < 0.8
        power_nl = (
            f" De toets had {pct(mk.power, 'nl')} kans om een verandering van 5 % per jaar te zien{' — te weinig om een trend uit te sluiten' if weak else ''}."
            if mk.power is not None
            else ""
        )
        power_en = (
            f" The test had {pct(mk.power, 'en')} power to detect a change of 5 % a year{' — too little to rule a trend out' if weak else ''}."
            if mk.power is not None
            else ""
        )
        text = say(
            f"{_n(name, 'nl')}: geen significante monotone trend (Mann-Kendall, {pval(mk.p, 'nl')}, n = {mk.n}; Sen {slope['nl']}).{power_nl}",
            f"{_n(name, 'en')}: no significant monotonic trend (Mann-Kendall, {pval(mk.p, 'en')}, n = {mk.n}; Sen {slope['en']}).{power_en}",
        )
    return Finding("mann_kendall", text, mk.as_dict())


def break_finding(name: Label, model: BreakModel, breaks: tuple[TrendBreak, ...]) -> Finding:
    """The trend with known breaks in the model, each break's rate ratio, and breaks vs one smooth trend."""
    if model.reason:
        text = say(
            f"{_n(name, 'nl')}: geen model met breuken ({model.reason}).",
            f"{_n(name, 'en')}: no model with breaks ({model.reason}).",
        )
        return Finding("poisson_breaks", text, model.as_dict())
    by_id = {b.id: b for b in breaks}
    parts_nl, parts_en = [], []
    for effect in model.breaks:
        brk = by_id[effect.id]
        parts_nl.append(
            f"{brk.nl}: ×{num(effect.ratio, 'nl', 2)} ({num(effect.low, 'nl', 2)}–{num(effect.high, 'nl', 2)}, {pval(effect.p, 'nl')})"
        )
        parts_en.append(
            f"{brk.en}: ×{num(effect.ratio, 'en', 2)} ({num(effect.low, 'en', 2)}–{num(effect.high, 'en', 2)}, {pval(effect.p, 'en')})"
        )
    smooth_nl = smooth_en = ""
    if model.breaks_p is not None:
        rejected = model.breaks_p < 0.05
        smooth_nl = f" De breuken samen tegen één gladde trend: {pval(model.breaks_p, 'nl')} — {'geen gladde trend' if rejected else 'niet aangetoond dat het geen gladde trend is'}."
        smooth_en = f" The breaks together against one smooth trend: {pval(model.breaks_p, 'en')} — {'not one smooth trend' if rejected else 'not shown to differ from one smooth trend'}."
    left_out = [by_id[b] for b in model.left_out if b in by_id]
    left_nl = f" Niet te schatten met deze reeks: {'; '.join(b.nl for b in left_out)}." if left_out else ""
    left_en = f" Not estimable from this series: {'; '.join(b.en for b in left_out)}." if left_out else ""
    text = say(
        f"{_n(name, 'nl')}: met de bekende breuken in het model (Poisson, overdispersie {num(model.dispersion, 'nl', 1)}) is de trend "
        f"{pct(model.trend, 'nl', 1, True)} per jaar ({pct(model.trend_low, 'nl', 1, True)} tot {pct(model.trend_high, 'nl', 1, True)}, {pval(model.trend_p, 'nl')}). "
        f"{'; '.join(parts_nl) or 'Geen bekende breuk in deze reeks'}.{smooth_nl}{left_nl}",
        f"{_n(name, 'en')}: with the known breaks in the model (Poisson, over-dispersion {num(model.dispersion, 'en', 1)}) the trend is "
        f"{pct(model.trend, 'en', 1, True)} a year ({pct(model.trend_low, 'en', 1, True)} to {pct(model.trend_high, 'en', 1, True)}, {pval(model.trend_p, 'en')}). "
        f"{'; '.join(parts_en) or 'No known break in this series'}.{smooth_en}{left_en}",
    )
    return Finding("poisson_breaks", text, model.as_dict())


def change_finding(name: Label, cp: ChangePoint) -> Finding:
    """The scan for an unknown change point, with its conservative p-value."""
    if cp.reason or cp.period is None:
        text = say(
            f"{_n(name, 'nl')}: te weinig punten voor een zoektocht naar een breekpunt.",
            f"{_n(name, 'en')}: too few points to scan for a change point.",
        )
    elif cp.found:
        text = say(
            f"{_n(name, 'nl')}: naast de bekende breuken een sprong in het niveau vanaf {cp.period} (×{num(cp.ratio, 'nl', 2)}; "
            f"{pval(cp.p, 'nl')}, gecorrigeerd voor {cp.candidates} mogelijke plaatsen).",
            f"{_n(name, 'en')}: beyond the known breaks, a jump in level from {cp.period} (×{num(cp.ratio, 'en', 2)}; "
            f"{pval(cp.p, 'en')}, corrected for {cp.candidates} possible places).",
        )
    else:
        text = say(
            f"{_n(name, 'nl')}: geen breekpunt naast de bekende breuken aangetoond; de meest waarschijnlijke plaats is {cp.period} (×{num(cp.ratio, 'nl', 2)}) "
            f"({pval(cp.p, 'nl')} na correctie voor {cp.candidates} plaatsen).",
            f"{_n(name, 'en')}: no change point beyond the known breaks is shown; the most likely place is {cp.period} (×{num(cp.ratio, 'en', 2)}) "
            f"({pval(cp.p, 'en')} after correcting for {cp.candidates} places).",
        )
    return Finding("change_point", text, cp.as_dict())


def share_finding(name: Label, test: ShareTest, what: dict[str, str]) -> Finding:
    """One share with its interval and whether it is above the reference."""
    above = test.p_above is not None and test.p_above < 0.05
    below = test.high < test.reference
    verdict_nl = "duidelijk meer dan" if above else ("duidelijk minder dan" if below else "niet aantoonbaar meer dan")
    verdict_en = "clearly more than" if above else ("clearly less than" if below else "not shown to be more than")
    text = say(
        f"{_n(name, 'nl')}: {what['nl']} {pct(test.share, 'nl')} ({test.part} van {test.whole}; 95 %-interval "
        f"{pct(test.low, 'nl')}–{pct(test.high, 'nl')}) — {verdict_nl} {pct(test.reference, 'nl')} ({pval(test.p_above, 'nl')}).",
        f"{_n(name, 'en')}: {what['en']} {pct(test.share, 'en')} ({test.part} of {test.whole}; 95 % interval "
        f"{pct(test.low, 'en')}–{pct(test.high, 'en')}) — {verdict_en} {pct(test.reference, 'en')} ({pval(test.p_above, 'en')}).",
    )
    return Finding("share", text, test.as_dict())


def share_trend_finding(name: Label, trend: ShareTrend) -> Finding:
    """The trend of a share: odds ratio per year and the first-to-last difference with its interval."""
    if trend.reason:
        text = say(f"{_n(name, 'nl')}: geen toets ({trend.reason}).", f"{_n(name, 'en')}: no test ({trend.reason}).")
        return Finding("share_trend", text, trend.as_dict())
    moves = {
        "up": ("stijgt", "rises"),
        "down": ("daalt", "falls"),
        "none": ("verandert niet aantoonbaar", "does not change detectably"),
    }[trend.direction]
    power_nl = power_en = ""
    if trend.power is not None:
        weak = trend.power < 0.8
        power_nl = f" De toets had {pct(trend.power, 'nl')} kans om een verandering van 10 % in de odds per jaar te zien{' — te weinig om een verschuiving uit te sluiten' if weak else ''}."
        power_en = f" The test had {pct(trend.power, 'en')} power to detect a 10 % change in the odds a year{' — too little to rule a shift out' if weak else ''}."
    text = say(
        f"{_n(name, 'nl')}: het aandeel {moves[0]} (odds ratio {num(trend.odds_ratio, 'nl', 2)} per jaar, {num(trend.low, 'nl', 2)}–{num(trend.high, 'nl', 2)}, "
        f"{pval(trend.p, 'nl')}); van {trend.first} tot {trend.last}: {pct(trend.difference, 'nl', 1, True)}-punt "
        f"({pct(trend.diff_low, 'nl', 1, True)} tot {pct(trend.diff_high, 'nl', 1, True)}).{power_nl}",
        f"{_n(name, 'en')}: the share {moves[1]} (odds ratio {num(trend.odds_ratio, 'en', 2)} a year, {num(trend.low, 'en', 2)}–{num(trend.high, 'en', 2)}, "
        f"{pval(trend.p, 'en')}); from {trend.first} to {trend.last}: {pct(trend.difference, 'en', 1, True)} points "
        f"({pct(trend.diff_low, 'en', 1, True)} to {pct(trend.diff_high, 'en', 1, True)}).{power_en}",
    )
    return Finding("share_trend", text, trend.as_dict())


def diversity_finding(name: Label, div: Diversity) -> Finding:
    """Whether a distribution shifts, and whether it becomes more diverse."""
    if div.reason or div.change is None:
        text = say(
            f"{_n(name, 'nl')}: te weinig gegevens voor een toets.", f"{_n(name, 'en')}: too little data for a test."
        )
        return Finding("diversity", text, div.as_dict())
    more = div.change_low is not None and div.change_low > 0
    less = div.change_high is not None and div.change_high < 0
    nl = "diverser" if more else ("minder divers" if less else "niet aantoonbaar diverser of minder divers")
    en = "more diverse" if more else ("less diverse" if less else "not shown to be more or less diverse")
    text = say(
        f"{_n(name, 'nl')}: de verdeling verschilt tussen de jaren ({pval(div.homogeneity_p, 'nl')}, chi-kwadraat); de groep is {nl} "
        f"(Gini-Simpson {num(div.change, 'nl', 3)}, 95 %-interval {num(div.change_low, 'nl', 3)} tot {num(div.change_high, 'nl', 3)}).",
        f"{_n(name, 'en')}: the distribution differs between years ({pval(div.homogeneity_p, 'en')}, chi-square); the group is {en} "
        f"(Gini-Simpson {num(div.change, 'en', 3)}, 95 % interval {num(div.change_low, 'en', 3)} to {num(div.change_high, 'en', 3)}).",
    )
    return Finding("diversity", text, div.as_dict())
