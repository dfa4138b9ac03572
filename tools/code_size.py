"""How big the code is: the longest modules and functions and the most complex functions of signaal/.

Prints the worst of each and exits 1 when a module is over 500 lines, a function over 80 lines
or a function's cyclomatic complexity (ruff's C901, McCabe) over 25. Run by ``make test``.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "signaal"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
MAX_COMPLEXITY = 25
SHOWN = 8
_EXCLUDED = ("signaal/store/migrations/versions/",)
_COMPLEXITY = re.compile(r"is too complex \((\d+) > \d+\)")


def _modules(package: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if not any(x in p.as_posix() for x in _EXCLUDED))


def module_lines() -> list[tuple[int, str]]:
    """Each module's number of lines, with its path."""
    return [(len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(ROOT))) for p in _modules()]


def function_lines(package: Path = PACKAGE) -> list[tuple[int, str]]:
    """Each function's number of lines (its docstring included), with where it is."""
    out: list[tuple[int, str]] = []
    for path in _modules(package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                out.append((node.end_lineno - node.lineno + 1, f"{_shown(path)}:{node.lineno} {node.name}"))
    return out


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def complexities(package: Path = PACKAGE) -> list[tuple[int, str]]:
    """Each function's McCabe complexity as ruff's C901 computes it, with where it is."""
    command = [
        str(Path(sys.executable).with_name("ruff")),
        "check",
        str(package),
        "--select",
        "C901",
        "--config",
        "lint.mccabe.max-complexity=0",
        "--output-format",
        "json",
        "--exit-zero",
        "--no-cache",
    ]
    found = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    out: list[tuple[int, str]] = []
    for item in found:
        m = _COMPLEXITY.search(item["message"])
        if m:
            where = f"{_shown(Path(item['filename']))}:{item['location']['row']}"
            out.append((int(m.group(1)), f"{where} {item['message'].split('`')[1]}"))
    return out


def _show(title: str, rows: list[tuple[int, str]], limit: int) -> list[str]:
    rows = sorted(rows, reverse=True)
    print(f"{title} (limit {limit}):")
    for value, where in rows[:SHOWN]:
        print(f"  {value:5d}  {where}{'  <- over' if value > limit else ''}")
    return [f"{where}: {value} > {limit}" for value, where in rows if value > limit]


def main() -> int:
    over = _show("longest modules, lines", module_lines(), MAX_MODULE_LINES)
    over += _show("longest functions, lines", function_lines(), MAX_FUNCTION_LINES)
    over += _show("most complex functions, McCabe", complexities(), MAX_COMPLEXITY)
    if over:
        print(f"{len(over)} over the limits:\n  " + "\n  ".join(over))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
