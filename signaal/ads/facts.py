"""Self-introduced names, ages and prices with their unit in ad text."""

from __future__ import annotations

import re

from signaal.ads.normalise import lowered, trie_pattern
from signaal.ads.resources import not_names, plain_word
from signaal.ads.skeleton import Needles, matches_at, needle_starts, skeleton_of, text_skeleton

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

# A name trigger stands as words and white space follows it. There are many and they are
# common, so one regex finds them all: it tries each space in the skeleton, which costs less than
# a bytes.find for each.
_NAME_HINT = re.compile(
    (" (?=" + trie_pattern(sorted({skeleton_of(t).decode() for t in _NAME_TRIGGERS})) + " )").encode()
)
# An age word; or a number of 1-6 and a digit (one not ASCII is a space in the skeleton), white
# space and a unit ("y/o" is "y o" in the skeleton)
_AGE_NEEDLES: Needles = tuple((b" " + word, (0,)) for word in dict.fromkeys(map(skeleton_of, _AGE_WORDS)))
_AGE_NUMBER_HINT = re.compile(rb"A(?=[AB ] *(?:jaar|jr|year|yr|yo|y o))")
# A price has a currency, with its amount just after it or just before it (see _amounts_before);
# an amount without one a separator and a unit after it ("p/u" ends in "/u").
_CURRENCIES = ("€", "$", "eur")
_BARE_SLASH = re.compile("/" + _BARE_UNIT)
_BARE_PER = re.compile("per" + _BARE_UNIT)


def _name_starts(text: str) -> list[int]:
    # a hint at skeleton offset i is the space before a trigger at text offset i
    return [m.start() for m in _NAME_HINT.finditer(text_skeleton(text))]


def _age_starts(text: str) -> list[int]:
    skeleton = text_skeleton(text)
    if b"A" not in skeleton:  # both forms have a number that starts with 1-6
        return []
    # a number hint at skeleton offset i is the number at text offset i - 1
    starts = [m.start() - 1 for m in _AGE_NUMBER_HINT.finditer(skeleton)]
    return starts + needle_starts(skeleton, _AGE_NEEDLES)


def _price_starts(text: str) -> list[int]:
    low = lowered(text)
    starts: list[int] = []
    for currency in _CURRENCIES:
        at = low.find(currency)
        while at != -1:
            starts.append(at)  # "€80"
            starts += _amounts_before(low, at, True)  # "80 €"
            at = low.find(currency, at + 1)
    return starts


def _bare_price_starts(text: str) -> list[int]:
    low = lowered(text)
    if "/" not in low and "per" not in low:
        return []
    starts: list[int] = []
    for m in _BARE_SLASH.finditer(low):
        starts += _amounts_before(low, m.start(), False)
        if low[m.start() - 1 : m.start()] == "p":  # "150 p/u"
            starts += _amounts_before(low, m.start() - 1, False)
    for m in _BARE_PER.finditer(low):
        starts += _amounts_before(low, m.start(), False)
    return starts


def _amounts_before(low: str, at: int, currency: bool) -> tuple[int, ...]:
    """Where an amount of 2-4 digits (or "1.000") may start that is written before offset `at`.

    Back over white space, then a ",-" (or ".-" with white space before it, before a currency),
    then white space again before a currency: the digits end there.
    """
    end = at
    while end and low[end - 1].isspace():
        end -= 1
    if low[end - 2 : end] == ",-" or (currency and low[end - 2 : end] == ".-"):
        end -= 2
        while currency and end and low[end - 1].isspace():
            end -= 1
    return end - 5, end - 4, end - 3, end - 2


def find_names(text: str) -> list[tuple[str, int, int]]:
    """Names an ad introduces ("ik ben Lisa", "my name is Kim"), title-cased, with spans."""
    starts = _name_starts(text)
    if not starts:
        return []
    low = lowered(text)
    out: list[tuple[str, int, int]] = []
    for m in matches_at(_NAME_TRIGGER, low, starts):
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


def find_ages(text: str) -> list[tuple[int, int, int]]:
    """Ages stated in the text ("23 jaar", "age 23", "ik ben 23"): (age, start, end) of the age as written."""
    starts = _age_starts(text)
    if not starts:
        return []
    low = lowered(text)
    out: list[tuple[int, int, int]] = []
    for m in matches_at(_AGE, low, starts):
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
        return _bare_prices(text, low, out)
    free = 0  # text before this offset belongs to an earlier price
    for m in matches_at(_PRICE, low, _price_starts(text)):
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
    return _bare_prices(text, low, out)


def _bare_prices(
    text: str, low: str, found: list[tuple[float, str, str, int, int]]
) -> list[tuple[float, str, str, int, int]]:
    """Add the amounts written without a currency but with a time unit; currency "" (unknown)."""
    starts = _bare_price_starts(text)
    if not starts:
        return found
    taken = [(start, end) for *_rest, start, end in found]
    for m in matches_at(_BARE_PRICE, low, starts):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        amount = float(m.group("a"))
        unit = _UNITS.get(m.group("unit"), "unknown")
        if 20 <= amount <= 5000 and unit != "unknown":
            found.append((amount, "", unit, m.start(), m.end()))
    found.sort(key=lambda p: p[3])
    return found
