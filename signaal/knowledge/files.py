"""The one reader of data files: every file the package ships, replaced by an organisation's own copy.

Every data file has a name that is unique in the package (``indicators.yaml``, ``routing_rules.yaml``,
``lexicon_ads_nl.yaml``, ``gazetteer_nl.csv``, ``rules.yaml`` ...). One rule overrides all of them:
a file of the same name in the organisation's folder (``SIGNAAL_CATALOGUE_DIR``) replaces the bundled
file whole. The contact directory has one more way in: ``SIGNAAL_DIRECTORY_FILE`` lists entries that
replace the bundled entries of the same id (``directory_override``).

YAML files are read with the line of every entry, so that a validator that names an entry by its
path (``indicators.deception[2]``, ``countries[4].group``, an entry's ``id``) gets the file and
line filled in (:meth:`DataFiles.located`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from signaal.catalogue.files import KNOWN_FILES, Record, SourceFile
from signaal.errors import CatalogueError, Problem

__all__ = ["BUNDLED", "DataFiles", "Document", "Record", "SourceFile", "parse_yaml"]

_CATALOGUE = "catalogue/data"
#: Every data file the package ships, by name, with the folder (inside ``signaal/``) it lives in.
BUNDLED: dict[str, str] = {
    **{
        name: _CATALOGUE
        for name in (
            *KNOWN_FILES,
            "nationalities.yaml",
            "trend_breaks.yaml",
            "retention.yaml",
            "legal_bases.yaml",
            "routing_rules.yaml",
            "directory.yaml",
            "lexicon_narrative_nl.yaml",
            "lexicon_narrative_en.yaml",
            "lexicon_ads_nl.yaml",
            "lexicon_ads_en.yaml",
            "gazetteer_nl.csv",
        )
    },
    "rules.yaml": "ads/data",
    "ad_reasons.yaml": "ads/data",
    "text.yaml": "ads/data",
    "language_profiles.yaml": "text/data",
    "network_rules.yaml": "link/data",
    "person_model.json": "link/data",
}


@dataclass(frozen=True)
class Document:
    """A parsed YAML or JSON file: its content, the name shown in errors, and the line of each path."""

    name: str
    path: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict, repr=False)

    def line_of(self, where: str | None) -> int | None:
        """The line of a path (``a.b[2].c``) or an entry id; the nearest enclosing one when not found."""
        while where:
            if where in self.lines:
                return self.lines[where]
            cut = max(where.rfind("."), where.rfind("["))
            where = where[:cut] if cut > 0 else ""
        return None


# libyaml parses about ten times faster when it is installed; construction stays safe either way.
if TYPE_CHECKING:
    _Loader = yaml.SafeLoader
else:
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _node_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    """Record the (1-based) line of every path in a composed YAML tree; entries also by their id."""
    if path:
        lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines.setdefault(child, key.start_mark.line + 1)
            _node_lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, f"{path}[{index}]", lines)
            if isinstance(item, yaml.MappingNode):
                for key, value in item.value:
                    if key.value in ("id", "code") and isinstance(value, yaml.ScalarNode):
                        lines.setdefault(str(value.value), item.start_mark.line + 1)
                        _node_lines(item, str(value.value), lines)


def parse_yaml(name: str, shown: str, text: str) -> Document:
    """A YAML document with the line of every path; a syntax error names file and line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CatalogueError(
            f"data file {shown} is not valid YAML",
            [Problem(f"YAML syntax error: {getattr(exc, 'problem', None) or exc}", shown, line)],
        ) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _node_lines(node, "", lines)
    return Document(name, shown, data, lines)


def _parse_json(name: str, shown: str, text: str) -> Document:
    try:
        return Document(name, shown, json.loads(text))
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"data file {shown} is not valid JSON", [Problem(f"JSON syntax error: {exc.msg}", shown, exc.lineno)]
        ) from None


def _yaml_records(doc: Document) -> tuple[Record, ...]:
    """Entries of a list-shaped YAML file: a top-level list, or a mapping with one list in it."""
    entries: Any = [] if doc.data is None else doc.data
    prefix = ""
    if isinstance(doc.data, dict):
        lists = [(key, value) for key, value in doc.data.items() if isinstance(value, list)]
        prefix, entries = lists[0] if len(lists) == 1 else ("", None)
    if not isinstance(entries, list):
        raise CatalogueError(
            f"data file {doc.path} has the wrong shape",
            [Problem("expected a list of entries (or a mapping holding one list)", doc.path, 1)],
        )
    records: list[Record] = []
    for index, entry in enumerate(entries):
        line = doc.lines.get(f"{prefix}[{index}]")
        if not isinstance(entry, dict):
            raise CatalogueError(
                f"data file {doc.path} has the wrong shape",
                [Problem(f"entry {index + 1} is not a mapping of fields", doc.path, line)],
            )
        records.append(Record(line, {str(k): v for k, v in entry.items()}))
    return tuple(records)


def _csv_records(shown: str, text: str) -> tuple[Record, ...]:
    """Rows of a CSV file, each with its line number; '#' lines are comments."""
    lines = list(io.StringIO(text))
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
                f"data file {shown} has a malformed row", [Problem("more values than columns", shown, line_no)]
            )
        records.append(Record(line_no, {key.strip(): (value or "").strip() for key, value in row.items() if key}))
    return tuple(records)


# How validators name an entry at the start of a reason ("rule R1 step 2: unknown contact id"):
# as a path, or a rule, its step or a meldcode step, which are paths too.
_WHERE = re.compile(r"^(?P<where>[\w.\[\]-]+|rule \S+(?: step \d+)?|meldcode step \d+): ")
_STEP = re.compile(r"^(?:rule (?P<rule>\S+)(?: step (?P<step>\d+))?|meldcode step (?P<mstep>\d+))$")


def _where_path(where: str) -> str:
    """The path of an entry as a validator names it: a path, "rule ID", "rule ID step N", "meldcode step N"."""
    found = _STEP.match(where)
    if found is None:
        return where
    if found["rule"] is None:
        return f"meldcode[{int(found['mstep']) - 1}]"
    return found["rule"] if found["step"] is None else f"{found['rule']}.steps[{int(found['step']) - 1}]"


def _line(doc: Document, problem: Problem) -> int | None:
    """The line a problem is about: its field as a path, else within the entry its reason names."""
    where = _WHERE.match(problem.reason)
    base = _where_path(where["where"]) if where else ""
    candidates = [f"{base}.{problem.field}" if base and problem.field else None, problem.field, base]
    for path in candidates:
        if path and path in doc.lines:
            return doc.lines[path]
    return doc.line_of(problem.field) or doc.line_of(base)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"data file {path} cannot be read", [Problem(str(exc), str(path))]) from None


@dataclass(frozen=True)
class DataFiles:
    """Where data files come from: the package, an organisation's folder, its directory file."""

    catalogue_dir: Path | None = None
    directory_file: Path | None = None

    def __post_init__(self) -> None:
        if self.catalogue_dir is not None and not Path(self.catalogue_dir).is_dir():
            raise CatalogueError(f"catalogue override folder {self.catalogue_dir} does not exist or is not a folder")

    def override_of(self, name: str) -> Path | None:
        """The organisation's copy of a data file, if it has one."""
        if self.catalogue_dir is None:
            return None
        path = Path(self.catalogue_dir) / name
        return path if path.is_file() else None

    def text(self, name: str) -> tuple[str, str]:
        """(name shown in errors, text) of a data file: the organisation's copy, else the bundled one."""
        if name not in BUNDLED:
            raise CatalogueError(f"no data file named {name!r}")
        override = self.override_of(name)
        if override is not None:
            return str(override), _read(override)
        shown = f"signaal/{BUNDLED[name]}/{name}"
        return shown, resources.files("signaal").joinpath(BUNDLED[name], name).read_text(encoding="utf-8")

    def document(self, name: str) -> Document:
        """A YAML or JSON data file, parsed, with the line of every path."""
        shown, text = self.text(name)
        return (_parse_json if name.endswith(".json") else parse_yaml)(name, shown, text)

    def records(self, name: str) -> SourceFile:
        """A list-shaped data file (YAML or CSV), one record per entry with its line."""
        shown, text = self.text(name)
        if name.endswith(".csv"):
            return SourceFile(name, shown, _csv_records(shown, text))
        return SourceFile(name, shown, _yaml_records(parse_yaml(name, shown, text)))

    def directory_override(self) -> Document | None:
        """The organisation's directory file; None while none is configured or loaded yet."""
        path = self.directory_file
        if path is None or not Path(path).exists():
            return None
        return parse_yaml(Path(path).name, str(path), _read(Path(path)))

    @staticmethod
    @contextmanager
    def located(doc: Document) -> Iterator[None]:
        """Fill in the line of every problem about ``doc`` that names an entry but no line."""
        try:
            yield
        except CatalogueError as exc:
            problems = [
                replace(p, file=p.file or doc.path, line=_line(doc, p))
                if p.line is None and p.file in (None, doc.path, doc.name)
                else p
                for p in exc.problems
            ]
            raise CatalogueError(exc.message, problems, code=exc.code, values=exc.values) from None
