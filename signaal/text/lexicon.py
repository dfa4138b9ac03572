"""The narrative lexicon: patterns per indicator, fact, sector and form cue, per language.

The lexicon is data (``signaal/catalogue/data/lexicon_narrative_<lang>.yaml``). This module
validates it — every error names the file and the entry; the loader (``signaal.knowledge``) adds
the line — and compiles it into
:class:`Lexicon`, whose rules :mod:`signaal.text.matching` runs over a text.

Pattern syntax: ``a|b c ~ d*`` — ``~`` joins groups that must all occur in one sentence within
``window`` words of each other (in any order, because Dutch word order moves the verb);
``|`` separates alternatives within a group; spaces join words that must follow each other;
``*`` in a word is any run of letters (inflection, compounds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from signaal.errors import CatalogueError, Problem
from signaal.text.forms import FORMS
from signaal.text.globs import GlobIndex, check_glob
from signaal.text.tokens import fold

__all__ = [
    "LANGUAGES",
    "Lexicon",
    "Rule",
    "parse_lexicon",
]

#: Languages that have a narrative lexicon.
LANGUAGES: tuple[str, ...] = ("nl", "en")
#: Kinds of cue that qualify a match rather than suggest something.
CUE_KINDS: tuple[str, ...] = (
    "negation",
    "negation_exception",
    "hedge",
    "third_party",
    "person",
    "suspect",
    "exclusion",
    "risk",
    "prior_record",
    "promise",
    "no_exploitation",
)
_WINDOW = re.compile(r"\s@(\d{1,2})\s*$")
_STRENGTH = {"strong": 1.0, "medium": 0.6, "weak": 0.3}


#: A node of the phrase trie: children by glob id, and the alternatives that end at this node.
TrieNode = tuple[dict[int, "TrieNode"], list[int]]


@dataclass(frozen=True)
class Rule:
    """One compiled pattern and what a match of it means."""

    kind: str  # indicator | counter | form_cue | sector | fact | one of CUE_KINDS
    key: str  # indicator id, form, sector id, fact name, or cue kind
    value: Any
    weight: float
    groups: tuple[int, ...]
    source: str
    window: int = 8


@dataclass
class Lexicon:
    """A compiled lexicon for one language."""

    language: str
    file: str
    stopwords: frozenset[str]
    clause_breaks: frozenset[str]
    window: int
    negation_before: int
    negation_after: int
    globs: GlobIndex
    alternatives: list[tuple[int, ...]] = field(default_factory=list)
    alternatives_by_first: dict[int, list[int]] = field(default_factory=dict)
    groups: list[tuple[int, ...]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    age_patterns: tuple[re.Pattern[str], ...] = ()
    number_words: dict[str, int] = field(default_factory=dict)
    sector_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups_by_alternative: dict[int, tuple[int, ...]] = field(default_factory=dict)
    rules_by_first_group: dict[int, tuple[Rule, ...]] = field(default_factory=dict)
    #: Phrase trie over glob ids: node = (children by glob id, alternatives that end here).
    trie: TrieNode = field(default_factory=lambda: ({}, []))
    #: Words that join alternatives ("drugshandel of prostitutie"): each is a possibility, not a fact.
    disjunctions: frozenset[str] = frozenset()

    def index(self) -> None:
        """Build the lookup tables the matcher walks (after all rules are added)."""
        by_alt: dict[int, list[int]] = {}
        for gid, alts in enumerate(self.groups):
            for alt in alts:
                by_alt.setdefault(alt, []).append(gid)
        self.groups_by_alternative = {a: tuple(g) for a, g in by_alt.items()}
        by_group: dict[int, list[Rule]] = {}
        for rule in self.rules:
            by_group.setdefault(rule.groups[0], []).append(rule)
        self.rules_by_first_group = {g: tuple(r) for g, r in by_group.items()}
        self.trie = ({}, [])
        for alt_id, gids in enumerate(self.alternatives):
            node = self.trie
            for gid in gids:
                node = node[0].setdefault(gid, ({}, []))
            node[1].append(alt_id)

    @property
    def indicator_ids(self) -> frozenset[str]:
        """Indicator ids the lexicon has patterns for."""
        return frozenset(r.key for r in self.rules if r.kind == "indicator")


class _Builder:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.problems: list[Problem] = []
        self._alt_ids: dict[tuple[int, ...], int] = {}
        self._group_ids: dict[tuple[int, ...], int] = {}

    def problem(self, where: str, reason: str) -> None:
        self.problems.append(Problem(reason=reason, file=self.lex.file, field=where))

    def rule(self, where: str, kind: str, key: str, value: Any, weight: float, pattern: Any) -> None:
        if not isinstance(pattern, str) or not pattern.strip():
            self.problem(where, f"pattern must be a non-empty string, got {pattern!r}")
            return
        window = self.lex.window
        found = _WINDOW.search(pattern)
        if found:
            window = int(found.group(1))
            pattern = pattern[: found.start()]
        groups: list[int] = []
        for group_text in pattern.split("~"):
            alts: list[int] = []
            for alt_text in group_text.split("|"):
                words = [fold(w) for w in alt_text.split()]
                if not words:
                    self.problem(where, f"pattern {pattern!r} has an empty alternative")
                    return
                for word in words:
                    reason = check_glob(word)
                    if reason:
                        self.problem(where, f"pattern {pattern!r}: {reason}")
                        return
                alts.append(self._alternative(tuple(self.lex.globs.add(w) for w in words)))
            groups.append(self._group(tuple(sorted(set(alts)))))
        self.lex.rules.append(Rule(kind, key, value, weight, tuple(groups), pattern.strip(), window))

    def _alternative(self, gids: tuple[int, ...]) -> int:
        if gids not in self._alt_ids:
            self._alt_ids[gids] = len(self.lex.alternatives)
            self.lex.alternatives.append(gids)
            self.lex.alternatives_by_first.setdefault(gids[0], []).append(self._alt_ids[gids])
        return self._alt_ids[gids]

    def _group(self, alts: tuple[int, ...]) -> int:
        if alts not in self._group_ids:
            self._group_ids[alts] = len(self.lex.groups)
            self.lex.groups.append(alts)
        return self._group_ids[alts]

    def patterns(self, where: str, entry: Any) -> list[Any]:
        if isinstance(entry, str):
            return [entry]
        if isinstance(entry, list) and entry:
            return entry
        self.problem(where, "expected a pattern or a non-empty list of patterns")
        return []


def _words(b: _Builder, data: dict[str, Any], key: str) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        b.problem(key, "expected a list of words")
        return frozenset()
    return frozenset(fold(v) for v in value)


def _int(b: _Builder, data: dict[str, Any], key: str, default: int) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 50:
        b.problem(key, f"expected a whole number 0..50, got {value!r}")
        return default
    return value


def _section(b: _Builder, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        b.problem(key, "expected a mapping")
        return {}
    return value


def parse_lexicon(data: Any, file: str, known_indicators: frozenset[str] | None = None) -> Lexicon:
    """Validate and compile lexicon data; raise CatalogueError naming file and entry on any problem."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{file}: lexicon must be a mapping", [Problem("not a mapping", file)])
    language = data.get("language")
    neg = data.get("negation", {}) if isinstance(data.get("negation"), dict) else {}
    lex = Lexicon(
        language=str(language),
        file=file,
        stopwords=frozenset(),
        clause_breaks=frozenset(),
        window=8,
        negation_before=5,
        negation_after=0,
        globs=GlobIndex(),
    )
    b = _Builder(lex)
    if language not in LANGUAGES:
        b.problem("language", f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    lex.stopwords = _words(b, data, "stopwords")
    lex.clause_breaks = _words(b, data, "clause_breaks")
    lex.disjunctions = _words(b, data, "disjunctions")
    lex.window = _int(b, data, "window", 8)
    lex.negation_before = _int(b, neg, "before", 5)
    lex.negation_after = _int(b, neg, "after", 0)
    _cue_rules(b, data, neg)
    _indicator_rules(b, data, known_indicators)
    _form_rules(b, data)
    _sector_rules(b, data)
    _fact_rules(b, data)
    _age_patterns(b, data)
    if b.problems:
        raise CatalogueError(f"narrative lexicon {file} does not validate", b.problems)
    lex.index()
    return lex


def _cue_rules(b: _Builder, data: dict[str, Any], neg: dict[str, Any]) -> None:
    """Cues that qualify a match: negation and its exceptions, hedges, third parties, risks ..."""
    for kind, entries in (
        ("negation", neg.get("cues")),
        ("negation_exception", neg.get("exceptions", [])),
        ("hedge", data.get("hedges")),
        ("third_party", data.get("third_party")),
        ("person", data.get("person")),
        ("suspect", data.get("suspects")),
        ("exclusion", data.get("exclusions")),
        ("risk", data.get("risks")),
        ("prior_record", data.get("prior_record")),
        ("promise", data.get("promises")),
        ("no_exploitation", data.get("no_exploitation")),
    ):
        for i, pattern in enumerate(b.patterns(kind, entries) if entries else []):
            b.rule(f"{kind}[{i}]", kind, kind, None, 1.0, pattern)


def _indicator_rules(b: _Builder, data: dict[str, Any], known: frozenset[str] | None) -> None:
    """Patterns per indicator, and counters: words that say the opposite of one indicator."""
    for section, kind, value in (("indicators", "indicator", True), ("counters", "counter", None)):
        for ind_id, entry in _section(b, data, section).items():
            if known is not None and ind_id not in known:
                b.problem(f"{section}.{ind_id}", "unknown indicator id (not in the indicator catalogue)")
            for i, pattern in enumerate(b.patterns(f"{section}.{ind_id}", entry)):
                b.rule(f"{section}.{ind_id}[{i}]", kind, str(ind_id), value, 1.0, pattern)


def _form_rules(b: _Builder, data: dict[str, Any]) -> None:
    """Form cues by strength (strong, medium, weak)."""
    for form, entry in _section(b, data, "forms").items():
        if form not in FORMS or not isinstance(entry, dict):
            b.problem(f"forms.{form}", f"expected one of {', '.join(FORMS)} with strong/medium/weak lists")
            continue
        for strength, patterns in entry.items():
            if strength not in _STRENGTH:
                b.problem(f"forms.{form}.{strength}", "strength must be strong, medium or weak")
                continue
            for i, p in enumerate(b.patterns(f"forms.{form}.{strength}", patterns)):
                b.rule(f"forms.{form}.{strength}[{i}]", "form_cue", form, strength, _STRENGTH[strength], p)


def _sector_rules(b: _Builder, data: dict[str, Any]) -> None:
    """Sectors with the forms they point to and their patterns."""
    for sector, entry in _section(b, data, "sectors").items():
        where = f"sectors.{sector}"
        forms = entry.get("forms") if isinstance(entry, dict) else None
        if not isinstance(forms, list) or not forms or not set(forms) <= set(FORMS):
            b.problem(where, f"needs 'forms' (a list of {', '.join(FORMS)}) and 'patterns'")
            continue
        b.lex.sector_forms[str(sector)] = tuple(forms)
        for i, p in enumerate(b.patterns(where, entry.get("patterns", None))):
            b.rule(f"{where}[{i}]", "sector", str(sector), tuple(forms), 1.0, p)


def _fact_rules(b: _Builder, data: dict[str, Any]) -> None:
    """Facts: per fact, per value, the patterns that state it."""
    for fact, values in _section(b, data, "facts").items():
        if not isinstance(values, dict):
            b.problem(f"facts.{fact}", "expected a mapping of value to patterns")
            continue
        for value, patterns in values.items():
            for i, p in enumerate(b.patterns(f"facts.{fact}.{value}", patterns)):
                b.rule(f"facts.{fact}.{value}[{i}]", "fact", str(fact), value, 1.0, p)


def _age_patterns(b: _Builder, data: dict[str, Any]) -> None:
    """Number words and the regular expressions that read an age (one group: the age)."""
    ages = _section(b, data, "ages")
    numbers = ages.get("number_words", {})
    if not isinstance(numbers, dict) or not all(isinstance(v, int) for v in numbers.values()):
        b.problem("ages.number_words", "expected a mapping of word to whole number")
        numbers = {}
    b.lex.number_words = {fold(str(k)): int(v) for k, v in numbers.items()}
    number_alt = "|".join(sorted(map(re.escape, b.lex.number_words), key=len, reverse=True)) or "x^"
    compiled: list[re.Pattern[str]] = []
    for i, regex in enumerate(ages.get("patterns", []) or []):
        try:
            pattern = re.compile(str(regex).replace("{number}", f"(\\d{{1,2}}|{number_alt})"))
            if pattern.groups != 1:
                raise re.error("needs exactly one group: the age")
            compiled.append(pattern)
        except re.error as exc:
            b.problem(f"ages.patterns[{i}]", f"bad regular expression: {exc}")
    b.lex.age_patterns = tuple(compiled)
