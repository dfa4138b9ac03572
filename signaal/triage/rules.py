"""The action-perspective decision tree as data: conditions over facts, steps, flags and questions.

Conditions use three-valued logic: a condition on a fact that was not stated is *unknown*, so the
engine can tell "does not apply" from "cannot tell yet" and ask the question instead of guessing.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from signaal.errors import CatalogueError, Problem
from signaal.triage.directory import CONTACT_IDS
from signaal.triage.facts import FACT_NAMES, FORMS, REPORTER_SECTORS, RESIDENCES, Facts
from signaal.triage.texts import Text, parse_text

__all__ = [
    "LABEL_WORDS",
    "REASON_FIELDS",
    "SHELTER_TYPES",
    "Condition",
    "Labels",
    "MeldcodeStepSpec",
    "Question",
    "Rule",
    "RuleSet",
    "StepSpec",
    "parse_rules",
]

#: Shelter types a step may propose (DOMAIN §7).
SHELTER_TYPES: tuple[str, ...] = ("cosm", "omm", "vo_mo", "youth_care", "nidos")
#: Placeholders a reason template may use.
REASON_FIELDS: frozenset[str] = frozenset({"age", "forms", "residence", "reporter_sector", "region", "indicators"})
#: Words the engine itself needs (the values it fills in and its warnings), each in both languages.
LABEL_WORDS: tuple[str, ...] = ("yes", "no", "not_stated", "unknown_sector", "none_recorded", "unknown_region")
_SET_FACTS = frozenset({"forms", "indicators"})
_ALLOWED_VALUES: dict[str, tuple[Any, ...]] = {
    "forms": FORMS,
    "residence": RESIDENCES,
    "reporter_sector": REPORTER_SECTORS,
}


@dataclass(frozen=True)
class Condition:
    """One test on one fact: the fact's value must be among ``accepted`` (``None`` = unstated)."""

    fact: str
    accepted: tuple[Any, ...]
    negate: bool = False

    def evaluate(self, facts: Facts) -> bool | None:
        """True, False, or None when the fact is not known well enough to tell."""
        value = facts.value(self.fact)
        result: bool | None
        if self.fact in _SET_FACTS:
            present = set(value)
            if present & set(self.accepted):
                result = True
            elif self.fact == "forms" and "unknown" in present:
                result = None  # an open form hypothesis may still turn out to be this one
            else:
                result = False
        elif value is None:
            result = True if None in self.accepted else None
        else:
            result = value in self.accepted
        if result is None:
            return None
        return not result if self.negate else result

    def describe(self, facts: Facts, labels: Labels, lang: str) -> str:
        """A short human reading of the fact as it stood, in ``lang``, for the step's reason."""
        value = facts.value(self.fact)
        name = labels.fact(self.fact, lang)
        if self.fact in _SET_FACTS:
            chosen = sorted(set(value) & set(self.accepted)) or sorted(value)
            return f"{name}: {', '.join(labels.value(self.fact, v, lang) for v in chosen)}"
        if value is None:
            return f"{name}: {labels.word('not_stated', lang)}"
        if isinstance(value, bool):
            return f"{name}: {labels.word('yes' if value else 'no', lang)}"
        return f"{name}: {labels.value(self.fact, value, lang)}"


@dataclass(frozen=True)
class Labels:
    """Names of facts and their values, and the engine's own words, in both languages."""

    facts: Mapping[str, Text]
    values: Mapping[str, Mapping[str, Text]]
    words: Mapping[str, Text]

    def fact(self, name: str, lang: str) -> str:
        """The name of a fact in ``lang`` (the fact id when the file has no label)."""
        label = self.facts.get(name)
        return label(lang) if label else name

    def value(self, fact: str, value: Any, lang: str) -> str:
        """A value of a fact in ``lang``; ids without a label (indicators, regions) show as they are."""
        label = self.values.get(fact, {}).get(str(value))
        return label(lang) if label else str(value)

    def word(self, key: str, lang: str) -> str:
        """One of the engine's own words (LABEL_WORDS) in ``lang``."""
        label = self.words.get(key)
        return label(lang) if label else key.replace("_", " ")


@dataclass(frozen=True)
class StepSpec:
    """One step a rule adds: what to do, whom to contact, why, what to record, and by when."""

    action: Text
    contacts: tuple[str, ...]
    reason: Text
    record: Text
    due_hours: int | None
    shelter_type: str | None = None


@dataclass(frozen=True)
class Rule:
    """A node of the decision tree: when its conditions hold, its steps and flags apply."""

    id: str
    node: int
    title: Text
    when: tuple[Condition, ...]
    steps: tuple[StepSpec, ...]
    flags: tuple[str, ...] = ()
    stop: bool = False

    def evaluate(self, facts: Facts) -> bool | None:
        """Three-valued AND of the conditions."""
        results = [c.evaluate(facts) for c in self.when]
        if any(r is False for r in results):
            return False
        if any(r is None for r in results):
            return None
        return True

    def unknown_facts(self, facts: Facts) -> tuple[str, ...]:
        """The facts whose absence keeps this rule undecided."""
        return tuple(c.fact for c in self.when if c.evaluate(facts) is None)


@dataclass(frozen=True)
class Question:
    """What to ask when a fact is missing, and what the answer would change."""

    fact: str
    question: Text
    changes: Text


@dataclass(frozen=True)
class MeldcodeStepSpec:
    """One of the five steps of the meldcode."""

    number: int
    id: str
    title: Text
    description: Text


@dataclass(frozen=True)
class RuleSet:
    """The whole tree: ordered rules, the questions per fact, flag meanings, meldcode steps, labels."""

    rules: tuple[Rule, ...]
    questions: Mapping[str, Question]
    flags: Mapping[str, Text]
    meldcode: tuple[MeldcodeStepSpec, ...] = ()
    labels: Labels = Labels({}, {}, {})


def _due(raw: Any, where: str, file: str, problems: list[Problem]) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, Mapping) and set(raw) <= {"hours", "days"} and raw:
        hours = int(raw.get("hours", 0)) + 24 * int(raw.get("days", 0))
        if hours >= 0:
            return hours
    problems.append(Problem(f"{where}: due must be {{hours: N}} or {{days: N}}", file=file))
    return None


def _condition(fact: str, spec: Any, where: str, file: str, problems: list[Problem]) -> Condition | None:
    if fact not in FACT_NAMES:
        problems.append(Problem(f"{where}: unknown fact {fact!r}", file=file, field=fact))
        return None
    negate = False
    if isinstance(spec, Mapping):
        if set(spec) != {"not"}:
            problems.append(Problem(f"{where}: only {{not: ...}} is allowed", file=file, field=fact))
            return None
        negate, spec = True, spec["not"]
    accepted = tuple(spec) if isinstance(spec, list) else (spec,)
    allowed = _ALLOWED_VALUES.get(fact)
    for value in accepted:
        if allowed is not None and value is not None and value not in allowed:
            problems.append(Problem(f"{where}: {value!r} is not a valid value of {fact}", file=file, field=fact))
    return Condition(fact=fact, accepted=accepted, negate=negate)


def _placeholders(text: Text, where: str, file: str, problems: list[Problem]) -> None:
    for lang, value in (("nl", text.nl), ("en", text.en)):
        for _, name, _, _ in string.Formatter().parse(value):
            if name is not None and name not in REASON_FIELDS:
                problems.append(
                    Problem(f"{where}: unknown placeholder {{{name}}} in reason", file=file, field=f"reason.{lang}")
                )


def _step(raw: Any, where: str, file: str, problems: list[Problem], contact_ids: Iterable[str]) -> StepSpec | None:
    if not isinstance(raw, Mapping) or not raw.get("action"):
        problems.append(Problem(f"{where}: a step needs an action", file=file, field="action"))
        return None
    known = set(contact_ids)
    contacts = tuple(raw.get("contacts") or ())
    for cid in contacts:
        if cid not in known:
            problems.append(Problem(f"{where}: unknown contact id {cid!r}", file=file, field=cid))
    action = parse_text(raw.get("action"), where, "action", file, problems)
    reason = parse_text(raw.get("reason"), where, "reason", file, problems)
    record = parse_text(raw.get("record"), where, "record", file, problems)
    raw_reason = raw.get("reason")
    if reason is not None or isinstance(raw_reason, str):
        # A one-language reason is refused, but a bad placeholder in it is still worth naming.
        _placeholders(reason or Text.same(str(raw_reason)), where, file, problems)
    shelter = raw.get("shelter_type")
    if shelter is not None and shelter not in SHELTER_TYPES:
        problems.append(Problem(f"{where}: unknown shelter type {shelter!r}", file=file, field="shelter_type"))
    due = _due(raw.get("due"), where, file, problems)
    if action is None or reason is None or record is None:
        return None
    return StepSpec(action=action, contacts=contacts, reason=reason, record=record, due_hours=due, shelter_type=shelter)


def _labels(raw: Any, file: str, problems: list[Problem]) -> Labels:
    """Fact names, value names and the engine's words; every fact, form, residence and sector needs one."""
    if not isinstance(raw, Mapping):
        problems.append(Problem("labels: missing (fact and value names in nl and en)", file=file, field="labels"))
        return Labels({}, {}, {})

    def table(section: str, keys: Iterable[str]) -> dict[str, Text]:
        given = raw.get(section) or {}
        out: dict[str, Text] = {}
        for key in keys:
            text = parse_text(
                given.get(key) if isinstance(given, Mapping) else None, f"labels.{section}", key, file, problems
            )
            if text is not None:
                out[key] = text
        return out

    facts = table("facts", sorted(FACT_NAMES))
    values = {
        "forms": table("forms", FORMS),
        "residence": table("residences", RESIDENCES),
        "reporter_sector": table("reporter_sectors", REPORTER_SECTORS),
    }
    return Labels(facts=facts, values=values, words=table("words", LABEL_WORDS))


def _questions(raw: Any, file: str, problems: list[Problem]) -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for fact, entry in (raw or {}).items():
        where = f"questions.{fact}"
        if fact not in FACT_NAMES:
            problems.append(Problem(f"questions: unknown fact {fact!r}", file=file, field=fact))
            continue
        if not isinstance(entry, Mapping) or not entry.get("question"):
            problems.append(Problem(f"{where}: needs a question", file=file, field=fact))
            continue
        question = parse_text(entry.get("question"), where, "question", file, problems)
        changes = parse_text(entry.get("changes"), where, "changes", file, problems)
        if question is not None and changes is not None:
            questions[fact] = Question(fact=fact, question=question, changes=changes)
    return questions


def _rule(raw: Any, index: int, ctx: _Context) -> Rule | None:
    rid = str(raw.get("id") or f"#{index + 1}") if isinstance(raw, Mapping) else f"#{index + 1}"
    where, file, problems = f"rule {rid}", ctx.file, ctx.problems
    if not isinstance(raw, Mapping):
        problems.append(Problem(f"{where}: expected a mapping", file=file))
        return None
    if rid in ctx.seen:
        problems.append(Problem(f"{where}: duplicate rule id", file=file, field="id"))
    ctx.seen.add(rid)
    conditions = [_condition(str(fact), spec, where, file, problems) for fact, spec in (raw.get("when") or {}).items()]
    for cond in conditions:
        if cond and cond.fact != "indicators" and cond.fact not in ctx.questions:
            problems.append(Problem(f"{where}: no question for fact {cond.fact!r}", file=file, field=cond.fact))
    steps = [
        _step(s, f"{where} step {i + 1}", file, problems, ctx.contact_ids) for i, s in enumerate(raw.get("steps") or ())
    ]
    if not steps:
        problems.append(Problem(f"{where}: a rule needs at least one step", file=file, field="steps"))
    rule_flags = tuple(raw.get("flags") or ())
    for flag in rule_flags:
        if flag not in ctx.flags:
            problems.append(Problem(f"{where}: undeclared flag {flag!r}", file=file, field="flags"))
    title = parse_text(raw.get("title"), where, "title", file, problems)
    return Rule(
        id=rid,
        node=int(raw.get("node", 0)),
        title=title or Text.same(rid),
        when=tuple(c for c in conditions if c),
        steps=tuple(s for s in steps if s),
        flags=rule_flags,
        stop=bool(raw.get("stop", False)),
    )


@dataclass
class _Context:
    file: str
    problems: list[Problem]
    contact_ids: tuple[str, ...]
    questions: Mapping[str, Question]
    flags: Mapping[str, Text]
    seen: set[str]


def _meldcode(raw: Any, file: str, problems: list[Problem]) -> list[MeldcodeStepSpec]:
    steps: list[MeldcodeStepSpec] = []
    for i, entry in enumerate(raw or ()):
        where = f"meldcode step {i + 1}"
        if not isinstance(entry, Mapping) or not entry.get("id") or not entry.get("title"):
            problems.append(Problem(f"{where}: needs an id and a title", file=file))
            continue
        title = parse_text(entry.get("title"), where, "title", file, problems)
        description = parse_text(entry.get("description"), where, "description", file, problems)
        if title is not None and description is not None:
            steps.append(MeldcodeStepSpec(number=i + 1, id=str(entry["id"]), title=title, description=description))
    return steps


def parse_rules(data: Any, file: str = "routing_rules.yaml", contact_ids: Iterable[str] = CONTACT_IDS) -> RuleSet:
    """Validate the decision tree; unknown contacts, facts, flags or values and missing nl/en texts are errors."""
    if not isinstance(data, Mapping):
        raise CatalogueError(f"{file}: expected a mapping at the top level")
    problems: list[Problem] = []
    flags: dict[str, Text] = {}
    for key, raw in (data.get("flags") or {}).items():
        text = parse_text(raw, f"flags.{key}", "text", file, problems)
        if text is not None:
            flags[str(key)] = text
    ctx = _Context(file, problems, tuple(contact_ids), _questions(data.get("questions"), file, problems), flags, set())
    rules = [r for i, raw in enumerate(data.get("rules") or ()) if (r := _rule(raw, i, ctx)) is not None]
    meldcode = _meldcode(data.get("meldcode_steps"), file, problems)
    labels = _labels(data.get("labels"), file, problems)
    if not rules:
        problems.append(Problem("no rules", file=file))
    if problems:
        raise CatalogueError(f"{file}: invalid routing rules", problems)
    return RuleSet(rules=tuple(rules), questions=ctx.questions, flags=flags, meldcode=tuple(meldcode), labels=labels)
