"""Jinja2 filters and globals the templates share."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Environment

__all__ = ["install"]


def _when(value: Any) -> str:
    """A timestamp as 'YYYY-MM-DD HH:MM' (ISO strings and datetimes alike)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _days(value: Any) -> str:
    if value is None:
        return "–"
    return f"{float(value):.1f}"


def install(env: Environment) -> None:
    """Register the filters on a template environment."""
    env.filters["when"] = _when
    env.filters["days"] = _days
    env.globals["now"] = lambda: datetime.now().date().isoformat()
