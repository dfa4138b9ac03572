"""The data files ad screening runs on, validated: text tables, risk lexicon, gazetteer, rules.

The files are read by the one loader (``signaal.knowledge``, with an organisation's overrides);
this module validates what it read into an :class:`AdResources` — every error names the file
and the entry, and the loader adds the line. The per-ad finders read the resources in force for
the process (:func:`in_force`): the bundled ones, unless a service installs an organisation's
with :func:`use`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from signaal.errors import CatalogueError, Problem
from signaal.text.language import LanguageProfiles

if TYPE_CHECKING:
    from signaal.ads.reasons import ReasonTexts

__all__ = [
    "COMMON_WORD_LANGUAGES",
    "DERIVED_IDS",
    "AdResources",
    "LexiconEntry",
    "Rules",
    "TextTables",
    "common_word_places",
    "derived",
    "derived_entry",
    "gazetteer",
    "in_force",
    "language_profiles",
    "lexicon",
    "not_names",
    "parse_ad_lexicon",
    "parse_gazetteer",
    "parse_not_names",
    "parse_rules",
    "parse_text_tables",
    "plain_word",
    "rules",
    "text_tables",
    "use",
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
    # lower case; every match of a pattern starts with one of them (see signaal.ads.prefilter)
    keywords: tuple[str, ...] = ()


#: Lexicon ids that the extractor sets from a fact rather than from a pattern; an entry marked
#: ``derived: true`` must be one of these and have no patterns.
DERIVED_IDS: frozenset[str] = frozenset({"ad_stated_minor"})
#: Values of the gazetteer's common_word column: the place is also an ordinary word of that language.
COMMON_WORD_LANGUAGES: frozenset[str] = frozenset({"nl", "en"})


@dataclass(frozen=True, slots=True)
class Rules:
    """Thresholds for hubs, templates, movement and scoring (signaal/ads/data/rules.yaml)."""

    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise CatalogueError(f"rules.yaml: missing setting {key!r}") from None


# eq=False: compared and hashed by identity (its dicts would make a field-wise hash fail).
@dataclass(frozen=True, eq=False)
class AdResources:
    """Everything ad screening reads from data files, validated."""

    text: TextTables
    rules: Rules
    lexicon: tuple[LexiconEntry, ...]
    gazetteer: dict[str, str]  # place (lower case) -> municipality
    common_word_places: dict[str, str]  # place (lower case) that is also a word -> that word's language
    not_names: frozenset[str]
    languages: LanguageProfiles  # common words per language (language_profiles.yaml)
    reasons: ReasonTexts  # the texts of a score's reasons, roles and contact types (ad_reasons.yaml)


def _invalid(file: str, problems: list[Problem]) -> CatalogueError:
    return CatalogueError(f"data file {file} does not validate", problems)


def _mapping(data: Any, file: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _invalid(file, [Problem("expected a mapping at the top", file, 1)])
    return data


def _str_map(file: str, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise _invalid(file, [Problem("must map strings to strings", file, field=key)])
    return dict(value)


def parse_text_tables(data: Any, file: str = "text.yaml") -> TextTables:
    """The folding tables of text.yaml."""
    data = _mapping(data, file)
    words: dict[str, str] = {}
    for lang, table in (data.get("number_words") or {}).items():
        for word, digit in _str_map(file, f"number_words.{lang}", table).items():
            if not (len(digit) == 1 and digit.isdigit()):
                raise _invalid(
                    file,
                    [Problem(f"number word {word!r} must map to one digit", file, field=f"number_words.{lang}.{word}")],
                )
            words[word] = digit
    drop = data.get("drop") or []
    if not isinstance(drop, list) or not all(isinstance(c, str) for c in drop):
        raise _invalid(file, [Problem("must be a list of characters", file, field="drop")])
    return TextTables(
        homoglyphs=_str_map(file, "homoglyphs", data.get("homoglyphs") or {}),
        drop=frozenset(drop),
        number_words=words,
        letter_digits=_str_map(file, "letter_digits", data.get("letter_digits") or {}),
    )


def parse_rules(data: Any, file: str = "rules.yaml") -> Rules:
    """Screening thresholds and weights of rules.yaml."""
    return Rules(_mapping(data, file))


_GROUP_NAME_OR_REFERENCE = re.compile(r"\(\?P[<=]|\(\?\(|\\[1-9]|\\g<")


def _compile(file: str, where: str, pattern: str) -> re.Pattern[str]:
    # Patterns are phrases with optional regex; word boundaries are added here so that the
    # lexicon stays readable. The matcher names a group per entry, so a pattern names none itself.
    if _GROUP_NAME_OR_REFERENCE.search(pattern):
        reason = f"pattern {pattern!r} names or refers to a group; write (?:...) instead"
        raise _invalid(file, [Problem(reason, file, field=where)])
    try:
        return re.compile(rf"\b(?:{pattern})(?!\w)", re.IGNORECASE)
    except re.error as exc:
        raise _invalid(file, [Problem(f"bad pattern {pattern!r} ({exc})", file, field=where)]) from None


def _patterns(item: dict[str, Any], entry_id: str, derived: Any, file: str, where: str) -> list[Any]:
    """The patterns of one entry, checked against its being derived or not."""
    patterns = item.get("patterns")
    if not isinstance(derived, bool):
        reason = "'derived' must be true or false"
    elif derived and entry_id not in DERIVED_IDS:
        reason = f"marked derived, but only {', '.join(sorted(DERIVED_IDS))} are set by the extractor"
    elif derived and patterns is not None:
        reason = "a derived entry must have no 'patterns'"
    elif derived:
        return []
    elif entry_id in DERIVED_IDS:
        reason = "set by the extractor: needs 'derived: true'"
    elif not isinstance(patterns, list) or not patterns:
        reason = "needs a non-empty 'patterns' list"
    else:
        return patterns
    raise _invalid(file, [Problem(f"entry {entry_id!r}: {reason}", file, field=where)])


def _ad_entry(item: Any, index: int, lang: str, file: str) -> LexiconEntry:
    where = f"indicators[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise _invalid(file, [Problem(f"entry {index} has no string 'id'", file, field=where)])
    entry_id = item["id"]
    derived = item.get("derived", False)
    patterns = _patterns(item, entry_id, derived, file, where)
    weight = item.get("weight", 1.0)
    if not isinstance(weight, int | float) or not 0 <= weight <= 10:
        raise _invalid(
            file, [Problem(f"entry {entry_id!r}: weight must be a number 0..10", file, field=f"{where}.weight")]
        )
    return LexiconEntry(
        id=entry_id,
        language=lang,
        weight=float(weight),
        counter=bool(item.get("counter", False)),
        group=str(item.get("group", entry_id)),
        label=str(item.get("label", entry_id)),
        patterns=tuple(_compile(file, f"{where}.patterns[{i}]", str(p)) for i, p in enumerate(patterns)),
        sources=tuple(str(p) for p in patterns),
        derived=derived,
        keywords=_keywords(item.get("keywords"), entry_id, derived, file, f"{where}.keywords"),
    )


def _keywords(value: Any, entry_id: str, derived: bool, file: str, where: str) -> tuple[str, ...]:
    """The words every match of an entry starts with: what the prefilter looks for."""
    if derived and value is None:
        return ()
    if derived:
        reason = "a derived entry must have no 'keywords'"
    elif not isinstance(value, list) or not value:
        reason = "needs a non-empty 'keywords' list: the words every match starts with"
    elif not all(isinstance(word, str) and word and word == word.lower() for word in value):
        reason = "every keyword must be a non-empty lower-case string"
    else:
        return tuple(value)
    raise _invalid(file, [Problem(f"entry {entry_id!r}: {reason}", file, field=where)])


def parse_ad_lexicon(files: Sequence[tuple[str, Any, str]]) -> tuple[LexiconEntry, ...]:
    """The ad risk lexicon from (language, data, file) of each lexicon_ads_<lang>.yaml."""
    entries: list[LexiconEntry] = []
    for lang, data, file in files:
        items = _mapping(data, file).get("indicators")
        if not isinstance(items, list):
            raise _invalid(file, [Problem("expected a list under 'indicators'", file, field="indicators")])
        seen: set[str] = set()
        for index, item in enumerate(items):
            entry = _ad_entry(item, index, lang, file)
            if entry.id in seen:
                raise _invalid(file, [Problem(f"entry {entry.id!r} appears twice", file, field=f"indicators[{index}]")])
            seen.add(entry.id)
            entries.append(entry)
    for entry_id in DERIVED_IDS:
        found = {(e.weight, e.counter) for e in entries if e.id == entry_id}
        if len(found) > 1:
            raise CatalogueError(f"lexicon_ads: derived entry {entry_id!r} has other weights in other languages")
    return tuple(entries)


def parse_gazetteer(
    rows: Sequence[tuple[int | None, Mapping[str, str]]], file: str
) -> tuple[dict[str, str], dict[str, str]]:
    """(place -> municipality, place -> language of the word it also is) from the gazetteer's rows."""
    places: dict[str, str] = {}
    common: dict[str, str] = {}
    for line, row in rows:
        if not {"place", "municipality"} <= set(row):
            raise _invalid(file, [Problem("needs the columns place,municipality", file, 1)])
        place = (row.get("place") or "").strip()
        municipality = (row.get("municipality") or "").strip()
        if not place or not municipality:
            raise _invalid(file, [Problem("empty place or municipality", file, line)])
        places[place.lower()] = municipality
        word = (row.get("common_word") or "").strip()
        if word and word not in COMMON_WORD_LANGUAGES:
            allowed = ", ".join(sorted(COMMON_WORD_LANGUAGES))
            raise _invalid(file, [Problem(f"common_word must be empty or one of {allowed}", file, line, "common_word")])
        if word:
            common[place.lower()] = word
    return places, common


_LETTERS = re.compile(r"[^\W\d_]+")


def plain_word(word: str) -> str:
    """A word lower-cased and without accents, for comparing word lists ("Oekraïense" ~ "oekraiense")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_not_names(
    files: Sequence[tuple[Any, str]], nationality_words: Sequence[str], places: Mapping[str, str]
) -> frozenset[str]:
    """Words that are never a first name, as plain words (see plain_word).

    The ``not_names`` lists of lexicon_ads_nl.yaml and lexicon_ads_en.yaml (nationalities,
    ethnicities, adjectives, sentence words), the one-word nationality terms of the narrative
    lexicons (``nationality_words``) and the gazetteer's one-word places.
    """
    words: set[str] = set()
    for data, file in files:
        items = _mapping(data, file).get("not_names")
        if not isinstance(items, list):
            raise _invalid(file, [Problem("expected a list of words under 'not_names'", file, field="not_names")])
        for i, item in enumerate(items):
            if not isinstance(item, str) or not _LETTERS.fullmatch(item):
                raise _invalid(
                    file, [Problem(f"must be one word of letters, got {item!r}", file, field=f"not_names[{i}]")]
                )
            words.add(plain_word(item))
    words.update(plain_word(w) for w in nationality_words if _LETTERS.fullmatch(w))
    words.update(plain_word(place) for place in places if _LETTERS.fullmatch(place))
    return frozenset(words)


# The resources the per-ad finders of this process read (the last installed wins). The finders
# compile their patterns from them once (derived); a service screening for an organisation with
# its own files installs those (use), which drops what was compiled from the others.
_in_force: list[AdResources] = []
_derived: list[Callable[[], None]] = []
F = TypeVar("F", bound=Callable[..., Any])


def in_force() -> AdResources:
    """The ad resources of this process: the bundled ones, unless a service installed others."""
    if not _in_force:
        from signaal.knowledge import bundled

        _in_force.append(bundled().ads)
    return _in_force[-1]


def derived(maxsize: int | None = 1) -> Callable[[F], F]:
    """Cache what a finder compiles from the resources in force, until other resources are installed."""

    def wrap(fn: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        _derived.append(cached.cache_clear)
        return cast(F, cached)

    return wrap


def _switched() -> None:
    for clear in _derived:
        clear()


@contextmanager
def use(resources: AdResources) -> Iterator[AdResources]:
    """Screen with these resources inside the block (the finders compile from them anew)."""
    before = in_force()
    _in_force.append(resources)
    if resources is not before:
        _switched()
    try:
        yield resources
    finally:
        _in_force.pop()
        if resources is not before:
            _switched()


def text_tables() -> TextTables:
    """The folding tables in force (text.yaml)."""
    return in_force().text


def rules() -> Rules:
    """The screening thresholds and weights in force (rules.yaml)."""
    return in_force().rules


def lexicon(languages: tuple[str, ...] = ("nl", "en")) -> tuple[LexiconEntry, ...]:
    """The risk lexicon entries in force of the given languages (lexicon_ads_<lang>.yaml)."""
    return tuple(e for lang in languages for e in in_force().lexicon if e.language == lang)


def derived_entry(entry_id: str, languages: tuple[str, ...] = ("nl", "en")) -> LexiconEntry:
    """The lexicon entry of an indicator the extractor sets itself (weight, counter, label)."""
    for entry in lexicon(languages):
        if entry.id == entry_id and entry.derived:
            return entry
    raise CatalogueError(f"lexicon_ads: no derived entry {entry_id!r} (needs 'derived: true')")


def gazetteer() -> dict[str, str]:
    """Dutch place names (lower case) mapped to their municipality, from gazetteer_nl.csv."""
    return in_force().gazetteer


def common_word_places() -> dict[str, str]:
    """Places (lower case) that are also an ordinary word ("goes", "best"), with that word's language.

    From the gazetteer's common_word column: such a place in ad text counts only where it is
    written as a place.
    """
    return in_force().common_word_places


def not_names() -> frozenset[str]:
    """Words that are never a first name, as plain words (see parse_not_names)."""
    return in_force().not_names


def language_profiles() -> LanguageProfiles:
    """The common words per language in force, for the language of an ad (language_profiles.yaml)."""
    return in_force().languages
