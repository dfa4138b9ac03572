"""Find phone numbers in folded ad text, including obfuscated ones, and normalise them to E.164.

Digits may be spaced, dotted, bracketed or tilde-separated, written as letters ("O6", "5l2"), as
keycap emoji (folded earlier) or spelled out in Dutch or English ("nul zes", "FIVE"). A run of such
tokens is read as a digit string and cut into numbers by the rules of the default region: Dutch
06 and +31 6 mobiles first for NL, North-American ten-digit numbers for CA/US, any country with an
explicit "+" or "00" prefix.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

import phonenumbers

from signaal.ads import phone_stretches
from signaal.ads.normalise import lowered
from signaal.ads.phone_modes import FoundPhone, Reading, with_modes
from signaal.ads.phone_stretches import Token, reading_text, runs, skipped_spans, stretches, tokens_in

__all__ = ["FoundPhone", "find_phones", "normalise_phone", "warm"]

_NANP = {"CA", "US"}


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
    phone_stretches.warm()
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
    if d.startswith("316") and len(d) >= 11:
        return "+31" + d[2:11], 11  # a mobile with its country code but no "+" or "00" ("316...")
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


def _bad_boundaries(e164: str, bounds: list[int], i: int, length: int) -> int:
    """How many token boundaries inside a reading fall where this kind of number is never split."""
    if not e164.startswith("+1"):
        return 0
    expected = {3, 6} if length == 10 else {1, 4, 7}
    first, stop = bisect.bisect_right(bounds, i), bisect.bisect_left(bounds, i + length)
    return sum(1 for k in range(first, stop) if bounds[k] - i not in expected)


def _dutch_misfit(text: str, run: list[Token], bounds: list[int], b: int, i: int, length: int, cut: bool) -> int:
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


def _cuts_group(run: list[Token], bounds: list[int], end: int) -> bool:
    """Whether a reading ends inside a group of written digits (something glued onto it)."""
    k = bisect.bisect_right(bounds, end) - 1  # the token holding the digit at end
    return k >= 0 and run[k].kind == "d" and bounds[k] < end < bounds[k] + len(run[k].digits)


def _list_like(text: str, toks: list[Token]) -> bool:
    """Digit groups separated like a list of measurements, durations or prices, not a number."""
    if all(len(t.digits) == 1 for t in toks):
        return False  # "4.0.3.6.1.3..." is a spaced-out number
    seps = "".join(text[x.end : y.start] for x, y in itertools.pairwise(toks))
    if any(c in seps for c in ",'\"$%"):
        return True
    if len(toks) >= 3 and all(len(t.digits) >= 2 and t.digits.endswith("0") for t in toks):
        return True  # "80.100.170..200": round amounts, a price list
    return "/" in seps and any(len(t.digits) >= 3 for t in toks)


def _read_run(text: str, run: list[Token], region: str) -> list[Reading]:
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
        if at_token and tok.digits == "00" and not _prefix_written(text, run, b):
            continue  # "00 💋 32 ...": two zeros apart from the digits after them are no prefix
        plus = at_token and _plus_before(text, tok.start)
        nanp_shape = at_token and tok.kind == "d" and len(tok.digits) in (3, 10)
        reading = _read_at(digits, i, region, plus, nanp_shape)
        if reading is None:
            continue
        e164, length = reading
        if not plus and region == "NL" and digits.startswith("316", i) and not _stands_apart(text, tok.start):
            continue  # "voorbeeld.nl/31612340002": digits in a link or a word, no number
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
    return [_written_at(text, run, bounds, *reading) for reading in sorted(chosen)]


def _written_at(text: str, run: list[Token], bounds: list[int], b: int, i: int, e164: str, length: int) -> Reading:
    """A chosen reading (from token b, digit i, that long) with its span in the text."""
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
    return (e164, start, end, obfuscated)


def _plain_nanp(text: str, run: list[Token], digits: str) -> Reading | None:
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


def _plain_head(text: str, run: list[Token]) -> tuple[Reading, int] | None:
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


def _stands_apart(text: str, start: int) -> bool:
    """Whether the digits at start stand apart: at the start, or after white space or "(", ":"."""
    return start == 0 or text[start - 1].isspace() or text[start - 1] in "(:"


def _prefix_written(text: str, run: list[Token], b: int) -> bool:
    """Whether the "00" token at b is written as an international prefix: right before the
    country code, with at most one space, dot or dash between."""
    if b + 1 >= len(run):
        return False
    gap = text[run[b].end : run[b + 1].start]
    return gap in ("", " ", ".", "-")


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
    low = reading_text(text)
    windows = stretches(low)
    if not windows:
        return []  # no stretch of tokens long enough to spell eight digits
    out: list[Reading] = []
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
            skip = skipped_spans(low, (windows[0][0], windows[-1][1]))
        out.extend(_find_in(text, tokens_in(text, low, window, skip), region))
    return with_modes(text, out) if out else []


# A North-American number written plainly: ten digits grouped 3-3-4, 3-7, 6-4 or 10, or eleven
# with a "1" before them (1-3-3-4, 4-3-4, 1-10, 11, ...)
_PLAIN_NANP = re.compile(r"(1(?:[\W_]+)?)?([2-9]\d\d)([\W_]*)(\d\d\d)([\W_]*)(\d{4})(?!\d)")


def _plain_window(text: str, low: str, window: tuple[int, int]) -> Reading | None:
    """The reading of a stretch that is one plainly written North-American number, or that
    starts with one and has too few letters and digits after it for another, or None.

    A shortcut for the commonest stretches in North-American ads, with the reading _read_run
    gives them. Their tokens are their groups of digits (and those after), in one run, as every
    gap is a short run of separators, and no time, date or measurement (skipped_spans) can reach into
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


def _find_in(text: str, tokens: list[Token], region: str) -> list[Reading]:
    if sum(len(t.digits) for t in tokens) < 8:
        return []
    out: list[Reading] = []
    for run in runs(text, tokens):
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
