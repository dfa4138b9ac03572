"""Identifier value types: each kind knows how to clean a raw value into its normalised form.

Normalised values are what linking compares, so two spellings of one phone number, IBAN or
licence plate become the same string. Cleaning raises :class:`ValueError` with a user-facing reason.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

__all__ = ["IdentifierKind", "normalise_identifier"]


class IdentifierKind(StrEnum):
    """Kinds of identifier a signal can carry."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    ADDRESS = "address"
    POSTCODE = "postcode"
    KVK = "kvk"
    PLATE = "plate"
    IBAN = "iban"
    URL = "url"


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE_NL = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
_KVK = re.compile(r"^[0-9]{8}$")
_PLATE = re.compile(r"^[A-Z0-9]{2,10}$")
_HANDLE_PLATFORMS = ("whatsapp", "telegram", "signal", "snapchat", "instagram", "onlyfans", "other")
_SPACES = re.compile(r"\s+")


def _phone(raw: str) -> str:
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {raw!r} ({exc})") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(raw: str) -> str:
    value = raw.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError(f"not an e-mail address: {raw!r}")
    return value


def _handle(raw: str) -> str:
    # Handles are stored as "platform:name" so that the same name on two platforms stays two contacts.
    value = raw.strip()
    platform, sep, name = value.partition(":")
    if not sep:
        platform, name = "other", value
    platform = platform.strip().lower()
    name = name.strip().lstrip("@").lower()
    if platform not in _HANDLE_PLATFORMS:
        raise ValueError(f"unknown messenger {platform!r}; use one of {', '.join(_HANDLE_PLATFORMS)}")
    if not name or _SPACES.search(name):
        raise ValueError(f"not a messenger handle: {raw!r}")
    return f"{platform}:{name}"


def _address(raw: str) -> str:
    value = _SPACES.sub(" ", raw).strip(" ,")
    if len(value) < 4:
        raise ValueError(f"address too short: {raw!r}")
    return value


def _postcode(raw: str) -> str:
    match = _POSTCODE_NL.match(raw.strip())
    if not match:
        raise ValueError(f"not a Dutch postcode (1234 AB): {raw!r}")
    return f"{match.group(1)}{match.group(2).upper()}"


def _kvk(raw: str) -> str:
    value = re.sub(r"[\s.]", "", raw)
    if not _KVK.match(value):
        raise ValueError(f"a KvK number has 8 digits: {raw!r}")
    return value


def _plate(raw: str) -> str:
    value = re.sub(r"[\s\-.]", "", raw).upper()
    if not _PLATE.match(value):
        raise ValueError(f"not a licence plate: {raw!r}")
    return value


def _iban(raw: str) -> str:
    try:
        return str(stdnum_iban.validate(raw))
    except StdnumValidationError as exc:
        raise ValueError(f"not a valid IBAN: {raw!r} ({exc})") from None


def _url(raw: str) -> str:
    value = raw.strip()
    parts = urlsplit(value if "://" in value else f"https://{value}")
    if not parts.netloc or "." not in parts.netloc:
        raise ValueError(f"not a URL: {raw!r}")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


_CLEANERS = {
    IdentifierKind.PHONE: _phone,
    IdentifierKind.EMAIL: _email,
    IdentifierKind.HANDLE: _handle,
    IdentifierKind.ADDRESS: _address,
    IdentifierKind.POSTCODE: _postcode,
    IdentifierKind.KVK: _kvk,
    IdentifierKind.PLATE: _plate,
    IdentifierKind.IBAN: _iban,
    IdentifierKind.URL: _url,
}


@functools.lru_cache(maxsize=65536)
def normalise_identifier(kind: IdentifierKind | str, raw: str) -> str:
    """Clean a raw identifier into its normalised form, or raise ValueError saying why it is not one."""
    try:
        cleaner = _CLEANERS[IdentifierKind(kind)]
    except ValueError:
        raise ValueError(
            f"unknown identifier kind {kind!r}; use one of {', '.join(k.value for k in IdentifierKind)}"
        ) from None
    if not raw or not raw.strip():
        raise ValueError("empty identifier")
    return cleaner(raw)
