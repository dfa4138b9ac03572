"""Reading the rule and directory files: the one module of the triage package that touches files.

Bundled files live in ``signaal/catalogue/data``; an organisation overrides the rules with a file of
the same name in its catalogue directory and the directory with its own YAML file (only the entries
it lists are replaced).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from signaal.errors import CatalogueError, Problem
from signaal.triage.directory import Directory, parse_directory
from signaal.triage.rules import RuleSet, parse_rules

__all__ = ["BUNDLED_DIR", "load_directory", "load_rules", "read_yaml", "reload_directory"]

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "catalogue" / "data"
RULES_FILE = "routing_rules.yaml"
DIRECTORY_FILE = "directory.yaml"


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning read and syntax errors into a CatalogueError with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise CatalogueError(
            f"{path.name}: not valid YAML",
            [Problem(str(exc.problem or exc), file=str(path), line=line)],
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from None


@lru_cache(maxsize=8)
def _directory(override: str | None) -> Directory:
    base = parse_directory(read_yaml(BUNDLED_DIR / DIRECTORY_FILE), DIRECTORY_FILE)
    if override is None:
        return base
    path = Path(override)
    return parse_directory(read_yaml(path), str(path), base=base)


@lru_cache(maxsize=8)
def _rules(catalogue_dir: str | None, contact_ids: tuple[str, ...]) -> RuleSet:
    path = BUNDLED_DIR / RULES_FILE
    if catalogue_dir is not None and (Path(catalogue_dir) / RULES_FILE).is_file():
        path = Path(catalogue_dir) / RULES_FILE
    return parse_rules(read_yaml(path), str(path.name), contact_ids=contact_ids)


def load_directory(override: Path | None = None) -> Directory:
    """The bundled contact directory, with an organisation's override file applied.

    A configured file that does not exist yet means "no own list loaded yet" (an admin can load
    one from the web page); the directory page says which list is in force.
    """
    return _directory(None if override is None or not Path(override).exists() else str(override))


def load_rules(catalogue_dir: Path | None = None, directory: Directory | None = None) -> RuleSet:
    """The routing rules (an organisation's copy in ``catalogue_dir`` wins), checked against contacts."""
    return _rules(
        None if catalogue_dir is None else str(catalogue_dir),
        tuple((directory if directory is not None else load_directory()).national),
    )


def reload_directory() -> None:
    """Forget the directories read so far, so the next lookup reads an organisation's new file."""
    _directory.cache_clear()
