"""Turn imported records (CSV, JSONL, XLSX) into :class:`SignalCreate` objects, or problems naming the field.

The column mapping is documented in ``docs/import.md``; :data:`COLUMNS` is its source of truth.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from signaal.domain.dates import parse_date
from signaal.domain.identifiers import IdentifierKind, normalise_identifier
from signaal.domain.signal import SignalCreate
from signaal.domain.validation import validate_new_signal
from signaal.errors import InvalidInput, Problem

__all__ = ["COLUMNS", "IDENTIFIER_COLUMNS", "parse_mapping", "row_to_signal"]

#: Identifier columns: several values in one cell are separated by ";" (or "|").
IDENTIFIER_COLUMNS: dict[str, IdentifierKind] = {
    "phones": IdentifierKind.PHONE,
    "emails": IdentifierKind.EMAIL,
    "handles": IdentifierKind.HANDLE,
    "addresses": IdentifierKind.ADDRESS,
    "postcodes": IdentifierKind.POSTCODE,
    "kvk": IdentifierKind.KVK,
    "plates": IdentifierKind.PLATE,
    "ibans": IdentifierKind.IBAN,
    "urls": IdentifierKind.URL,
}

#: Every column an import understands, with its meaning (rendered into docs/import.md and checked by a test).
COLUMNS: dict[str, str] = {
    "source_id": "the reporting organisation's own id of the signal; re-importing it creates no duplicate",
    "received_at": "date the signal was received (YYYY-MM-DD or DD-MM-YYYY); required",
    "observed_at": "date the situation was observed (not after received_at)",
    "reporter_org": "reporting organisation; required",
    "reporter_sector": "reporter sector id (care, youth, education, municipality, police, labour_inspectorate, kmar, riec, platform, ngo, citizen); required",
    "region": "police unit id or municipality name",
    "narrative": "the reporter's own description",
    "indicators": "indicator ids separated by ';', each optionally with ':certain', ':probable' or ':possible'",
    "forms": "form hypotheses separated by ';' (sexual, labour, criminal, other, unknown)",
    "victim_age": "age of the (possible) victim in years",
    "victim_age_band": "age band when the exact age is unknown (e.g. 16-17)",
    "victim_gender": "gender of the (possible) victim",
    "victim_nationality": "nationality (group) of the (possible) victim",
    "victim_residence": "residence status: dutch, eu, third_country_legal, third_country_irregular, asylum_seeker, unknown",
    "suspects": "number of suspects mentioned",
    **{name: f"{kind.value} identifiers separated by ';'" for name, kind in IDENTIFIER_COLUMNS.items()},
    "facts": "routing facts as a JSON object (acute_danger, minor, needs_shelter, ...)",
    "purpose": "purpose of processing (default signal_handling)",
    "legal_basis": "GDPR basis: consent, legal_obligation, public_task, vital_interest, legitimate_interest",
    "consent": "consent status: given, refused, not_asked, not_required",
}

_SPLIT = re.compile(r"\s*[;|]\s*")


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """Parse ``field=column`` options into {field: column}, checking the field names."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise InvalidInput(f"--map expects FIELD=COLUMN, got {pair!r}")
        if field.strip() not in COLUMNS:
            raise InvalidInput(f"--map: unknown field {field.strip()!r}; see docs/import.md for the fields")
        mapping[field.strip()] = column.strip()
    return mapping


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    parsed = parse_date(text)
    if parsed is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return parsed


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if not _blank(v)]
    return [part for part in _SPLIT.split(str(value).strip()) if part]


def _int(value: Any, name: str) -> int:
    text = str(value).strip()
    shown = text if len(text) <= 40 else f"{text[:20]}… ({len(text)} characters)"
    try:
        number = float(text) if len(text) <= 40 else math.inf
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {shown!r}") from None
    if not math.isfinite(number) or abs(number) > 1_000_000:
        raise ValueError(f"{name} must be a whole number of sensible size, got {shown!r}")
    if number != int(number):
        raise ValueError(f"{name} must be a whole number, got {shown!r}")
    return int(number)


_TEXT_FIELDS = ("reporter_org", "reporter_sector", "region", "narrative", "source_id", "purpose", "legal_basis", "consent")
_PERSON_FIELDS = (
    ("victim_gender", "gender"),
    ("victim_nationality", "nationality"),
    ("victim_residence", "residence"),
    ("victim_age_band", "age_band"),
)


def _text(value: Any) -> str:
    # a spreadsheet holds a number typed as text as a float: "12" comes back as 12.0
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def _indicators(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, list) and all(isinstance(i, dict) for i in raw):
        return raw
    out = []
    for part in _list(raw):
        ident, _, certainty = part.partition(":")
        out.append({"indicator_id": ident.strip(), **({"certainty": certainty.strip()} if certainty else {})})
    return out


def _forms(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, list) and all(isinstance(i, dict) for i in raw):
        return raw
    return [{"form": f} for f in _list(raw)]


def _facts(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(str(raw))  # a JSONDecodeError is a ValueError: its message names line and column
    except RecursionError:
        raise ValueError("facts is JSON nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError("facts must be a JSON object")
    return value


class _Row:
    """One record being read: its values by field (through the column mapping), and what was found."""

    def __init__(self, values: Mapping[str, Any], mapping: Mapping[str, str]) -> None:
        self.values = values
        self.mapping = mapping
        self.problems: list[Problem] = []
        self.data: dict[str, Any] = {}

    def col(self, field: str) -> str:
        """The column a field is read from."""
        return self.mapping.get(field, field)

    def get(self, field: str) -> Any:
        """The value of a field, or None."""
        return self.values.get(self.col(field))

    def convert(self, field: str, convert: Any) -> Any:
        """A field's value converted, or None when blank or wrong (then a problem names its column)."""
        raw = self.get(field)
        if _blank(raw):
            return None
        try:
            return convert(raw)
        except (ValueError, TypeError) as exc:
            self.problems.append(Problem(str(exc), field=self.col(field)))
            return None

    def parse(self, field: str, convert: Any) -> None:
        """Put a field's converted value into the signal's data, when it has one."""
        value = self.convert(field, convert)
        if value is not None:
            self.data[field] = value


def _persons(row: _Row) -> list[dict[str, Any]]:
    """The victim from the victim_* columns (or the persons given whole), and the suspects counted."""
    person = {key: str(row.get(field)).strip() for field, key in _PERSON_FIELDS if not _blank(row.get(field))}
    age = row.convert("victim_age", lambda v: _int(v, "victim_age"))
    if age is not None:
        person["age"] = age
    persons: list[dict[str, Any]] = []
    if isinstance(row.values.get("persons"), list):
        persons = list(row.values["persons"])
    elif person:
        persons.append({"role": "victim", **person})
    suspects = row.convert("suspects", lambda v: _int(v, "suspects"))
    if suspects is not None:
        persons += [{"role": "suspect"}] * min(50, suspects)
    return persons


def _identifiers(row: _Row) -> list[dict[str, Any]]:
    """The identifiers given whole, and those of the identifier columns that normalise."""
    identifiers: list[dict[str, Any]] = []
    if isinstance(row.values.get("identifiers"), list):
        identifiers = list(row.values["identifiers"])
    for column, kind in IDENTIFIER_COLUMNS.items():
        raw = row.get(column)
        for part in [] if _blank(raw) else _list(raw):
            try:
                normalise_identifier(kind, part)
            except ValueError as exc:
                row.problems.append(Problem(str(exc), field=row.col(column)))
                continue
            identifiers.append({"kind": kind.value, "value": part})
    return identifiers


def row_to_signal(values: Mapping[str, Any], mapping: Mapping[str, str] | None = None) -> SignalCreate | list[Problem]:
    """Build a SignalCreate from one record, or return every problem found in it (field names as columns)."""
    row = _Row(values, mapping or {})
    for field in ("received_at", "observed_at"):
        row.parse(field, _date)
    for field in _TEXT_FIELDS:
        row.parse(field, _text)
    row.parse("indicators", _indicators)
    row.parse("forms", _forms)
    row.parse("facts", _facts)
    persons = _persons(row)
    if persons:
        row.data["persons"] = persons
    identifiers = _identifiers(row)
    if identifiers:
        row.data["identifiers"] = identifiers
    for required in ("received_at", "reporter_org", "reporter_sector"):
        if required not in row.data and not any(p.field == row.col(required) for p in row.problems):
            row.problems.append(Problem("required, but empty or missing", field=row.col(required)))
    if row.problems:
        return row.problems
    try:
        return validate_new_signal(row.data)
    except InvalidInput as exc:
        return [Problem(p.reason, field=_column_of(p.field, row.col)) for p in exc.problems]


def _column_of(place: str | None, col: Any) -> str | None:
    """The import column a validation problem's dotted place belongs to."""
    if not place:
        return None
    parts = place.split(".")
    if parts[0] == "persons":
        return "victim_" + parts[-1] if len(parts) > 2 else "persons"
    return str(col(parts[0]))
