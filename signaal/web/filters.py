"""Jinja2 filters and globals the templates share: dates, days, numbers and deadlines as people write them
(see :mod:`signaal.domain.formats`), in the page's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from signaal.domain.formats import (
    format_date,
    format_days,
    format_due,
    format_moment,
    format_month,
    format_number,
)

__all__ = ["format_date", "format_days", "format_due", "format_moment", "format_month", "format_number", "install"]


def install(env: Environment) -> None:
    """Register the filters on a template environment (they read the page's ``lang``)."""

    @pass_context
    def when(context: Context, value: Any) -> str:
        return format_moment(value, context.get("lang", "nl"))

    @pass_context
    def day(context: Context, value: Any) -> str:
        return format_date(value, context.get("lang", "nl"))

    @pass_context
    def days(context: Context, value: Any) -> str:
        return format_days(value, context.get("lang", "nl"))

    @pass_context
    def number(context: Context, value: Any, digits: int = 1) -> str:
        return format_number(value, context.get("lang", "nl"), digits)

    @pass_context
    def due(context: Context, hours: Any, due_at: Any = None) -> str:
        return format_due(hours, due_at, context.get("lang", "nl"))

    @pass_context
    def month(context: Context, value: Any) -> str:
        return format_month(str(value), context.get("lang", "nl"))

    env.filters.update(when=when, day=day, days=days, number=number, due=due, month=month)
    env.globals["now"] = lambda: datetime.now().date().isoformat()
