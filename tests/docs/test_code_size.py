"""The code-size check of ``make test`` measures what it says (on a synthetic module)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("code_size", ROOT / "tools" / "code_size.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["code_size"] = module
    spec.loader.exec_module(module)
    return module


def test_a_branchy_long_function_is_measured(tmp_path: Path) -> None:
    tool = _tool()
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(30))
    (tmp_path / "branchy.py").write_text(f"def branchy(x: int) -> int:\n{branches}    return -1\n", encoding="utf-8")
    [(complexity, where)] = tool.complexities(tmp_path)
    assert complexity == 31 and where.endswith("branchy.py:1 branchy")
    [(lines, _where)] = tool.function_lines(tmp_path)
    assert lines == 62


def test_the_package_is_within_the_limits() -> None:
    tool = _tool()
    assert [(v, w) for v, w in tool.complexities() if v > tool.MAX_COMPLEXITY] == []
    assert [(v, w) for v, w in tool.function_lines() if v > tool.MAX_FUNCTION_LINES] == []
    assert [(v, w) for v, w in tool.module_lines() if v > tool.MAX_MODULE_LINES] == []
