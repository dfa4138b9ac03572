"""Reading catalogue files: bundled package data, overridden per file by an organisation's folder.

This is the only module of the package that touches files. It returns plain records (a line
number and a mapping) so that validation can name the file and line of every bad entry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from signaal.errors import CatalogueError, Problem

__all__ = ["KNOWN_FILES", "Record", "SourceFile", "read_sources"]

#: The files this package owns and reads; any other file in a folder is ignored, because
#: lexicons, gazetteers, routing rules and the directory live beside them and load elsewhere.
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
    """One entry of a catalogue file: where it starts and what it says."""

    line: int | None
    data: dict[str, Any]


@dataclass(frozen=True)
class SourceFile:
    """A parsed catalogue file: the name shown in errors and its entries."""

    name: str
    path: str
    records: tuple[Record, ...]


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on in its YAML file."""

    line: int | None = None


# libyaml parses about ten times faster when it is installed; construction stays safe either way.
if TYPE_CHECKING:
    _SafeBase = yaml.SafeLoader
else:
    _SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    """Safe loader that records the (1-based) start line of every mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = _LineDict({str(k): v for k, v in super().construct_mapping(node, deep=deep).items()})
        mapping.line = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node, deep=True),  # type: ignore[arg-type]
)


def _yaml_records(name: str, shown: str, text: str) -> tuple[Record, ...]:
    """Entries of a YAML catalogue file: a top-level list, or a mapping with one list in it."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CatalogueError(
            f"catalogue file {shown} is not valid YAML",
            [Problem(f"YAML syntax error: {getattr(exc, 'problem', exc)}", shown, line)],
        ) from exc
    entries: Any = doc
    if isinstance(doc, dict):
        lists = [value for value in doc.values() if isinstance(value, list)]
        entries = lists[0] if len(lists) == 1 else None
    if doc is None:
        entries = []
    if not isinstance(entries, list):
        raise CatalogueError(
            f"catalogue file {shown} has the wrong shape",
            [Problem("expected a list of entries (or a mapping holding one list)", shown, 1)],
        )
    records: list[Record] = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CatalogueError(
                f"catalogue file {shown} has the wrong shape",
                [Problem(f"entry {index} is not a mapping of fields", shown)],
            )
        records.append(Record(getattr(entry, "line", None), dict(entry)))
    return tuple(records)


def _csv_records(shown: str, text: str) -> tuple[Record, ...]:
    """Rows of a CSV catalogue file, each with its line number; '#' lines are comments."""
    lines = [line for line in io.StringIO(text)]
    kept = [(n, line) for n, line in enumerate(lines, start=1) if not line.lstrip().startswith("#")]
    if not kept:
        return ()
    reader = csv.DictReader(line for _, line in kept)
    records: list[Record] = []
    for row in reader:
        # reader.line_num counts the kept lines read so far; map it back to the file's line.
        line_no = kept[reader.line_num - 1][0] if reader.line_num - 1 < len(kept) else None
        if None in row:
            raise CatalogueError(
                f"catalogue file {shown} has a malformed row",
                [Problem("more values than columns", shown, line_no)],
            )
        data = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        records.append(Record(line_no, data))
    return tuple(records)


def _parse(name: str, shown: str, text: str) -> SourceFile:
    """Parse one file by its extension."""
    if name.endswith(".csv"):
        return SourceFile(name, shown, _csv_records(shown, text))
    return SourceFile(name, shown, _yaml_records(name, shown, text))


def read_sources(override_dir: Path | None = None) -> dict[str, SourceFile]:
    """Read every known catalogue file; a file of the same name in ``override_dir`` wins."""
    if override_dir is not None and not override_dir.is_dir():
        raise CatalogueError(f"catalogue override folder {override_dir} does not exist or is not a folder")
    bundled = resources.files("signaal.catalogue") / "data"
    sources: dict[str, SourceFile] = {}
    for name in KNOWN_FILES:
        override = override_dir / name if override_dir is not None else None
        if override is not None and override.is_file():
            try:
                text = override.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CatalogueError(
                    f"catalogue file {override} cannot be read", [Problem(str(exc), str(override))]
                ) from exc
            sources[name] = _parse(name, str(override), text)
        else:
            resource = bundled / name
            text = resource.read_text(encoding="utf-8")
            sources[name] = _parse(name, f"signaal/catalogue/data/{name}", text)
    return sources
