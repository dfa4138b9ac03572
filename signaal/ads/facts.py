"""Self-introduced names, ages and prices with their unit in ad text."""

from __future__ import annotations

import re

from signaal.ads.normalise import lowered
from signaal.ads.prefilter import Prefilter, matches_at
from signaal.ads.resources import not_names, plain_word

__all__ = ["find_ages", "find_names", "find_prices", "is_description"]

_WORD = re.compile(r"[^\W\d_]+")

# Triggers run on ASCII-lower-cased text without IGNORECASE (several times faster); the name
# after a trigger is then checked case-sensitively on the text itself. No trigger followed by
# white space starts another, so at most one of them matches at a place and their order is free.
_NAME_TRIGGERS = (
    *("my name is", "i am", "i'm", "i’m", "im", "call me", "ask for", "this is", "mijn naam is", "ik ben", "ik heet"),
    *("vraag naar", "ze heet", "zij heet", "she is", "her name is", "hoi ik ben", "hoi, ik ben", "hallo ik ben"),
    "hallo, ik ben",
)
_NAME_TRIGGER = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _NAME_TRIGGERS)) + r")\s+")
_NAME = re.compile(r"(?:[A-ZÀ-Ý][a-zà-ÿ]{1,14}|[A-Z]{2,12})\b")
# After a trigger that can only introduce a name ("ik heet", "my name is"), a name written in
# lower case counts too ("ik heet anna"); after "ik ben" or "I am" it would be any word.
_NAMING_TRIGGERS = frozenset(["my name is", "mijn naam is", "ik heet", "ze heet", "zij heet", "her name is"])
_LOWER_NAME = re.compile(r"[a-zà-ÿ]{2,15}\b")
# English adverbs ("Dangerously curvaceous", "Totally new") are no names; first names with
# these endings are rare
_ADVERB = re.compile(r"(?:ous|ful|ing|ive|ate|ute|ent|ant)ly$")
# An age is a number 12-69 with a unit ("16 jaar", "19yo") or after "leeftijd", "age", "ik ben",
# "I am". A number of years that is not an age is left out: experience or time in the trade
# ("20 jaar ervaring", "al 15 jaar", "sinds 10 jaar actief", "10 years experience") and limits
# ("ouder dan 18 jaar", "over 18 years", "no one under 18").
_NOT_AGE_WORDS = (
    r"(?:ervaring|werkervaring|experience|of experience|exp\b|in (?:het|dit|de|the|this) "
    r"(?:vak|branche|werk|business|trade)|actief|active|werkzaam|working|lang\b|geleden|ago|getrouwd|married)"
)
_AGE_WORDS = ("leeftijd", "age", "ik ben", "i am", "i'm", "i’m")
_AGE = re.compile(
    r"(?=[1-6]\d)(?<![\w.,+])(?<!\bsinds )(?<!\bal )(?<!\bruim )(?<!\bover )(?<!\bdan )(?<!\bthan )(?<!\bfor )"
    r"(?<!\bsince )(?<!\bonder )(?<!\bunder )(?<!\bboven )"
    r"(?P<a>1[2-9]|[2-6]\d)\s*(?:jaar(?: oud)?|jr|years? old|yrs?(?: old)?|yo|y/o)\b"
    rf"(?!\s*{_NOT_AGE_WORDS})"
    r"|\b(?:" + "|".join(map(re.escape, _AGE_WORDS)) + r")\s*:?\s*(?:(?:pas|net|nog|maar|only|just) )?"
    r"(?P<b>1[2-9]|[2-6]\d)\b(?![.,]\d|\s*(?:min|€|euro|\$|cm|kg|uur|u\b|hours?|x\b|/|%|\+))"
    rf"(?!\s*(?:jaar|years?|yrs?)\s*{_NOT_AGE_WORDS})"
    r"(?:\s*(?:jaar(?: oud)?|jr|years? old|yrs?(?: old)?|yo|y/o)\b)?",
)
# 2-4 digits, or a thousand written with a separator ("€1.000 per nacht", "$1,500")
_AMOUNT = r"\d{1,2}[.,]\d{3}(?!\d)|\d{2,4}"
_PRICE = re.compile(
    rf"(?:(?P<cur1>€|eur|euro|\$)\s*(?P<a1>{_AMOUNT})(?:[,.]-)?|(?P<a2>{_AMOUNT})\s*(?:[,.]-\s*)?(?P<cur2>€|euro|eur|\$))"
    r"(?:\s*(?P<per>per|p/|/|a|an|een|the|voor|for)?\s*(?P<unit>half uur|halfuur|uur|u\b|kwartier|nacht|"
    r"hour|hr|h\b|hh|half hour|30 ?min|15 ?min|60 ?min|1 ?h|overnight|night))?",
)
# A unit label right before a price, as in a price list "Half uur €80 Uur €150" or "1 uur: 150 euro".
_UNIT_BEFORE = re.compile(
    r"(?<!\w)(?P<unit>half uur|halfuur|uur|kwartier|nacht|half hour|hour|hr|30 ?min|15 ?min|60 ?min|1 ?h|"
    r"overnight|night)(?:uten|utes)?[\s:=(–-]*$"
)
# An amount without a currency counts only with "per", "p/" or "/" and a time unit after it
# ("100 per half uur", "150 p/u", "80/hh"): never a bare number, a time ("24/7") or a phone's digits.
_BARE_UNIT = r"\s*(?P<unit>half uur|halfuur|uur|u|kwartier|nacht|half hour|hour|hr|hh|h)(?!\w)"
_BARE_PRICE = re.compile(r"(?<![\d.,:/+-])(?P<a>\d{2,4})(?:,-)?\s*(?:per|p/|/)" + _BARE_UNIT)
_UNITS = {
    "uur": "hour",
    "u": "hour",
    "hour": "hour",
    "hr": "hour",
    "h": "hour",
    "1h": "hour",
    "1 h": "hour",
    "half uur": "half_hour",
    "halfuur": "half_hour",
    "hh": "half_hour",
    "half hour": "half_hour",
    "30min": "half_hour",
    "30 min": "half_hour",
    "kwartier": "quarter",
    "15min": "quarter",
    "15 min": "quarter",
    "60min": "hour",
    "60 min": "hour",
    "nacht": "night",
    "night": "night",
    "overnight": "night",
}

# The keywords of each pattern (see signaal.ads.prefilter): every match starts with one of them.
_DIGITS = tuple("0123456789")
_AGE_STARTS = (*"123456", *_AGE_WORDS)  # an age of 12-69, or an age word
_PRICE_STARTS = ("€", "eur", "$", *_DIGITS)  # a currency, or an amount
_NAME_KEYWORDS = Prefilter({"name": _NAME_TRIGGERS})
_AGE_KEYWORDS = Prefilter({"age": _AGE_STARTS})
_PRICE_KEYWORDS = Prefilter({"price": _PRICE_STARTS})
_BARE_PRICE_KEYWORDS = Prefilter({"price": _DIGITS})


def _finditer(pattern: re.Pattern[str], keywords: Prefilter[str], low: str, prefilter: bool) -> list[re.Match[str]]:
    # the pattern tried where its keywords start, or (plain) over the whole text
    if prefilter:
        return matches_at(pattern, low, keywords.offsets(low))
    return list(pattern.finditer(low))


def find_names(text: str, *, prefilter: bool = True) -> list[tuple[str, int, int]]:
    """Names an ad introduces ("ik ben Lisa", "my name is Kim"), title-cased, with spans.

    ``prefilter=False``, here and in the other finders, runs the pattern over the whole text: the
    reference that the prefiltered form equals (see signaal.ads.prefilter).
    """
    low = lowered(text)
    out: list[tuple[str, int, int]] = []
    for m in _finditer(_NAME_TRIGGER, _NAME_KEYWORDS, low, prefilter):
        n = _NAME.match(text, m.end())
        if n is None and m.group().rstrip() in _NAMING_TRIGGERS:
            n = _LOWER_NAME.match(text, m.end())
        # nationalities, ethnicities and adjectives ("ik ben Roemeense", "I am Latina", "ik ben
        # Discreet") are never names: a name is hub evidence, and nationality never is
        if n is None or _ordinary_word(n.group()):
            continue
        name = n.group()
        out.append((name[:1].upper() + name[1:].lower(), n.start(), n.end()))
    return out


def _ordinary_word(word: str) -> bool:
    """A sentence word, nationality, adjective or adverb: never a name (see not_names)."""
    plain = plain_word(word)
    return plain in not_names() or _ADVERB.search(plain) is not None


def is_description(name: str) -> bool:
    """True when every word of a name (field) is a nationality, ethnicity, adjective or sentence word."""
    words = _WORD.findall(name)
    return bool(words) and all(plain_word(w) in not_names() for w in words)


def find_ages(text: str, *, prefilter: bool = True) -> list[tuple[int, int, int]]:
    """Ages stated in the text ("23 jaar", "age 23", "ik ben 23"): (age, start, end) of the age as written."""
    low = lowered(text)
    out: list[tuple[int, int, int]] = []
    for m in _finditer(_AGE, _AGE_KEYWORDS, low, prefilter):
        if m.group("a"):
            out.append((int(m.group("a")), m.start("a"), m.end()))
        else:
            out.append((int(m.group("b")), m.start("b"), m.end()))
    return out


def find_prices(text: str, *, prefilter: bool = True) -> list[tuple[float, str, str, int, int]]:
    """Prices with currency and unit: (amount, currency, unit, start, end).

    The unit is the one written after the amount ("€80 per half uur"), or the label right before
    it in a price list ("Half uur €80 Uur €150"); a label after the amount that is not introduced
    by "per", "/" ... belongs to the next amount when that amount has no label of its own.
    """
    low = lowered(text)
    out: list[tuple[float, str, str, int, int]] = []
    if "€" not in text and "$" not in text and "eur" not in low:
        return _bare_prices(low, out, prefilter)
    free = 0  # text before this offset belongs to an earlier price
    for m in _finditer(_PRICE, _PRICE_KEYWORDS, low, prefilter):
        amount_end = m.end("a1") if m.group("a1") else m.end("cur2")
        before = _UNIT_BEFORE.search(low, max(free, m.start() - 24), m.start())
        after = m.group("unit")
        start, end = m.start(), amount_end
        if after and (m.group("per") or not before):
            unit_raw, end = after, m.end()
        elif before:
            unit_raw, start = before.group("unit"), before.start()
        else:
            unit_raw = ""
        free = end
        amount = float((m.group("a1") or m.group("a2")).replace(".", "").replace(",", ""))
        if not 20 <= amount <= 5000:
            continue
        cur = (m.group("cur1") or m.group("cur2") or "").lower()
        currency = "USD" if cur == "$" else "EUR"
        out.append((amount, currency, _UNITS.get(unit_raw, "unknown"), start, end))
    return _bare_prices(low, out, prefilter)


def _bare_prices(
    low: str, found: list[tuple[float, str, str, int, int]], prefilter: bool
) -> list[tuple[float, str, str, int, int]]:
    """Add the amounts written without a currency but with a time unit; currency "" (unknown)."""
    if "/" not in low and "per" not in low:
        return found  # an amount without a currency needs "per", "p/" or "/" after it
    taken = [(start, end) for *_rest, start, end in found]
    for m in _finditer(_BARE_PRICE, _BARE_PRICE_KEYWORDS, low, prefilter):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        amount = float(m.group("a"))
        unit = _UNITS.get(m.group("unit"), "unknown")
        if 20 <= amount <= 5000 and unit != "unknown":
            found.append((amount, "", unit, m.start(), m.end()))
    found.sort(key=lambda p: p[3])
    return found
