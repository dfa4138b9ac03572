"""The signal page gives the Delphi advice and the person line in the reader's language.

Every signal here is synthetic.
"""

from __future__ import annotations

from html import unescape

from fastapi.testclient import TestClient
from web_fixtures import SYNTHETIC_SIGNAL

from signaal.catalogue.model import DELPHI_DIMENSIONS, DELPHI_LISTS, DELPHI_STRENGTHS
from signaal.web.context import LANG_COOKIE
from signaal.web.i18n import Translator

SIGNAL = {
    **SYNTHETIC_SIGNAL,
    # synthetic: an adult of unknown age, so the adult and child lists both apply
    "persons": [{"role": "victim", "residence": "dutch"}],
    "indicators": [
        {"indicator_id": "always_reachable", "words": "altijd bereikbaar"},
        {"indicator_id": "debt_bondage"},
    ],
}


def _page(client: TestClient, lang: str) -> str:
    response = client.post("/api/signals", json=SIGNAL)
    assert response.status_code == 201, response.text
    client.cookies.set(LANG_COOKIE, lang)
    page = client.get(f"/signals/{response.json()['id']}")
    assert page.status_code == 200
    return unescape(page.text)


def test_every_delphi_id_has_wording_in_the_catalogue() -> None:
    t = Translator("nl")
    keys = [f"delphi.list.{x}" for x in DELPHI_LISTS] + [f"delphi.dimension.{x}" for x in DELPHI_DIMENSIONS]
    keys += [f"delphi.strength.{x}" for x in DELPHI_STRENGTHS]
    assert [k for k in keys if not t.has(k)] == []


def test_delphi_advice_is_dutch_by_default_and_english_on_request(client: TestClient) -> None:
    nl, en = _page(client, "nl"), _page(client, "en")
    nl_t, en_t = Translator("nl"), Translator("en")
    assert nl_t("delphi.list.adult_sexual") in nl and nl_t("delphi.not_meets") in nl
    assert en_t("delphi.list.adult_sexual") in en and en_t("delphi.not_meets") in en
    # The rule's English explanation (the API's wording) no longer reaches the Dutch page.
    assert "does not meet" not in nl and "positive: none" not in nl
    assert nl_t("delphi.list.adult_sexual") not in en
    # The recorded debt indicator is named under its dimension with its strength, in each language.
    assert f"{nl_t('delphi.strength.strong')}:" in nl and nl_t("delphi.dimension.coercion_at_destination") in nl
    assert f"{en_t('delphi.strength.strong')}:" in en and en_t("delphi.dimension.coercion_at_destination") in en


def test_unknown_age_is_said_in_words(client: TestClient) -> None:
    nl, en = _page(client, "nl"), _page(client, "en")
    assert "leeftijd onbekend" in nl and "leeftijd ?" not in nl
    assert "age unknown" in en
