"""Every CLI command, setting and import column is documented, so the docs cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from signaal.cli import app
from signaal.ingest.signals import COLUMNS
from signaal.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def command_paths(command: Any, prefix: str = "signaal") -> list[str]:
    """Every leaf command path of the command tree."""
    if getattr(command, "commands", None):
        paths = []
        for name, sub in command.commands.items():
            paths += command_paths(sub, f"{prefix} {name}")
        return paths
    return [prefix]


def test_every_cli_command_has_a_heading_in_docs_cli() -> None:
    documented = set()
    for page in (ROOT / "docs" / "cli").glob("*.md"):
        documented |= {m.strip() for m in re.findall(r"^##+\s+`?(signaal[^`\n]*)`?\s*$", page.read_text(), re.M)}
    commands = command_paths(typer.main.get_command(app))
    assert len(commands) >= 8
    missing = [c for c in commands if c not in documented]
    assert not missing, f"undocumented commands (add a '## {missing[0]}' heading under docs/cli/): {missing}"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    missing = [f"SIGNAAL_{name.upper()}" for name in Settings.model_fields if f"SIGNAAL_{name.upper()}" not in text]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_import_column_is_documented() -> None:
    text = (ROOT / "docs" / "import.md").read_text()
    missing = [c for c in COLUMNS if f"`{c}`" not in text]
    assert not missing, f"columns missing from docs/import.md: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    assert first_block is not None
    assert first_block.group(1).split() == ["make", "demo", "make", "test"]
