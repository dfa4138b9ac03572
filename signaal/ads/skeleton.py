"""Where a pattern may match, found cheaply: the skeleton of a text and the offsets to try.

re tries a pattern at every position of a text unless it starts with a literal, and these
patterns start with a look-around or an alternation of groups: trying them everywhere costs far
more than the few places where they match. So each finder first finds the offsets where its
pattern may match (its _starts function: str.find, bytes.find and regexes that start with a
literal, mostly on a skeleton of the text) and tries its own pattern at those offsets only
(matches_at), which gives what finditer gives. tests/ads/test_ads_facts_rules.py checks that
the offsets hold every place where the pattern matches.

The skeleton has one byte per character of the lowered text: ASCII letters and "_" as they are,
the digits 1-6 as "A" and the other ASCII digits as "B", every other character (punctuation,
white space, and anything not ASCII) as a space; one space more before and after. A word that
starts after no word character starts after a space in the skeleton, so " ik ben" is in the
skeleton wherever "ik ben" may stand as words in the text, and where the needle " ik ben" is
in the skeleton, "ik ben" is at that same offset in the text (the extra space in front shifts
the skeleton by one). The skeleton may show more than there is (an accented letter or a
"?" is a space in it), never less; the finder's own pattern decides.
"""

from __future__ import annotations

import re

from signaal.ads.normalise import lowered

__all__ = ["Needles", "matches_at", "needle_starts", "skeleton_of", "text_skeleton"]


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


def text_skeleton(text: str) -> bytes:
    """The skeleton of lowered(text), with one space more before and after."""
    # The skeleton lower-cases ASCII letters itself, and lower-casing makes no ASCII letter of any
    # other character but the Kelvin sign: only then is the text lowered first. "replace" makes
    # one "?" of each character that is not ASCII, so the offsets stay.
    source = lowered(text) if "\u212a" in text else text
    return b" " + source.encode("ascii", "replace").translate(_SKELETON) + b" "


def skeleton_of(words: str) -> bytes:
    return words.encode("ascii", "replace").translate(_SKELETON)


# needles: (" " + word as in the skeleton, shifts from where the needle's word starts back to
# where the phrase it stands for starts)
Needles = tuple[tuple[bytes, tuple[int, ...]], ...]


def needle_starts(skeleton: bytes, needles: Needles) -> list[int]:
    """The offsets in the text where a phrase of the needles may start."""
    starts: list[int] = []
    for needle, shifts in needles:
        at = skeleton.find(needle)
        while at != -1:
            starts.extend([at + shift for shift in shifts])
            at = skeleton.find(needle, at + 1)
    return starts


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int] | range) -> list[re.Match[str]]:
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
