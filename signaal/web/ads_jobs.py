"""Ad screening in the web application: an uploaded dump is screened in a background job; the ranked
groups, their ads with evidence highlighted, and promotion of a group to a signal come from here."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, NotFound, Problem
from signaal.ingest.ads import DEFAULT_FIELDS, SkipReport, open_records
from signaal.settings import Settings
from signaal.store import Store
from signaal.store.screen_files import ScreenFolder
from signaal.web.ads_job_store import jobs_root
from signaal.web.jobs import Job, Jobs, new_job_id

__all__ = [
    "ALLOWED_SUFFIXES",
    "REGIONS",
    "check_options",
    "finished_folder",
    "group_detail",
    "job_owner",
    "job_view",
    "promote_group",
    "start_screen",
]

ALLOWED_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".xlsx")
# Phone regions offered for numbers written without a country code.
REGIONS: tuple[str, ...] = ("NL", "BE", "DE", "GB", "FR", "CA", "US")
TEMP_PREFIX = "signaal-ads-"
GROUPS_PER_PAGE = 50
ADS_SHOWN = 100


def job_owner(actor: Actor) -> str:
    """Whose screen jobs an actor sees: their own, by user and organisation."""
    return f"{actor.user}@{actor.org}"


def _safe_name(filename: str, suffix: str) -> str:
    """The uploaded file's own name, safe to write in the job's folder: messages name it as the user knows it."""
    stem = re.sub(r"[^\w.\- ]+", "_", Path(filename or "").stem).strip(" .")[:100] or "upload"
    return f"{stem}{suffix}"


def check_options(mapping: dict[str, str], region: str) -> tuple[dict[str, str], str]:
    """The column mapping (fields left empty use their own name) and the phone region, checked."""
    region = (region or "NL").strip().upper()
    if region not in REGIONS:
        raise InvalidInput(
            f"unknown phone region {region!r}; choose one of {', '.join(REGIONS)}",
            code="ads_unknown_region",
            values={"region": region[:10], "regions": ", ".join(REGIONS)},
        )
    unknown = sorted(set(mapping) - set(DEFAULT_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field(s) in the mapping: {', '.join(unknown)}")
    return {f: c.strip() for f, c in mapping.items() if c and c.strip()}, region


def _precheck(dump: Path, mapping: dict[str, str], settings: Settings) -> None:
    """Read the file's header and first record now, so a missing column is told on the form, not later."""
    records, _parser = open_records(dump, mapping, settings.ads_max_ad_bytes, SkipReport())
    try:
        next(records, None)
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()


def start_screen(
    jobs: Jobs,
    settings: Settings,
    actor: Actor,
    filename: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    region: str = "NL",
) -> Job:
    """Check an uploaded dump and screen it in the background; the job's result is the output folder.

    ``mapping`` names the file's own columns (field -> column); ``region`` is the phone region of
    numbers written without a country code. Errors name the uploaded file and carry a message key.
    """
    shown = Path(filename or "").name or "upload"
    suffix = Path(shown).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise InvalidInput(
            f"{shown}: unsupported file type {suffix or '(none)'!r}; use .jsonl, .csv or .xlsx",
            code="ads_file_type",
            values={"file": shown, "suffix": suffix or "-"},
        )
    if not content.strip():
        raise InvalidInput(f"{shown}: the file is empty", code="ads_empty", values={"file": shown})
    if suffix != ".xlsx":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{shown}: not UTF-8 text (byte {exc.start})",
                code="ads_not_utf8",
                values={"file": shown, "byte": str(exc.start)},
            ) from None
    mapping, region = check_options(mapping or {}, region)
    job_id = new_job_id()
    (work := jobs_root(settings) / job_id).mkdir(parents=True, mode=0o700)
    dump = work / _safe_name(shown, suffix)
    dump.write_bytes(content)
    try:
        _precheck(dump, mapping, settings)
    except InvalidInput:
        shutil.rmtree(work, ignore_errors=True)
        raise
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1) if suffix != ".xlsx" else 0
    total = max(0, lines - (1 if suffix in (".csv", ".tsv") else 0))

    def run(job: Job) -> dict[str, Any]:
        # Imported here: the screening engine (numpy) loads only when someone screens.
        from signaal.services import ads as ads_service

        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if done % 50 == 0 or done == total:
                # After the last ad the grouping runs; say so, or the bar seems stuck at 100 %.
                job.progress("grouping" if done >= total else "reading", done, max(total, done))

        job.progress("reading", 0, total)
        try:
            summary = ads_service.screen_dump(
                actor, dump, work / "out", settings, mapping=mapping, region=region, html=False, progress=step
            )
        except Exception:
            shutil.rmtree(work, ignore_errors=True)
            raise
        finally:
            dump.unlink(missing_ok=True)  # the upload is not kept once screened: the outputs are enough
        return {
            "dir": str(work),
            "ads": summary.ads,
            "clusters": summary.clusters,
            "hubs": summary.hubs,
            "skipped": summary.skipped.skipped,
            "skip_problems": [_skipped(p) for p in summary.skipped.problems[:20]],
            "seconds": round(summary.seconds, 2),
        }

    return jobs.start("ads", job_owner(actor), shown, run, actor=actor, job_id=job_id, folder=str(work))


def _skipped(problem: Problem) -> dict[str, Any]:
    """A skipped record for the page: where, the message key with its values, and the English text."""
    return {
        "line": problem.line,
        "code": problem.code,
        "values": dict(problem.values),
        "text": str(problem),
    }


def _folder(result: dict[str, Any]) -> ScreenFolder:
    return ScreenFolder(Path(result["dir"]) / "out")


def job_view(jobs: Jobs, actor: Actor, job_id: str, page: int = 1) -> dict[str, Any]:
    """A screening job: its progress and, once done, one page of the ranked groups (every group is
    reachable: ``paging`` says which page of how many)."""
    job = jobs.get(job_id, job_owner(actor))
    data: dict[str, Any] = {"job": job.as_dict(), "summary": None, "groups": [], "paging": None}
    if job.finished and job.result:
        data["summary"] = {k: v for k, v in job.result.items() if k != "dir"}
        groups = _folder(job.result).groups()
        pages = max(1, -(-len(groups) // GROUPS_PER_PAGE))
        page = min(max(1, page), pages)
        first = (page - 1) * GROUPS_PER_PAGE
        data["groups"] = [
            {**g, "rank": first + i + 1, "ad_count": len(g["ads"]), "ads": g["ads"][:20]}
            for i, g in enumerate(groups[first : first + GROUPS_PER_PAGE])
        ]
        data["paging"] = {
            "page": page,
            "pages": pages,
            "total": len(groups),
            "first": first + 1 if groups else 0,
            "last": min(first + GROUPS_PER_PAGE, len(groups)),
        }
    return data


def _finished(jobs: Jobs, actor: Actor, job_id: str) -> dict[str, Any]:
    job = jobs.get(job_id, job_owner(actor))
    if not job.finished or not job.result:
        raise NotFound(f"screening {job_id} has no results (yet)")
    return job.result  # type: ignore[no-any-return]


def finished_folder(jobs: Jobs, actor: Actor, job_id: str) -> ScreenFolder:
    """The output folder of this actor's finished screen (NotFound otherwise)."""
    return _folder(_finished(jobs, actor, job_id))


def _segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Split text into plain and marked parts (kind: risk, counter or hub; overlapping spans merge
    into the first)."""
    parts: list[dict[str, Any]] = []
    pos = 0
    for start, end, kind, label in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            parts.append({"text": text[pos:start], "mark": None})
        parts.append({"text": text[start:end], "mark": kind, "label": label})
        pos = end
    if pos < len(text):
        parts.append({"text": text[pos:], "mark": None})
    return parts


def _hub_spans(ad: dict[str, Any], hub_keys: set[str], region: str) -> dict[str, list[tuple[int, int, str, str]]]:
    """Where the group's hub contacts stand in an ad's title and body (the ad read again)."""
    from signaal.ads.extract import extract
    from signaal.ads.model import Ad

    spans: dict[str, list[tuple[int, int, str, str]]] = {"title": [], "body": []}
    if not hub_keys:
        return spans
    feats = extract(Ad(id=ad["id"], title=ad["title"], body=ad["body"]), region)
    for c in feats.contacts:
        if c.span is not None and c.key in hub_keys and c.span.field in spans:
            spans[c.span.field].append((c.span.start, c.span.end, "hub", c.value))
    return spans


def group_detail(jobs: Jobs, actor: Actor, job_id: str, group_id: str, settings: Settings) -> dict[str, Any]:
    """One group: hubs, template, movement, reasons, and its ads' texts with the evidence marked:
    risk phrases, counter-signals (apart) and the hub numbers."""
    folder = _folder(_finished(jobs, actor, job_id))
    try:
        group = folder.group(group_id)
    except NotFound:
        raise NotFound(f"no group {group_id!r} in screening {job_id}") from None
    hub_keys = {h["contact"] for h in group.get("hubs", [])}
    region = str(folder.manifest().get("region") or "NL")
    ads = []
    for features, ad in folder.group_ads(group_id, ADS_SHOWN):
        hits = features.get("indicators", [])
        hubs = _hub_spans(ad, hub_keys, region)
        fields = {}
        for name in ("title", "body"):
            spans = [
                (h["start"], h["end"], "counter" if h.get("counter") else "risk", h["id"])
                for h in hits
                if h.get("field") == name
            ]
            fields[name] = _segments(ad[name], hubs[name] + spans)
        ads.append(
            {
                "id": ad["id"],
                "name": ad["name"],
                "city": ad["city"],
                "posted": ad["posted"],
                "url": ad["url"],
                "contacts": features.get("contacts", []),
                "score": features.get("score"),
                "indicators": sorted({h["id"] for h in hits if not h.get("counter")}),
                "counter_signals": sorted({h["id"] for h in hits if h.get("counter")}),
                "title": fields["title"],
                "body": fields["body"],
            }
        )
    return {"job_id": job_id, "group": group, "ads": ads, "ads_total": len(group["ads"])}


def promote_group(
    jobs: Jobs,
    store: Store,
    actor: Actor,
    job_id: str,
    group_id: str,
    narrative_of: Callable[[dict[str, Any]], str] | None = None,
    evidence_of: Callable[[dict[str, Any]], dict[str, str]] | None = None,
) -> str:
    """Record a group as a signal (suggested indicators, evidence in the narrative); its signal id."""
    from signaal.services import ads as ads_service

    result = _finished(jobs, actor, job_id)
    out = Path(result["dir"]) / "out"
    ids = ads_service.promote_groups(store, actor, out, [group_id], narrative_of, evidence_of)
    return ids[0]
