"""The reasons of a screened group in Dutch and English: texts from ad_reasons.yaml through the loader,
contacts as a reader writes them, and the same lines in the web, the downloads and the HTML report.

Synthetic: every number and name here is invented for the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from signaal.ads import resources
from signaal.ads.reasons import REASON_CODES, contact_parts, contact_shown, hub_role, reason_lines
from signaal.ads.report import render_report
from signaal.errors import CatalogueError
from signaal.knowledge import Knowledge
from signaal.knowledge.files import DataFiles

HUB = {
    "code": "hub",
    "points": 25,
    "values": {"contact": "phone:+31611112222", "role": "shared_contact", "names": 3, "numbers": 0, "cities": 1},
}
GROUP = {
    "id": "g1",
    "score": 42.5,
    "ads": [],
    "reasons": ["+25 hub phone:+31611112222: 3 names"],
    "reason_codes": [HUB],
}


def test_every_reason_code_has_a_text_in_both_languages() -> None:
    texts = resources.in_force().reasons
    for code in REASON_CODES:
        assert texts.get("reasons", code, "nl") and texts.get("reasons", code, "en"), code


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("nl", "+25 hub telefoon +31 6 11112222: 3 verschillende namen"),
        ("en", "+25 hub phone +31 6 11112222: 3 different names"),
    ],
)
def test_a_hub_reason_reads_in_the_readers_language(lang: str, line: str) -> None:
    assert reason_lines(GROUP, lang) == [line]


def test_contacts_are_shown_with_their_type_as_a_word() -> None:
    assert contact_parts("phone:+31611112222", "nl") == ("telefoon", "+31 6 11112222")
    assert contact_parts("phone:+14165550123", "en") == ("phone", "+1 416-555-0123")
    assert contact_shown("email:lisa@example.org", "en") == "e-mail lisa@example.org"
    assert contact_shown("telegram:lisa_nl", "nl") == "Telegram lisa_nl"
    assert contact_shown("phone:0611112222", "nl") == "telefoon 0611112222"  # digits that read as no number
    assert contact_shown("fax:123", "nl") == "fax 123"  # a type without a word stays as it is
    assert contact_shown("plain", "nl") == "plain"
    assert hub_role("text_only_beside_call_numbers", "nl") == "alleen-sms-nummer naast belnummers"


@pytest.mark.parametrize(
    ("lang", "words", "score"), [("nl", "verschillende namen", "42,5"), ("en", "different names", "42.5")]
)
def test_the_html_report_writes_the_reasons_in_its_language(lang: str, words: str, score: str) -> None:
    html = render_report([GROUP], {}, {"ads": 2, "skipped": 0, "clusters": 1}, lang=lang)
    assert words in html and "phone:+31611112222" not in html
    assert f"score {score}" in html  # numbers as the web pages write them (signaal.domain.formats)


def _with(tmp_path: Path, change: dict[str, object]) -> None:
    _shown, text = DataFiles().text("ad_reasons.yaml")
    data = yaml.safe_load(text)
    for section, entries in change.items():
        data[section] = {**data[section], **entries} if isinstance(entries, dict) else entries
    (tmp_path / "ad_reasons.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _ = Knowledge.read(tmp_path).ads


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"reasons": {"hub": {"nl": "+{points} hub"}}}, "reasons.hub: needs a text in each of nl, en"),
        ({"reasons": {"hub": {"nl": "+{points} hub {contact}", "en": "+{points}"}}}, "the same placeholders"),
        ({"words": {"via_contact": {"nl": "{x", "en": "x"}}}, "bad placeholder"),
        ({"reasons": {"movement": None}}, "needs a text"),
        ({"words": []}, "words: expected a mapping"),
    ],
)
def test_a_bad_reason_file_names_file_and_entry(tmp_path: Path, change: dict[str, object], reason: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        _with(tmp_path, change)
    problem = next(p for p in caught.value.problems if reason in p.reason)
    assert str(problem.file).endswith("ad_reasons.yaml") and problem.line is not None


def test_a_missing_reason_code_is_named(tmp_path: Path) -> None:
    _shown, text = DataFiles().text("ad_reasons.yaml")
    data = yaml.safe_load(text)
    del data["reasons"]["low_price"]
    (tmp_path / "ad_reasons.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        _ = Knowledge.read(tmp_path).ads
    assert any("no text for 'low_price'" in p.reason for p in caught.value.problems)


def test_an_organisations_texts_are_used(tmp_path: Path) -> None:
    _with(tmp_path, {"contact_types": {"phone": {"nl": "mobiel", "en": "mobile"}}})
    with resources.use(Knowledge.read(tmp_path).ads):
        assert reason_lines(GROUP, "nl") == ["+25 hub mobiel +31 6 11112222: 3 verschillende namen"]
    assert reason_lines(GROUP, "nl") == ["+25 hub telefoon +31 6 11112222: 3 verschillende namen"]
