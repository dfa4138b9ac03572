"""Shared helpers of the narrative benchmarks: where the data is, and the machine facts."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """The shared data folder (../shared/data from the repository root, or $SIGNAAL_SHARED_DATA)."""
    override = os.environ.get("SIGNAAL_SHARED_DATA")
    return Path(override) if override else (ROOT / ".." / "shared" / "data").resolve()


def machine() -> dict[str, Any]:
    """nproc, CPU model and Python version, recorded with every result."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}
