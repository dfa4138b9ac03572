"""Field readers for catalogue entries that collect problems instead of stopping at the first.

Every problem names the file, the line, the entry id and the field, so that a broken
organisation override can be fixed in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from signaal.catalogue.files import Record, SourceFile
from signaal.errors import CatalogueError, Problem

__all__ = ["ID_PATTERN", "Checker", "build_entries"]

T = TypeVar("T")

#: Ids are lower-case words joined by "_" or "-" (police-unit and municipality ids use "-").
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")

_TRUE = {"true", "yes", "ja", "1", "y", "j"}
_FALSE = {"false", "no", "nee", "0", "n", ""}


class Checker:
    """Collects the problems of one catalogue file."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._seen: dict[str, int | None] = {}

    def problem(self, record: Record | None, entry: str | None, field: str | None, reason: str) -> None:
        """Record one problem in an entry."""
        what = f"entry {entry!r}: {reason}" if entry else reason
        line = record.line if record is not None else None
        self.problems.append(Problem(what, self.source.path, line, field))

    def entry_id(self, record: Record) -> str | None:
        """The entry's id, checked for shape and uniqueness within the file."""
        raw = record.data.get("id")
        if raw is None or str(raw).strip() == "":
            self.problem(record, f"line {record.line}", "id", "missing id")
            return None
        value = str(raw).strip()
        if not ID_PATTERN.match(value):
            self.problem(record, value, "id", "id must be lower-case letters/digits joined by _ or -")
        if value in self._seen:
            first = self._seen[value]
            self.problem(record, value, "id", f"duplicate id (first defined on line {first})")
            return None
        self._seen[value] = record.line
        return value

    def text(self, record: Record, entry: str, field: str, *, required: bool = True) -> str:
        """A string field; missing or empty is a problem when required."""
        raw = record.data.get(field)
        value = "" if raw is None else str(raw).strip()
        if required and not value:
            label = {"nl": "Dutch wording", "en": "English wording"}.get(field, field)
            self.problem(record, entry, field, f"missing {label}")
        return value

    def flag(self, record: Record, entry: str, field: str) -> bool:
        """A yes/no field (YAML boolean or true/false, ja/nee in CSV)."""
        raw = record.data.get(field)
        if isinstance(raw, bool):
            return raw
        value = "" if raw is None else str(raw).strip().lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.problem(record, entry, field, f"expected true or false, got {raw!r}")
        return False

    def words(self, record: Record, field: str) -> tuple[str, ...]:
        """A list field: a YAML list, or a ';'-separated CSV cell."""
        raw = record.data.get(field)
        if raw is None:
            return ()
        items: Iterable[Any] = raw if isinstance(raw, list) else str(raw).split(";")
        return tuple(str(item).strip() for item in items if str(item).strip())

    def members(self, record: Record, entry: str, field: str, allowed: Iterable[str], what: str) -> tuple[str, ...]:
        """A list field whose items must come from ``allowed``."""
        allowed_set = set(allowed)
        values = self.words(record, field)
        for value in values:
            if value not in allowed_set:
                choices = ", ".join(sorted(allowed_set))
                self.problem(record, entry, field, f"unknown {what} {value!r} (known: {choices})")
        return tuple(v for v in values if v in allowed_set)

    def number(self, record: Record, entry: str, field: str, low: float, high: float) -> float | None:
        """A required number within [low, high]."""
        raw = record.data.get(field)
        if raw is None or raw == "" or isinstance(raw, bool):
            self.problem(record, entry, field, f"missing {field}")
            return None
        try:
            value = float(raw)
        except (TypeError, ValueError):
            self.problem(record, entry, field, f"{field} must be a number, got {raw!r}")
            return None
        if not low <= value <= high:
            self.problem(record, entry, field, f"{field} {value:g} out of range {low:g}..{high:g}")
            return None
        return value

    def optional_int(self, record: Record, entry: str, field: str, low: int, high: int) -> int | None:
        """An optional whole number within [low, high]."""
        raw = record.data.get(field)
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool) or not str(raw).strip().isdigit():
            self.problem(record, entry, field, f"{field} must be a whole number, got {raw!r}")
            return None
        value = int(str(raw).strip())
        if not low <= value <= high:
            self.problem(record, entry, field, f"{field} {value} out of range {low}..{high}")
            return None
        return value

    def reference(self, record: Record, entry: str, field: str, known: Iterable[str], what: str) -> str:
        """A required id that must exist in another catalogue file."""
        value = self.text(record, entry, field)
        known_set = set(known)
        if value and value not in known_set:
            self.problem(record, entry, field, f"points to unknown {what} {value!r}")
        return value

    def unknown_fields(self, record: Record, entry: str, allowed: Iterable[str]) -> None:
        """Flag fields the file format does not define (usually a typo)."""
        allowed_set = set(allowed)
        for key in record.data:
            if key not in allowed_set:
                self.problem(record, entry, key, f"unknown field {key!r}")

    def raise_if_any(self) -> None:
        """Raise one CatalogueError listing every problem found in this file."""
        if self.problems:
            raise CatalogueError(
                f"catalogue file {self.source.path} is invalid "
                f"({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''})",
                self.problems,
            )


def build_entries(
    source: SourceFile, fields: tuple[str, ...], make: Callable[[Checker, Record, str], T]
) -> dict[str, T]:
    """Every record with a valid id and only known ``fields``, made into an object by ``make``.

    ``make`` reads the fields through the checker, so all problems of the file are collected
    and raised together.
    """
    check = Checker(source)
    entries: dict[str, T] = {}
    for record in source.records:
        entry_id = check.entry_id(record)
        if entry_id is None:
            continue
        check.unknown_fields(record, entry_id, fields)
        entries[entry_id] = make(check, record, entry_id)
    check.raise_if_any()
    return entries
