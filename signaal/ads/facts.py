"""Self-introduced names, ages, prices with their unit, places and the language of an ad."""

from __future__ import annotations

import re
from functools import lru_cache

from signaal.ads.normalise import fold, lowered, trie_pattern
from signaal.ads.resources import common_word_places, gazetteer, not_names, plain_word

__all__ = ["find_ages", "find_names", "find_places", "find_prices", "guess_language", "is_description"]

# Triggers run on ASCII-lower-cased text without IGNORECASE (several times faster); the name
# after a trigger is then checked case-sensitively on the text itself.
_NAME_TRIGGER = re.compile(
    r"(?<!\w)(?:my name is|i am|i'm|im|call me|ask for|this is|mijn naam is|ik ben|ik heet|"
    r"vraag naar|ze heet|zij heet|she is|her name is|hoi,? ik ben|hallo,? ik ben)\s+"
)
_NAME = re.compile(r"(?:[A-ZÀ-Ý][a-zà-ÿ]{1,14}|[A-Z]{2,12})\b")
# An age is a number 12-69 with a unit ("16 jaar", "19yo") or after "leeftijd", "age", "ik ben",
# "I am". A number of years that is not an age is left out: experience or time in the trade
# ("20 jaar ervaring", "al 15 jaar", "sinds 10 jaar actief", "10 years experience") and limits
# ("ouder dan 18 jaar", "over 18 years", "no one under 18").
_NOT_AGE_WORDS = (
    r"(?:ervaring|werkervaring|experience|of experience|exp\b|in (?:het|dit|de|the|this) "
    r"(?:vak|branche|werk|business|trade)|actief|active|werkzaam|working|lang\b|geleden|ago|getrouwd|married)"
)
_AGE = re.compile(
    r"(?=[1-6]\d)(?<![\w.,+])(?<!\bsinds )(?<!\bal )(?<!\bruim )(?<!\bover )(?<!\bdan )(?<!\bthan )(?<!\bfor )"
    r"(?<!\bsince )(?<!\bonder )(?<!\bunder )(?<!\bboven )"
    r"(?P<a>1[2-9]|[2-6]\d)\s*(?:jaar(?: oud)?|jr|years? old|yrs?(?: old)?|yo|y/o)\b"
    rf"(?!\s*{_NOT_AGE_WORDS})"
    r"|\b(?:leeftijd|age|ik ben|i am|i['’]m)\s*:?\s*(?:(?:pas|net|nog|maar|only|just) )?"
    r"(?P<b>1[2-9]|[2-6]\d)\b(?![.,]\d|\s*(?:min|€|euro|\$|cm|kg|uur|u\b|hours?|x\b|/|%|\+))"
    rf"(?!\s*(?:jaar|years?|yrs?)\s*{_NOT_AGE_WORDS})"
    r"(?:\s*(?:jaar(?: oud)?|jr|years? old|yrs?(?: old)?|yo|y/o)\b)?",
)
_PRICE = re.compile(
    r"(?:(?P<cur1>€|eur|euro|\$)\s*(?P<a1>\d{2,4})(?:[,.]-)?|(?P<a2>\d{2,4})\s*(?:[,.]-\s*)?(?P<cur2>€|euro|eur|\$))"
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
_BARE_PRICE = re.compile(
    r"(?<![\d.,:/+-])(?P<a>\d{2,4})(?:,-)?\s*(?:per|p/|/)\s*"
    r"(?P<unit>half uur|halfuur|uur|u|kwartier|nacht|half hour|hour|hr|hh|h)(?!\w)"
)
_HAS_DIGIT = re.compile(r"\d")
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
_NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "ik",
        "ben",
        "je",
        "jij",
        "mij",
        "mijn",
        "van",
        "voor",
        "met",
        "niet",
        "ook",
        "bij",
        "naar",
        "op",
        "is",
        "zijn",
        "wat",
        "heb",
        "heel",
        "lekker",
        "kom",
        "bel",
        "alleen",
        "uur",
        "nieuw",
        "stad",
        "meiden",
        "dames",
        "geen",
        "zonder",
        "deze",
        "week",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "i",
        "am",
        "you",
        "me",
        "my",
        "of",
        "for",
        "with",
        "not",
        "also",
        "at",
        "to",
        "is",
        "are",
        "what",
        "have",
        "very",
        "come",
        "call",
        "only",
        "hour",
        "new",
        "town",
        "girls",
        "ladies",
        "no",
        "without",
        "this",
        "week",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def find_names(text: str) -> list[tuple[str, int, int]]:
    """Names an ad introduces ("ik ben Lisa", "my name is Kim"), title-cased, with spans."""
    out: list[tuple[str, int, int]] = []
    for m in _NAME_TRIGGER.finditer(lowered(text)):
        n = _NAME.match(text, m.end())
        # nationalities, ethnicities and adjectives ("ik ben Roemeense", "I am Latina", "ik ben
        # Discreet") are never names: a name is hub evidence, and nationality never is
        if n is None or plain_word(n.group()) in not_names():
            continue
        name = n.group()
        out.append((name[:1].upper() + name[1:].lower(), n.start(), n.end()))
    return out


def is_description(name: str) -> bool:
    """True when every word of a name (field) is a nationality, ethnicity, adjective or sentence word."""
    words = _WORD.findall(name)
    return bool(words) and all(plain_word(w) in not_names() for w in words)


def find_ages(text: str) -> list[tuple[int, int, int]]:
    """Ages stated in the text ("23 jaar", "age 23", "ik ben 23"): (age, start, end) of the age as written."""
    if not _HAS_DIGIT.search(text):
        return []
    out: list[tuple[int, int, int]] = []
    for m in _AGE.finditer(lowered(text)):
        if m.group("a"):
            out.append((int(m.group("a")), m.start("a"), m.end()))
        else:
            out.append((int(m.group("b")), m.start("b"), m.end()))
    return out


def find_prices(text: str) -> list[tuple[float, str, str, int, int]]:
    """Prices with currency and unit: (amount, currency, unit, start, end).

    The unit is the one written after the amount ("€80 per half uur"), or the label right before
    it in a price list ("Half uur €80 Uur €150"); a label after the amount that is not introduced
    by "per", "/" ... belongs to the next amount when that amount has no label of its own.
    """
    low = lowered(text)
    out: list[tuple[float, str, str, int, int]] = []
    if "€" not in text and "$" not in text and "eur" not in low:
        return _bare_prices(low, out) if ("per" in low or "/" in low) else out
    free = 0  # text before this offset belongs to an earlier price
    for m in _PRICE.finditer(low):
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
        amount = float(m.group("a1") or m.group("a2"))
        if not 20 <= amount <= 5000:
            continue
        cur = (m.group("cur1") or m.group("cur2") or "").lower()
        currency = "USD" if cur == "$" else "EUR"
        out.append((amount, currency, _UNITS.get(unit_raw, "unknown"), start, end))
    return _bare_prices(low, out)


def _bare_prices(
    low: str, found: list[tuple[float, str, str, int, int]]
) -> list[tuple[float, str, str, int, int]]:
    """Add the amounts written without a currency but with a time unit; currency "" (unknown)."""
    taken = [(start, end) for *_rest, start, end in found]
    for m in _BARE_PRICE.finditer(low):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        amount = float(m.group("a"))
        unit = _UNITS.get(m.group("unit"), "unknown")
        if 20 <= amount <= 5000 and unit != "unknown":
            found.append((amount, "", unit, m.start(), m.end()))
    found.sort(key=lambda p: p[3])
    return found


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern[str]:
    # a trie-shaped alternation: one cheap test per word start instead of one per place name
    # (?<!\w) rather than \b: a name may start with an apostrophe ("'s-Gravenhage")
    return re.compile(r"(?<!\w)" + trie_pattern(sorted(gazetteer())) + r"(?!\w)")


def find_places(text: str) -> list[tuple[str, int, int]]:
    """Dutch places from the gazetteer, as their municipality, with spans.

    A place that is also an ordinary word counts only where it is written as a place (see
    _written_as_place): "anything goes" and "het beste" name no town.
    """
    places = gazetteer()
    common = common_word_places()
    return [
        (places[m.group()], m.start(), m.end())
        for m in _place_re().finditer(lowered(text))
        if m.group() not in common or _written_as_place(text, m.start(), m.end(), common[m.group()])
    ]


def municipality(city: str) -> str | None:
    """The municipality of a city field: "Amsterdam-Zuid", "Den Haag Centrum", "Utrecht (centrum)"."""
    text = fold(city.strip()).text
    places = gazetteer()
    low = lowered(text)
    if low in places:
        return places[low]
    common = common_word_places()
    for m in _place_re().finditer(low):
        # the field names a place: one at its start counts even when it is also a word
        if m.start() == 0 or m.group() not in common or _written_as_place(text, m.start(), m.end(), common[m.group()]):
            return places[m.group()]
    return None


# Words after which a capitalised word is a place ("nieuw in Goes", "near Best").
_PLACE_MARKERS = frozenset(
    [
        "in",
        "uit",
        "bij",
        "naar",
        "rond",
        "rondom",
        "omgeving",
        "regio",
        "nabij",
        "te",
        "vanuit",
        "from",
        "near",
        "around",
    ]
)
_SEPARATORS = frozenset(",|/()[]:;-–—•*!?.\n")
_LAST_WORD = re.compile(r"(\w+)\s*$")


def _written_as_place(text: str, start: int, end: int, word_language: str) -> bool:
    # A place that is also a word is written capitalised ("Leiden", not "laat je leiden"). One
    # that is also an English word ("goes", "best") must moreover stand where a place stands:
    # after "in", "uit", "near" ..., or alone between punctuation ("Lisa | Goes"), so that
    # "Anything Goes" or "Best service" name no town.
    if not text[start : start + 1].isupper():
        return False
    if word_language != "en":
        return True
    before = text[max(0, start - 24) : start]
    prev = _LAST_WORD.search(before)
    if prev is not None and prev.group(1).lower() in _PLACE_MARKERS:
        return True
    if before.strip() and before.rstrip()[-1] not in _SEPARATORS:
        return False
    after = text[end : end + 24].lstrip(" \t")
    return not after or after[0] in _SEPARATORS


def guess_language(text: str) -> str:
    """ "nl", "en" or "und" from counts of common function words."""
    words = _WORD.findall(text.lower())
    nl = sum(map(_NL_WORDS.__contains__, words))
    en = sum(map(_EN_WORDS.__contains__, words))
    if nl + en < 2:
        return "und"
    return "nl" if nl >= en else "en"
