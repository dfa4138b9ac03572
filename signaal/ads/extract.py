"""The per-ad step: one raw ad in, its features out (pure; no I/O beyond cached package data)."""

from __future__ import annotations

import re
from functools import lru_cache

from signaal.ads.contacts import find_emails, find_handles
from signaal.ads.facts import find_ages, find_names, find_prices, is_description
from signaal.ads.indicators import match_lexicon
from signaal.ads.model import Ad, AdFeatures, Contact, IndicatorHit, Price, Span
from signaal.ads.normalise import Folded, fold
from signaal.ads.phones import find_phones, normalise_phone
from signaal.ads.places import find_places, municipality
from signaal.ads.resources import derived, derived_entry, language_profiles
from signaal.ads.textsim import token_hashes
from signaal.domain.dates import parse_date
from signaal.text.language import guess_language

__all__ = ["extract", "parse_posted"]

# the posting date of an ad: ISO or a form of signaal.domain.dates
parse_posted = parse_date

_DIGITS = re.compile(r"\d+")
_DIGITS_ONLY = re.compile(r"\D")
# the age field: "17", "17.0" (a spreadsheet number), "17 jaar", "17 yo"
_FIELD_AGE = re.compile(r"\s*(\d{1,2})(?:[.,]0+)?\s*(?:jaar|jr|years?|yrs?|yo|y/o)?\.?\s*", re.IGNORECASE)
_MINOR = "ad_stated_minor"  # a stated age under 18 (lexicon entry marked derived)
_ADULT_AGE = 18


def _span(folded: Folded, original: str, field: str, start: int, end: int) -> Span:
    o_start, o_end = folded.to_original(start, end)
    return Span(field, o_start, o_end, original[o_start:o_end])


def extract(ad: Ad, region: str = "NL", *, prefilter: bool = True) -> AdFeatures:
    """Contacts, names, ages, prices, places, language, indicator hits and masked text of one ad
    (``prefilter=False``: the readers' slower reference form, see signaal.ads.prefilter)."""
    feats = AdFeatures(ad_id=ad.id, posted=parse_posted(ad.posted))
    masked_parts: list[str] = []
    places: list[str] = []
    names: list[str] = []
    for field, original in (("title", ad.title), ("body", ad.body)):
        if not original:
            continue
        folded = fold(original)
        text = folded.text
        cuts: list[tuple[int, int, str]] = []
        for p in find_phones(text, region):
            feats.contacts.append(Contact("phone", p.e164, p.mode, _span(folded, original, field, p.start, p.end)))
            cuts.append((p.start, p.end, " "))
        for h in [*find_emails(text), *find_handles(text)]:
            feats.contacts.append(Contact(h.kind, h.value, "text", _span(folded, original, field, h.start, h.end)))
            cuts.append((h.start, h.end, " "))
        for name, start, end in find_names(text, prefilter=prefilter):
            names.append(name)
            cuts.append((start, end, " "))
        for age, start, end in find_ages(text, prefilter=prefilter):
            feats.ages.append(age)
            if age < _ADULT_AGE:
                feats.indicators.append(_minor_hit(_span(folded, original, field, start, end)))
        for amount, currency, unit, start, end in find_prices(text, prefilter=prefilter):
            feats.prices.append(Price(amount, currency, unit, _span(folded, original, field, start, end)))
        for place, _start, _end in find_places(text, prefilter=prefilter):
            places.append(place)
        for entry, start, end in match_lexicon(text, prefilter=prefilter):
            feats.indicators.append(
                IndicatorHit(
                    entry.id,
                    _span(folded, original, field, start, end),
                    entry.weight,
                    entry.counter,
                )
            )
        masked_parts.append(_mask(text, cuts))
    field_keys: set[str] = set()
    for raw in ad.phones:
        # A field number that reads as no valid number is kept as its digits: it is still the
        # ad's own contact, and ads sharing it still belong together.
        value = _field_phone(raw, region)
        if len(value) >= 7:
            feats.contacts.append(Contact("phone", value, "any", None))
            field_keys.add(f"phone:{value}")
    if field_keys:
        # the contact field is the ad's own line; other contacts in its text are co-listed
        feats.contacts = [
            c if c.span is None or c.key in field_keys else Contact(c.kind, c.value, c.mode, c.span, own=False)
            for c in feats.contacts
        ]
    if ad.name.strip() and not is_description(ad.name):
        # a name field that only describes ("Latina", "Hot Blonde") is no name
        names.insert(0, ad.name.strip().title())
    feats.names = list(dict.fromkeys(names))
    field_age = _FIELD_AGE.fullmatch(ad.age) if ad.age.strip() else None
    if field_age:
        age = int(field_age.group(1))
        feats.ages.insert(0, age)
        if age < _ADULT_AGE:
            # the span is the whole age field, as written
            feats.indicators.insert(0, _minor_hit(Span("age", 0, len(ad.age), ad.age)))
    city = ad.city.strip()
    if city:
        # a district or a note after the town ("Amsterdam-Zuid", "Den Haag Centrum") is the town
        feats.city = _city(city, prefilter)
    feats.places = list(dict.fromkeys(([feats.city] if feats.city else []) + places))
    if not feats.city and places:
        feats.city = places[0]
    body = ad.body or ad.title
    feats.language = guess_language(body[:2000], language_profiles()).language
    feats.masked_text = " ".join(masked_parts)
    feats.tokens = token_hashes(feats.masked_text)
    feats.n_tokens = len(feats.tokens)
    return feats


# The contact and city fields repeat from ad to ad (one number behind many ads, a few dozen
# towns): each distinct value is read once per process.
@lru_cache(maxsize=65_536)
def _field_phone(raw: str, region: str) -> str:
    return normalise_phone(raw, region) or _DIGITS_ONLY.sub("", raw)


@derived(maxsize=4_096)
def _city(city: str, prefilter: bool) -> str:
    return municipality(city, prefilter=prefilter) or city.title()


def _minor_hit(span: Span) -> IndicatorHit:
    entry = derived_entry(_MINOR)
    return IndicatorHit(entry.id, span, entry.weight, entry.counter)


def _mask(text: str, cuts: list[tuple[int, int, str]]) -> str:
    # Contacts and names are cut out and every number becomes "0", so that the same template
    # with other slots reads the same.
    if cuts:
        parts: list[str] = []
        pos = 0
        for start, end, repl in sorted(cuts):
            if start < pos:
                continue
            parts.append(text[pos:start])
            parts.append(repl)
            pos = end
        parts.append(text[pos:])
        text = "".join(parts)
    return _DIGITS.sub("0", text.lower())
