"""Where phone numbers may stand in a text: stretches of digit tokens, the tokens, and runs of them.

A token is a group of digits, a number word ("zes", "five", run together as in "sixonenine") or
letters written for digits ("O6", "5l2"). A stretch is tokens joined by at most a few separator
characters; only stretches that can spell eight digits are read. Measurements, clock times and
dates are taken out before tokens are joined into runs (see skipped_spans).
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass
from typing import NamedTuple

from signaal.ads.normalise import lowered, trie_pattern
from signaal.ads.resources import derived, text_tables

__all__ = ["Token", "reading_text", "runs", "skipped_spans", "stretch_re", "stretches", "tokens_in", "warm"]

# Characters allowed between the digit tokens of one number (besides nothing at all).
_SEPARATORS = " \t\r\n-.()[]{}~_/\\*,:;|+='\"<>^`!?&•·☆★✩✰♡♥❤"
_MAX_GAP = 6  # at most this many separator characters between two tokens of one number


@derived()
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


@derived()
def _token_re() -> re.Pattern[str]:
    return re.compile(_token_source())


@derived()
def stretch_re() -> re.Pattern[str]:
    # A stretch of tokens joined by at most _MAX_GAP characters that are no letter or digit: the
    # widest any run of tokens can reach (see runs). Only stretches of eight characters or more
    # can hold a number, so the token-by-token work is done inside those alone.
    token = _token_source()
    return re.compile(rf"(?:{token})(?:[\W_]{{0,{_MAX_GAP}}}(?:{token}))*")


# A text as classes of characters, one byte each, in which the stretches of tokens of stretch_re
# are the same and far faster to find: every digit is "0", every character that is no letter or
# digit a space, each letter that number words and letter digits are made of stands for itself
# (those that are not ASCII for a byte from 0x80 on, _token_letters), other letters are "q" (in
# no number word). A text is encoded as ASCII and translated (_class_scan); the characters that
# are not ASCII are most often no letter or digit ("?" then, a space in the end), else they are
# classed one by one (_classes_of, the codec error handler).
_CLASS_ERRORS = "signaal.ads.phones.classes"


@derived()
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


@derived()
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


def stretches(low: str) -> list[tuple[int, int]]:
    """The spans of the stretches of tokens in a lower-cased text (see stretch_re) long enough to
    spell eight digits: the same as those of stretch_re().finditer, found faster."""
    if low.isascii():
        data = low.encode("ascii")
    elif _NON_ASCII_WORD.search(low) is None:
        data = low.encode("ascii", "replace")  # "?", no letter or digit, as the characters are
    else:
        data = low.encode("ascii", _CLASS_ERRORS)
    scan = _class_scan()
    return _stretches_in_classes(data.translate(scan.table), scan)


def _stretches_in_classes(classes: bytes, scan: _ClassScan) -> list[tuple[int, int]]:
    """stretches of a text, from its classes.

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


@derived()
def _word_re() -> re.Pattern[str]:
    return re.compile(trie_pattern(sorted(text_tables().number_words)))


@dataclass(slots=True)
class Token:
    """A group of digits, a number word or letters for digits, with its span and the digits it gives."""

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
# and months are checked afterwards (skipped_spans). Each also starts a run of digits and has a
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


def skipped_spans(low: str, window: tuple[int, int] | None = None) -> list[tuple[int, int]]:
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


def reading_text(text: str) -> str:
    """The lower-cased text the phone reader reads.

    A number word written with a capital between a lower-case letter and a digit
    ("sorryTwo89869 5391") starts a word of its own, as if the letter before it were a separator:
    that letter becomes a space here (the offsets stay). Runs of tokens are still cut where the
    text has a letter (see runs), so the word before never joins the number.
    """
    low = lowered(text)
    glued = [
        m.start()
        for m in _capitalised_words().finditer(text)
        if m.start() and text[m.start() - 1].islower() and text[m.end() : m.end() + 1].isdigit()
    ]
    if not glued:
        return low
    chars = list(low)
    for at in glued:
        chars[at - 1] = " "
    return "".join(chars)


@derived()
def _capitalised_words() -> re.Pattern[str]:
    # every alternative starts with its capital: the search passes over other characters in C
    words = sorted({w.capitalize() for w in text_tables().number_words}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))


def tokens_in(text: str, low: str, window: tuple[int, int], skip: list[tuple[int, int]]) -> list[Token]:
    """The digit tokens of one window of a text (found in the whole text's context), leaving out
    the ``skip`` spans (measurements, times and dates; see skipped_spans); ``low`` is the text
    as the reader reads it (reading_text)."""
    tables = text_tables()
    out: list[Token] = []
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
        out.append(Token(m.start(), m.end(), digits, kind))
    return out


# "*67" and "*82" before a North-American number hide or show the caller's id: not digits of it
_SERVICE_CODES = {"67", "82"}


def runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    runs: list[list[Token]] = []
    current: list[Token] = []
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


def warm() -> None:
    """Build the tables now (before worker processes are forked)."""
    stretch_re(), _class_scan(), _token_re(), _word_re()
