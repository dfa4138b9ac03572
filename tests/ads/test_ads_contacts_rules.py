"""Contact rules: handles after a messenger name, e-mail look-alikes, WhatsApp links (synthetic).

Every handle, address and number here is invented (synthetic).
"""

from __future__ import annotations

import random
import re

import pytest

from signaal.ads import contacts
from signaal.ads.contacts import FoundHandle, find_emails, find_handles
from signaal.ads.normalise import fold, lowered
from signaal.ads.phones import find_phones


def _contacts(text: str) -> list[tuple[str, str]]:
    folded = fold(text).text
    return [(h.kind, h.value) for h in [*find_emails(folded), *find_handles(folded)]]


@pytest.mark.parametrize(
    "text",
    [
        "Telegram: yes",
        "Telegram: ja",
        "insta: hier",
        "snapchat: privé",
        "snapchat: nee",
        "Telegram: zie profiel",
        "Instagram: ask me",
        "Telegram & Signal: same number",
        "Snapchat: op aanvraag",
        "Telegram: on request",
        "Instagram: beschikbaar",
        "Signal: ook mogelijk",
    ],
)
def test_an_ordinary_word_after_a_messenger_name_is_no_handle(text: str) -> None:
    assert _contacts(text) == []


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("snap: lisa_2000", ("snapchat", "lisa_2000")),
        ("Snapchat lisa_2000", ("snapchat", "lisa_2000")),
        ("Telegram: lisa", ("telegram", "lisa")),
        ("telegram: @lisa_nl", ("telegram", "lisa_nl")),
        ("Signal: lisa.99", ("signal", "lisa.99")),
        ("t.me/lisa_nl", ("telegram", "lisa_nl")),
    ],
)
def test_handles_still_read(text: str, contact: tuple[str, str]) -> None:
    assert _contacts(text) == [contact]


def test_a_handle_after_a_messenger_name_is_no_email_address() -> None:
    assert _contacts("volg me op insta @lisa.nl") == [("instagram", "lisa.nl")]
    assert _contacts("mail lisa@voorbeeld.nl") == [("email", "lisa@voorbeeld.nl")]


@pytest.mark.parametrize(
    "text",
    [
        "app me: wa.me/31612340002",
        "https://wa.me/31612340002?text=hoi",
        "https://api.whatsapp.com/send?phone=31612340002&text=hoi",
    ],
)
def test_a_whatsapp_link_gives_the_phone_number(text: str) -> None:
    for region in ("NL", "CA"):
        assert [p.e164 for p in find_phones(fold(text).text, region)] == ["+31612340002"]


def test_digits_after_another_link_are_not_international() -> None:
    assert find_phones(fold("kijk op voorbeeld.nl/31612340002").text, "NL") == []


# --- e-mail addresses: every form, and the same as the plain pattern tried everywhere -----------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mail lisa (at) voorbeeld (dot) nl", [("lisa@voorbeeld.nl", 5, 33)]),
        ("Lisa [AT] Voorbeeld.NL", [("lisa@voorbeeld.nl", 0, 22)]),
        ("lisa  @  voorbeeld.nl", [("lisa@voorbeeld.nl", 0, 21)]),
        ("a@voorbeeld.nl,b@voorbeeld.nl", [("a@voorbeeld.nl", 0, 14), ("b@voorbeeld.nl", 15, 29)]),
        ("privé.lisa@voorbeeld.nl", [("privé.lisa@voorbeeld.nl", 0, 23)]),
        ("x" * 64 + "@voorbeeld.nl", [("x" * 64 + "@voorbeeld.nl", 0, 77)]),
        ("x" * 65 + "@voorbeeld.nl", []),  # a local part has at most 64 characters
    ],
)
def test_email_addresses_in_every_form(text: str, found: list[tuple[str, int, int]]) -> None:
    assert [(h.value, h.start, h.end) for h in find_emails(fold(text).text)] == found


def _plain_emails(text: str) -> list[FoundHandle]:
    # the reading with _EMAIL tried at every position of the text, as find_emails() must read
    out: list[FoundHandle] = []
    for m in contacts._EMAIL.finditer(text):
        if m.end(1) < m.start(2) and text[m.end(1)].isspace() and contacts._SERVICE_NAME.fullmatch(m.group(1).lower()):
            continue
        domain = re.sub(r"\.+", ".", re.sub(r"\s*(?:\(dot\)|\[dot\]| dot )\s*|\s+", ".", m.group(2).lower()))
        if "." not in domain or not contacts._TLD.match(domain.rsplit(".", 1)[1]):
            continue
        out.append(FoundHandle("email", f"{m.group(1).lower().strip('.')}@{domain}", m.start(), m.end()))
    return out


_PIECES = [
    "a", "b", "Z", "é", "_", ".", "+", "-", " ", "  ", "\u00a0", "@", "(at)", "(AT)", "[at]", "[At]", "(dot)",
    " dot ", ".nl", ".com", "x" * 70, "1", "!", "(", "💋", "ß", "İ", "insta ", "snap", "ig", "big", "IG",
    "whats app", "telegram", "signal", "only fans", "onlyfans", "t.me/", "instagram.com/", ":",
]  # fmt: skip


def _generated(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 14))) for _ in range(count)]


def test_emails_are_read_as_the_plain_pattern_reads_them() -> None:
    for text in _generated(seed=1, count=4000):
        assert find_emails(text) == _plain_emails(text), text


def test_the_service_name_test_is_the_plain_pattern() -> None:
    for text in _generated(seed=2, count=4000):
        low = lowered(text)
        assert contacts._names_a_service(low) == (contacts._SERVICE_WORD.search(low) is not None), text
