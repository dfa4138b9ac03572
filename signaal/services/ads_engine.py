"""The local engine of a screen: batches of records through the per-batch step, in worker processes.

The main process reads raw records (``ingest.ads.open_records``) and hands batches of them to up
to two forked workers; a worker parses them (``RecordParser``) and runs the pure per-batch step
(:func:`signaal.ads.batch.screen_batch`). Results come back in order, a bounded number in flight,
so the dump is never read ahead into memory. Another engine (Spark) runs the same per-batch step.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from signaal.ads import phones
from signaal.ads.batch import BATCH, BatchResult, screen_batch
from signaal.ads.extract import extract
from signaal.ads.model import Ad, AdFeatures
from signaal.ads.resources import in_force
from signaal.errors import Problem
from signaal.ingest.ads import RecordParser

__all__ = ["Batch", "Interner", "default_workers", "run_batches", "warm"]


@dataclass(slots=True)
class Batch:
    """One batch after the per-batch step: the records' lines, the ads read, and those skipped."""

    lines: list[int]  # the line of each ad read, in order
    result: BatchResult
    problems: list[Problem]  # records of the batch that could not be read as an ad
    records: int  # records in the batch, read or not
    last_line: int  # the line of the batch's last record


_Job = tuple[list[Any], RecordParser | None, str, bool]


def _parse_and_screen(job: _Job) -> Batch:
    """In a worker: the batch's records as ads (or problems), then the per-batch step.

    Without a parser the batch holds ads already; with ``keep_full`` their features keep spans.
    """
    items, parser, region, keep_full = job
    if parser is None:
        numbers = [ad.line or 0 for ad in items]
        return Batch(numbers, screen_batch(items, region, keep_full=keep_full), [], len(items), numbers[-1])
    ads: list[Ad] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for line, payload in items:
        parsed = parser(line, payload)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            ads.append(parsed)
            lines.append(line)
    return Batch(lines, screen_batch(ads, region, keep_full=keep_full), problems, len(items), items[-1][0])


def warm() -> None:
    """Load and compile the package data once, before worker processes are forked."""
    in_force()
    phones.warm()
    extract(Ad(id="warm", body="Bel 06 1234 0001, nieuw in Utrecht, ik ben Anna, € 100 per uur"))


def default_workers() -> int:
    """Worker processes for the per-ad step: at most two, never more than the machine's cores."""
    return max(1, min(2, os.cpu_count() or 1))


def _forkable() -> bool:
    # Forked only from the main thread of a platform that forks: forking a threaded process (a
    # web server's job thread) can copy a lock another thread holds and hang the worker.
    return "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread()


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def run_batches(
    items: Iterable[Any], region: str, workers: int, parser: RecordParser | None = None, keep_full: bool = False
) -> Iterator[Batch]:
    """Raw records (with their ``parser``) or ads through the per-batch step, batch by batch, in order.

    A pool is started only for more than one batch; otherwise (or where forking is unsafe) the
    batches run in this process.
    """
    batches = _batches(items)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    rest = itertools.chain([first], [second] if second else [], batches)
    if second is None or workers <= 1 or not _forkable():
        for batch in rest:
            yield _parse_and_screen((batch, parser, region, keep_full))
        return
    warm()
    in_flight: deque[Any] = deque()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for batch in rest:
            in_flight.append(pool.apply_async(_parse_and_screen, ((batch, parser, region, keep_full),)))
            if len(in_flight) >= 2 * workers + 1:
                yield in_flight.popleft().get()
        while in_flight:
            yield in_flight.popleft().get()


class Interner:
    """Shares equal contacts, hits, prices, dates and strings between the slim features of many
    ads: a million ads repeat a few thousand of each, so memory stays a fraction."""

    def __init__(self) -> None:
        self._seen: dict[object, Any] = {}

    def _one(self, value: Any) -> Any:
        return self._seen.setdefault(value, value)

    def __call__(self, f: AdFeatures) -> AdFeatures:
        """The same features, their parts shared with those of earlier ads."""
        f.contacts = [self._one(c) for c in f.contacts]
        f.indicators = [self._one(h) for h in f.indicators]
        f.prices = [self._one(p) for p in f.prices]
        f.names = [self._one(x) for x in f.names]
        f.city = self._one(f.city)
        f.language = self._one(f.language)
        f.posted = self._one(f.posted)
        return f
