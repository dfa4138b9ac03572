"""Self-introduced names, ages, prices with their unit, places and the language of an ad."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import filterfalse, repeat

from signaal.ads.normalise import fold, lowered, trie_pattern
from signaal.ads.resources import common_word_places, gazetteer, not_names, plain_word

__all__ = ["find_ages", "find_names", "find_places", "find_prices", "guess_language", "is_description"]

# Triggers run on ASCII-lower-cased text without IGNORECASE (several times faster); the name
# after a trigger is then checked case-sensitively on the text itself. No trigger followed by
# white space starts another, so at most one of them matches at a place and their order is free.
_NAME_TRIGGERS = (
    *("my name is", "i am", "i'm", "im", "call me", "ask for", "this is", "mijn naam is", "ik ben", "ik heet"),
    *("vraag naar", "ze heet", "zij heet", "she is", "her name is", "hoi ik ben", "hoi, ik ben", "hallo ik ben"),
    "hallo, ik ben",
)
_NAME_TRIGGER = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _NAME_TRIGGERS)) + r")\s+")
_NAME = re.compile(r"(?:[A-ZÀ-Ý][a-zà-ÿ]{1,14}|[A-Z]{2,12})\b")
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

# guess_language counts words on bytes: ASCII letters and every byte of a character that is not
# ASCII are kept, other ASCII bytes are spaces (see guess_language).
_LETTERS_KEPT = bytes(b if b >= 0x80 or chr(b).isalpha() else 0x20 for b in range(256))
_EN_SHIFT = 32  # a text has far fewer than 2**32 words
_NL_MASK = (1 << _EN_SHIFT) - 1
# the weight of a word: 1 for a Dutch word, 2**32 for an English one, both for a word of both lists
_LANGUAGE_WORDS = {
    word.encode(): (word in _NL_WORDS) + ((word in _EN_WORDS) << _EN_SHIFT) for word in _NL_WORDS | _EN_WORDS
}


# --- where a pattern may match, found cheaply ---------------------------------------------------
#
# re tries a pattern at every position of a text unless it starts with a literal, and these
# patterns start with a look-around or an alternation of groups: trying them everywhere costs far
# more than the few places where they match. So each finder first finds the offsets where its
# pattern may match (its _starts function: str.find, bytes.find and regexes that start with a
# literal, mostly on a skeleton of the text) and tries its own pattern at those offsets only
# (_matches_at), which gives what finditer gives. tests/ads/test_ads_facts_rules.py checks that
# the offsets hold every place where the pattern matches.
#
# The skeleton has one byte per character of the lowered text: ASCII letters and "_" as they are,
# the digits 1-6 as "A" and the other ASCII digits as "B", every other character (punctuation,
# white space, and anything not ASCII) as a space; one space more before and after. A word that
# starts after no word character starts after a space in the skeleton, so " ik ben" is in the
# skeleton wherever "ik ben" may stand as words in the text, and where the needle " ik ben" is
# in the skeleton, "ik ben" is at that same offset in the text (the extra space in front shifts
# the skeleton by one). The skeleton may show more than there is (an accented letter or a
# "?" is a space in it), never less; the finder's own pattern decides.


def _skeleton_byte(byte: int) -> int:
    char = chr(byte)
    if char.isascii() and char.isalpha():
        return ord(char.lower())
    if char == "_":
        return byte
    if "1" <= char <= "6":
        return ord("A")
    return ord("B") if "0" <= char <= "9" else ord(" ")


_SKELETON = bytes(map(_skeleton_byte, range(256)))
_last_skeleton: tuple[str, bytes] = ("", b"  ")


def _skeleton(text: str) -> bytes:
    """The skeleton of lowered(text); the last answer is reused, as the finders share one text."""
    global _last_skeleton
    last = _last_skeleton
    if last[0] is text:
        return last[1]
    # The skeleton lower-cases ASCII letters itself, and lower-casing makes no ASCII letter of any
    # other character but the Kelvin sign: only then is the text lowered first. "replace" makes
    # one "?" of each character that is not ASCII, so the offsets stay.
    source = lowered(text) if "\u212a" in text else text
    skeleton = b" " + source.encode("ascii", "replace").translate(_SKELETON) + b" "
    _last_skeleton = (text, skeleton)
    return skeleton


def _skeleton_of(words: str) -> bytes:
    return words.encode("ascii", "replace").translate(_SKELETON)


# needles: (" " + word as in the skeleton, shifts from where the needle's word starts back to
# where the phrase it stands for starts)
_Needles = tuple[tuple[bytes, tuple[int, ...]], ...]


def _needle_starts(skeleton: bytes, needles: _Needles) -> list[int]:
    """The offsets in the text where a phrase of the needles may start."""
    starts: list[int] = []
    for needle, shifts in needles:
        at = skeleton.find(needle)
        while at != -1:
            starts.extend([at + shift for shift in shifts])
            at = skeleton.find(needle, at + 1)
    return starts


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int] | range) -> list[re.Match[str]]:
    """What pattern.finditer(text) gives, when starts holds every offset where pattern matches.

    finditer takes the leftmost match, then searches on from where it ends: so, in order, each
    offset from the end of the last match on where the pattern matches (none of the patterns
    matches an empty string).
    """
    if not starts:
        return []
    out: list[re.Match[str]] = []
    end = 0
    for start in sorted(set(starts)):
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


# A name trigger stands as words and white space follows it. There are many and they are
# common, so one regex finds them all: it tries each space in the skeleton, which costs less than
# a bytes.find for each.
_NAME_HINT = re.compile(
    (" (?=" + trie_pattern(sorted({_skeleton_of(t).decode() for t in _NAME_TRIGGERS})) + " )").encode()
)
# An age word; or a number of 1-6 and a digit (one not ASCII is a space in the skeleton), white
# space and a unit ("y/o" is "y o" in the skeleton)
_AGE_NEEDLES: _Needles = tuple((b" " + word, (0,)) for word in dict.fromkeys(map(_skeleton_of, _AGE_WORDS)))
_AGE_NUMBER_HINT = re.compile(rb"A(?=[AB ] *(?:jaar|jr|year|yr|yo|y o))")
# A price has a currency, with its amount just after it or just before it (see _amounts_before);
# an amount without one a separator and a unit after it ("p/u" ends in "/u").
_CURRENCIES = ("€", "$", "eur")
_BARE_SLASH = re.compile("/" + _BARE_UNIT)
_BARE_PER = re.compile("per" + _BARE_UNIT)


def _name_starts(text: str) -> list[int]:
    # a hint at skeleton offset i is the space before a trigger at text offset i
    return [m.start() for m in _NAME_HINT.finditer(_skeleton(text))]


def _age_starts(text: str) -> list[int]:
    skeleton = _skeleton(text)
    if b"A" not in skeleton:  # both forms have a number that starts with 1-6
        return []
    # a number hint at skeleton offset i is the number at text offset i - 1
    starts = [m.start() - 1 for m in _AGE_NUMBER_HINT.finditer(skeleton)]
    return starts + _needle_starts(skeleton, _AGE_NEEDLES)


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


def _amounts_before(low: str, at: int, currency: bool) -> tuple[int, int, int]:
    """Where an amount of 2-4 digits may start that is written before offset `at`.

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
    return end - 4, end - 3, end - 2


def _place_starts(text: str) -> list[int]:
    skeleton = _skeleton(text)
    keys = _place_keys()
    present = keys.keys() & skeleton.split()
    return _needle_starts(skeleton, tuple(keys[word] for word in present)) if present else []


@lru_cache(maxsize=1)
def _place_keys() -> dict[bytes, tuple[bytes, tuple[int, ...]]]:
    # each place by its longest word in the skeleton, with the needle that finds that word as a
    # word and the shift back to where the place starts: where a place stands, its longest word
    # is one of the words of the text's skeleton
    shifts: dict[bytes, set[int]] = {}
    for place in gazetteer():
        skeleton = _skeleton_of(place)
        word = max(skeleton.split(), key=len)
        shifts.setdefault(word, set()).add(-skeleton.index(word))
    return {word: (b" " + word + b" ", tuple(sorted(found))) for word, found in shifts.items()}


def find_names(text: str) -> list[tuple[str, int, int]]:
    """Names an ad introduces ("ik ben Lisa", "my name is Kim"), title-cased, with spans."""
    starts = _name_starts(text)
    if not starts:
        return []
    low = lowered(text)
    out: list[tuple[str, int, int]] = []
    for m in _matches_at(_NAME_TRIGGER, low, starts):
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
    starts = _age_starts(text)
    if not starts:
        return []
    low = lowered(text)
    out: list[tuple[int, int, int]] = []
    for m in _matches_at(_AGE, low, starts):
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
    for m in _matches_at(_PRICE, low, _price_starts(text)):
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
    return _bare_prices(text, low, out)


def _bare_prices(
    text: str, low: str, found: list[tuple[float, str, str, int, int]]
) -> list[tuple[float, str, str, int, int]]:
    """Add the amounts written without a currency but with a time unit; currency "" (unknown)."""
    starts = _bare_price_starts(text)
    if not starts:
        return found
    taken = [(start, end) for *_rest, start, end in found]
    for m in _matches_at(_BARE_PRICE, low, starts):
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
    starts = _place_starts(text)
    if not starts:
        return []
    low = lowered(text)
    places = gazetteer()
    common = common_word_places()
    return [
        (places[m.group()], m.start(), m.end())
        for m in _matches_at(_place_re(), low, starts)
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
    # The words are the text's runs of letters (_WORD). On UTF-8 bytes in which every ASCII byte
    # but a letter is a space, splitting gives them without a regex pass: a piece of ASCII
    # letters is one word, and only a piece with other bytes (an accent, an emoji) is split as
    # _WORD splits it. One sum counts both languages: Dutch in the low bits, English above.
    low = text.lower().encode("utf-8", "surrogatepass")
    pieces = low.translate(_LETTERS_KEPT).split()
    counts = sum(map(_LANGUAGE_WORDS.get, pieces, repeat(0)))
    if not low.isascii():
        for piece in filterfalse(bytes.isascii, pieces):
            for word in _WORD.findall(piece.decode("utf-8", "surrogatepass")):
                counts += _LANGUAGE_WORDS.get(word.encode(), 0)
    nl, en = counts & _NL_MASK, counts >> _EN_SHIFT
    if nl + en < 2:
        return "und"
    return "nl" if nl >= en else "en"
