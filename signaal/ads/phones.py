"""Find phone numbers in folded ad text, including obfuscated ones, and normalise them to E.164.

Digits may be spaced, dotted, bracketed or tilde-separated, written as letters ("O6", "5l2"), as
keycap emoji (folded earlier) or spelled out in Dutch or English ("nul zes", "FIVE"). A run of such
tokens is read as a digit string and cut into numbers by the rules of the default region: Dutch
06 and +31 6 mobiles first for NL, North-American ten-digit numbers for CA/US, any country with an
explicit "+" or "00" prefix.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import phonenumbers

from signaal.ads.normalise import lowered, trie_pattern
from signaal.ads.resources import text_tables

__all__ = ["FoundPhone", "find_phones", "normalise_phone", "warm"]

# Characters allowed between the digit tokens of one number (besides nothing at all).
_SEPARATORS = " \t\r\n-.()[]{}~_/\\*,:;|+='\"<>^`!?&•·☆★✩✰♡♥❤"
_MAX_GAP = 6  # at most this many separator characters between two tokens of one number
_NANP = {"CA", "US"}


@dataclass(frozen=True, slots=True)
class FoundPhone:
    """A phone number found in text: E.164 value, span in the folded text, its mode."""

    e164: str
    start: int
    end: int
    mode: str  # "call", "text" or "any"
    obfuscated: bool


# A number read before its mode is known: E.164 value, span, obfuscated
_Reading = tuple[str, int, int, bool]


@lru_cache(maxsize=1)
def _token_source() -> str:
    tables = text_tables()
    letters = "".join(sorted(tables.letter_digits))
    # Runs on ASCII-lower-cased text. Words and letters count only when no other letter touches
    # them ("someone" holds no "one"), but digits may ("5ONE8", "4o3"). No named groups: the
    # engine then skips alternatives by their first character; the kind is told afterwards.
    before = r"(?<![^\W\d_])"
    after = r"(?![^\W\d_])"
    words = trie_pattern(sorted(tables.number_words))
    # the first letters a word or letter token can start with, tested before the look-behind:
    # most positions fail there at once, which makes the pass over every text cheaper
    first = re.escape("".join(sorted({w[0] for w in tables.number_words} | set(tables.letter_digits))))
    # number words may also run together ("sixonenine", "fourtwo"), but only with each other
    return rf"\d+|(?=[{first}]){before}(?:(?:{words})+|[{letters}]+){after}"


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    return re.compile(_token_source())


@lru_cache(maxsize=1)
def _window_re() -> re.Pattern[str]:
    # A stretch of tokens joined by at most _MAX_GAP characters that are no letter or digit: the
    # widest any run of tokens can reach (see _runs). Only stretches of eight characters or more
    # can hold a number, so the token-by-token work is done inside those alone.
    token = _token_source()
    return re.compile(rf"(?:{token})(?:[\W_]{{0,{_MAX_GAP}}}(?:{token}))*")


# A text as classes of characters, one byte each, in which the stretches of tokens of _window_re
# are the same and far faster to find: every digit is "0", every character that is no letter or
# digit a space, each letter that number words and letter digits are made of stands for itself
# (those that are not ASCII for a byte from 0x80 on, _token_letters), other letters are "q" (in
# no number word). A text is encoded as ASCII and translated (_class_scan); the characters that
# are not ASCII are most often no letter or digit ("?" then, a space in the end), else they are
# classed one by one (_classes_of, the codec error handler).
_CLASS_ERRORS = "signaal.ads.phones.classes"


@lru_cache(maxsize=1)
def _token_letters() -> dict[str, int]:
    """The byte that stands for each letter tokens are made of, in the classes of a text."""
    tables = text_tables()
    letters = sorted({c for w in tables.number_words for c in w} | set(tables.letter_digits))
    if not all(c.isalpha() and c == c.lower() for c in letters) or len(letters) > 128:
        raise ValueError("number words and letter digits must be written in lower-case letters")
    others = [c for c in letters if not c.isascii()]
    return {c: ord(c) for c in letters if c.isascii()} | {c: 0x80 + i for i, c in enumerate(others)}


_LETTERS_AS_A = bytes(97 if 97 <= i <= 122 or i >= 128 else i for i in range(256))
_NON_ASCII_CLASSES: dict[str, int] = {}  # each character not ASCII seen so far, and its class
_NON_ASCII_WORD = re.compile(r"[^\x00-\x7f\W]")  # a letter or digit that is not ASCII


def _class_of(c: str) -> int:
    """The class of a character that is not ASCII."""
    known = _NON_ASCII_CLASSES.get(c)
    if known is None:
        if len(_NON_ASCII_CLASSES) > 65536:
            _NON_ASCII_CLASSES.clear()
        # \d is a decimal digit, \w any letter or digit (str.isalnum) and "_"
        known = _token_letters().get(c) or (48 if c.isdecimal() else 113 if c.isalnum() else 32)
        _NON_ASCII_CLASSES[c] = known
    return known


def _classes_of(error: UnicodeError) -> tuple[bytes, int]:
    """The classes of the characters that are not ASCII in a text (a codec error handler)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return bytes([_class_of(c) for c in error.object[error.start : error.end]]), error.end


codecs.register_error(_CLASS_ERRORS, _classes_of)


def _letter_tokens() -> list[str]:
    """A whole run of letters that spells number words or letter digits (see _token_source) in
    the classes of a text, as one alternative per first letter: the engine passes over those
    whose letter is not there without entering them. No look-behind: they are only tried where
    no letter comes before. The pattern is written in the characters of the bytes (Latin-1)."""
    tables = text_tables()
    byte = {c: chr(b) for c, b in _token_letters().items()}
    number_words = sorted("".join(byte[c] for c in w) for w in tables.number_words)
    letter_digits = sorted(byte[c] for c in tables.letter_digits)
    words = trie_pattern(number_words)
    letters = re.escape("".join(letter_digits))
    alternatives = []
    for first in sorted({w[0] for w in number_words} | set(letter_digits)):
        parts = []
        rests = [w[1:] for w in number_words if w[0] == first]
        if rests:
            parts.append(f"{trie_pattern(rests)}(?:{words})*")
        if first in letter_digits:
            parts.append(f"[{letters}]*")
        rest = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        alternatives.append(f"{re.escape(first)}{rest}(?![a-z\x80-\xff])")
    return alternatives


class _ClassScan(NamedTuple):
    table: bytes  # a text's bytes to their classes (bytes.translate)
    after_space: re.Pattern[bytes]  # a stretch and the space before it
    stretch: re.Pattern[bytes]  # a stretch where it starts
    letter_token: re.Pattern[bytes]


@lru_cache(maxsize=1)
def _class_scan() -> _ClassScan:
    """What stretches of tokens are found with in the classes of a text: from the space before
    each (the engine looks for a single character far faster than for one of a set), or where
    they start (at the start of the text, or at digits glued to letters)."""
    high = set(_token_letters().values())
    table = bytes(
        48 if 48 <= i <= 57 else i if 97 <= i <= 122 or i in high else 113 if 65 <= i <= 90 else 32 for i in range(256)
    )
    # every alternative starts with its character, so the engine passes over the others at once
    token = "(?:" + "|".join(["00*", *_letter_tokens()]) + ")"
    stretch = f"{token}(?: {{0,{_MAX_GAP}}}{token})*"
    return _ClassScan(
        table,
        re.compile(f" {stretch}".encode("latin-1")),
        re.compile(stretch.encode("latin-1")),
        re.compile("|".join(_letter_tokens()).encode("latin-1")),
    )


def _windows(low: str) -> list[tuple[int, int]]:
    """The spans of the stretches of tokens in a lower-cased text (see _window_re) long enough to
    spell eight digits: the same as those of _window_re().finditer, found faster."""
    if low.isascii():
        data = low.encode("ascii")
    elif _NON_ASCII_WORD.search(low) is None:
        data = low.encode("ascii", "replace")  # "?", no letter or digit, as the characters are
    else:
        data = low.encode("ascii", _CLASS_ERRORS)
    scan = _class_scan()
    return _windows_in_classes(data.translate(scan.table), scan)


def _windows_in_classes(classes: bytes, scan: _ClassScan) -> list[tuple[int, int]]:
    """_windows of a text, from its classes.

    A stretch starts at the start of the text, after a space, or at digits written right after
    letters that are no token ("call0"): the scan finds those after a space, the others are
    read where they start, and a stretch the scan found inside one of them is its tail.
    """
    stretches: list[tuple[int, int]] = []
    pos = 0
    if classes[:1] != b" ":
        m = scan.stretch.match(classes)
        if m:
            pos = m.end()
            if pos >= 8:
                stretches.append((0, pos))
    glued = _glued_stretches(classes, pos, scan) if classes.find(b"0", pos) >= 0 else []
    found = scan.after_space.finditer(classes, pos)
    if not glued:
        stretches += [(m.start() + 1, m.end()) for m in found if m.end() - m.start() > 8]
        return stretches
    k = 0
    for m in found:
        start = m.start() + 1  # after the space
        if m.end() - start < 8:
            continue  # too short, and so is any tail
        while k < len(glued) and glued[k][0] < start:
            stretches.append(glued[k])
            k += 1
        if stretches and start < stretches[-1][1]:
            continue  # the tail of a stretch that starts at digits glued to letters
        stretches.append((start, m.end()))
    stretches.extend(glued[k:])
    return [(start, end) for start, end in stretches if end - start >= 8]


def _glued_stretches(classes: bytes, pos: int, scan: _ClassScan) -> list[tuple[int, int]]:
    """The stretches (from pos on) that start at digits written right after letters, in order."""
    glued: list[tuple[int, int]] = []
    letters = classes.translate(_LETTERS_AS_A)
    at = letters.find(b"a0", pos)
    while at >= 0:
        digit = at + 1
        if not glued or digit >= glued[-1][1]:
            # the letters before the digits: a token joins them to one stretch ("one0"), other
            # letters start a new one
            word = max(letters.rfind(b" ", 0, digit), letters.rfind(b"0", 0, digit)) + 1
            if scan.letter_token.fullmatch(classes, word, digit) is None:
                m = scan.stretch.match(classes, digit)
                assert m is not None  # digits are a token
                glued.append((digit, m.end()))
        at = letters.find(b"a0", digit)
    return glued


@lru_cache(maxsize=1)
def _word_re() -> re.Pattern[str]:
    return re.compile(trie_pattern(sorted(text_tables().number_words)))


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


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    digits: str
    kind: str  # "d" digits, "w" number word, "l" letter digit


# Body measurements ("34-25-34", "36dd/24/36"), clock times and dates are never part of a phone
# number: their digits are taken out before runs are formed, so they cannot join a following
# number ("tot 06:00 06 1234 0001" would otherwise read "06:00 06 12 34" as a Dutch mobile). Times
# are "hh:mm", or "hh.mm" on the quarter or before "u"/"uur"/"h" ("06.12 34 56 78" is a number);
# dates are day-month-year or year-month-day with a four-digit year. Every alternative starts
# with a digit, which lets the search skip other characters quickly; the ranges of hours, days
# and months are checked afterwards (_skipped). Each also starts a run of digits and has a
# separator within its first five characters: tested first, so that the digits of a phone number
# fail after one test instead of four.
_NOT_NUMBERS = re.compile(
    r"\d(?<!\d\d)(?=[-./:]|\d(?:[-./: a-h]|\d\d[-./]))(?:"
    r"(?P<m>(?<=[2-5])(?<!\d\d)(?<!\d[-./ ]\d)\d[a-h]{0,3} ?[-/] ?[2-5]\d ?[-/] ?[2-5]\d(?!\d))"
    r"|(?<![\d.:]\d)\d?(?::[0-5]\d|\.(?:[0-5]\d(?= ?(?:u|uur|h)\b)|00|15|30|45))(?![\d:]|[.,]\d)"
    r"|(?<![\d./-]\d)\d?([-./])\d\d?\2(?:19|20)\d\d(?!\d)"
    r"|(?<=[12])(?<![\d./-]\d)\d\d\d([-./])\d\d?\3\d\d?(?!\d)"
    r")"
)
_PARTS = re.compile(r"[-./:]")
_NO_END = 1 << 62


def _time_or_date(written: str) -> bool:
    parts = [int(p) for p in _PARTS.split(written)]
    if len(parts) == 2:
        return parts[0] <= 24
    day, month = (parts[2], parts[1]) if parts[0] > 31 else (parts[0], parts[1])
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= max(parts[0], parts[2]) < 2100


def _skipped(low: str, window: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Spans of measurements, times and dates in a lower-cased text, in order (they do not overlap).

    With a window (from the first stretch of tokens to the last), only those that reach into it:
    the search starts a little before it (a measurement's "36dd/" is outside the stretch) and ends
    a little after it (the look-aheads see what follows).
    """
    start, stop = (max(0, window[0] - 16), min(len(low), window[1] + 8)) if window else (0, len(low))
    return [
        m.span()
        for m in _NOT_NUMBERS.finditer(low, start, stop)
        if m.group("m") is not None or _time_or_date(m.group())
    ]


def _tokens(text: str, window: tuple[int, int], skip: list[tuple[int, int]]) -> list[_Token]:
    """The digit tokens of one window of a text (found in the whole text's context), leaving out
    the ``skip`` spans (measurements, times and dates; see _skipped)."""
    tables = text_tables()
    out: list[_Token] = []
    low = lowered(text)
    start, stop = window
    # the first skipped span that does not end before the current token
    k = bisect.bisect_right(skip, (start, _NO_END))
    if k and skip[k - 1][1] > start:
        k -= 1
    for m in _token_re().finditer(low, start, stop):
        at = m.start()
        if skip:
            while k < len(skip) and skip[k][1] <= at:
                k += 1
            if k < len(skip) and skip[k][0] <= at:
                continue
        value = m.group()
        if value[0].isdigit():
            kind, digits = "d", value
        elif value in tables.number_words:
            kind, digits = "w", tables.number_words[value]
        elif (parts := _word_re().findall(value)) and "".join(parts) == value:
            kind, digits = "w", "".join(tables.number_words[p] for p in parts)
        else:
            kind = "l"
            if len(value) > 1 and not any(c.isdigit() for c in text[max(0, m.start() - 3) : m.end() + 3]):
                continue  # "lol", "ill": letters read as digits only right next to digits
            digits = "".join(tables.letter_digits[c] for c in value)
        out.append(_Token(m.start(), m.end(), digits, kind))
    return out


# "*67" and "*82" before a North-American number hide or show the caller's id: not digits of it
_SERVICE_CODES = {"67", "82"}


def _runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for tok in tokens:
        if tok.digits in _SERVICE_CODES and text[tok.start - 1 : tok.start] == "*":
            if current:
                runs.append(current)
            current = []
            continue
        if current:
            gap = text[current[-1].end : tok.start]
            if len(gap) <= _MAX_GAP and all(c in _SEPARATORS or not c.isalnum() for c in gap):
                current.append(tok)
                continue
            runs.append(current)
        current = [tok]
    if current:
        runs.append(current)
    return runs


@lru_cache(maxsize=1)
def _areas_in_use() -> frozenset[str]:
    """North-American area codes that are assigned (phonenumbers' metadata, any NANP country).

    Built once for all 800 possible codes (about 0.15 s), so that worker processes forked after
    start-up share it instead of each asking phonenumbers again.
    """
    # An ordinary exchange and line stand in for the rest: only the area code is judged here.
    return frozenset(
        area
        for area in map(str, range(200, 1000))
        if any(
            phonenumbers.is_valid_number(phonenumbers.parse(f"+1{area}{rest}"))
            for rest in ("2345678", "5550123", "7654321")
        )
    )


def _area_in_use(area: str) -> bool:
    """Whether a North-American area code is assigned."""
    return area in _areas_in_use()


def warm() -> None:
    """Build the reader's tables now (before worker processes are forked)."""
    _window_re(), _class_scan(), _token_re(), _word_re()
    _areas_in_use()


def _nanp(d: str) -> str | None:
    # Only the first digits of area code and exchange are checked here: data sets replace real
    # numbers by fake ones (fake exchanges, and "1" glued to the area code). Readings whose
    # grouping is doubtful are held to the plan more strictly (_read_run).
    if len(d) == 10 and d[0] in "23456789":
        return "+1" + d
    return None


def _international(d: str) -> tuple[str, int] | None:
    """Longest valid number at the start of d (d without + or 00), with its digit length."""
    if d.startswith("0"):
        return None  # no country code starts with 0
    return _international_at_most_15(d[:15])


# phonenumbers is slow; a table of digits asks it about the same few numbers again and again
@lru_cache(maxsize=4096)
def _international_at_most_15(d: str) -> tuple[str, int] | None:
    if d.startswith("1"):
        nanp = _nanp(d[1:11])
        return (nanp, 11) if nanp else None
    for length in range(min(len(d), 15), 7, -1):
        try:
            num = phonenumbers.parse("+" + d[:length], None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), length
    return None


def _dutch(d: str) -> tuple[str, int] | None:
    if d.startswith("06") and len(d) >= 10:
        return "+31" + d[1:10], 10
    if d.startswith("0") and len(d) >= 10 and d[1] in "123457":
        return _regional(d[:10], "NL", 10)
    return None


@lru_cache(maxsize=4096)
def _regional(d: str, region: str, length: int) -> tuple[str, int] | None:
    """d as a number of the region, with the length given for it, or None when it is none."""
    try:
        num = phonenumbers.parse(d, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(num):
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), length
    return None


def _regional_prefix(d: str, region: str) -> tuple[str, int] | None:
    """The longest valid number of the region at the start of d, with the digits it takes."""
    for length in range(len(d), 7, -1):
        found = _regional(d[:length], region, length)
        if found:
            return found
    return None


def _read_at(d: str, i: int, region: str, plus: bool, nanp_shape: bool = False) -> tuple[str, int] | None:
    rest = d[i : i + 20]  # no reading uses more ("00" and fifteen digits)
    if plus and region in _NANP and nanp_shape and not rest.startswith("1"):
        # "+416-555-0123": a plus written before a North-American area code, not a country code
        nanp = _nanp(rest[:10])
        if nanp:
            return nanp, 10
    if plus or rest.startswith("00"):
        body = rest[2:] if rest.startswith("00") and not plus else rest
        found = _international(body)
        if found:
            return found[0], found[1] + (len(rest) - len(body))
    if region == "NL" or region not in _NANP:
        found = _dutch(rest) if region == "NL" else None
        if found:
            return found
        if region != "NL" and len(rest) >= 8:
            return _regional_prefix(rest[:13], region)
        return None
    if rest[:1] == "1" and len(rest) >= 11:
        nanp = _nanp(rest[1:11])
        if nanp:
            return nanp, 11
    nanp = _nanp(rest[:10])
    return (nanp, 10) if nanp else None


def _with_modes(text: str, phones: list[_Reading]) -> list[FoundPhone]:
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
        out.append(_found_phone(e164, start, end, mode, obfuscated))
    return out


# A FoundPhone made by setting its slots one by one: its frozen __init__ calls object.__setattr__
# per field and takes twice as long (a test holds the two to the same fields and values)
_SET_FIELDS = tuple(getattr(FoundPhone, name).__set__ for name in ("e164", "start", "end", "mode", "obfuscated"))


def _found_phone(e164: str, start: int, end: int, mode: str, obfuscated: bool) -> FoundPhone:
    phone = object.__new__(FoundPhone)
    set_e164, set_start, set_end, set_mode, set_obfuscated = _SET_FIELDS
    set_e164(phone, e164)
    set_start(phone, start)
    set_end(phone, end)
    set_mode(phone, mode)
    set_obfuscated(phone, obfuscated)
    return phone


_NONE: frozenset[int] = frozenset()


def _texting(low: str, phones: list[_Reading]) -> Set[int]:
    """The numbers (their places in phones) that a text-only phrase belongs to (see _with_modes)."""
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


def _joined(low: str, first: _Reading, second: _Reading) -> bool:
    """Whether two numbers are written as one list ("06 ... of 06 ...", "A / B")."""
    return low[first[2] : second[1]].strip(" ") in _LIST_WORDS


def _bad_boundaries(e164: str, bounds: list[int], i: int, length: int) -> int:
    """How many token boundaries inside a reading fall where this kind of number is never split."""
    if not e164.startswith("+1"):
        return 0
    expected = {3, 6} if length == 10 else {1, 4, 7}
    first, stop = bisect.bisect_right(bounds, i), bisect.bisect_left(bounds, i + length)
    return sum(1 for k in range(first, stop) if bounds[k] - i not in expected)


def _dutch_misfit(text: str, run: list[_Token], bounds: list[int], b: int, i: int, length: int, cut: bool) -> int:
    """How far a Dutch reading is from the way Dutch numbers are written (0: not at all).

    It ends inside a group of written digits ("12-06 0612340001" read from the "06" of the
    date), crosses a ":" (a clock time), or starts at the month of a day-month ("12-06 06 12 34
    00 01"). Such a reading loses to a well-written one it overlaps.
    """
    misfit = int(cut)
    last = b
    while last + 1 < len(run) and bounds[last + 1] < i + length:
        last += 1
        if ":" in text[run[last - 1].end : run[last].start]:
            misfit += 1
    tok = run[b]
    if b and i == bounds[b] and tok.kind == "d" and len(tok.digits) == 2 and tok.digits[0] == "0":
        day = run[b - 1]
        if (
            day.kind == "d"
            and len(day.digits) <= 2
            and 1 <= int(day.digits) <= 31
            and text[day.end : tok.start] in ("-", "/", ".")
        ):
            misfit += 1
    return misfit


def _cuts_group(run: list[_Token], bounds: list[int], end: int) -> bool:
    """Whether a reading ends inside a group of written digits (something glued onto it)."""
    k = bisect.bisect_right(bounds, end) - 1  # the token holding the digit at end
    return k >= 0 and run[k].kind == "d" and bounds[k] < end < bounds[k] + len(run[k].digits)


def _list_like(text: str, toks: list[_Token]) -> bool:
    """Digit groups separated like a list of measurements, durations or prices, not a number."""
    if all(len(t.digits) == 1 for t in toks):
        return False  # "4.0.3.6.1.3..." is a spaced-out number
    seps = "".join(text[x.end : y.start] for x, y in itertools.pairwise(toks))
    if any(c in seps for c in ",'\"$%"):
        return True
    if len(toks) >= 3 and all(len(t.digits) >= 2 and t.digits.endswith("0") for t in toks):
        return True  # "80.100.170..200": round amounts, a price list
    return "/" in seps and any(len(t.digits) >= 3 for t in toks)


def _read_run(text: str, run: list[_Token], region: str) -> list[_Reading]:
    digits = "".join(t.digits for t in run)
    if len(digits) < 8:
        return []
    if region in _NANP and len(digits) == 10 and digits[0] in "23456789":
        at_once = _plain_nanp(text, run, digits)
        if at_once is not None:
            return [at_once]
    if region in _NANP and len(digits) > 10 and digits[0] in "23456789":
        head = _plain_head(text, run)
        if head is not None:
            return [head[0], *_read_run(text, run[head[1] :], region)]
    # offset of each token's first digit within the digit string
    bounds: list[int] = []
    pos = 0
    for tok in run:
        bounds.append(pos)
        pos += len(tok.digits)
    candidates: list[tuple[int, int, int, str, int]] = []  # (bad, start token, i, e164, length)
    # Readings start at a token, or right where an accepted reading ended inside a token
    # ("416-555-0123416-555-0123": the same number written twice without a break).
    starts = [(bounds[b], b) for b in range(len(run))]
    seen: set[int] = set()
    while starts:
        i, b = starts.pop()
        if i in seen or len(digits) - i < 8:
            continue  # read already, or too few digits left for any number
        seen.add(i)
        tok = run[b]
        at_token = i == bounds[b]
        plus = at_token and _plus_before(text, tok.start)
        nanp_shape = at_token and tok.kind == "d" and len(tok.digits) in (3, 10)
        reading = _read_at(digits, i, region, plus, nanp_shape)
        if reading is None:
            continue
        e164, length = reading
        bad = _bad_boundaries(e164, bounds, i, length)
        cut = _cuts_group(run, bounds, i + length)
        if cut and at_token and tok.kind == "d" and text[max(0, tok.start - 1) : tok.start] in ("$", "€", "£"):
            continue  # "$150/$200 4165550123": an amount glued onto the digits of a number
        if bad and (cut or (e164.startswith("+1") and not _area_in_use(e164[2:5]))):
            # grouped unlike a phone and either glued onto the next digits ("$150 0912...",
            # "Lic#12345678,22...") or with an area code not in use ("24/7 - 24 - 24"): not
            # one number. A well-grouped number keeps any area code (anonymised data sets).
            continue
        # the tokens the reading takes digits from: the one holding its first digit, and on
        toks = run[bisect.bisect_right(bounds, i) - 1 : bisect.bisect_left(bounds, i + length)]
        plain = all(t.kind == "d" for t in toks)
        if bad >= 2 and plain and _list_like(text, toks):
            # "30,45,60,90" or "38-26-36 5'5": lists of small numbers, not a phone
            continue
        misfit = _dutch_misfit(text, run, bounds, b, i, length, cut) if e164.startswith("+31") else 0
        candidates.append((bad + misfit, b, i, e164, length))
        if cut:
            starts.append((i + length, bisect.bisect_right(bounds, i + length) - 1))
    # Prefer readings whose grouping looks like a phone number ("24/7 (437) 388-..." must not
    # start at "24"), then the leftmost; keep them from overlapping. Each step costs the same
    # however long the run is (a table of digits is read in time linear in its length).
    taken = bytearray(len(digits))  # digits already read as part of a chosen number
    chosen: list[tuple[int, int, str, int]] = []
    for _bad, b, i, e164, length in sorted(candidates):
        if taken.find(1, i, i + length) >= 0:
            continue
        taken[i : i + length] = b"\x01" * length
        chosen.append((b, i, e164, length))
    found: list[_Reading] = []
    for b, i, e164, length in sorted(chosen):
        last = b
        while last + 1 < len(run) and bounds[last + 1] < i + length:
            last += 1
        toks = run[b : last + 1]
        # a number ending inside a token (a price glued to it) ends at the right character, and
        # one starting inside a token (a repeat glued to it) starts at the right one
        tail = i + length - bounds[last]
        end = toks[-1].start + tail if toks[-1].kind == "d" else toks[-1].end
        start = toks[0].start + (i - bounds[b]) if toks[0].kind == "d" else toks[0].start
        if i == bounds[b]:
            start = _lead(text, start, end)
        obfuscated = any(t.kind != "d" for t in toks) or not text[start:end].isascii()
        found.append((e164, start, end, obfuscated))
    return found


def _plain_nanp(text: str, run: list[_Token], digits: str) -> _Reading | None:
    """The one reading of a run that is a plainly written North-American number, or None.

    Ten digits as digits, grouped 3-3-4 (or 3-7, 6-4, 10), no "+" before: the general reading
    below finds exactly this number and nothing else, so it is taken at once.
    """
    pos = 0
    for tok in run[:-1]:
        if tok.kind != "d":
            return None
        pos += len(tok.digits)
        if pos != 3 and pos != 6:
            return None
    if run[-1].kind != "d":
        return None
    start, end = run[0].start, run[-1].end
    if _plus_before(text, start):
        return None
    start = _lead(text, start, end)
    return ("+1" + digits, start, end, not text[start:end].isascii())


def _plain_head(text: str, run: list[_Token]) -> tuple[_Reading, int] | None:
    """The reading of a plainly written North-American number that a longer run starts with
    (ten digits grouped 3-3-4, 3-7, 6-4 or 10, see _plain_nanp) and its number of tokens, or None.

    The general reading below chooses it and reads the rest of the run as if alone: the reading
    from its first token has no badly placed boundary and comes first; readings from its other
    tokens overlap it and start no new reading inside the rest, as they cross its end where a
    North-American number is not split, unless one of those tokens starts with "1" or "00" or
    has a "+" before it (those are left to the general reading), and so does a "+" before the
    first token unless that is an area code (3 or 10 digits). None starts in the rest either
    when it holds fewer than eight digits.
    """
    pos = 0
    for k, tok in enumerate(run):
        if tok.kind != "d":
            return None
        if k and (tok.digits[0] == "1" or tok.digits.startswith("00") or _plus_before(text, tok.start)):
            return None
        pos += len(tok.digits)
        if pos == 10:
            break
        if pos != 3 and pos != 6:
            return None
    else:
        return None
    first = run[0]
    if len(first.digits) not in (3, 10) and _plus_before(text, first.start):
        return None
    end = run[k].end
    start = _lead(text, first.start, end)
    return ("+1" + "".join(t.digits for t in run[: k + 1]), start, end, not text[start:end].isascii()), k + 1


# A WhatsApp link holds the number in international form without its "+": wa.me/31612340001,
# api.whatsapp.com/send?phone=31612340001
_WHATSAPP_LINK = re.compile(r"(?:wa\.me/|whatsapp\.com/send/?\?(?:[^\s?]*&)?phone=)$")


def _plus_before(text: str, start: int) -> bool:
    """Whether the digits at start are written as an international number: "+" or a WhatsApp link."""
    before = text[max(0, start - 2) : start]
    if before.rstrip(" ").endswith("+"):
        return True
    return before[-1:] in ("/", "=") and _WHATSAPP_LINK.search(lowered(text), max(0, start - 60), start) is not None


def _lead(text: str, start: int, end: int) -> int:
    """Where a number written from start to end begins: before its "(" ("(06) ...", "(416) ...")
    when the ")" is inside it, and before a "+" written in front of it ("+31 6 ...")."""
    if start and text[start - 1] == "(" and ")" in text[start:end]:
        start -= 1
    before = text[max(0, start - 2) : start]
    if before.rstrip(" ").endswith("+"):
        start -= len(before) - before.rindex("+")
    return start


def find_phones(text: str, region: str = "NL") -> list[FoundPhone]:
    """All phone numbers in a folded text, as E.164 with their spans, in order."""
    low = lowered(text)
    windows = _windows(low)
    if not windows:
        return []  # no stretch of tokens long enough to spell eight digits
    out: list[_Reading] = []
    nanp = region in _NANP
    skip: list[tuple[int, int]] | None = None  # found when first needed
    for window in windows:
        plain = _plain_window(text, low, window) if nanp else None
        if plain is not None:
            out.append(plain)
            continue
        start, stop = window
        if sum(map(str.isalnum, low[start:stop])) < 8:
            continue  # too few digits however it is read: each letter or digit gives one at most
        if skip is None:
            skip = _skipped(low, (windows[0][0], windows[-1][1]))
        out.extend(_find_in(text, _tokens(text, window, skip), region))
    return _with_modes(text, out) if out else []


# A North-American number written plainly: ten digits grouped 3-3-4, 3-7, 6-4 or 10, or eleven
# with a "1" before them (1-3-3-4, 4-3-4, 1-10, 11, ...)
_PLAIN_NANP = re.compile(r"(1(?:[\W_]+)?)?([2-9]\d\d)([\W_]*)(\d\d\d)([\W_]*)(\d{4})(?!\d)")


def _plain_window(text: str, low: str, window: tuple[int, int]) -> _Reading | None:
    """The reading of a stretch that is one plainly written North-American number, or that
    starts with one and has too few letters and digits after it for another, or None.

    A shortcut for the commonest stretches in North-American ads, with the reading _read_run
    gives them. Their tokens are their groups of digits (and those after), in one run, as every
    gap is a short run of separators, and no time, date or measurement (_skipped) can reach into
    the number: those are made of groups of at most two digits and one of four, a year, next to
    one of at most two, where the number has groups of three digits or more after a "1"; a
    year-month-day can start at its last four digits only with a "-", "." or "/" after them.

    Ten digits alone read at once (_plain_nanp) unless a "+" is written before them; with a
    "1" before them the reading from the "1" is the one chosen, "+" or not: its groups fall
    where a number's do, and it takes all digits. Ten digits with fewer than eight letters and
    digits after them are read as _plain_head reads them: the reading from their first token
    comes first, and no other reading can start in the few digits after them.
    """
    start, stop = window
    m = _PLAIN_NANP.match(low, start, stop)
    if m is None:
        return None
    end = m.end()
    before = text[start - 2 : start] if start > 1 else text[:start]
    plus = ("+" in before or before[-1:] in ("/", "=")) and _plus_before(text, start)
    if end < stop:
        if m.start(1) >= 0 or low[end] in "-./" or sum(map(str.isalnum, low[end:stop])) >= 8:
            return None
        if plus and not m.group(3) and m.group(5):
            return None  # "+" and six digits: not an area code, read as a country code
    elif m.start(1) < 0 and plus:
        return None
    lead = _lead(text, start, end) if before[-1:] == "(" or "+" in before else start
    obfuscated = not text.isascii() and not text[lead:end].isascii()
    return ("+1" + m.group(2) + m.group(4) + m.group(6), lead, end, obfuscated)


def _find_in(text: str, tokens: list[_Token], region: str) -> list[_Reading]:
    if sum(len(t.digits) for t in tokens) < 8:
        return []
    out: list[_Reading] = []
    for run in _runs(text, tokens):
        if sum(len(t.digits) for t in run) < 8:
            continue  # "24/7", a price, a lone letter: too few digits for any number
        phones = _read_run(text, run, region)
        if not phones and any(t.kind != "d" for t in (run[0], run[-1])):
            # "een 06 ..." - a number word at the edge of a run that does not read: trim it
            trimmed = run[:]
            while trimmed and trimmed[0].kind != "d":
                trimmed.pop(0)
            while trimmed and trimmed[-1].kind != "d":
                trimmed.pop()
            phones = _read_run(text, trimmed, region) if trimmed else []
        out.extend(phones)
    return out


_FLOAT_TAIL = re.compile(r"^\s*(\+?\d+)\.0+\s*$")


def normalise_phone(value: str, region: str = "NL") -> str | None:
    """A structured phone field value as E.164, or None when it does not read as a number.

    In region NL a number without its leading zero, as a spreadsheet keeps "0612340001" as the
    number 612340001, reads as the Dutch number (+31612340001), and "31612340001" as +31 6...;
    a ".0" left by a number written as a decimal is not a digit of it.
    """
    value = _FLOAT_TAIL.sub(r"\1", value)
    digits = re.sub(r"\D", "", value)
    if not digits:
        return None
    plus = value.strip().startswith("+")
    reading = _read_at(digits, 0, region, plus)
    if reading is None and region == "NL" and not plus:
        if len(digits) == 9 and digits[0] != "0":
            reading = _dutch("0" + digits)
        elif len(digits) == 11 and digits.startswith("31"):
            reading = _international(digits)
    if reading is None and region in _NANP and len(digits) == 10:
        return _nanp(digits)
    return reading[0] if reading else None
