"""The output folder of an ad screen: the one place that writes and reads its files.

A screen's folder holds

- ``ads.jsonl``: one line per ad read, in dump order, with its contacts, names, city, language,
  indicator hits (with spans) and its group labels and score;
- ``clusters.jsonl``: the groups shown (two or more ads, or a hub), highest score first;
- ``texts.jsonl``: each ad as written (title, body, name, city, posted, url), to show a group's
  ads with their evidence without reading the dump again;
- ``groups.json``: where each group's line stands in clusters.jsonl and the positions of its ads;
  ``ads.offsets.npy``/``texts.offsets.npy``: where each ad's line starts in those files;
- ``index.json``: what a later check of one ad needs (see :mod:`signaal.ads.check`);
- ``skipped.jsonl``: each record that could not be read, with line, field and reason (no text);
- ``screen.json``: who screened which dump, when, with which region, and the counts;
- ``checks.jsonl`` (beside an index): who checked which ad against it, when, and the outcome.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from signaal.ads.batch import to_json
from signaal.ads.screen import Cluster, ScreenResult
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, NotFound, Problem, StorageError

__all__ = ["ScreenFolder", "ScreenWriter", "labelled_line", "record_check"]


def _actor(actor: Actor) -> dict[str, str]:
    return {"user": actor.user, "org": actor.org, "role": actor.role.value}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def labelled_line(raw: bytes, contact: int, template: int, cluster: int, score: float) -> bytes:
    """An ad's ads.jsonl line (without its line break): the per-ad step's line with its labels.

    The per-ad line is a JSON object: the labels and score are added before its closing brace.
    """
    return b'%s,"contact_cluster":"k%d","template_cluster":"t%d","cluster":"c%d","score":%s}' % (
        raw.rstrip()[:-1],
        contact,
        template,
        cluster,
        str(score).encode(),
    )


class ScreenWriter:
    """Writes a screen's folder as the ads stream through: their lines wait in spool files until
    the grouping step has labelled them. Use as a context manager; nothing is left half-written
    in the folder when the screen fails (``discard``)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._created = not out_dir.exists()
        out_dir.mkdir(parents=True, exist_ok=True)
        self._spools = contextlib.ExitStack()
        self._lines, self._texts, self._masked, self._skipped = (
            self._spools.enter_context(tempfile.TemporaryFile("w+b", dir=out_dir))  # noqa: SIM115 - closed on exit
            for _ in range(4)
        )

    def __enter__(self) -> ScreenWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._spools.close()

    def discard(self) -> None:
        """The dump could not be read: no output, and no empty folder left behind."""
        if self._created:
            shutil.rmtree(self.out_dir, ignore_errors=True)

    def add(self, lines: list[bytes], texts: list[bytes], masked: list[str]) -> None:
        """The output lines, texts and masked texts of a batch of ads read, in order."""
        if lines:
            self._lines.write(b"\n".join(lines) + b"\n")
            self._texts.write(b"\n".join(texts) + b"\n")
            self._masked.write("\n".join(masked).encode("utf-8", "replace") + b"\n")

    def skip(self, problem: Problem) -> None:
        """One record that could not be read: its line, field and reason, never its text."""
        row = {"line": problem.line, "field": problem.field, "reason": problem.reason}
        self._skipped.write(json.dumps(row, ensure_ascii=False).encode("utf-8", "replace") + b"\n")

    def write_skipped(self) -> Path:
        """skipped.jsonl, written as soon as the read is done (also when no ad could be read)."""
        self._skipped.seek(0)
        path = self.out_dir / "skipped.jsonl"
        with path.open("wb") as fh:
            shutil.copyfileobj(self._skipped, fh)
        return path

    def masked_texts(self, wanted: set[int]) -> dict[int, str]:
        """The masked texts of the ads at these positions (for the templates shown)."""
        self._masked.seek(0)
        return {i: t.decode("utf-8").rstrip("\n") for i, t in enumerate(self._masked) if i in wanted}

    def write(self, result: ScreenResult, shown: list[Cluster], index: dict[str, Any]) -> dict[str, str]:
        """ads.jsonl (with the labels), texts.jsonl, clusters.jsonl, their offsets and index.json."""
        out = self.out_dir
        self._lines.seek(0)
        with (out / "ads.jsonl").open("wb") as fh:
            starts = []
            for i, raw in enumerate(self._lines):
                starts.append(fh.tell())
                labels = (result.contact_cluster[i], result.template_cluster[i], result.cluster[i])
                fh.write(labelled_line(raw, *labels, result.ad_scores[i]) + b"\n")
        np.save(out / "ads.offsets.npy", np.asarray(starts, dtype=np.int64))
        self._texts.seek(0)
        with (out / "texts.jsonl").open("wb") as fh:
            starts = []
            for raw in self._texts:
                starts.append(fh.tell())
                fh.write(raw)
        np.save(out / "texts.offsets.npy", np.asarray(starts, dtype=np.int64))
        members: dict[str, list[int]] = {c.id: [] for c in shown}
        for i, label in enumerate(result.cluster):
            group = members.get(f"c{label}")
            if group is not None:
                group.append(i)
        groups: dict[str, Any] = {}
        with (out / "clusters.jsonl").open("wb") as fh:
            for c in shown:
                groups[c.id] = {"at": fh.tell(), "ads": members[c.id]}
                fh.write(to_json({**c.as_dict(), "template_ads": c.template_ads}) + b"\n")
        (out / "groups.json").write_bytes(to_json(groups))
        (out / "index.json").write_bytes(to_json(index))
        return {
            "ads": str(out / "ads.jsonl"),
            "clusters": str(out / "clusters.jsonl"),
            "texts": str(out / "texts.jsonl"),
            "index": str(out / "index.json"),
        }

    def write_manifest(self, actor: Actor, dump: Path, region: str, counts: dict[str, int]) -> Path:
        """screen.json: who screened which dump (name, size, SHA-256), when, in which region."""
        manifest = {
            "screened_by": _actor(actor),
            "at": _now(),
            "dump": {"name": dump.name, "bytes": dump.stat().st_size, "sha256": _sha256(dump)},
            "region": region,
            **counts,
        }
        path = self.out_dir / "screen.json"
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


class ScreenFolder:
    """Reads a screen's folder: its groups, one group and its ads, without reading all of it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    def _path(self, name: str) -> Path:
        path = self.out_dir / name
        if not path.is_file():
            raise InvalidInput(f"{path}: no {name}; run 'signaal ads screen' first")
        return path

    def groups(self) -> list[dict[str, Any]]:
        """Every group shown, highest score first (then more ads, then id)."""
        with self._path("clusters.jsonl").open(encoding="utf-8") as fh:
            groups = [json.loads(line) for line in fh if line.strip()]
        groups.sort(key=lambda c: (-float(c["score"]), -len(c["ads"]), c["id"]))
        return groups

    def _group_index(self) -> dict[str, Any]:
        return json.loads(self._path("groups.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    def group(self, group_id: str) -> dict[str, Any]:
        """One group's line of clusters.jsonl, read where it stands; NotFound when there is none."""
        entry = self._group_index().get(group_id)
        if entry is None:
            raise NotFound(f"no group {group_id!r} in this screen")
        with self._path("clusters.jsonl").open("rb") as fh:
            fh.seek(int(entry["at"]))
            return json.loads(fh.readline())  # type: ignore[no-any-return]

    def _lines_at(self, name: str, positions: Iterable[int]) -> Iterator[dict[str, Any]]:
        offsets = np.load(self._path(name.replace(".jsonl", ".offsets.npy")), mmap_mode="r")
        with self._path(name).open("rb") as fh:
            for i in positions:
                fh.seek(int(offsets[i]))
                yield json.loads(fh.readline())

    def group_ads(self, group_id: str, limit: int | None = None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The first ``limit`` ads of a group: each ad's ads.jsonl line and its text line."""
        positions = self._group_index()[group_id]["ads"] if group_id in self._group_index() else []
        positions = positions[:limit] if limit is not None else positions
        return list(zip(self._lines_at("ads.jsonl", positions), self._lines_at("texts.jsonl", positions), strict=True))

    def urls(self, group_ids: Iterable[str]) -> dict[str, str]:
        """The URL of each ad of these groups that has one, by ad id."""
        index = self._group_index()
        positions = [i for g in group_ids for i in index.get(g, {}).get("ads", [])]
        return {ad["id"]: ad["url"] for ad in self._lines_at("ads.jsonl", sorted(positions)) if ad.get("url")}

    def manifest(self) -> dict[str, Any]:
        """screen.json: who screened which dump and when."""
        return json.loads(self._path("screen.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def record_check(index_path: Path, actor: Actor, ad_id: str, outcome: dict[str, Any]) -> None:
    """Add who checked which ad against an index, when, and what it found, to checks.jsonl beside it.

    The ad's text is not kept. An index whose folder cannot be written refuses the check: a check
    that is not recorded is not made.
    """
    row = {
        "at": _now(),
        "checked_by": _actor(actor),
        "ad": ad_id,
        "score": outcome.get("score"),
        "known_clusters": outcome.get("known_clusters", []),
        "template_clusters": outcome.get("template_clusters", []),
        "known_hubs": [h.get("contact") for h in outcome.get("known_hubs", [])],
    }
    try:
        with (index_path.parent / "checks.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError:
        raise StorageError("the check could not be recorded beside the index; nothing was checked") from None
