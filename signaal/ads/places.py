"""Dutch places in ad text, from the gazetteer, as their municipality; the municipality of a city field."""

from __future__ import annotations

import re

from signaal.ads.normalise import fold, lowered
from signaal.ads.prefilter import Prefilter, matches_at
from signaal.ads.resources import common_word_places, derived, gazetteer

__all__ = ["find_places", "municipality"]


@derived()
def _place_keywords() -> Prefilter[str]:
    # a place starts with its name: the names are the keywords (see signaal.ads.prefilter)
    return Prefilter({"place": gazetteer()})


@derived()
def _place_re() -> re.Pattern[str]:
    # the longest name that stands as a word wins: longer names first, then in order.
    # (?<!\w) rather than \b: a name may start with an apostrophe ("'s-Gravenhage")
    names = sorted(gazetteer(), key=lambda name: (-len(name), name))
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")


def _matches(low: str, prefilter: bool) -> list[re.Match[str]]:
    if prefilter:
        return matches_at(_place_re(), low, _place_keywords().offsets(low))
    return list(_place_re().finditer(low))


def find_places(text: str, *, prefilter: bool = True) -> list[tuple[str, int, int]]:
    """Dutch places from the gazetteer, as their municipality, with spans.

    A place that is also an ordinary word counts only where it is written as a place (see
    _written_as_place): "anything goes" and "het beste" name no town. ``prefilter=False`` runs
    the pattern over the whole text (see signaal.ads.prefilter).
    """
    low = lowered(text)
    places = gazetteer()
    common = common_word_places()
    return [
        (places[m.group()], m.start(), m.end())
        for m in _matches(low, prefilter)
        if m.group() not in common or _written_as_place(text, m.start(), m.end(), common[m.group()])
    ]


def municipality(city: str, *, prefilter: bool = True) -> str | None:
    """The municipality of a city field: "Amsterdam-Zuid", "Den Haag Centrum", "Utrecht (centrum)"."""
    text = fold(city.strip()).text
    places = gazetteer()
    low = lowered(text)
    if low in places:
        return places[low]
    common = common_word_places()
    for m in _matches(low, prefilter):
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
