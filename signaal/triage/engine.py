"""The routing engine: facts + rules + directory -> ordered steps, contacts, open questions, flags.

Pure: no files, no clock (pass ``now`` to get absolute due times). Texts come out in one language
(``lang``, Dutch by default); rule ids, flags and contact ids are the same in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from signaal.triage.directory import Contact, Directory, Region, RegionLike
from signaal.triage.facts import Facts
from signaal.triage.rules import Labels, Rule, RuleSet
from signaal.triage.texts import check_language

__all__ = ["OpenQuestion", "Route", "Step", "resolve_region", "route"]

_UNKNOWN_REGION = "unknown region {region}: showing national contacts"


@dataclass(frozen=True)
class Step:
    """One thing to do now: action, whom (with numbers), why, what to record, by when."""

    rule: str
    node: int
    title: str
    action: str
    contacts: tuple[Contact, ...]
    reason: str
    because: tuple[str, ...]
    record: str
    due_hours: int | None
    due_at: datetime | None = None
    shelter_type: str | None = None
    index: int = 0

    @property
    def key(self) -> str:
        """A stable name of the step (rule id and place in the rule), the same in every language."""
        return f"{self.rule}.{self.index}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "rule": self.rule,
            "node": self.node,
            "title": self.title,
            "action": self.action,
            "contacts": [c.as_dict() for c in self.contacts],
            "reason": self.reason,
            "because": list(self.because),
            "record": self.record,
            "due_hours": self.due_hours,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "shelter_type": self.shelter_type,
        }


@dataclass(frozen=True)
class OpenQuestion:
    """A missing fact whose answer would change the route, and which nodes it would decide."""

    fact: str
    question: str
    changes: str
    would_decide: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "fact": self.fact,
            "question": self.question,
            "changes": self.changes,
            "would_decide": list(self.would_decide),
        }


@dataclass(frozen=True)
class Route:
    """The action perspective for one set of facts: the route that holds now, and what is open."""

    steps: tuple[Step, ...]
    contacts: tuple[str, ...]
    open_questions: tuple[OpenQuestion, ...]
    flags: tuple[str, ...]
    flag_texts: tuple[str, ...]
    warnings: tuple[str, ...]
    region: Region | None
    stopped: bool
    lang: str = "nl"

    @property
    def shelter_types(self) -> tuple[str, ...]:
        """Shelter types the route proposes, in order."""
        return tuple(dict.fromkeys(s.shelter_type for s in self.steps if s.shelter_type))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the shape printed by ``signaal route --format json``)."""
        return {
            "contacts": list(self.contacts),
            "steps": [s.as_dict() for s in self.steps],
            "open_questions": [q.as_dict() for q in self.open_questions],
            "flags": list(self.flags),
            "flag_texts": dict(zip(self.flags, self.flag_texts, strict=True)),
            "warnings": list(self.warnings),
            "region": None
            if self.region is None
            else {
                "police_unit": self.region.police_unit,
                "municipality": self.region.municipality,
                "care_region": self.region.care_region,
            },
            "shelter_types": list(self.shelter_types),
            "stopped": self.stopped,
        }


def _norm(text: str) -> str:
    return "-".join(text.strip().lower().replace("_", " ").split())


def resolve_region(
    region: RegionLike | str | None, directory: Directory, labels: Labels | None = None, lang: str = "nl"
) -> tuple[Region | None, list[str]]:
    """A region object from a resolved ref or a police-unit id; unknown text gives a warning in ``lang``."""
    if region is None:
        return None, []
    if not isinstance(region, str):
        return (
            Region(region.police_unit, region.municipality, region.care_region, getattr(region, "names", ())),
            [],
        )
    key = _norm(region)
    if key in directory.police_units:
        return Region(police_unit=key), []
    template = labels.word("unknown_region", lang) if labels else _UNKNOWN_REGION
    return None, [template.replace("{region}", repr(region))]


def _reason_values(
    facts: Facts, region: Region | None, labels: Labels, lang: str, names: Mapping[str, str]
) -> dict[str, str]:
    forms = ", ".join(labels.value("forms", f, lang) for f in sorted(facts.effective_forms))
    not_stated = labels.word("not_stated", lang)
    return {
        "age": not_stated if facts.age is None else str(facts.age),
        "forms": forms,
        "residence": labels.value("residence", facts.residence, lang),
        "reporter_sector": labels.value("reporter_sector", facts.reporter_sector, lang)
        if facts.reporter_sector
        else labels.word("unknown_sector", lang),
        "region": (region.municipality or region.police_unit) if region else (facts.region or not_stated),
        # The caller passes the catalogue's names in ``lang``; without them the id is what a person searches for.
        "indicators": ", ".join(names.get(i, i) for i in facts.indicators) or labels.word("none_recorded", lang),
    }


def _steps_for(
    rule: Rule,
    facts: Facts,
    directory: Directory,
    region: Region | None,
    now: datetime | None,
    values: dict[str, str],
    labels: Labels,
    lang: str,
) -> list[Step]:
    because = tuple(c.describe(facts, labels, lang) for c in rule.when)
    return [
        Step(
            rule=rule.id,
            node=rule.node,
            title=rule.title(lang),
            action=spec.action(lang),
            contacts=tuple(directory.lookup(cid, region, lang) for cid in spec.contacts),
            reason=spec.reason(lang).format_map(values),
            because=because,
            record=spec.record(lang),
            due_hours=spec.due_hours,
            due_at=None if now is None or spec.due_hours is None else now + timedelta(hours=spec.due_hours),
            shelter_type=spec.shelter_type,
            index=index,
        )
        for index, spec in enumerate(rule.steps)
    ]


def route(
    facts: Facts,
    directory: Directory,
    region: RegionLike | str | None,
    rules: RuleSet,
    now: datetime | None = None,
    lang: str = "nl",
    indicator_names: Mapping[str, str] | None = None,
) -> Route:
    """Walk the decision tree: steps of every rule that holds, questions for every undecided one, in ``lang``.

    ``indicator_names`` (id → name in ``lang``) puts readable names in the reasons instead of ids.
    """
    lang = check_language(lang)
    labels = rules.labels
    resolved, warnings = resolve_region(region, directory, labels, lang)
    steps: list[Step] = []
    flags: list[str] = []
    undecided: dict[str, list[str]] = {}
    stopped = False
    values = _reason_values(facts, resolved, labels, lang, indicator_names or {})
    for rule in rules.rules:
        verdict = rule.evaluate(facts)
        if verdict is None:
            for fact in rule.unknown_facts(facts):
                undecided.setdefault(fact, []).append(rule.id)
            continue
        if not verdict:
            continue
        steps.extend(_steps_for(rule, facts, directory, resolved, now, values, labels, lang))
        flags.extend(f for f in rule.flags if f not in flags)
        if rule.stop:
            stopped = True
            break
    questions: tuple[OpenQuestion, ...] = ()
    if not stopped:
        questions = tuple(
            OpenQuestion(
                fact=fact,
                question=rules.questions[fact].question(lang) if fact in rules.questions else fact,
                changes=rules.questions[fact].changes(lang) if fact in rules.questions else "",
                would_decide=tuple(rule_ids),
            )
            for fact, rule_ids in undecided.items()
        )
    contacts = tuple(dict.fromkeys(c.id for s in steps for c in s.contacts))
    return Route(
        steps=tuple(steps),
        contacts=contacts,
        open_questions=questions,
        flags=tuple(flags),
        flag_texts=tuple(rules.flags[f](lang) if f in rules.flags else "" for f in flags),
        warnings=tuple(warnings),
        region=resolved,
        stopped=stopped,
        lang=lang,
    )
