"""Ad screening service: read a dump → per-ad work → grouping → outputs; one ad at posting time.

``screen_dump`` streams the dump: the per-ad step runs in batches (in worker processes when there
is more than one batch), each ad's output line goes to a spool file and only compact features
stay in memory; after the grouping step the spool is read back once to write ads.jsonl with the
group labels. It writes ads.jsonl, clusters.jsonl, index.json (known hubs and templates, for
``screen_ad``) and report.html (its ads read and extracted again: only the ones it shows).
``promote_clusters`` turns chosen groups into signals.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from signaal.ads import phones
from signaal.ads.extract import extract
from signaal.ads.model import Ad, AdFeatures, Contact, IndicatorHit, Price, Span
from signaal.ads.report import render_report
from signaal.ads.resources import gazetteer, lexicon, rules, text_tables
from signaal.ads.scoring import phrase_points, strong_points
from signaal.ads.screen import ScreenResult, describe_templates, screen_features
from signaal.ads.textsim import Shingles, Sketch, band_keys, join_sketches, minhash, shingle_sets, sketch
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, NotFound, Problem, SignaalError
from signaal.ingest.ads import FirstIds, RecordParser, SkipReport, open_records, read_ads
from signaal.settings import Settings

__all__ = [
    "ScreenSummary",
    "ad_from_record",
    "build_index",
    "load_index",
    "promote_clusters",
    "screen_ad",
    "screen_ads",
    "screen_dump",
]

# Ads per unit of per-ad work handed to a worker. Small enough that a 5,000-ad dump splits
# evenly over two workers (5 batches of 1,000 went 3 to 2) and the first result comes early.
BATCH = 250
# The main process shares equal parts of the slim features only from this many ads on: below
# it the memory saved is small and the time is not (a tenth of a small screen).
_INTERN_FROM = 20_000


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


# --- the per-ad step, in batches, optionally in worker processes -------------------------------

_NO_SPAN = Span("", 0, 0, "")


class _Slimmer:
    """The features the grouping step needs, without spans and texts (a fraction of the memory).

    Equal contacts, hits, prices and dates become one shared object already here, in the
    worker: a batch then pickles each once, the main process unpickles far fewer objects, and
    the slim objects are made once per distinct value rather than once per ad.
    """

    def __init__(self, limit: int) -> None:
        self._seen: dict[tuple[Any, ...], Any] = {}
        self._limit = limit  # a worker only needs the recent ones: pickling shares per batch

    def __call__(self, f: AdFeatures) -> AdFeatures:
        seen = self._seen
        if len(seen) > self._limit:
            seen.clear()
        contacts = []
        for c in f.contacts:
            key: tuple[Any, ...] = ("c", c.kind, c.value, c.mode, c.own)
            slim = seen.get(key)
            if slim is None:
                slim = seen[key] = Contact(c.kind, c.value, c.mode, None, c.own)
            contacts.append(slim)
        hits = []
        for h in f.indicators:
            key = ("h", h.id, h.weight, h.counter)
            slim = seen.get(key)
            if slim is None:
                slim = seen[key] = IndicatorHit(h.id, _NO_SPAN, h.weight, h.counter)
            hits.append(slim)
        prices = []
        for p in f.prices:
            key = ("p", p.amount, p.currency, p.unit)
            slim = seen.get(key)
            if slim is None:
                slim = seen[key] = Price(p.amount, p.currency, p.unit)
            prices.append(slim)
        return AdFeatures(
            ad_id=f.ad_id,
            contacts=contacts,
            names=[seen.setdefault(("s", x), x) for x in f.names[:1]],
            ages=f.ages[:1],  # the grouping step reads no more than the first name and age
            prices=prices,
            places=[],
            city=seen.setdefault(("s", f.city), f.city),
            language=seen.setdefault(("s", f.language), f.language),
            indicators=hits,
            posted=seen.setdefault(("d", f.posted), f.posted),
            n_tokens=f.n_tokens,
            # one line of text (whitespace made single spaces), spooled to disk by the main
            # process for the templates shown, then dropped
            masked_text=" ".join(f.masked_text.split()),
        )


_slim = _Slimmer(limit=100_000)


class _Interner:
    """Shares equal contacts, hits, prices, dates and strings between the slim features of many
    ads in the main process: a million ads repeat a few thousand of each, so memory stays a
    fraction (pickling shares them within one batch only)."""

    def __init__(self) -> None:
        self._seen: dict[object, Any] = {}

    def _one(self, value: Any) -> Any:
        return self._seen.setdefault(value, value)

    def __call__(self, f: AdFeatures) -> AdFeatures:
        f.contacts = [self._one(c) for c in f.contacts]
        f.indicators = [self._one(h) for h in f.indicators]
        f.prices = [self._one(p) for p in f.prices]
        f.names = [self._one(x) for x in f.names]
        f.city = self._one(f.city)
        f.language = self._one(f.language)
        f.posted = self._one(f.posted)
        return f


def _ad_line(ad: Ad, f: AdFeatures) -> dict[str, Any]:
    return {
        "id": f.ad_id,
        "url": ad.url,
        "contacts": f.contact_keys,
        "names": f.names,
        "city": f.city,
        "language": f.language,
        "indicators": [h.as_dict() for h in f.indicators],
    }


def _ad_json(ad: Ad, f: AdFeatures) -> bytes:
    return _json(_ad_line(ad, f))


def _json(value: Any) -> bytes:
    """Compact UTF-8 JSON of plain data, fast; a lone surrogate (half an emoji) becomes "?"."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "replace")


# features, output lines, shingles and signatures, and the records skipped (with why)
_Done = tuple[list[AdFeatures], list[bytes], Sketch, list[Problem]]
_Job = tuple[list[Any], str, bool, RecordParser | None]


def _work(job: _Job) -> _Done:
    """Per-ad step of one batch: features, output lines, and the batch's sketch.

    With a parser the batch holds raw records of a dump, which are made into ads here first.
    """
    items, region, slim, parser = job
    problems: list[Problem] = []
    if parser is None:
        ads: list[Ad] = items
    else:
        ads = []
        for line, payload in items:
            parsed = parser(line, payload)
            if isinstance(parsed, Problem):
                problems.append(parsed)
            else:
                ads.append(parsed)
    feats: list[AdFeatures] = []
    lines: list[bytes] = []
    tokens: list[np.ndarray] = []
    for ad in ads:
        f = extract(ad, region)
        tokens.append(f.tokens if f.tokens is not None else np.zeros(0, dtype=np.uint32))
        if slim:
            lines.append(_ad_json(ad, f))
            f = _slim(f)
        feats.append(f)
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    flat = np.concatenate(tokens) if tokens else np.zeros(0, dtype=np.uint32)
    # the per-ad part of the template step (shingles, MinHash) is done here, in parallel
    cfg = rules()["templates"]
    return feats, lines, sketch(flat, lengths, int(cfg["shingle_words"]), int(cfg["permutations"])), problems


def _warm() -> None:
    # load and compile the package data once, before worker processes are forked
    text_tables(), lexicon(("nl", "en")), gazetteer(), rules()
    phones.warm()
    extract(Ad(id="warm", body="Bel 06 1234 0001, nieuw in Utrecht, ik ben Anna, € 100 per uur"))


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for ad in items:
        batch.append(ad)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_all(
    items: Iterable[Any], region: str, workers: int, slim: bool, parser: RecordParser | None = None
) -> Iterator[tuple[list[Any], _Done]]:
    """Per-ad results batch by batch, in order; a pool is started only for more than one batch.

    ``items`` are ads, or with ``parser`` the raw records of a dump (see ingest.ads.open_records).
    """
    batches = _batches(items, BATCH)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    # chain, not a tuple with *batches: that would read the whole dump before the first batch
    rest = itertools.chain([first], [second] if second else [], batches)
    # Worker processes are forked, and only from the main thread of a platform that forks:
    # forking a threaded process (a web server's job thread) can copy a lock another thread
    # holds and hang the worker; there the per-ad step runs in this process.
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if second is None or workers <= 1 or not forkable or threading.current_thread() is not threading.main_thread():
        for batch in rest:
            yield batch, _work((batch, region, slim, parser))
        return
    _warm()
    ctx = multiprocessing.get_context("fork")
    # a bounded number of batches in flight: the dump is never read ahead into memory
    in_flight: deque[tuple[list[Any], Any]] = deque()
    with ctx.Pool(workers) as pool:
        for batch in rest:
            in_flight.append((batch, pool.apply_async(_work, ((batch, region, slim, parser),))))
            if len(in_flight) >= 2 * workers + 1:
                done, pending = in_flight.popleft()
                yield done, pending.get()
        while in_flight:
            done, pending = in_flight.popleft()
            yield done, pending.get()


def default_workers() -> int:
    """Worker processes for the per-ad step: at most two, never more than the machine's cores."""
    return max(1, min(2, os.cpu_count() or 1))


def screen_ads(
    ads: Iterable[Ad],
    settings: Settings,
    region: str = "NL",
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> tuple[list[Ad], list[AdFeatures], ScreenResult]:
    """Per-ad work and grouping in memory: the ads, their full features and the ScreenResult."""
    kept: list[Ad] = []
    feats: list[AdFeatures] = []
    sketches: list[Sketch] = []
    for batch, (done, _lines, sketched, _problems) in _extract_all(ads, region, workers, slim=False):
        kept.extend(batch)
        feats.extend(done)
        sketches.append(sketched)
        if progress is not None:
            progress(len(batch))
    result = screen_features(
        feats,
        max_group_size=settings.ads_max_group_size,
        movement_window_days=settings.ads_movement_window_days,
        sketched=joined_sketches(sketches),
    )
    return kept, feats, result


def joined_sketches(parts: list[Sketch]) -> Sketch:
    """The batches' sketches as one, in order."""
    return join_sketches(parts, int(rules()["templates"]["permutations"]))


def screen_dump(
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
    """Screen a dump file and write ads.jsonl, clusters.jsonl, index.json, report.html and skipped.jsonl.

    skipped.jsonl holds every skipped record in line order: its line, field and reason, never its
    text. A later ad with an id read before is skipped as a duplicate (see ingest.ads.FirstIds). A file that cannot be read (a CSV line that is not ``encoding`` text, a broken workbook,
    no title or body column) raises InvalidInput and writes nothing; a dump in which no ad can be
    read raises InvalidInput after writing only skipped.jsonl.
    """
    started = time.perf_counter()
    # Records the reader itself skips (a CSV record with too many fields) arrive as it reads, ahead
    # of the batches; each batch takes those up to its last line, so skipped.jsonl is in line order.
    from_reader: deque[Problem] = deque()
    records, parser = open_records(
        path, mapping, settings.ads_max_ad_bytes, SkipReport(sink=from_reader.append), encoding
    )

    def kept(part: Sketch, keep: list[int]) -> Sketch:
        # a batch's sketch without its duplicates (the shingles of ad i: values[offsets[i]:offsets[i + 1]])
        sh, rows = part.shingles, np.asarray(keep, dtype=np.int64)
        values = [sh.values[sh.offsets[i] : sh.offsets[i + 1]] for i in keep]
        offsets = np.zeros(len(keep) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum(sh.offsets[rows + 1] - sh.offsets[rows])
        joined = np.concatenate(values) if values else np.zeros(0, dtype=np.uint32)
        return Sketch(Shingles(joined, offsets), part.signatures[rows])

    ids = FirstIds()

    def reader_problems(upto: int | None) -> list[Problem]:
        taken = []
        while from_reader and (upto is None or (from_reader[0].line or 0) <= upto):
            taken.append(from_reader.popleft())
        return taken

    created = not out_dir.exists()

    def discard() -> None:
        # the file could not be read: no output, and no empty folder left behind
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()

    out_dir.mkdir(parents=True, exist_ok=True)
    feats: list[AdFeatures] = []
    sketches: list[Sketch] = []
    intern = _Interner()
    all_keys: list[list[str]] = []
    own_keys: list[list[str]] = []
    # The reader makes every text valid UTF-8; errors="replace" is the backstop of each write.
    with (
        tempfile.TemporaryFile("w+b", dir=out_dir) as spool,
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace", dir=out_dir) as skipped,
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace", dir=out_dir) as masked,
    ):

        def note(problem: Problem) -> None:
            row = {"line": problem.line, "field": problem.field, "reason": problem.reason}
            skipped.write(json.dumps(row, ensure_ascii=False) + "\n")

        report = SkipReport(sink=note)
        try:
            for batch, (done, lines, sketched, problems) in _extract_all(
                records, region, workers or default_workers(), slim=True, parser=parser
            ):
                # the lines of the ads read, in order: the batch's records less the skipped ones
                failed = {p.line for p in problems}
                read = [line for line, _ in batch if line not in failed]
                twice = [ids.duplicate(f.ad_id, line, parser.name) for f, line in zip(done, read, strict=True)]
                if any(twice):
                    keep = [i for i, d in enumerate(twice) if d is None]
                    done, lines = [done[i] for i in keep], [lines[i] for i in keep]
                    sketched = kept(sketched, keep)
                    problems = [*problems, *(d for d in twice if d is not None)]
                for problem in sorted([*reader_problems(batch[-1][0]), *problems], key=lambda p: p.line or 0):
                    report.skip(problem)
                report.read += len(done)
                if done:
                    # the masked texts wait on disk, one line per ad, for the templates shown
                    masked.write("\n".join([f.masked_text for f in done]) + "\n")
                for f in done:
                    f.masked_text = ""
                feats.extend(map(intern, done) if len(feats) >= _INTERN_FROM else done)
                # gathered while the workers go on, not after them
                all_keys.extend([f.contact_keys for f in done])
                own_keys.extend([f.own_keys for f in done])
                if lines:
                    spool.write(b"\n".join(lines) + b"\n")
                sketches.append(sketched)
                if progress is not None:
                    progress(len(batch))
        except SignaalError:
            discard()
            raise
        for problem in reader_problems(None):
            report.skip(problem)
        if not feats and not report.skipped:
            discard()
            raise InvalidInput(f"{path.name}: no ads in the file (it has no records)")
        skipped.seek(0)
        with (out_dir / "skipped.jsonl").open("w", encoding="utf-8") as fh:
            shutil.copyfileobj(skipped, fh)
        if not feats:
            hint = ""
            if any(p.reason.startswith("no title or body field") for p in report.problems):
                hint = "; name the field that holds the ad text with --map body=FIELD"
            raise InvalidInput(
                f"{path.name}: no ad could be read: all {report.skipped} records were skipped "
                f"(each is listed in skipped.jsonl in the output folder){hint}",
                report.problems[:10],
            )
        joined = joined_sketches(sketches)
        del sketches
        result = screen_features(
            feats,
            max_group_size=settings.ads_max_group_size,
            movement_window_days=settings.ads_movement_window_days,
            sketched=joined,
            keys=(all_keys, own_keys),
        )
        del joined, all_keys, own_keys
        members = {i for c in result.clusters for i in c.template_members}
        masked.seek(0)
        describe_templates(result.clusters, {i: t.rstrip("\n") for i, t in enumerate(masked) if i in members})
        spool.seek(0)
        with (out_dir / "ads.jsonl").open("wb") as out:
            for i, raw in enumerate(spool):
                # the spooled line is a JSON object: the labels are added before its closing brace
                out.write(
                    b'%s,"contact_cluster":"k%d","template_cluster":"t%d","cluster":"c%d","score":%s}\n'
                    % (
                        raw.rstrip()[:-1],
                        result.contact_cluster[i],
                        result.template_cluster[i],
                        result.cluster[i],
                        str(result.ad_scores[i]).encode(),
                    )
                )
    shown = [c for c in result.clusters if (len(c.ads) > 1 or c.hubs) and c.score >= min_score]
    with (out_dir / "clusters.jsonl").open("wb") as cluster_lines:
        for c in shown:
            cluster_lines.write(_json({**c.as_dict(), "template_ads": c.template_ads}) + b"\n")
    index = build_index(feats, result)
    (out_dir / "index.json").write_bytes(_json(index))
    outputs = {"ads": str(out_dir / "ads.jsonl"), "clusters": str(out_dir / "clusters.jsonl")}
    if html:
        top = [c.as_dict() for c in shown[:200]]
        wanted = {a for c in shown[:200] for a in c.ads[:10]}
        by_id = {
            ad.id: (ad, extract(ad, region))
            for ad in read_ads(path, mapping, settings.ads_max_ad_bytes, SkipReport(), encoding)
            if ad.id in wanted
        }
        stats = {"ads": len(feats), "skipped": report.skipped, "clusters": len(shown)}
        (out_dir / "report.html").write_text(render_report(top, by_id, stats), encoding="utf-8", errors="replace")
        outputs["report"] = str(out_dir / "report.html")
    outputs["index"] = str(out_dir / "index.json")
    outputs["skipped"] = str(out_dir / "skipped.jsonl")
    return ScreenSummary(
        ads=len(feats),
        clusters=len(shown),
        hubs=len(result.hubs),
        skipped=report,
        seconds=time.perf_counter() - started,
        outputs=outputs,
        oversized_keys=result.oversized_keys,
    )


# --- one ad at posting time ---------------------------------------------------------------------

# The fields of an ad as a dump or a caller writes them; ``id`` and ``age`` may also be numbers.
_AD_TEXT_FIELDS = ("title", "body", "city", "posted", "url", "name", "age")
# Indexes kept in memory by ``load_index`` (a route may serve the setting's index and a few jobs').
_INDEXES_KEPT = 4
_INDEX_KEYS = ("hubs", "contacts", "bands", "templates")


def ad_from_record(record: object, *, max_bytes: int | None = None) -> Ad:
    """One ad from a JSON object with the fields of an ad dump (others are ignored).

    Text fields are strings (or null); ``id`` and ``age`` may be numbers; ``phones`` is a list of
    strings or one string (numbers separated by commas). A non-object, a wrong type, an ad with
    neither text nor phones, or title + body above ``max_bytes`` (UTF-8) raise InvalidInput naming
    the field.
    """
    if not isinstance(record, dict):
        kind = "a list" if isinstance(record, list) else type(record).__name__
        raise InvalidInput(f"the ad must be a JSON object with fields such as id, title and body, not {kind}")
    problems: list[Problem] = []

    def text(name: str, numbers: bool = False) -> str:
        value = record.get(name)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if numbers and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        problems.append(Problem(f"must be a string{' or a number' if numbers else ''}", field=name))
        return ""

    ad_id = text("id", numbers=True).strip() or "new"
    fields = {name: text(name, numbers=name == "age") for name in _AD_TEXT_FIELDS}
    raw = record.get("phones")
    phones: tuple[str, ...] = ()
    if isinstance(raw, str):
        phones = tuple(p.strip() for p in raw.replace(";", ",").split(",") if p.strip())
    elif isinstance(raw, list) and all(isinstance(p, str) for p in raw):
        phones = tuple(p.strip() for p in raw if p.strip())
    elif raw is not None:
        problems.append(Problem("must be a list of strings (write each number as a string)", field="phones"))
    if not problems and not (fields["title"].strip() or fields["body"].strip() or phones):
        problems.append(Problem("the ad has no title, body or phones: nothing to check", field="body"))
    size = len(fields["title"].encode("utf-8", "replace")) + len(fields["body"].encode("utf-8", "replace"))
    if max_bytes is not None and size > max_bytes:
        problems.append(Problem(f"title and body are {size} bytes, above the limit of {max_bytes}", field="body"))
    if problems:
        names = list(dict.fromkeys(repr(p.field) for p in problems))
        raise InvalidInput(f"the ad is not valid: field{'s' if len(names) > 1 else ''} {', '.join(names)}", problems)
    return Ad(
        id=ad_id,
        title=fields["title"],
        body=fields["body"],
        city=fields["city"],
        posted=fields["posted"],
        url=fields["url"],
        name=fields["name"],
        age=fields["age"],
        phones=phones,
    )


_indexes: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
_indexes_lock = threading.Lock()


def load_index(path: Path) -> dict[str, Any]:
    """The index.json at ``path``, read once and kept in memory while the file is unchanged.

    Keyed by the path and the file's modification time (and size): a rewritten index is read
    again on the next call. The templates' shingles become arrays once, here, not on every check.
    The returned index is shared between callers and threads: read it, never change it. Reading
    also loads the reader's tables, so that a server's first check pays for them, not a later one.
    Raises InvalidInput when the file is missing or is not an index written by a screen.
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
            index = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{path}: not a readable index ({type(exc).__name__})") from None
        if not isinstance(index, dict) or any(not isinstance(index.get(k), dict) for k in _INDEX_KEYS):
            raise InvalidInput(f"{path}: not an index written by 'signaal ads screen'")
        for template in index["templates"].values():
            template["shingles"] = np.asarray(template["shingles"], dtype=np.uint32)
        _warm()
        _indexes.pop(key, None)
        _indexes[key] = (version, index)
        while len(_indexes) > _INDEXES_KEPT:
            _indexes.pop(next(iter(_indexes)))
        return index


def build_index(feats: list[AdFeatures], result: ScreenResult) -> dict[str, Any]:
    """Known hubs, contacts by cluster, and template band keys with their centres' shingles."""
    scores = {c.id: c.score for c in result.clusters}
    contacts: dict[str, str] = {}
    for i, f in enumerate(feats):
        for key in f.own_keys:
            contacts.setdefault(key, f"c{result.cluster[i]}")
    bands: dict[str, int] = {}
    centres: dict[str, list[int]] = {}
    t = result.templates
    if t is not None and t.keys is not None and t.shingles is not None and t.eligible is not None:
        sizes: dict[int, int] = {}
        for label in t.labels:
            sizes[label] = sizes.get(label, 0) + 1
        for label, size in sizes.items():
            if size < 2:
                continue
            # every member is like the centre (not like each other): a new ad is compared with it
            centre = t.centres.get(label, label)
            sh = t.shingles
            centres[str(label)] = sh.values[sh.offsets[centre] : sh.offsets[centre + 1]].tolist()
            for b, key in enumerate(t.keys[centre].tolist()):
                bands.setdefault(f"{b}:{key}", label)
    return {
        "hubs": {h.contact: h.as_dict() for h in result.hubs},
        "contacts": contacts,
        "bands": bands,
        "templates": {
            label: {"cluster": f"c{result.cluster[int(label)]}", "shingles": sh_list}
            for label, sh_list in centres.items()
        },
        "scores": scores,
    }


def _known_templates(index: dict[str, Any], f: AdFeatures) -> list[str]:
    cfg = rules()["templates"]
    if f.tokens is None or f.n_tokens < int(cfg["min_tokens"]) or not index.get("templates"):
        return []
    sh = shingle_sets([f.tokens], int(cfg["shingle_words"]))
    keys = band_keys(minhash(sh, int(cfg["permutations"])), int(cfg["bands"]))[0].tolist()
    labels = {str(index["bands"][k]) for b, key in enumerate(keys) if (k := f"{b}:{key}") in index["bands"]}
    found: set[str] = set()
    for label in labels:
        centre = np.asarray(index["templates"][label]["shingles"], dtype=np.uint32)
        inter = len(np.intersect1d(sh.values, centre, assume_unique=True))
        union = len(sh.values) + len(centre) - inter
        if union and inter / union >= float(cfg["min_similarity"]):
            found.add(index["templates"][label]["cluster"])
    return sorted(found)


def screen_ad(index: dict[str, Any], ad: Ad, region: str = "NL") -> dict[str, Any]:
    """Screen one new ad against a saved index of known hubs, contacts and templates."""
    cfg = rules()
    f = extract(ad, region)
    hubs = [index["hubs"][k] for k in f.contact_keys if k in index.get("hubs", {})]
    known = sorted({index["contacts"][k] for k in f.own_keys if k in index.get("contacts", {})})
    templates = _known_templates(index, f)
    plus, minus, reasons = phrase_points([f], cfg["scoring"])
    strong, strong_reasons = strong_points([f], cfg["scoring"])
    score = max(0.0, plus - minus) + strong
    reasons[:0] = strong_reasons
    if hubs:
        score += float(cfg["scoring"]["hub_points"])
        reasons.insert(0, f"+{cfg['scoring']['hub_points']} contact is a known hub")
    if templates:
        score += float(cfg["scoring"]["template_points"])
        reasons.insert(0, f"+{cfg['scoring']['template_points']} text matches known template(s) {', '.join(templates)}")
    return {
        "id": ad.id,
        "contacts": f.contact_keys,
        "known_hubs": hubs,
        "known_clusters": known,
        "template_clusters": templates,
        "indicators": [h.as_dict() for h in f.indicators],
        "score": min(100.0, score),
        "reasons": reasons,
    }


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


def promote_clusters(store: Any, actor: Actor, out_dir: Path, cluster_ids: list[str]) -> list[str]:
    """Record the chosen clusters of a screen (read from clusters.jsonl) as signals; their ids."""
    from signaal.domain.signal import FormHypothesis, ObservedIndicator, SignalCreate
    from signaal.services.signals import record_signal

    path = out_dir / "clusters.jsonl"
    if not path.is_file():
        raise InvalidInput(f"{path}: no clusters.jsonl; run 'signaal ads screen' first")
    wanted = set(cluster_ids)
    found: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            c = json.loads(line)
            if c["id"] in wanted:
                found[c["id"]] = c
    missing = wanted - set(found)
    if missing:
        raise NotFound(f"cluster(s) not in {path.name}: {', '.join(sorted(missing))}")
    ad_ids = {a for c in found.values() for a in c["ads"]}
    urls: dict[str, str] = {}
    ads_path = out_dir / "ads.jsonl"
    if ads_path.is_file():
        with ads_path.open(encoding="utf-8") as fh:
            for line in fh:
                ad = json.loads(line)
                if ad["id"] in ad_ids and ad.get("url"):
                    urls[ad["id"]] = ad["url"]
    ids: list[str] = []
    for cid in cluster_ids:
        c = found[cid]
        indicators = []
        if c["hubs"]:
            words = "; ".join(f"{h['contact']}: {e}" for h in c["hubs"] for e in h["evidence"])[:2000]
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
                    words=f"{', '.join(m['cities'])} between {m['first']} and {m['last']}",
                    certainty="possible",
                    origin="suggested",
                )
            )
        template_reason = next((r for r in c["reasons"] if " template shared by " in r), None)
        if template_reason:
            indicators.append(
                ObservedIndicator(
                    indicator_id="ad_template_shared", words=template_reason, certainty="possible", origin="suggested"
                )
            )
        narrative = (
            f"Ad screening group {cid}: {len(c['ads'])} ads in {', '.join(c['cities']) or 'unknown cities'}; "
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
                source_id=f"ads-screen:{cid}",
            ),
        )
        ids.append(signal.id)
    return ids
