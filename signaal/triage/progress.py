"""The route as a working checklist: which steps are done, which is next, which are overdue.

Pure: the route's steps (with due times counted from the moment the signal was recorded) and the
steps a person ticked off go in; the state of each step comes out. A step that is done stays done
even when the route changes later (its key then no longer appears, and it is simply not shown).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from signaal.triage.engine import Route, Step

__all__ = ["StepDone", "StepState", "next_step", "overdue_steps", "step_states"]


@dataclass(frozen=True)
class StepDone:
    """Who ticked a step off, when, and with what note."""

    key: str
    user: str
    org: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class StepState:
    """One step of the route with its deadline and whether it is done, next or overdue."""

    step: Step
    done: StepDone | None
    is_next: bool
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the step, plus done (who/when/note), next and overdue."""
        done = self.done
        return {
            **self.step.as_dict(),
            "done": None
            if done is None
            else {"user": done.user, "org": done.org, "at": done.at.isoformat(), "note": done.note},
            "is_next": self.is_next,
            "overdue": self.overdue,
        }


def step_states(route: Route, done: Iterable[StepDone], now: datetime) -> tuple[StepState, ...]:
    """Each step of ``route`` with its state at ``now``; the first step not done is the next one."""
    by_key: Mapping[str, StepDone] = {d.key: d for d in done}
    states: list[StepState] = []
    found_next = False
    for step in route.steps:
        ticked = by_key.get(step.key)
        is_next = ticked is None and not found_next
        found_next = found_next or is_next
        overdue = ticked is None and step.due_at is not None and step.due_at < now
        states.append(StepState(step, ticked, is_next, overdue))
    return tuple(states)


def next_step(states: Iterable[StepState]) -> StepState | None:
    """The step to do now (the first one not done), or None when every step is done."""
    return next((s for s in states if s.is_next), None)


def overdue_steps(states: Iterable[StepState]) -> tuple[StepState, ...]:
    """The steps not done whose deadline has passed, earliest deadline first."""
    late = [s for s in states if s.overdue]
    return tuple(sorted(late, key=lambda s: s.step.due_at or datetime.max))
