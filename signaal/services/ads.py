"""Ad screening use cases: screen a dump, check one new ad, promote groups to signals.

Each takes the acting user. A screen streams the dump through the per-batch step (the local
engine, :mod:`signaal.services.ads_engine`), groups the ads (:func:`signaal.ads.screen_features`)
and writes its folder (:mod:`signaal.store.screen_files`), with who screened which dump; a check
reads one ad against a screen's index (:func:`signaal.ads.check.check_ad`) and records who
checked which ad.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from signaal.ads import resources as ad_resources
from signaal.ads.batch import join_batches
from signaal.ads.check import check_ad, usable_index
from signaal.ads.extract import extract
from signaal.ads.model import Ad, AdFeatures
from signaal.ads.report import render_report
from signaal.ads.screen import Cluster, ScreenResult, describe_templates, screen_features
from signaal.ads.textsim import Sketch
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, Problem, SignaalError
from signaal.ingest.ads import FirstIds, SkipReport, open_records, read_ads
from signaal.knowledge import knowledge_for
from signaal.services.ads_engine import Batch, Interner, default_workers, run_batches, warm
from signaal.settings import Settings
from signaal.store.screen_files import ScreenFolder, ScreenWriter, record_check

__all__ = ["ScreenSummary", "check_one_ad", "load_index", "promote_groups", "screen_ads", "screen_dump"]

# From this many ads on, the features of the ads kept in memory share their equal parts (see
# ads_engine.Interner): below it the memory saved is small and the time is not.
_INTERN_FROM = 20_000
# Groups of a screen's HTML report, and ads shown per group.
_REPORT_GROUPS = 200
_REPORT_ADS = 10


@dataclass
class ScreenSummary:
    """What a screen did: counts, timings, skip report and the paths written."""

    ads: int
    clusters: int
    hubs: int
    skipped: SkipReport
    seconds: float
    outputs: dict[str, str] = field(default_factory=dict)
    oversized_keys: list[str] = field(default_factory=list)


def screen_ads(
    actor: Actor, ads: Iterable[Ad], settings: Settings, region: str = "NL", workers: int = 1
) -> tuple[list[AdFeatures], ScreenResult]:
    """Screen ads held in memory (nothing written): their full features and the grouping."""
    del actor  # nothing is written or disclosed: a screen in memory leaves no record
    with ad_resources.use(knowledge_for(settings).ads):  # the organisation's lexicon, gazetteer, rules
        return _screen_ads(ads, settings, region, workers)


def _screen_ads(
    ads: Iterable[Ad], settings: Settings, region: str, workers: int
) -> tuple[list[AdFeatures], ScreenResult]:
    feats: list[AdFeatures] = []
    sketches: list[Sketch] = []
    for batch in run_batches(ads, region, workers, keep_full=True):
        feats.extend(batch.result.features)
        sketches.append(batch.result.sketch)
    result = screen_features(
        feats,
        max_group_size=settings.ads_max_group_size,
        movement_window_days=settings.ads_movement_window_days,
        sketched=join_batches(sketches),
    )
    return feats, result


class _Reading:
    """The ads of a dump as they come out of the per-batch step: duplicates and unreadable records
    reported in line order, the slim features kept, the output lines spooled."""

    def __init__(self, writer: ScreenWriter, file_name: str) -> None:
        self.writer = writer
        self.file_name = file_name
        self.feats: list[AdFeatures] = []
        self.sketches: list[Sketch] = []
        self.from_reader: deque[Problem] = deque()  # records the reader skipped itself, as it read
        self.report = SkipReport(sink=writer.skip)
        self._ids = FirstIds()
        self._intern = Interner()

    def reader_problems(self, upto: int | None) -> list[Problem]:
        """The reader's own problems up to a line (all of them with None)."""
        taken = []
        while self.from_reader and (upto is None or (self.from_reader[0].line or 0) <= upto):
            taken.append(self.from_reader.popleft())
        return taken

    def add(self, batch: Batch) -> None:
        """One batch: its duplicates dropped, its problems reported, its ads kept."""
        result = batch.result
        twice = [
            self._ids.duplicate(f.ad_id, line, self.file_name)
            for f, line in zip(result.features, batch.lines, strict=True)
        ]
        keep = [i for i, d in enumerate(twice) if d is None]
        problems = [*batch.problems, *(d for d in twice if d is not None)]
        for problem in sorted([*self.reader_problems(batch.last_line), *problems], key=lambda p: p.line or 0):
            self.report.skip(problem)
        feats = [result.features[i] for i in keep]
        self.report.read += len(feats)
        self.writer.add(
            [result.lines[i] for i in keep], [result.texts[i] for i in keep], [f.masked_text for f in feats]
        )
        for f in feats:
            f.masked_text = ""  # it waits on disk for the templates shown
        self.feats.extend(map(self._intern, feats) if len(self.feats) >= _INTERN_FROM else feats)
        self.sketches.append(result.sketch.select(keep) if len(keep) < len(twice) else result.sketch)


def _no_ads(path: Path, report: SkipReport) -> InvalidInput:
    hint = ""
    if any(p.reason.startswith("no title or body field") for p in report.problems):
        hint = "; name the field that holds the ad text with --map body=FIELD"
    return InvalidInput(
        f"{path.name}: no ad could be read: all {report.skipped} records were skipped "
        f"(each is listed in skipped.jsonl in the output folder){hint}",
        report.problems[:10],
        code="ads_no_ad_read",
        values={"file": path.name, "skipped": str(report.skipped)},
    )


def screen_dump(
    actor: Actor,
    path: Path,
    out_dir: Path,
    settings: Settings,
    *,
    mapping: dict[str, str] | None = None,
    region: str = "NL",
    min_score: float = 0.0,
    html: bool = True,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    encoding: str = "utf-8",
) -> ScreenSummary:
    """Screen a dump file into ``out_dir`` (see store.screen_files for what it holds), recording who
    screened which dump.

    A later ad with an id read before is skipped as a duplicate (see ingest.ads.FirstIds). A file
    that cannot be read (a CSV line that is not ``encoding`` text, a broken workbook, no title or
    body column) raises InvalidInput and writes nothing; a dump in which no ad can be read raises
    InvalidInput after writing only skipped.jsonl.
    """
    with ad_resources.use(knowledge_for(settings).ads):  # the organisation's lexicon, gazetteer, rules
        return _screen_dump(
            actor, path, out_dir, settings, mapping, region, min_score, html, progress, workers, encoding
        )


def _screen_dump(
    actor: Actor,
    path: Path,
    out_dir: Path,
    settings: Settings,
    mapping: dict[str, str] | None,
    region: str,
    min_score: float,
    html: bool,
    progress: Callable[[int], None] | None,
    workers: int | None,
    encoding: str,
) -> ScreenSummary:
    started = time.perf_counter()
    with ScreenWriter(out_dir) as writer:
        reading = _read_dump(writer, path, settings, mapping, region, progress, workers, encoding)
        writer.write_skipped()
        if not reading.feats:
            raise _no_ads(path, reading.report)
        result = screen_features(
            reading.feats,
            max_group_size=settings.ads_max_group_size,
            movement_window_days=settings.ads_movement_window_days,
            sketched=join_batches(reading.sketches),
        )
        reading.sketches.clear()
        describe_templates(
            result.clusters, writer.masked_texts({i for c in result.clusters for i in c.template_members})
        )
        shown = [c for c in result.clusters if (len(c.ads) > 1 or c.hubs) and c.score >= min_score]
        from signaal.ads.check import build_index

        outputs = writer.write(result, shown, build_index(reading.feats, result))
        counts = {
            "ads": len(reading.feats),
            "skipped": reading.report.skipped,
            "groups": len(shown),
            "hubs": len(result.hubs),
        }
        outputs["screen"] = str(writer.write_manifest(actor, path, region, counts))
    if html:
        outputs["report"] = str(_write_report(out_dir, path, shown, counts, settings, mapping, region, encoding))
    outputs["skipped"] = str(out_dir / "skipped.jsonl")
    return ScreenSummary(
        ads=len(reading.feats),
        clusters=len(shown),
        hubs=len(result.hubs),
        skipped=reading.report,
        seconds=time.perf_counter() - started,
        outputs=outputs,
        oversized_keys=result.oversized_keys,
    )


def _read_dump(
    writer: ScreenWriter,
    path: Path,
    settings: Settings,
    mapping: dict[str, str] | None,
    region: str,
    progress: Callable[[int], None] | None,
    workers: int | None,
    encoding: str,
) -> _Reading:
    """The dump through the per-batch step into the writer's spools; what was read."""
    from_reader: deque[Problem] = deque()
    try:
        records, parser = open_records(
            path, mapping, settings.ads_max_ad_bytes, SkipReport(sink=from_reader.append), encoding
        )
        reading = _Reading(writer, parser.name)
        reading.from_reader = from_reader
        for batch in run_batches(records, region, workers or default_workers(), parser):
            reading.add(batch)
            if progress is not None:
                progress(batch.records)
    except SignaalError:
        writer.discard()
        raise
    for problem in reading.reader_problems(None):
        reading.report.skip(problem)
    if not reading.feats and not reading.report.skipped:
        writer.discard()
        raise InvalidInput(
            f"{path.name}: no ads in the file (it has no records)", code="ads_no_records", values={"file": path.name}
        )
    return reading


def _write_report(
    out_dir: Path,
    path: Path,
    shown: list[Cluster],
    counts: dict[str, int],
    settings: Settings,
    mapping: dict[str, str] | None,
    region: str,
    encoding: str,
) -> Path:
    """report.html: the top groups, their first ads read and extracted again (only those shown)."""
    top = [c.as_dict() for c in shown[:_REPORT_GROUPS]]
    wanted = {a for c in shown[:_REPORT_GROUPS] for a in c.ads[:_REPORT_ADS]}
    by_id = {
        ad.id: (ad, extract(ad, region))
        for ad in read_ads(path, mapping, settings.ads_max_ad_bytes, SkipReport(), encoding)
        if ad.id in wanted
    }
    stats = {"ads": counts["ads"], "skipped": counts["skipped"], "clusters": counts["groups"]}
    report = out_dir / "report.html"
    report.write_text(
        render_report(top, by_id, stats, _REPORT_ADS, lang=settings.language), encoding="utf-8", errors="replace"
    )
    return report


# --- one ad at posting time ---------------------------------------------------------------------

# Indexes kept in memory by ``load_index`` (a route may serve the setting's index and a few jobs').
_INDEXES_KEPT = 4
_indexes: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
_indexes_lock = threading.Lock()


def load_index(path: Path) -> dict[str, Any]:
    """The index.json at ``path``, read once and kept in memory while the file is unchanged.

    Keyed by the path and the file's modification time (and size): a rewritten index is read
    again on the next call. The returned index is shared between callers and threads: read it,
    never change it. Reading also loads the reader's tables, so that a server's first check pays
    for them, not a later one. Raises InvalidInput when the file is missing or is not an index
    written by a screen.
    """
    key = str(path.resolve())
    try:
        stat = path.stat()
    except OSError:
        raise InvalidInput(f"{path}: no such index file") from None
    version = (stat.st_mtime_ns, stat.st_size)
    with _indexes_lock:
        kept = _indexes.get(key)
        if kept is not None and kept[0] == version:
            _indexes[key] = _indexes.pop(key)  # most recently used last
            return kept[1]
        try:
            index = usable_index(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{path}: not a readable index ({type(exc).__name__})") from None
        if index is None:
            raise InvalidInput(f"{path}: not an index written by 'signaal ads screen'")
        warm()
        _indexes.pop(key, None)
        _indexes[key] = (version, index)
        while len(_indexes) > _INDEXES_KEPT:
            _indexes.pop(next(iter(_indexes)))
        return index


def check_one_ad(
    actor: Actor, index_path: Path, ad: Ad, region: str = "NL", settings: Settings | None = None
) -> dict[str, Any]:
    """Check one new ad against the index of an earlier screen, recording who checked which ad.

    The ad is read with the organisation's ad resources of ``settings`` (the bundled ones without)."""
    index = load_index(index_path)
    with ad_resources.use(knowledge_for(settings).ads if settings is not None else ad_resources.in_force()):
        result = check_ad(index, ad, region)
    record_check(index_path, actor, ad.id, result)
    return result


# --- promotion into the registry -----------------------------------------------------------------


def _identifiers(contacts: list[str], urls: list[str]) -> list[Any]:
    """Identifiers of a group: its contacts and its ads' URLs; values the registry rejects are left out."""
    from pydantic import ValidationError

    from signaal.domain.signal import IdentifierIn

    out: list[IdentifierIn] = []
    for key in contacts[:50]:
        kind, value = key.split(":", 1)
        try:
            if kind in ("phone", "email"):
                out.append(IdentifierIn(kind=kind, value=value))
            else:
                out.append(IdentifierIn(kind="handle", value=f"{kind}:{value}"))
        except ValidationError:
            continue  # e.g. a number the registry's stricter phone check does not accept
    for url in urls[:50]:
        try:
            out.append(IdentifierIn(kind="url", value=url))
        except ValidationError:
            continue
    return out


def _screen_key(folder: ScreenFolder) -> str:
    """What tells one screen's groups from another's (their ids restart at each screen): the start of
    the dump's SHA-256, so the same group of the same dump is promoted once."""
    try:
        return str(folder.manifest().get("dump", {}).get("sha256") or "")[:12]
    except (OSError, ValueError, AttributeError):
        return ""


def promote_groups(
    store: Any,
    actor: Actor,
    out_dir: Path,
    group_ids: list[str],
    narrative_of: Callable[[dict[str, Any]], str] | None = None,
    evidence_of: Callable[[dict[str, Any]], dict[str, str]] | None = None,
) -> list[str]:
    """Record the chosen groups of a screen as signals; their ids.

    ``narrative_of`` writes a group's narrative and ``evidence_of`` the words of its suggested
    indicators (by indicator id) in the promoter's language (English by default).
    """
    from signaal.domain.signal import FormHypothesis, ObservedIndicator, SignalCreate
    from signaal.services.signals import record_signal

    folder = ScreenFolder(out_dir)
    screen = _screen_key(folder)
    found = {gid: folder.group(gid) for gid in dict.fromkeys(group_ids)}
    urls = folder.urls(found)
    ids: list[str] = []
    for cid in group_ids:
        c = found[cid]
        own = evidence_of(c) if evidence_of is not None else {}
        indicators = []
        if c["hubs"]:
            words = own.get("ad_shared_contact") or "; ".join(
                f"{h['contact']}: {e}" for h in c["hubs"] for e in h["evidence"]
            )
            words = words[:2000]
            indicators.append(
                ObservedIndicator(
                    indicator_id="ad_shared_contact", words=words, certainty="possible", origin="suggested"
                )
            )
        if c.get("movement"):
            m = c["movement"]
            indicators.append(
                ObservedIndicator(
                    indicator_id="ad_movement",
                    words=own.get("ad_movement") or f"{', '.join(m['cities'])} between {m['first']} and {m['last']}",
                    certainty="possible",
                    origin="suggested",
                )
            )
        template_reason = next((r for r in c["reasons"] if " template shared by " in r), None)
        if template_reason:
            template_reason = own.get("ad_template_shared") or template_reason
        if template_reason:
            indicators.append(
                ObservedIndicator(
                    indicator_id="ad_template_shared", words=template_reason, certainty="possible", origin="suggested"
                )
            )
        narrative = (
            narrative_of(c)
            if narrative_of is not None
            else f"Ad screening group {cid}: {len(c['ads'])} ads in {', '.join(c['cities']) or 'unknown cities'}; "
            f"score {c['score']} (advice, not proof). Evidence: " + " | ".join(c["reasons"])
        )[:20000]
        signal = record_signal(
            store,
            actor,
            SignalCreate(
                received_at=date.today(),
                observed_at=None,
                reporter_org=actor.org,
                reporter_sector="platform",
                region=None,
                narrative=narrative,
                indicators=indicators,
                forms=[FormHypothesis(form="sexual", set_by="suggestion")],
                identifiers=_identifiers(c["contacts"], [urls[a] for a in c["ads"] if a in urls]),
                source_id=f"ads-screen:{screen}:{cid}" if screen else f"ads-screen:{cid}",
            ),
        )
        ids.append(signal.id)
    return ids
