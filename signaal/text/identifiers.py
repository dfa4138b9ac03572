"""Identifiers in free text: phones, e-mails, licence plates, KvK numbers, IBANs, addresses, postcodes.

Values are normalised where a standard form exists (E.164 phones, compact IBANs, plates without
dashes), so they can be linked to the same identifier elsewhere.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import iban as stdnum_iban

from signaal.text.model import Evidence, IdentifierHit

__all__ = ["extract_identifiers"]

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?(?!SA|SD|SS)([A-Z]{2})\b")
_KVK = re.compile(r"\b(?:kvk|KvK|KVK|kamer van koophandel)[\s.:-]*(?:nummer|nr\.?|number)?[\s.:-]*(\d{8})\b")
# Dutch licence-plate side codes 1-14: letters and digits in groups of 1-3, joined by dashes.
_PLATE = re.compile(
    r"\b(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}"
    r"|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}"
    r"|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}"
    r"|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d)\b"
)
_STREET = re.compile(
    r"\b((?:[A-Z][a-zà-ÿ'’-]+\s){0,3}[A-Z][a-zà-ÿ'’-]*"
    r"(?:straat|weg|laan|plein|gracht|kade|dijk|singel|dreef|hof|steeg|pad|markt|park|baan|wal|"
    r"boulevard|plantsoen|erf|ring|dam|burgwal|haven|veld|Street|Road|Avenue|Lane))"
    r"\s(\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:-\d{1,4})?)\b"
)


_DIGIT_RUN = re.compile(r"(?:\d[\s\-./()]{0,2}){8,}")


def _phones(text: str) -> list[IdentifierHit]:
    hits: list[IdentifierHit] = []
    if not _DIGIT_RUN.search(text):
        return hits  # no run of eight digits: no phone number, and the costly matcher is skipped
    try:
        matcher = phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
        for m in matcher:
            value = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            hits.append(IdentifierHit("phone", value, Evidence(m.start, m.end, m.raw_string)))
    except Exception:
        return hits
    return hits


def extract_identifiers(text: str) -> list[IdentifierHit]:
    """All identifiers in a text, in text order, each with its span."""
    hits = _phones(text)
    taken = [(h.evidence.start, h.evidence.end) for h in hits]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, value: str, m: re.Match[str], group: int = 0) -> None:
        start, end = m.span(group)
        if free(start, end):
            taken.append((start, end))
            hits.append(IdentifierHit(kind, value, Evidence(start, end, m.group(group))))

    for m in _EMAIL.finditer(text):
        add("email", m.group(0).lower(), m)
    for m in _IBAN.finditer(text):
        compact = stdnum_iban.compact(m.group(0))
        if stdnum_iban.is_valid(compact):
            add("iban", compact, m)
    for m in _KVK.finditer(text):
        add("kvk", m.group(1), m, 1)
    for m in _PLATE.finditer(text):
        add("plate", m.group(0).replace("-", ""), m)
    for m in _STREET.finditer(text):
        add("address", f"{m.group(1)} {m.group(2).replace(' ', '')}", m)
    for m in _POSTCODE.finditer(text):
        add("postcode", f"{m.group(1)}{m.group(2)}", m)
    hits.sort(key=lambda h: h.evidence.start)
    return hits
