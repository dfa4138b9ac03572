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

__all__ = [
    "REASON_FIELDS",
    "SHELTER_TYPES",
    "Condition",
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

    def describe(self, facts: Facts) -> str:
        """A short human reading of the fact as it stood, for the step's reason."""
        value = facts.value(self.fact)
        if self.fact in _SET_FACTS:
            shown = ", ".join(sorted(set(value) & set(self.accepted))) or ", ".join(sorted(value))
            return f"{self.fact}: {shown}"
        if value is None:
            return f"{self.fact}: not stated"
        if isinstance(value, bool):
            return f"{self.fact}: {'yes' if value else 'no'}"
        return f"{self.fact}: {value}"


@dataclass(frozen=True)
class StepSpec:
    """One step a rule adds: what to do, whom to contact, why, what to record, and by when."""

    action: str
    contacts: tuple[str, ...]
    reason: str
    record: str
    due_hours: int | None
    shelter_type: str | None = None


@dataclass(frozen=True)
class Rule:
    """A node of the decision tree: when its conditions hold, its steps and flags apply."""

    id: str
    node: int
    title: str
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
    question: str
    changes: str


@dataclass(frozen=True)
class MeldcodeStepSpec:
    """One of the five steps of the meldcode."""

    number: int
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class RuleSet:
    """The whole tree: ordered rules, the questions per fact, flag meanings, meldcode steps."""

    rules: tuple[Rule, ...]
    questions: Mapping[str, Question]
    flags: Mapping[str, str]
    meldcode: tuple[MeldcodeStepSpec, ...] = ()


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


def _step(raw: Any, where: str, file: str, problems: list[Problem], contact_ids: Iterable[str]) -> StepSpec | None:
    if not isinstance(raw, Mapping) or not raw.get("action"):
        problems.append(Problem(f"{where}: a step needs an action", file=file))
        return None
    known = set(contact_ids)
    contacts = tuple(raw.get("contacts") or ())
    for cid in contacts:
        if cid not in known:
            problems.append(Problem(f"{where}: unknown contact id {cid!r}", file=file, field=cid))
    reason = str(raw.get("reason") or "").strip()
    if not reason:
        problems.append(Problem(f"{where}: a step needs a reason", file=file))
    for _, name, _, _ in string.Formatter().parse(reason):
        if name is not None and name not in REASON_FIELDS:
            problems.append(Problem(f"{where}: unknown placeholder {{{name}}} in reason", file=file))
    shelter = raw.get("shelter_type")
    if shelter is not None and shelter not in SHELTER_TYPES:
        problems.append(Problem(f"{where}: unknown shelter type {shelter!r}", file=file))
    return StepSpec(
        action=" ".join(str(raw["action"]).split()),
        contacts=contacts,
        reason=" ".join(reason.split()),
        record=" ".join(str(raw.get("record") or "").split()),
        due_hours=_due(raw.get("due"), where, file, problems),
        shelter_type=shelter,
    )


def parse_rules(data: Any, file: str = "routing_rules.yaml", contact_ids: Iterable[str] = CONTACT_IDS) -> RuleSet:
    """Validate the decision tree mapping; unknown contacts, facts, flags or values are load errors."""
    if not isinstance(data, Mapping):
        raise CatalogueError(f"{file}: expected a mapping at the top level")
    problems: list[Problem] = []
    contact_ids = tuple(contact_ids)
    flags = {str(k): " ".join(str(v).split()) for k, v in (data.get("flags") or {}).items()}
    questions: dict[str, Question] = {}
    for fact, raw in (data.get("questions") or {}).items():
        if fact not in FACT_NAMES:
            problems.append(Problem(f"questions: unknown fact {fact!r}", file=file, field=fact))
            continue
        if not isinstance(raw, Mapping) or not raw.get("question"):
            problems.append(Problem(f"questions.{fact}: needs a question", file=file, field=fact))
            continue
        questions[fact] = Question(
            fact=fact,
            question=" ".join(str(raw["question"]).split()),
            changes=" ".join(str(raw.get("changes") or "").split()),
        )
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("rules") or ()):
        rid = str(raw.get("id") or f"#{index + 1}") if isinstance(raw, Mapping) else f"#{index + 1}"
        where = f"rule {rid}"
        if not isinstance(raw, Mapping):
            problems.append(Problem(f"{where}: expected a mapping", file=file))
            continue
        if rid in seen:
            problems.append(Problem(f"{where}: duplicate rule id", file=file))
        seen.add(rid)
        conditions = [
            _condition(str(fact), spec, where, file, problems) for fact, spec in (raw.get("when") or {}).items()
        ]
        for cond in conditions:
            if cond and cond.fact != "indicators" and cond.fact not in questions:
                problems.append(Problem(f"{where}: no question for fact {cond.fact!r}", file=file))
        steps = [
            _step(s, f"{where} step {i + 1}", file, problems, contact_ids) for i, s in enumerate(raw.get("steps") or ())
        ]
        if not steps:
            problems.append(Problem(f"{where}: a rule needs at least one step", file=file))
        rule_flags = tuple(raw.get("flags") or ())
        for flag in rule_flags:
            if flag not in flags:
                problems.append(Problem(f"{where}: undeclared flag {flag!r}", file=file))
        rules.append(
            Rule(
                id=rid,
                node=int(raw.get("node", 0)),
                title=str(raw.get("title") or rid),
                when=tuple(c for c in conditions if c),
                steps=tuple(s for s in steps if s),
                flags=rule_flags,
                stop=bool(raw.get("stop", False)),
            )
        )
    meldcode: list[MeldcodeStepSpec] = []
    for i, raw in enumerate(data.get("meldcode_steps") or ()):
        if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("title"):
            problems.append(Problem(f"meldcode step {i + 1}: needs an id and a title", file=file))
            continue
        meldcode.append(
            MeldcodeStepSpec(
                number=i + 1,
                id=str(raw["id"]),
                title=str(raw["title"]),
                description=" ".join(str(raw.get("description") or "").split()),
            )
        )
    if not rules:
        problems.append(Problem("no rules", file=file))
    if problems:
        raise CatalogueError(f"{file}: invalid routing rules", problems)
    return RuleSet(rules=tuple(rules), questions=questions, flags=flags, meldcode=tuple(meldcode))
