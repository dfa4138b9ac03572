"""Knowledge: every data file of the package as typed, validated objects, built once per setting.

Like a followthemoney ``Model``, one object holds the domain knowledge the code runs on — the
catalogue, the routing rules and contact directory, the narrative lexicons, the ad-screening
resources, the link data, the monitoring data — read through :class:`DataFiles` (one override
rule for every file) and validated with file and line. Services take it from one place,
:func:`knowledge_for` (``store.knowledge`` for a registry) and hand the pieces to the core.

Each piece is read the first time it is asked for and kept on the object; nothing is cached in
a module. An organisation's directory file that changes (an admin loads a new list) gives a new
object, because its modification time is part of the key of :func:`knowledge_for`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from signaal.ads.reasons import parse_reason_texts
from signaal.ads.resources import (
    AdResources,
    parse_ad_lexicon,
    parse_gazetteer,
    parse_not_names,
    parse_text_tables,
)
from signaal.ads.resources import parse_rules as parse_ad_rules
from signaal.catalogue.catalogue import CATALOGUE_FILES, Catalogue, build_catalogue
from signaal.catalogue.monitoring import Nationalities, TrendBreak, parse_nationalities, parse_trend_breaks
from signaal.errors import CatalogueError, Problem
from signaal.knowledge.files import DataFiles
from signaal.text.forms import IndicatorProfile
from signaal.text.language import LanguageProfiles, parse_language_profiles
from signaal.text.lexicon import LANGUAGES, Lexicon, parse_lexicon
from signaal.triage.directory import Directory, parse_directory
from signaal.triage.rules import RuleSet
from signaal.triage.rules import parse_rules as parse_routing_rules

if TYPE_CHECKING:
    from signaal.settings import Settings

__all__ = ["Knowledge", "bundled", "knowledge_for"]

T = TypeVar("T")


def _piece(build: Callable[[Knowledge], T]) -> cached_property[T]:
    """A piece read once per object, or taken from the shared object that holds it."""

    def get(self: Knowledge) -> T:
        return build(self) if self._shared is None else cast(T, getattr(self._shared, build.__name__))

    get.__doc__ = build.__doc__
    return cached_property(get)


class Knowledge:
    """The package's data files as objects, for one organisation's overrides."""

    def __init__(self, files: DataFiles | None = None, shared: Knowledge | None = None) -> None:
        self.files = files if files is not None else DataFiles()
        # What does not depend on the directory file is read once for all its versions.
        self._shared = shared

    @classmethod
    def read(cls, catalogue_dir: Path | None = None, directory_file: Path | None = None) -> Knowledge:
        """Knowledge from the bundled files with an organisation's folder and directory file."""
        return cls(DataFiles(catalogue_dir, directory_file))

    @_piece
    def catalogue(self) -> Catalogue:
        """Forms, indicators, sectors and the regional codings, validated together."""
        return build_catalogue({name: self.files.records(name) for name in CATALOGUE_FILES})

    @_piece
    def indicator_profiles(self) -> Mapping[str, IndicatorProfile]:
        """Forms and weight per indicator, from the indicator catalogue in force (the only source of both)."""
        return {i.id: IndicatorProfile(tuple(i.forms), float(i.weight)) for i in self.catalogue.indicators.values()}

    @cached_property
    def directory(self) -> Directory:
        """The contact directory: bundled, with the entries of the organisation's directory file replaced."""
        base = self._checked("directory.yaml", parse_directory)
        own = self.files.directory_override()
        if own is None:
            return base
        with self.files.located(own):
            return parse_directory(own.data, own.path, base=base)

    @cached_property
    def routing_rules(self) -> RuleSet:
        """The routing decision tree, checked against the contacts of the directory in force."""
        contacts = tuple(self.directory.national)
        return self._checked("routing_rules.yaml", lambda data, file: parse_routing_rules(data, file, contacts))

    @_piece
    def lexicons(self) -> dict[str, Lexicon]:
        """The compiled narrative lexicons, per language, checked against the indicator catalogue."""
        known = self.catalogue.indicator_ids
        return {
            language: self._checked(f"lexicon_narrative_{language}.yaml", lambda d, f: parse_lexicon(d, f, known))
            for language in LANGUAGES
        }

    @_piece
    def language_profiles(self) -> LanguageProfiles:
        """Common words per language, for telling the language of a narrative or an ad."""
        return self._checked("language_profiles.yaml", parse_language_profiles)

    @_piece
    def nationalities(self) -> Nationalities:
        """Countries with their nationality group and world region."""
        return self._checked("nationalities.yaml", parse_nationalities)

    @_piece
    def trend_breaks(self) -> tuple[TrendBreak, ...]:
        """Known breaks in registration series."""
        return self._checked("trend_breaks.yaml", parse_trend_breaks)

    @_piece
    def ads(self) -> AdResources:
        """What ad screening runs on: folding tables, thresholds, risk lexicon, gazetteer, non-names,
        word lists of languages and the texts of the reasons."""
        text = self._checked("text.yaml", parse_text_tables)
        rules = self._checked("rules.yaml", parse_ad_rules)
        docs = [(language, self.files.document(f"lexicon_ads_{language}.yaml")) for language in ("nl", "en")]
        with self.files.located(docs[0][1]), self.files.located(docs[1][1]):
            lexicon = parse_ad_lexicon([(language, doc.data, doc.path) for language, doc in docs])
            gazetteer = self.files.records("gazetteer_nl.csv")
            places, common = parse_gazetteer([(r.line, r.data) for r in gazetteer.records], gazetteer.path)
            not_names = parse_not_names([(doc.data, doc.path) for _, doc in docs], self._nationality_words(), places)
        reasons = self._checked("ad_reasons.yaml", parse_reason_texts)
        return AdResources(text, rules, lexicon, places, common, not_names, self.language_profiles, reasons)

    def _nationality_words(self) -> list[str]:
        """The one-word nationality terms of the narrative lexicons (facts.nationality_group)."""
        return [
            word.strip()
            for lexicon in self.lexicons.values()
            for rule in lexicon.rules
            if rule.kind == "fact" and rule.key == "nationality_group" and "~" not in rule.source
            for word in rule.source.split("|")
        ]

    @_piece
    def network_rules(self) -> dict[str, Any]:
        """The organised / small-scale rule of the network view."""
        return self._checked("network_rules.yaml", _mapping)

    @_piece
    def person_model(self) -> dict[str, Any]:
        """The trained Splink person model (settings JSON)."""
        return self._checked("person_model.json", _mapping)

    def _checked(self, name: str, parse: Callable[[Any, str], T]) -> T:
        """One data file, parsed and validated, its problems located by file and line."""
        doc = self.files.document(name)
        with self.files.located(doc):
            return parse(doc.data, doc.path)

    def check(self) -> None:
        """Read and validate every data file now (a start-up or ``catalogue check`` does this)."""
        for piece in (
            "catalogue",
            "directory",
            "routing_rules",
            "lexicons",
            "language_profiles",
            "nationalities",
            "trend_breaks",
            "ads",
            "network_rules",
            "person_model",
        ):
            getattr(self, piece)


def _mapping(data: Any, file: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise CatalogueError(f"data file {file} has the wrong shape", [Problem("expected a mapping", file, 1)])
    return data


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    """Which file, when and how big it was last written (None when there is none)."""
    try:
        stat = Path(path).stat() if path is not None else None
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat is not None else None


@functools.lru_cache(maxsize=8)
def _knowledge(
    catalogue_dir: Path | None, directory_file: Path | None, stamp: tuple[int, int, int] | None
) -> Knowledge:
    del stamp  # part of the key only: a directory file written anew gives new knowledge
    if directory_file is None:
        return Knowledge.read(catalogue_dir)
    return Knowledge(DataFiles(catalogue_dir, directory_file), shared=_knowledge(catalogue_dir, None, None))


def knowledge_for(settings: Settings) -> Knowledge:
    """The knowledge in force for these settings: the one place services get it from (read once)."""
    return _knowledge(settings.catalogue_dir, settings.directory_file, _stamp(settings.directory_file))


def bundled() -> Knowledge:
    """The knowledge of the bundled files alone (benches, tests, the demo)."""
    return _knowledge(None, None, None)
