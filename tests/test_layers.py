"""The layers of the package: the core and the services never import the interfaces.

Only ``signaal/web`` and ``signaal/cli`` may import ``signaal.web``, and only ``signaal/cli`` may
import ``signaal.cli``: the core, the services, the stores and the engines serve every interface
alike. Every module under ``signaal/`` is read as a syntax tree, so an import inside a function
counts as much as one at the top, and so does a module named to ``importlib.import_module``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import signaal

PACKAGE = Path(signaal.__file__).parent
# interface package -> the packages that may import it
INTERFACES: dict[str, tuple[str, ...]] = {"signaal.web": ("web", "cli"), "signaal.cli": ("cli",)}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every import in ``source``, relative imports made absolute."""
    found: list[tuple[int, str]] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def upward_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    """The imports of an interface that ``module`` may not import, as 'line N: name' (one per line)."""
    area = module.split(".")[1] if module.count(".") else ""
    wrong: dict[int, str] = {}
    for line, name in imported_modules(source, module, is_package):
        for interface, allowed in INTERFACES.items():
            if (name == interface or name.startswith(interface + ".")) and area not in allowed:
                wrong.setdefault(line, f"line {line}: {name}")
    return list(wrong.values())


def test_no_module_outside_the_interfaces_imports_them() -> None:
    problems = []
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 100  # the whole package is read
    for path in modules:
        module = _module_name(path)
        for problem in upward_imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            problems.append(f"{path.relative_to(PACKAGE.parent)} {problem}")
    assert not problems, "the core imports an interface:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(
    ("source", "module", "wrong"),
    [
        ("from signaal.web.i18n import Translator", "signaal.ads.report", ["line 1: signaal.web.i18n"]),
        ("def f():\n    import signaal.web.ads_reasons", "signaal.ads.report", ["line 2: signaal.web.ads_reasons"]),
        ("from ..web import i18n", "signaal.ads.report", ["line 1: signaal.web"]),
        ("from signaal import web", "signaal.services.ads", ["line 1: signaal.web"]),
        ("importlib.import_module('signaal.cli.ads')", "signaal.web.app", ["line 1: signaal.cli.ads"]),
        ("from signaal.web.i18n import Translator", "signaal.web.pages", []),
        ("from signaal.web.app import create_app", "signaal.cli.serve", []),
        ("from signaal.webhooks import x", "signaal.ads.report", []),
        ("from . import reasons", "signaal.ads", []),
    ],
)
def test_the_check_finds_every_form_of_an_upward_import(source: str, module: str, wrong: list[str]) -> None:
    assert upward_imports(source, module, is_package=module == "signaal.ads") == wrong
