"""Load and validate the data files ad screening runs on: text tables, lexicons, gazetteer, rules.

Reading package data is the one place the ads core touches files; everything is loaded once and
cached. Errors name the file and the entry.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from signaal.errors import CatalogueError
from signaal.text.lexicon import LANGUAGES as NARRATIVE_LANGUAGES
from signaal.text.lexicon import load_lexicon as load_narrative_lexicon

__all__ = [
    "COMMON_WORD_LANGUAGES",
    "DERIVED_IDS",
    "LexiconEntry",
    "Rules",
    "TextTables",
    "common_word_places",
    "derived_entry",
    "gazetteer",
    "lexicon",
    "not_names",
    "plain_word",
    "rules",
    "text_tables",
]


@dataclass(frozen=True, slots=True)
class TextTables:
    """Folding tables: homoglyphs, dropped characters, number words, letters used as digits."""

    homoglyphs: dict[str, str]
    drop: frozenset[str]
    number_words: dict[str, str]
    letter_digits: dict[str, str]


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One risk (or counter) indicator with its compiled patterns in one language."""

    id: str
    language: str
    weight: float
    counter: bool
    group: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    sources: tuple[str, ...]  # the patterns as written, for combining into one pass
    derived: bool = False  # set by the extractor from a fact (no patterns), e.g. a stated age


#: Lexicon ids that the extractor sets from a fact rather than from a pattern; an entry marked
#: ``derived: true`` must be one of these and have no patterns.
DERIVED_IDS: frozenset[str] = frozenset({"ad_stated_minor"})


@dataclass(frozen=True, slots=True)
class Rules:
    """Thresholds for hubs, templates, movement and scoring (signaal/ads/data/rules.yaml)."""

    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise CatalogueError(f"rules.yaml: missing setting {key!r}") from None


def _read_text(package: str, name: str) -> str:
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{name}: cannot read ({exc})") from None


def _yaml(package: str, name: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(_read_text(package, name))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{name}: expected a mapping at the top")
    return data


def _str_map(name: str, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise CatalogueError(f"{name}: {key!r} must map strings to strings")
    return dict(value)


@lru_cache(maxsize=1)
def text_tables() -> TextTables:
    """The folding tables from signaal/ads/data/text.yaml."""
    name = "text.yaml"
    data = _yaml("signaal.ads.data", name)
    words: dict[str, str] = {}
    for lang, table in (data.get("number_words") or {}).items():
        words.update(_str_map(name, f"number_words.{lang}", table))
    for word, digit in words.items():
        if not (len(digit) == 1 and digit.isdigit()):
            raise CatalogueError(f"{name}: number word {word!r} must map to one digit")
    drop = data.get("drop") or []
    if not isinstance(drop, list) or not all(isinstance(c, str) for c in drop):
        raise CatalogueError(f"{name}: 'drop' must be a list of characters")
    return TextTables(
        homoglyphs=_str_map(name, "homoglyphs", data.get("homoglyphs") or {}),
        drop=frozenset(drop),
        number_words=words,
        letter_digits=_str_map(name, "letter_digits", data.get("letter_digits") or {}),
    )


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Screening thresholds and weights from signaal/ads/data/rules.yaml."""
    return Rules(_yaml("signaal.ads.data", "rules.yaml"))


def _compile(name: str, entry_id: str, pattern: str) -> re.Pattern[str]:
    # Patterns are phrases with optional regex; word boundaries are added here so that the
    # lexicon stays readable.
    try:
        return re.compile(rf"\b(?:{pattern})(?!\w)", re.IGNORECASE)
    except re.error as exc:
        raise CatalogueError(f"{name}: entry {entry_id!r}: bad pattern {pattern!r} ({exc})") from None


@lru_cache(maxsize=4)
def lexicon(languages: tuple[str, ...] = ("nl", "en")) -> tuple[LexiconEntry, ...]:
    """The ad risk lexicon entries of the given languages (signaal/catalogue/data/lexicon_ads_*.yaml)."""
    entries: list[LexiconEntry] = []
    seen: set[tuple[str, str]] = set()
    for lang in languages:
        name = f"lexicon_ads_{lang}.yaml"
        data = _yaml("signaal.catalogue.data", name)
        items = data.get("indicators")
        if not isinstance(items, list):
            raise CatalogueError(f"{name}: expected a list under 'indicators'")
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise CatalogueError(f"{name}: entry {i} has no string 'id'")
            entry_id = item["id"]
            if (entry_id, lang) in seen:
                raise CatalogueError(f"{name}: entry {entry_id!r} appears twice")
            seen.add((entry_id, lang))
            derived = item.get("derived", False)
            if not isinstance(derived, bool):
                raise CatalogueError(f"{name}: entry {entry_id!r}: 'derived' must be true or false")
            patterns = item.get("patterns")
            if derived:
                if entry_id not in DERIVED_IDS:
                    raise CatalogueError(
                        f"{name}: entry {entry_id!r} is marked derived, but only "
                        f"{', '.join(sorted(DERIVED_IDS))} are set by the extractor"
                    )
                if patterns is not None:
                    raise CatalogueError(f"{name}: derived entry {entry_id!r} must have no 'patterns'")
                patterns = []
            elif entry_id in DERIVED_IDS:
                raise CatalogueError(f"{name}: entry {entry_id!r} is set by the extractor and needs 'derived: true'")
            elif not isinstance(patterns, list) or not patterns:
                raise CatalogueError(f"{name}: entry {entry_id!r} needs a non-empty 'patterns' list")
            weight = item.get("weight", 1.0)
            if not isinstance(weight, int | float) or not 0 <= weight <= 10:
                raise CatalogueError(f"{name}: entry {entry_id!r}: weight must be a number 0..10")
            entries.append(
                LexiconEntry(
                    id=entry_id,
                    language=lang,
                    weight=float(weight),
                    counter=bool(item.get("counter", False)),
                    group=str(item.get("group", entry_id)),
                    label=str(item.get("label", entry_id)),
                    patterns=tuple(_compile(name, entry_id, str(p)) for p in patterns),
                    sources=tuple(str(p) for p in patterns),
                    derived=derived,
                )
            )
    for entry_id in DERIVED_IDS:
        found = {(e.weight, e.counter) for e in entries if e.id == entry_id}
        if len(found) > 1:
            raise CatalogueError(f"lexicon_ads: derived entry {entry_id!r} has other weights in other languages")
    return tuple(entries)


def derived_entry(entry_id: str, languages: tuple[str, ...] = ("nl", "en")) -> LexiconEntry:
    """The lexicon entry of an indicator the extractor sets itself (weight, counter, label)."""
    for entry in lexicon(languages):
        if entry.id == entry_id and entry.derived:
            return entry
    raise CatalogueError(f"lexicon_ads: no derived entry {entry_id!r} (needs 'derived: true')")


#: Values of the gazetteer's common_word column: the place is also an ordinary word of that language.
COMMON_WORD_LANGUAGES: frozenset[str] = frozenset({"nl", "en"})


@lru_cache(maxsize=1)
def _gazetteer_rows() -> tuple[dict[str, str], dict[str, str]]:
    name = "gazetteer_nl.csv"
    reader = csv.DictReader(io.StringIO(_read_text("signaal.catalogue.data", name)))
    if reader.fieldnames is None or not {"place", "municipality"} <= set(reader.fieldnames):
        raise CatalogueError(f"{name}: needs the columns place,municipality")
    places: dict[str, str] = {}
    common: dict[str, str] = {}
    for row_no, row in enumerate(reader, start=2):
        place = (row.get("place") or "").strip()
        municipality = (row.get("municipality") or "").strip()
        if not place or not municipality:
            raise CatalogueError(f"{name}:{row_no}: empty place or municipality")
        places[place.lower()] = municipality
        word = (row.get("common_word") or "").strip()
        if word:
            if word not in COMMON_WORD_LANGUAGES:
                raise CatalogueError(
                    f"{name}:{row_no}: common_word must be empty or one of {', '.join(sorted(COMMON_WORD_LANGUAGES))}"
                )
            common[place.lower()] = word
    return places, common


def gazetteer() -> dict[str, str]:
    """Dutch place names (lower case) mapped to their municipality, from gazetteer_nl.csv."""
    return _gazetteer_rows()[0]


def common_word_places() -> dict[str, str]:
    """Places (lower case) that are also an ordinary word ("goes", "best"), with that word's language.

    From the gazetteer's common_word column: such a place in ad text counts only where it is
    written as a place.
    """
    return _gazetteer_rows()[1]


_LETTERS = re.compile(r"[^\W\d_]+")


def plain_word(word: str) -> str:
    """A word lower-cased and without accents, for comparing word lists ("Oekraïense" ~ "oekraiense")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Words that are never a first name, as plain words (see plain_word).

    The ``not_names`` lists of lexicon_ads_nl.yaml and lexicon_ads_en.yaml (nationalities,
    ethnicities, adjectives, sentence words), the one-word nationality terms of the narrative
    lexicons (facts.nationality_group) and the gazetteer's one-word places.
    """
    words: set[str] = set()
    for lang in ("nl", "en"):
        name = f"lexicon_ads_{lang}.yaml"
        items = _yaml("signaal.catalogue.data", name).get("not_names")
        if not isinstance(items, list):
            raise CatalogueError(f"{name}: expected a list of words under 'not_names'")
        for i, item in enumerate(items):
            if not isinstance(item, str) or not _LETTERS.fullmatch(item):
                raise CatalogueError(f"{name}: not_names[{i}] must be one word of letters, got {item!r}")
            words.add(plain_word(item))
    for lang in NARRATIVE_LANGUAGES:
        for rule in load_narrative_lexicon(lang).rules:
            if rule.kind == "fact" and rule.key == "nationality_group" and "~" not in rule.source:
                words.update(plain_word(w) for w in rule.source.split("|") if _LETTERS.fullmatch(w.strip()))
    words.update(plain_word(place) for place in gazetteer() if _LETTERS.fullmatch(place))
    return frozenset(words)
