"""Output folders of the Spark engine: staged under a temporary name, renamed whole on success.

A run that fails part-way leaves no half-written folder; a run again replaces the earlier folder
in one rename, so a reader sees the old folder or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from signaal.domain.actor import Actor

__all__ = ["replace_folder", "staging_folder", "write_manifest"]


def staging_folder(out_dir: Path) -> Path:
    """A fresh temporary folder beside ``out_dir`` (same file system, so the rename is atomic)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    return tmp


def replace_folder(tmp: Path, out_dir: Path | None, only: str | None = None) -> None:
    """Put the staged folder in place of ``out_dir`` (None: throw it away).

    With ``only``, just that file of the staged folder is kept (a failed run's skip list).
    """
    if out_dir is None:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    if only is not None:
        for path in tmp.iterdir():
            if path.name != only:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    old = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:12]}"
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _fingerprint(source: str) -> dict[str, object]:
    """Name, size and SHA-256 of a dump file, or of every file of a dump folder in name order.

    A dump on HDFS or S3 is named by its URI (the store keeps its own checksums), a table by
    ``table:NAME``.
    """
    if ("://" in source and not source.startswith("file://")) or source.startswith("table:"):
        return {"name": source}
    path = Path(source.removeprefix("file://"))
    files = (
        sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))
        if path.is_dir()
        else [path]
    )
    digest = hashlib.sha256()
    for file in files:
        with file.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return {"name": path.name, "bytes": sum(f.stat().st_size for f in files), "sha256": digest.hexdigest()}


def write_manifest(
    out_dir: Path,
    actor: Actor,
    dump: str,
    region: str,
    counts: dict[str, int],
    engine: str,
    phases: list[dict[str, Any]] | None = None,
) -> Path:
    """screen.json: who screened which dump, when, in which region, on which engine (and its phases:
    name, seconds since the start and counts, for a run to be read after the fact)."""
    manifest = {
        "screened_by": {"user": actor.user, "org": actor.org, "role": actor.role.value},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dump": _fingerprint(dump),
        "region": region,
        "engine": engine,
        **counts,
    }
    if phases:
        manifest["phases"] = phases
    path = out_dir / "screen.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
