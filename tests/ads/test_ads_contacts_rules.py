"""Contact rules: handles after a messenger name, e-mail look-alikes, WhatsApp links (synthetic).

Every handle, address and number here is invented (synthetic).
"""

from __future__ import annotations

import pytest

from signaal.ads.contacts import find_emails, find_handles
from signaal.ads.normalise import fold
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
