"""The one language guesser of narratives and ads: nl, en, other or und, from the loader's word lists.

Synthetic: every text here is written for the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from signaal.errors import CatalogueError
from signaal.knowledge import Knowledge, bundled
from signaal.text.language import guess_language, parse_language_profiles


def _guess(text: str) -> str:
    return guess_language(text, bundled().language_profiles).language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("de man en het huis", "nl"),
        ("de🌸het", "nl"),  # an emoji, a digit or "_" ends a word
        ("the2and", "en"),
        ("the_and", "en"),
        ("één de van", "nl"),  # accents are folded like the word lists
        ("I AM THE ONE", "en"),
        ("İ am", "en"),  # a dotted capital I is "i" and a mark when lowered: still the word "i"
        ("Nieuwe meiden in de stad, bel voor een afspraak", "nl"),
        ("New girls in town, call for an appointment", "en"),
        ("Hi I'm new, call me", "en"),
        ("in call hotel", "en"),
        ("", "und"),
        ("ok", "und"),
        ("Bel 0612345678", "und"),  # one word of a list is too little to tell
        ("de", "und"),
    ],
)
def test_dutch_english_or_too_little_to_tell(text: str, language: str) -> None:
    assert _guess(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Salut je suis nouvelle en ville, je suis douce et pas de rush avec moi",
        "Hola amigos, soy una chica muy dulce y estoy en tu ciudad por una semana",
        "Sie wohnt bei der Arbeit und ihr Pass ist nicht bei ihr, sagt die Nachbarin.",
        "Она живёт на работе, паспорт у начальника.",
    ],
)
def test_other_languages_and_scripts_are_other_not_dutch(text: str) -> None:
    assert _guess(text) == "other"


def test_styled_letters_are_the_letters_they_stand_for() -> None:
    assert _guess("𝓗𝓮𝓵𝓵𝓸, 𝓘 𝓪𝓶 𝓷𝓮𝔀 𝓲𝓷 𝓽𝓸𝔀𝓷") == "en"
    assert _guess("Ｉｋ ｂｅｎ ｎｉｅｕｗ ｉｎ ｄｅ ｓｔａｄ") == "nl"


def test_web_and_mail_addresses_are_no_words() -> None:
    # "com" and "da" would otherwise count for Portuguese, "de" for Dutch
    assert _guess("www.example.com anna@example.com example.com") == "und"
    assert _guess("www.da-de.com anna@de-da.nl") == "und"
    assert _guess("Call me now, www.example.com") == "en"


def test_lone_letters_of_abbreviations_do_not_make_another_language() -> None:
    # "e" and "o" are Italian and Portuguese words, but here abbreviations
    assert _guess("Tight & W.E.T, G*F*E, E-transfer only, call me") == "en"


def test_an_ad_in_english_and_french_is_english() -> None:
    french = "Appelez pour un rendez-vous, pas de numéro bloqué."
    assert _guess(french) == "other"
    assert _guess("Call me for an appointment, no blocked calls. " + french) == "en"


def test_a_tie_goes_to_dutch_then_english() -> None:
    assert _guess("in is") == "nl"  # both words are on the Dutch and the English list
    assert _guess("de de") == "nl"  # "de" is on the Dutch, Spanish, Romanian and Turkish lists


def test_the_guess_says_why() -> None:
    profiles = bundled().language_profiles
    assert guess_language("ok", profiles).detail == "too few words to tell the language"
    assert guess_language("Она живёт на работе", profiles).detail == "mostly cyrillic script"
    french = guess_language("je suis nouvelle en ville et je suis douce", profiles)
    assert (french.language, french.detail) == ("other", "looks like fr")
    dutch = guess_language("de man en het huis", profiles)
    assert dutch.script == "latin" and dutch.share == pytest.approx(3 / 5)  # de, en, het of five words


def test_word_lists_come_from_the_loader_and_an_organisation_can_replace_them(tmp_path: Path) -> None:
    (tmp_path / "language_profiles.yaml").write_text("nl: [huis]\nen: [man, de]\n", encoding="utf-8")
    own = Knowledge.read(tmp_path).language_profiles
    assert guess_language("de man en het huis", own).language == "en"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("- de\n- het\n", "expected a mapping of language to a list of words"),
        ("nl: de\nen: [the]\n", "expected a mapping of language to a list of words"),
        ("nl: [de]\nfr: [le]\n", "needs a list of words for en"),
    ],
)
def test_bad_word_lists_name_file_and_reason(tmp_path: Path, content: str, reason: str) -> None:
    (tmp_path / "language_profiles.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        _ = Knowledge.read(tmp_path).language_profiles
    problems = caught.value.problems
    assert any(reason in p.reason and str(p.file).endswith("language_profiles.yaml") for p in problems)


def test_parse_keeps_every_language_and_folds_words() -> None:
    profiles = parse_language_profiles({"nl": ["Één"], "en": ["the"], "fr": ["être"]})
    assert set(profiles.words) == {"nl", "en", "fr"}
    assert profiles.words["nl"] == frozenset({"een"}) and profiles.words["fr"] == frozenset({"etre"})
