"""Dutch places in ad text, from the gazetteer, as their municipality; the municipality of a city field."""

from __future__ import annotations

import re

from signaal.ads.normalise import fold, lowered, trie_pattern
from signaal.ads.resources import common_word_places, derived, gazetteer
from signaal.ads.skeleton import matches_at, needle_starts, skeleton_of, text_skeleton

__all__ = ["find_places", "municipality"]


def _place_starts(text: str) -> list[int]:
    skeleton = text_skeleton(text)
    keys = _place_keys()
    present = keys.keys() & skeleton.split()
    return needle_starts(skeleton, tuple(keys[word] for word in present)) if present else []


@derived()
def _place_keys() -> dict[bytes, tuple[bytes, tuple[int, ...]]]:
    # each place by its longest word in the skeleton, with the needle that finds that word as a
    # word and the shift back to where the place starts: where a place stands, its longest word
    # is one of the words of the text's skeleton
    shifts: dict[bytes, set[int]] = {}
    for place in gazetteer():
        skeleton = skeleton_of(place)
        word = max(skeleton.split(), key=len)
        shifts.setdefault(word, set()).add(-skeleton.index(word))
    return {word: (b" " + word + b" ", tuple(sorted(found))) for word, found in shifts.items()}


@derived()
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
        for m in matches_at(_place_re(), low, starts)
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
