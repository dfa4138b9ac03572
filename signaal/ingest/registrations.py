"""Reading other organisations' registrations (CSV/JSONL/XLSX) into link cases and persons.

One row is one person in one case of the source organisation (or, without a role, identifiers of
the case alone). Columns are described in ``docs/linking.md``. A row that does not validate
refuses the whole file with file, line, field and reason; an identifier that does not normalise is
kept as written and reported, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from signaal.errors import InvalidInput, Problem
from signaal.ingest.tabular import BadRow, problem, read_rows
from signaal.link.keys import KEY_KINDS, LinkKey, link_key
from signaal.link.model import CaseRecord, PersonRecord

__all__ = ["COLUMNS", "Registrations", "read_registrations", "registrations_of"]

# The columns read as one text value each; forms, crimes and the identifier kinds are lists.
TEXT_COLUMNS = (
    "source",
    "case_id",
    "record_date",
    "role",
    "person_id",
    "name",
    "birth_date",
    "birth_year",
    "sex",
    "nationality",
    "city",
    "minor",
)
COLUMNS = (
    *TEXT_COLUMNS,
    "forms",
    "crimes",
    *KEY_KINDS,
    "case_phone",
)
_ROLES = ("victim", "suspect", "other")
_ORG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,119}$")


@dataclass
class Registrations:
    """The cases and persons of one file, and the identifiers kept as written."""

    cases: dict[str, CaseRecord] = field(default_factory=dict)
    persons: list[PersonRecord] = field(default_factory=list)
    kept_as_written: list[Problem] = field(default_factory=list)
    rows: int = 0
    #: the file and line of each person's row (filled by ``registrations_of``)
    person_rows: list[tuple[Path, int]] = field(default_factory=list)


def _text(values: dict[str, Any], name: str, limit: int = 200) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > limit:
        raise ValueError(f"longer than {limit} characters")
    return text or None


def _list(values: dict[str, Any], name: str) -> list[str]:
    value = values.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    return [str(i).strip() for i in items if str(i).strip()]


def _row(values: dict[str, Any], path: Path, line: int, out: Registrations) -> list[Problem]:
    unknown = sorted(set(values) - set(COLUMNS))
    if unknown:
        return [Problem(f"unknown column; use {', '.join(COLUMNS)}", str(path), line, unknown[0])]
    parsed: dict[str, Any] = {}
    for name in TEXT_COLUMNS:
        try:
            parsed[name] = _text(values, name)
        except ValueError as exc:
            return [Problem(str(exc), str(path), line, name)]
    for name in ("source", "case_id"):
        if not parsed[name]:
            return [Problem("required", str(path), line, name)]
    if not _ORG.match(parsed["source"]):
        return [Problem("an organisation name of letters, digits, space, '.', '_' or '-'", str(path), line, "source")]
    for name in ("record_date", "birth_date"):
        if parsed[name]:
            try:
                parsed[name] = date.fromisoformat(parsed[name]).isoformat()
            except ValueError:
                return [Problem(f"not a date (YYYY-MM-DD): {parsed[name]!r}", str(path), line, name)]
    year = parsed["birth_year"]
    if year and (not year.isdigit() or not 1900 <= int(year) <= date.today().year):
        return [Problem(f"not a birth year: {parsed['birth_year']!r}", str(path), line, "birth_year")]
    if parsed["role"] and parsed["role"] not in _ROLES:
        return [Problem(f"unknown role {parsed['role']!r}; use {', '.join(_ROLES)}", str(path), line, "role")]
    if parsed["minor"] and parsed["minor"].lower() not in ("yes", "no", "true", "false", "1", "0"):
        return [Problem("yes or no", str(path), line, "minor")]
    case_ref = f"reg:{parsed['source']}:{parsed['case_id']}"
    person_keys: list[LinkKey] = []
    case_keys: list[LinkKey] = []
    for kind in (*KEY_KINDS, "case_phone"):
        for raw in _list(values, kind):
            if len(raw) > 500:
                return [Problem("identifier longer than 500 characters", str(path), line, kind)]
            key = link_key("phone" if kind == "case_phone" else kind, raw)
            if key.problem:
                out.kept_as_written.append(Problem(f"kept as written: {key.problem}", str(path), line, kind))
            (case_keys if kind == "case_phone" or not parsed["role"] else person_keys).append(key)
    old = out.cases.get(case_ref)
    forms = tuple(sorted({*(old.forms if old else ()), *_list(values, "forms")}))
    crimes = tuple(sorted({*(old.crimes if old else ()), *_list(values, "crimes")}))
    out.cases[case_ref] = CaseRecord(
        ref=case_ref,
        org=parsed["source"],
        kind="registration",
        date=parsed["record_date"] or (old.date if old else None),
        city=parsed["city"] or (old.city if old else None),
        forms=forms,
        crimes=crimes,
        keys=tuple(dict.fromkeys([*(old.keys if old else ()), *case_keys])),
        source_id=parsed["case_id"],
    )
    if parsed["role"]:
        person = parsed["person_id"] or f"line{line}"
        out.persons.append(
            PersonRecord(
                ref=f"{case_ref}:{person}",
                case=case_ref,
                org=parsed["source"],
                role=parsed["role"],
                name=parsed["name"],
                birth_date=parsed["birth_date"],
                birth_year=int(parsed["birth_year"]) if parsed["birth_year"] else None,
                sex=parsed["sex"],
                nationality=parsed["nationality"],
                city=parsed["city"],
                minor=parsed["minor"].lower() in ("yes", "true", "1") if parsed["minor"] else None,
                keys=tuple(dict.fromkeys(person_keys)),
            )
        )
    return []


def read_registrations(path: Path, fmt: str | None = None, encoding: str = "utf-8") -> Registrations:
    """Every row of a registrations file, or InvalidInput naming each bad row (nothing is kept then)."""
    out = Registrations()
    problems: list[Problem] = []
    for row in _rows(path, fmt, encoding):
        if isinstance(row, BadRow):
            problems.append(problem(path, row))  # the Spark engine reports a row it cannot read alike
            continue
        out.rows += 1
        problems += _row(row.values, path, row.line, out)
    if problems:
        raise InvalidInput(f"{path}: the registrations were not imported ({len(problems)} bad row(s))", problems)
    refs = [p.ref for p in out.persons]
    if len(refs) != len(set(refs)):
        seen: set[str] = set()
        dup = next(r for r in refs if r in seen or seen.add(r))  # type: ignore[func-returns-value]
        raise InvalidInput(f"{path}: person {dup!r} appears twice in one case (person_id)")
    if not out.rows:
        raise InvalidInput(f"{path}: no rows")
    return out


def registrations_of(rows: Iterable[tuple[Path, int, dict[str, Any]]]) -> tuple[Registrations, list[Problem]]:
    """Rows (file, line, values) read in order, skipping those that do not validate (each a problem).

    The engines that go on past a bad row (Spark) use this; an import refuses the file instead.
    A person that appears twice in one case keeps its first row; the later one is a problem.
    """
    out = Registrations()
    problems: list[Problem] = []
    seen: set[str] = set()
    for path, line, values in rows:
        out.rows += 1
        persons = len(out.persons)
        row_problems = _row(values, path, line, out)
        problems += row_problems
        if not row_problems and len(out.persons) > persons:
            ref = out.persons[-1].ref
            if ref in seen:
                out.persons.pop()
                problems.append(Problem("person appears twice in one case", str(path), line, "person_id"))
            else:
                out.person_rows.append((path, line))
            seen.add(ref)
    return out, problems


def _rows(path: Path, fmt: str | None, encoding: str) -> Iterator[Any]:
    yield from read_rows(path, fmt, encoding)
