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


@dataclass
class _Checked:
    """What pass one found: the report so far, the lines not to write, and whose signals were read."""

    report: ImportReport
    skip_lines: set[int] = field(default_factory=set)
    first_line: dict[tuple[str, str], int] = field(default_factory=dict)
    pending: list[tuple[int, str, str]] = field(default_factory=list)
    on_behalf_of: set[str] = field(default_factory=set)

    def check_pending(self, store: Store) -> None:
        """Skip the pending rows whose source id is already stored for their organisation."""
        by_org: dict[str, list[tuple[int, str]]] = {}
        for line, org, source_id in self.pending:
            by_org.setdefault(org, []).append((line, source_id))
        with store.session() as session:
            for org, items in by_org.items():
                present = rows.existing_source_ids(session, org, [s for _, s in items])
                for line, source_id in items:
                    if source_id in present:
                        self.skip_lines.add(line)
                        self.report.already_present += 1
        self.pending.clear()

    def skip(self, line: int, problems: list[Problem]) -> None:
        """A row that is not written, with its problems (the first thousand are kept)."""
        self.skip_lines.add(line)
        self.report.invalid_skipped += 1
        self.report.problem_count += len(problems)
        if len(self.report.problems) < 1000:
            self.report.problems.extend(problems[: 1000 - len(self.report.problems)])

    def duplicate(self, store: Store, line: int, key: tuple[str, str], column: str) -> list[Problem]:
        """The problem of an (organisation, source id) seen before in this file; none for the first,
        which is looked up in the store."""
        if key in self.first_line:
            shown = f"duplicate source_id {key[1]!r} (first on line {self.first_line[key]})"
            return [Problem(shown, file=self.report.file, line=line, field=column)]
        self.first_line[key] = line
        self.pending.append((line, *key))
        if len(self.pending) >= 500:
            self.check_pending(store)
        return []


def _check_rows(
    store: Store,
    actor: Actor,
    rows_in: Iterator[tuple[int, NewSignal | None, list[Problem]]],
    spool: IO[bytes],
    checked: _Checked,
    column: str,
    progress: Callable[[str, int], None] | None,
) -> None:
    """Pass one: every row validated, its source id looked up, the valid ones spooled to disk."""
    stamp, codec = rows.now(), store.codec
    for line, prepared, problems in rows_in:
        checked.report.read += 1
        signal = prepared.data if prepared is not None else None
        if signal is not None and signal.source_id is not None:
            problems = checked.duplicate(store, line, (signal.reporter_org, signal.source_id), column) or problems
        if problems:
            checked.skip(line, problems)
        elif prepared is not None:
            checked.on_behalf_of.add(prepared.data.reporter_org)
            rowset = rows.signal_rows(actor, prepared, stamp, codec)
            pickle.dump((line, rowset), spool, protocol=pickle.HIGHEST_PROTOCOL)
        if progress and checked.report.read % 5000 == 0:
            progress("checked", checked.report.read)
    if checked.pending:
        checked.check_pending(store)


def _write_rows(
    store: Store,
    actor: Actor,
    spool: IO[bytes],
    checked: _Checked,
    file_name: str,
    admin: dict[str, object],
    progress: Callable[[str, int], None] | None,
) -> None:
    """Pass two: the spooled rows written in one transaction, with one event that says what was imported."""
    report = checked.report
    spool.seek(0)
    with store.session() as session:
        batch: list[RowSet] = []
        for line, rowset in _spooled(spool):
            if line in checked.skip_lines:
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
                "file": file_name,
                "imported": report.imported,
                "already_present": report.already_present,
                "invalid_skipped": report.invalid_skipped,
                **admin,
            },
        )


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
    _ = store.codec  # loads the master key before anything is read or written
    checked = _Checked(ImportReport(file=str(path)))
    report = checked.report
    # Only an administrator imports other organisations' signals (partners' files for linking);
    # anyone else's rows are their own organisation's, whatever the file says.
    org = None if actor.role == Role.ADMIN else actor.org
    limits = Limits.from_settings(store.settings)
    # Valid rows are spooled to a temporary file (not kept in memory, not parsed twice) and
    # written from there in pass two.
    with tempfile.TemporaryFile() as spool:
        rows_in = _validated(path, fmt, encoding, mapping, catalogue, date.today(), limits, org)
        _check_rows(store, actor, rows_in, spool, checked, mapping.get("source_id", "source_id"), progress)
        checked.first_line.clear()
        if report.invalid_skipped and not skip_invalid:
            raise InvalidInput(
                f"{path}: {report.invalid_skipped} of {report.read} rows are invalid; nothing was imported "
                "(fix them, or use --skip-invalid to import the valid rows)",
                report.problems,
            )
        admin = {"as_admin": True, "on_behalf_of": sorted(checked.on_behalf_of)} if org is None else {}
        try:
            _write_rows(store, actor, spool, checked, path.name, admin, progress)
        except IntegrityError:
            # Another import wrote some of these source ids after this one looked: nothing of this
            # file was written (one transaction); run it again and those rows count as present.
            raise Conflict(
                f"{path}: another import recorded some of these signals at the same moment; nothing of this "
                "file was written — run it again (the signals now present will be skipped)"
            ) from None
        return report
