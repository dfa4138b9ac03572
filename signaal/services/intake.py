"""Importing signals from files: validate everything first, then write all rows in one transaction."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from sqlalchemy.exc import IntegrityError

from signaal.catalogue import Catalogue
from signaal.domain.actor import Actor, Role
from signaal.errors import Conflict, InvalidInput, Problem
from signaal.ingest.signals import row_to_signal
from signaal.ingest.tabular import BadRow, Limits, read_rows
from signaal.services.signals import prepare_signal
from signaal.store import Store
from signaal.store import signals as rows
from signaal.store.signals import NewSignal, RowSet

__all__ = ["ImportReport", "import_signals"]

BATCH = 2000


@dataclass
class ImportReport:
    """What an import read, wrote and skipped."""

    file: str
    read: int = 0
    imported: int = 0
    already_present: int = 0
    invalid_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0


def _validated(
    path: Path,
    fmt: str | None,
    encoding: str,
    mapping: dict[str, str],
    catalogue: Catalogue,
    today: date,
    limits: Limits | None = None,
    org: str | None = None,
) -> Iterator[tuple[int, NewSignal | None, list[Problem]]]:
    for row in read_rows(path, fmt, encoding, limits):
        if isinstance(row, BadRow):
            yield row.line, None, [Problem(row.reason, file=str(path), line=row.line)]
            continue
        values = row.values if org is None else {**row.values, mapping.get("reporter_org", "reporter_org"): org}
        parsed = row_to_signal(values, mapping)
        if isinstance(parsed, list):
            yield row.line, None, [Problem(p.reason, file=str(path), line=row.line, field=p.field) for p in parsed]
            continue
        try:
            prepared = prepare_signal(catalogue, parsed, today)
        except InvalidInput as exc:
            yield (
                row.line,
                None,
                [Problem(p.reason, file=str(path), line=row.line, field=p.field) for p in exc.problems],
            )
            continue
        yield row.line, prepared, []


def _spooled(spool: IO[bytes]) -> Iterator[tuple[int, RowSet]]:
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def import_signals(
    store: Store,
    actor: Actor,
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str = "utf-8",
    mapping: dict[str, str] | None = None,
    skip_invalid: bool = False,
    progress: Callable[[str, int], None] | None = None,
    catalogue: Catalogue | None = None,
) -> ImportReport:
    """Import a CSV, JSONL or XLSX file of signals: all rows or none (unless ``skip_invalid``).

    Pass one validates every row and looks up which source ids are already stored; pass two
    writes, in one transaction, so a crash or kill leaves the registry as it was.
    """
    catalogue = catalogue or store.catalogue
    mapping = mapping or {}
    today = date.today()
    stamp = rows.now()
    codec = store.codec  # loads the master key before anything is read or written
    report = ImportReport(file=str(path))
    skip_lines: set[int] = set()
    first_line: dict[tuple[str, str], int] = {}
    pending: list[tuple[int, str, str]] = []

    def check_pending() -> None:
        by_org: dict[str, list[tuple[int, str]]] = {}
        for line, org, source_id in pending:
            by_org.setdefault(org, []).append((line, source_id))
        with store.session() as session:
            for org, items in by_org.items():
                present = rows.existing_source_ids(session, org, [s for _, s in items])
                for line, source_id in items:
                    if source_id in present:
                        skip_lines.add(line)
                        report.already_present += 1
        pending.clear()

    def add_problems(problems: list[Problem]) -> None:
        report.problem_count += len(problems)
        if len(report.problems) < 1000:
            report.problems.extend(problems[: 1000 - len(report.problems)])

    # Valid rows are spooled to a temporary file (not kept in memory, not parsed twice) and
    # written from there in pass two.
    with tempfile.TemporaryFile() as spool:
        limits = Limits.from_settings(store.settings)
        # Only an administrator imports other organisations' signals (partners' files for linking);
        # anyone else's rows are their own organisation's, whatever the file says.
        org = None if actor.role == Role.ADMIN else actor.org
        on_behalf_of: set[str] = set()
        for line, prepared, problems in _validated(path, fmt, encoding, mapping, catalogue, today, limits, org):
            report.read += 1
            signal = prepared.data if prepared is not None else None
            if signal is not None and signal.source_id is not None:
                key = (signal.reporter_org, signal.source_id)
                if key in first_line:
                    problems = [
                        Problem(
                            f"duplicate source_id {signal.source_id!r} (first on line {first_line[key]})",
                            file=str(path),
                            line=line,
                            field=mapping.get("source_id", "source_id"),
                        )
                    ]
                else:
                    first_line[key] = line
                    pending.append((line, signal.reporter_org, signal.source_id))
                    if len(pending) >= 500:
                        check_pending()
            if problems:
                skip_lines.add(line)
                report.invalid_skipped += 1
                add_problems(problems)
            elif prepared is not None:
                on_behalf_of.add(prepared.data.reporter_org)
                pickle.dump((line, rows.signal_rows(actor, prepared, stamp, codec)), spool, protocol=pickle.HIGHEST_PROTOCOL)
            if progress and report.read % 5000 == 0:
                progress("checked", report.read)
        if pending:
            check_pending()
        first_line.clear()

        if report.invalid_skipped and not skip_invalid:
            raise InvalidInput(
                f"{path}: {report.invalid_skipped} of {report.read} rows are invalid; nothing was imported "
                "(fix them, or use --skip-invalid to import the valid rows)",
                report.problems,
            )

        spool.seek(0)
        try:
            with store.session() as session:
                batch: list[RowSet] = []
                for line, rowset in _spooled(spool):
                    if line in skip_lines:
                        continue
                    batch.append(rowset)
                    if len(batch) >= BATCH:
                        rows.write_rows(session, batch)
                        session.flush()
                        report.imported += len(batch)
                        batch = []
                        if progress:
                            progress("written", report.imported)
                rows.write_rows(session, batch)
                report.imported += len(batch)
                rows.add_event(
                    session,
                    actor,
                    None,
                    "imported",
                    {
                        "file": path.name,
                        "imported": report.imported,
                        "already_present": report.already_present,
                        "invalid_skipped": report.invalid_skipped,
                        **({"as_admin": True, "on_behalf_of": sorted(on_behalf_of)} if org is None else {}),
                    },
                )
        except IntegrityError:
            # Another import wrote some of these source ids after this one looked: nothing of this
            # file was written (one transaction); run it again and those rows count as present.
            raise Conflict(
                f"{path}: another import recorded some of these signals at the same moment; nothing of this "
                "file was written — run it again (the signals now present will be skipped)"
            ) from None
        return report
