"""Identifiers are stored normalised so that linking compares like with like."""

from __future__ import annotations

import pytest

from signaal.domain.identifiers import normalise_identifier

# Synthetic values only: fictitious numbers, a textbook test IBAN, made-up handles.
SAME = [
    ("phone", ["06-12345678", "+31 6 1234 5678", "0031612345678", "(06) 123 456 78"], "+31612345678"),
    ("phone", ["+32 470 12 34 56", "0032470123456"], "+32470123456"),
    ("iban", ["NL91 ABNA 0417 1643 00", "nl91abna0417164300"], "NL91ABNA0417164300"),
    ("plate", ["12-ABC-3", "12 abc 3", "12abc3"], "12ABC3"),
    ("postcode", ["1234 ab", "1234AB", " 1234  AB "], "1234AB"),
    ("kvk", ["1234 5678", "12345678", "1234.5678"], "12345678"),
    ("email", ["Some.One@Example.NL "], "some.one@example.nl"),
    ("handle", ["telegram:@Demo_Contact", "Telegram: demo_contact"], "telegram:demo_contact"),
    ("url", ["Example.com/ad/1", "https://EXAMPLE.com/ad/1#top"], "https://example.com/ad/1"),
]


@pytest.mark.parametrize(("kind", "spellings", "expected"), SAME)
def test_spellings_of_one_identifier_normalise_to_one_value(kind: str, spellings: list[str], expected: str) -> None:
    assert {normalise_identifier(kind, s) for s in spellings} == {expected}


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        ("phone", "12345", "not a valid phone number"),
        ("phone", "bel me", "not a phone number"),
        ("iban", "NL91ABNA0417164301", "not a valid IBAN"),
        ("postcode", "0123 AB", "not a Dutch postcode"),
        ("kvk", "1234567", "8 digits"),
        ("email", "no-at-sign.example.nl", "not an e-mail address"),
        ("handle", "myspace:someone", "unknown messenger"),
        ("url", "not a url", "not a URL"),
        ("fax", "0201234567", "unknown identifier kind"),
        ("phone", "   ", "empty identifier"),
    ],
)
def test_bad_identifiers_are_refused_with_a_reason(kind: str, value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalise_identifier(kind, value)
