"""The intake form: turn posted fields into a :class:`SignalCreate`, or field errors in the user's language.

Nothing is recorded unless the whole form validates; the entered values are kept for re-display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from signaal.domain.identifiers import IdentifierKind
from signaal.domain.signal import SignalCreate
from signaal.domain.validation import validate_new_signal
from signaal.errors import InvalidInput, Problem
from signaal.web.i18n import Translator

__all__ = ["FACT_FIELDS", "IDENTIFIER_ROWS", "IntakeForm", "parse_intake"]

#: Routing facts asked on the intake form as yes / no / unknown.
FACT_FIELDS: tuple[str, ...] = (
    "acute_danger",
    "person_identifiable",
    "willing_to_talk_to_police",
    "unaccompanied",
    "complex_needs",
    "needs_shelter",
)
IDENTIFIER_ROWS = 3
IDENTIFIER_KINDS: tuple[str, ...] = tuple(k.value for k in IdentifierKind)


@dataclass
class IntakeForm:
    """What the user entered (as strings) and the errors per field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    signal: SignalCreate | None = None

    def add(self, name: str, message: str) -> None:
        """Attach an error message to a field."""
        self.errors.setdefault(name, []).append(message)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: _text(form, name)
        for name in (
            "received_at",
            "observed_at",
            "reporter_org",
            "reporter_sector",
            "region",
            "narrative",
            "setting",
            "victim_age",
            "victim_gender",
            "victim_nationality",
            "victim_residence",
            "suspect_age",
            "suspect_gender",
            "suspect_nationality",
            "legal_basis",
            "consent",
            "source_id",
        )
    }
    values["indicators"] = [v for v in form.getlist("indicator") if isinstance(v, str)]
    values["words"] = {i: _text(form, f"words_{i}") for i in values["indicators"]}
    values["forms"] = [v for v in form.getlist("form") if isinstance(v, str)]
    values["facts"] = {name: _text(form, f"fact_{name}") for name in FACT_FIELDS}
    values["identifiers"] = [
        (_text(form, f"identifier_kind_{n}"), _text(form, f"identifier_value_{n}")) for n in range(IDENTIFIER_ROWS)
    ]
    return values


def _field_of(loc: tuple[Any, ...], roles: list[str]) -> str:
    """The form field a validation error location belongs to (``roles``: the role of each person sent)."""
    if not loc:
        return "form"
    head = str(loc[0])
    if head == "persons":
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
        who = roles[index] if index < len(roles) else "victim"
        sub = str(loc[2]) if len(loc) > 2 else "age"
        return f"{who}_{sub}" if sub in ("age", "gender", "nationality", "residence") else f"{who}_age"
    if head == "identifiers":
        return f"identifier_value_{loc[1]}" if len(loc) > 1 else "identifier_value_0"
    return head


def _suspect(v: dict[str, Any]) -> dict[str, Any]:
    """The suspect block of the form (a role and characteristics, never a name)."""
    suspect: dict[str, Any] = {"role": "suspect"}
    if v["suspect_age"]:
        suspect["age"] = int(v["suspect_age"])
    for key in ("gender", "nationality"):
        if v[f"suspect_{key}"]:
            suspect[key] = v[f"suspect_{key}"]
    return suspect


def parse_intake(form: Any, t: Translator, default_org: str) -> IntakeForm:
    """Read a posted intake form; ``result.signal`` is set only when every field is valid."""
    result = IntakeForm(values=_values(form))
    v = result.values
    if not v["received_at"]:
        result.add("received_at", t("error.required"))
    for name in ("received_at", "observed_at"):
        if v[name]:
            try:
                date.fromisoformat(v[name])
            except ValueError:
                result.add(name, t("error.date"))
    if not v["reporter_sector"]:
        result.add("reporter_sector", t("error.required"))
    if not v["narrative"] and not v["indicators"]:
        # A signal is what someone saw: without a description or an indicator there is nothing to route.
        result.add("narrative", t("error.need_content"))
    for name in ("victim_age", "suspect_age"):
        if v[name] and not v[name].isdigit():
            result.add(name, t("error.number"))
    facts: dict[str, Any] = {}
    for name, answer in v["facts"].items():
        if answer in ("yes", "no"):
            facts[name] = answer == "yes"
        elif answer not in ("", "unknown"):
            result.add(f"fact_{name}", t("error.choice"))
    identifiers = []
    for n, (kind, value) in enumerate(v["identifiers"]):
        if not value:
            continue
        if kind not in IDENTIFIER_KINDS:
            result.add(f"identifier_value_{n}", t("error.identifier_kind"))
            continue
        identifiers.append({"kind": kind, "value": value})
    if result.errors:
        return result
    person: dict[str, Any] = {"role": "victim"}
    if v["victim_age"]:
        person["age"] = int(v["victim_age"])
    for key in ("gender", "nationality", "residence"):
        if v[f"victim_{key}"] and v[f"victim_{key}"] != "unknown":
            person[key] = v[f"victim_{key}"]
    data: dict[str, Any] = {
        "received_at": v["received_at"],
        "observed_at": v["observed_at"] or None,
        "reporter_org": v["reporter_org"] or default_org,
        "reporter_sector": v["reporter_sector"],
        "region": v["region"] or None,
        "narrative": v["narrative"],
        "indicators": [{"indicator_id": i, "words": v["words"].get(i, "")} for i in v["indicators"]],
        "forms": [{"form": f} for f in v["forms"]],
        "persons": [p for p in (person, _suspect(v)) if len(p) > 1],
        "identifiers": identifiers,
        "facts": facts,
        "source_id": v["source_id"] or None,
    }
    if v["legal_basis"]:
        data["legal_basis"] = v["legal_basis"]
    if v["consent"]:
        data["consent"] = v["consent"]
    try:
        result.signal = validate_new_signal(data)
    except InvalidInput as exc:
        roles = [p["role"] for p in data["persons"]]
        for problem in exc.problems:
            place = tuple(int(p) if p.isdigit() else p for p in (problem.field or "").split(".") if p)
            result.add(_field_of(place, roles), t("error.invalid_value"))
    return result


def add_problems(result: IntakeForm, problems: list[Problem], t: Translator) -> None:
    """Attach service-level problems (unknown region, future date, …) to their fields."""
    for problem in problems:
        name = problem.field or "form"
        key = f"error.{name}_invalid"
        value = result.values.get(name, "")
        result.add(name, t(key, value=value) if t.has(key) else t("error.invalid_value"))
