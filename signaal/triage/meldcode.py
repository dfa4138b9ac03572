"""The five meldcode steps as a checklist: which step was completed, by whom and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from signaal.errors import Conflict, InvalidInput
from signaal.triage.rules import MeldcodeStepSpec

__all__ = ["Checklist", "ChecklistItem", "checklist", "complete_step"]

# Deciding (step 5) follows weighing (step 4): the afwegingskader is what the decision rests on.
_PREREQUISITES: dict[str, tuple[str, ...]] = {"decide": ("weigh",)}


@dataclass(frozen=True)
class ChecklistItem:
    """One meldcode step and its completion (None while open)."""

    step: MeldcodeStepSpec
    completed_by: str | None = None
    completed_at: datetime | None = None
    note: str = ""

    @property
    def done(self) -> bool:
        """Whether the step was completed."""
        return self.completed_at is not None

    def as_dict(self, lang: str = "nl") -> dict[str, Any]:
        """JSON-ready form, the step's title in ``lang``."""
        return {
            "number": self.step.number,
            "id": self.step.id,
            "title": self.step.title(lang),
            "done": self.done,
            "completed_by": self.completed_by,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class Checklist:
    """The meldcode checklist of one signal."""

    items: tuple[ChecklistItem, ...]

    @property
    def complete(self) -> bool:
        """All five steps done."""
        return all(i.done for i in self.items)

    @property
    def next_step(self) -> ChecklistItem | None:
        """The first open step."""
        return next((i for i in self.items if not i.done), None)

    def item(self, step: str) -> ChecklistItem:
        """Find a step by id or number ("3"), raising InvalidInput naming the valid steps."""
        for it in self.items:
            if step in (it.step.id, str(it.step.number)):
                return it
        valid = ", ".join(f"{i.step.number}={i.step.id}" for i in self.items)
        raise InvalidInput(f"unknown meldcode step {step!r}; use one of {valid}")


def checklist(
    steps: Iterable[MeldcodeStepSpec],
    completions: Iterable[tuple[str, str, datetime, str]] = (),
) -> Checklist:
    """Build the checklist from the step data and recorded (step id, by, at, note) completions."""
    done = {step_id: (by, at, note) for step_id, by, at, note in completions}
    return Checklist(tuple(ChecklistItem(s, *done[s.id]) if s.id in done else ChecklistItem(s) for s in steps))


def complete_step(
    current: Checklist, step: str, by: str, at: datetime, note: str = ""
) -> tuple[Checklist, ChecklistItem]:
    """Mark a step done; refuse a step already done, or deciding before weighing (Conflict)."""
    target = current.item(step)
    if target.done:
        raise Conflict(
            f"meldcode step {target.step.number} ({target.step.id}) was already completed by "
            f"{target.completed_by} on {target.completed_at:%Y-%m-%d}"
        )
    for needed in _PREREQUISITES.get(target.step.id, ()):
        if not current.item(needed).done:
            raise Conflict(f"meldcode step {target.step.id!r} needs step {needed!r} to be completed first")
    updated = replace(target, completed_by=by, completed_at=at, note=note)
    items = tuple(updated if i.step.id == target.step.id else i for i in current.items)
    return Checklist(items), updated
