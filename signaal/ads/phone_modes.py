"""How a number found in a text may be used: "text" (texting only), "call" or "any".

A text-only phrase ("alleen sms", "text only", "no calls") near numbers belongs to one of them
(see with_modes); a call word before a number makes it "call".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Set
from dataclasses import dataclass

from signaal.ads.normalise import lowered

__all__ = ["FoundPhone", "Reading", "with_modes"]

_NO_END = 1 << 62


@dataclass(frozen=True, slots=True)
class FoundPhone:
    """A phone number found in text: E.164 value, span in the folded text, its mode."""

    e164: str
    start: int
    end: int
    mode: str  # "call", "text" or "any"
    obfuscated: bool


# A number read before its mode is known: E.164 value, span, obfuscated
Reading = tuple[str, int, int, bool]

# Each alternative starts with a letter, which lets the search skip other characters quickly.
_ONLY = r"\s*(?:only|alleen)"
_TEXTING = r"\s*(?:sms|whats ?app|app|text|txt)"
_NOT_FROM = r"(?! (?:from|with|private|blocked|restricted|anonym))"  # "don't call from a private number"
_MODE_TEXT = re.compile(
    rf"t(?:ext|xt|exting){_ONLY}|sms{_ONLY}|whats ?app{_ONLY}|a(?:pp{_ONLY}|lleen{_TEXTING})|only{_TEXTING}"
    rf"|n(?:o calls?|iet bellen|ever call{_NOT_FROM})|geen (?:bellen|telefoon|oproepen)|do(?:n[’']?t| not) call{_NOT_FROM}"
)
# "call", "bel", "bellen", "phone", "tel", "telefoon" as words ("incall" is none)
_MODE_CALL = re.compile(r"[bcpt](?<!\w[bcpt])(?:(?<=c)all|(?<=b)el(?:len)?|(?<=p)hone|(?<=t)el(?:efoon)?)\b")


def with_modes(text: str, phones: list[Reading]) -> list[FoundPhone]:
    """The numbers read, with their modes: "text" for the number a text-only phrase is written with,
    "call" after a call word, else "any".

    A text-only phrase ("alleen sms", "text only", "no calls") within 40 characters of numbers
    belongs to one of them: the one it labels ("alleen sms: 06 ..."), then the one in its own
    sentence, then in its own clause (no "," or ";" between), then the nearest, then the one
    before it; and to the numbers listed with that one ("06 ... of 06 ... alleen sms"). A call
    word between the phrase and the number ("alleen whatsapp, voor afspraken bel 06 ...")
    overrides it, unless it is part of a text-only phrase ("text only, don't call").
    """
    low = lowered(text)
    # the phrases are looked for within 40 characters of the numbers only
    near = low[max(0, phones[0][1] - 40) : phones[-1][2] + 40]
    texting = _texting(low, phones) if _may_hold_phrase(near) else _NONE
    out: list[FoundPhone] = []
    for k, (e164, start, end, obfuscated) in enumerate(phones):
        digit = start
        while text[digit] in "+( ":  # the call word is looked for before the digits
            digit += 1
        before = low[max(0, digit - 25) : digit]
        if k in texting:
            mode = "text"
        elif ("call" in before or "bel" in before or "phone" in before or "tel" in before) and _MODE_CALL.search(
            low, max(0, digit - 25), digit
        ):
            mode = "call"
        else:
            mode = "any"
        out.append(FoundPhone(e164, start, end, mode, obfuscated))
    return out


_NONE: frozenset[int] = frozenset()


def _texting(low: str, phones: list[Reading]) -> Set[int]:
    """The numbers (their places in phones) that a text-only phrase belongs to (see with_modes)."""
    phrases: set[tuple[int, int]] = set()
    # the phrases within 40 characters of a number, searched once over each stretch of numbers
    # that lie close together
    first = 0
    for k in range(len(phones)):
        if k + 1 == len(phones) or phones[k + 1][1] - phones[k][2] > 120:
            a, b = max(0, phones[first][1] - 40), min(len(low), phones[k][2] + 40)
            if _may_hold_phrase(low[a:b]) and _MODE_TEXT.search(low, a, b):
                phrases.update(m.span() for m in _MODE_TEXT.finditer(low, a, b))
            first = k + 1
    if not phrases:
        return _NONE
    texting: set[int] = set()
    ends = [p[2] for p in phones]  # in order: the numbers do not overlap
    spans = sorted(phrases)
    for ps, pe in spans:
        best: tuple[bool, bool, bool, int, int] | None = None
        chosen = -1
        for k in range(bisect.bisect_left(ends, ps - 40), len(phones)):
            _, p_start, p_end, _ = phones[k]
            if p_start > pe + 40:
                break
            if p_end <= ps:
                gap, after = low[p_end:ps], 1
            elif pe <= p_start:
                gap, after = low[pe:p_start], 0
            else:
                gap, after = "", 1
            if len(gap) > 40:
                continue
            key = (
                after == 1 or not gap.lstrip(" ").startswith((":", "-", "=")),
                any(c in gap for c in ".!?\n"),
                "," in gap or ";" in gap,
                len(gap),
                after ^ 1,
            )
            if best is None or key < best:
                best, chosen = key, k
        if chosen >= 0:
            p_start = phones[chosen][1]
            calls = _MODE_CALL.finditer(low, pe, p_start) if pe <= p_start else ()
            if not any(not _inside(spans, m.start()) for m in calls) and chosen not in texting:
                texting.add(chosen)
                # "06 ... of 06 ... alleen sms", "A or B no calls": the phrase is about the list
                for step in (-1, 1):
                    k = chosen
                    while (
                        0 <= k + step < len(phones)
                        and k + step not in texting
                        and _joined(low, phones[min(k, k + step)], phones[max(k, k + step)])
                    ):
                        k += step
                        texting.add(k)
    return texting


def _may_hold_phrase(part: str) -> bool:
    """Whether a part of a lower-cased text may hold a text-only phrase (_MODE_TEXT): every one
    holds one of these words, and most texts near a number hold none."""
    return (
        "only" in part
        or "alleen" in part
        or "no call" in part
        or "never call" in part
        or "t call" in part  # "don't call", "do not call"
        or "niet bellen" in part
        or "geen " in part
    )


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether a position lies inside one of the spans (in order, not overlapping)."""
    k = bisect.bisect_right(spans, (at, _NO_END)) - 1
    return k >= 0 and at < spans[k][1]


_LIST_WORDS = frozenset(["or", "of", "en", "and", "/", ",", "&", "+"])


def _joined(low: str, first: Reading, second: Reading) -> bool:
    """Whether two numbers are written as one list ("06 ... of 06 ...", "A / B")."""
    return low[first[2] : second[1]].strip(" ") in _LIST_WORDS
