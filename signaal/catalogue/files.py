"""The shape of a catalogue file as read: entries with the line they start on.

The files are read by the one loader (``signaal.knowledge``), which applies an organisation's
overrides; the builders here turn records into typed objects and name the file and line of
every bad entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KNOWN_FILES", "Record", "SourceFile"]

#: The files the catalogue is built from (validated together).
KNOWN_FILES: tuple[str, ...] = (
    "forms.yaml",
    "indicators.yaml",
    "sectors.yaml",
    "reporter_sectors.yaml",
    "police_units.yaml",
    "provinces.yaml",
    "veilig_thuis_regions.yaml",
    "care_regions.csv",
    "municipalities.csv",
)


@dataclass(frozen=True)
class Record:
    """One entry of a list-shaped file: where it starts and what it says."""

    line: int | None
    data: dict[str, Any]


@dataclass(frozen=True)
class SourceFile:
    """A list-shaped file (catalogue YAML or CSV): the name shown in errors and its entries."""

    name: str
    path: str
    records: tuple[Record, ...]
