"""One override rule for every data file: an organisation's file of the same name in its folder
(SIGNAAL_CATALOGUE_DIR) replaces the bundled file, for the catalogue, a narrative lexicon, an ad
resource and the routing rules alike; a malformed one is refused naming its file and line.

Every override here is SYNTHETIC: a bundled file with one entry added or changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from signaal.ads.model import Ad
from signaal.domain.actor import Actor, Role
from signaal.errors import CatalogueError
from signaal.knowledge import BUNDLED, Knowledge, bundled, knowledge_for
from signaal.services import ads as ads_service
from signaal.services import narrative
from signaal.services import triage as triage_service
from signaal.settings import Settings
from signaal.triage import facts_from_mapping

ACTOR = Actor("tester", "org-test", Role.ANALYST)
DATA = Path(__file__).resolve().parents[2] / "signaal"


def _bundled_text(name: str) -> str:
    return (DATA / BUNDLED[name] / name).read_text(encoding="utf-8")


def _own(folder: Path, name: str, old: str, new: str) -> Path:
    """The organisation's copy of a bundled file with ``old`` replaced once by ``new``."""
    text = _bundled_text(name)
    assert old in text, f"{name} no longer holds {old!r}"
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / name


# Each kind of file: its name, a change to it, and what the knowledge in force then shows.
CHANGES = {
    "catalogue": (
        "indicators.yaml",
        "indicators:\n",
        "indicators:\n  - id: synthetic_own\n    nl: eigen\n    en: own\n    forms: [labour]\n    weight: 0.5\n",
    ),
    "lexicon": (
        "lexicon_narrative_nl.yaml",
        "  housing_by_employer:\n",
        '  housing_by_employer:\n    - "synthetisch bedrog"\n',
    ),
    "ads resource": (
        "lexicon_ads_nl.yaml",
        "indicators:\n",
        "indicators:\n  - id: ad_synthetic_own\n    weight: 1\n    keywords: [synthetisch]\n    patterns: ['synthetisch woord']\n",
    ),
    "routing rules": ("routing_rules.yaml", "flags:\n", "flags:\n  synthetic_own:\n    nl: eigen vlag\n    en: own flag\n"),
}


def _shows(knowledge: Knowledge, kind: str) -> bool:
    """Whether the knowledge holds the synthetic change of this kind of file."""
    if kind == "catalogue":
        return "synthetic_own" in knowledge.catalogue.indicators
    if kind == "lexicon":
        return any(r.source == "synthetisch bedrog" for r in knowledge.lexicons["nl"].rules)
    if kind == "ads resource":
        return any(e.id == "ad_synthetic_own" for e in knowledge.ads.lexicon)
    return "synthetic_own" in knowledge.routing_rules.flags


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_an_organisation_file_replaces_the_bundled_one_of_the_same_name(kind: str, tmp_path: Path) -> None:
    name, old, new = CHANGES[kind]
    _own(tmp_path, name, old, new)
    own = knowledge_for(Settings(catalogue_dir=tmp_path))
    assert _shows(own, kind)
    assert not _shows(bundled(), kind)
    for other in sorted(set(CHANGES) - {kind}):  # every other file still comes from the package
        assert not _shows(own, other)


def test_the_services_use_the_organisation_files(tmp_path: Path) -> None:
    for name, old, new in CHANGES.values():
        _own(tmp_path, name, old, new)
    settings = Settings(catalogue_dir=tmp_path)
    reading = narrative.suggest(ACTOR, "Er was sprake van synthetisch bedrog bij de werving.", settings=settings)
    assert "housing_by_employer" in {h.indicator_id for h in reading.present_indicators}
    feats, _ = ads_service.screen_ads(ACTOR, [Ad(id="s1", body="Een synthetisch woord hier.")], settings)
    assert "ad_synthetic_own" in {h.id for h in feats[0].indicators}
    plain, _ = ads_service.screen_ads(ACTOR, [Ad(id="s1", body="Een synthetisch woord hier.")], Settings())
    assert "ad_synthetic_own" not in {h.id for h in plain[0].indicators}
    assert triage_service.config(settings)[2].flags["synthetic_own"]
    assert triage_service.route_facts(facts_from_mapping({}), settings=settings) is not None


# Each kind of file with an entry that does not validate, and the text of the line that must be named.
BROKEN = {
    "catalogue": ("indicators.yaml", "indicators:\n", "indicators:\n  - id: synthetic_bad\n    weight: heavy\n"),
    "lexicon": ("lexicon_narrative_nl.yaml", "indicators:\n", "indicators:\n  synthetic_unknown: [iets]\n"),
    "ads resource": (
        "lexicon_ads_nl.yaml",
        "indicators:\n",
        "indicators:\n  - id: ad_synthetic_bad\n    weight: 99\n    patterns: ['iets']\n",
    ),
    "routing rules": ("routing_rules.yaml", "flags:\n", "flags:\n  synthetic_bad:\n    nl: alleen Nederlands\n"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_malformed_override_names_its_file_and_line(kind: str, tmp_path: Path) -> None:
    name, old, new = BROKEN[kind]
    path = _own(tmp_path, name, old, new)
    first_new_line = _bundled_text(name)[: _bundled_text(name).index(old)].count("\n") + 2
    with pytest.raises(CatalogueError) as info:
        Knowledge.read(tmp_path).check()
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.line is not None
    assert first_new_line <= problem.line < first_new_line + new.count("\n") - 1, str(info.value)
    assert f"{path}:{problem.line}" in str(info.value)


def test_a_yaml_syntax_error_in_any_override_names_file_and_line(tmp_path: Path) -> None:
    for name in ("indicators.yaml", "lexicon_narrative_en.yaml", "rules.yaml", "routing_rules.yaml"):
        for old in tmp_path.iterdir():
            old.unlink()
        (tmp_path / name).write_text("# synthetic\nkey: [unclosed\nother: 1\n", encoding="utf-8")
        with pytest.raises(CatalogueError) as info:
            Knowledge.read(tmp_path).check()
        assert (info.value.problems[0].file, info.value.problems[0].line) == (str(tmp_path / name), 3), name
