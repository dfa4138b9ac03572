"""``signaal audit …``, ``retention``, ``subject``, ``backup`` and ``restore``: the history's
tamper-evidence, the access audit, retention, data-subject requests and encrypted backups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from signaal.cli import context
from signaal.errors import InvalidInput, StorageError
from signaal.services import audit as service
from signaal.services import backup as backups
from signaal.services import retention, subjects
from signaal.services.subjects import SubjectQuery
from signaal.store import open_store

audit_app = typer.Typer(
    help="Verify and anchor the tamper-evident history; list the access audit.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``audit``, ``retention`` and ``subject`` groups and ``backup`` / ``restore`` to the root CLI."""
    app.add_typer(audit_app, name="audit")
    app.add_typer(retention_app, name="retention")
    app.add_typer(subject_app, name="subject")
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def _anchor_file(given: Path | None, *, required: bool) -> Path | None:
    path = given or context.settings().audit_anchor_file
    if path is None and required:
        raise InvalidInput("name the anchor file with --file or SIGNAAL_AUDIT_ANCHOR_FILE")
    return path


@audit_app.command("verify")
def verify(
    anchors: Annotated[
        Path | None, typer.Option("--anchors", help="Anchor file to compare with; default SIGNAAL_AUDIT_ANCHOR_FILE.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Rehash the signal history and the access audit, check the guards, compare with the anchors."""
    path = _anchor_file(anchors, required=False)
    if anchors is None and path is not None and not path.exists():
        path = None  # the configured file is made by the first `signaal audit anchor`
    store = open_store(context.settings(), create=False)
    try:
        report = service.verify(store, path)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for chain in report.chains:
            state = "ok" if not chain.problem_count else f"{chain.problem_count} problem(s)"
            typer.echo(f"{chain.name}: {chain.rows} rows, head {chain.last_seq} {chain.last_hash[:16]}… {state}")
            for problem in chain.problems:
                typer.echo(f"  {problem}")
        for problem in report.guard_problems:
            typer.echo(f"guard: {problem}")
        for problem in report.working_problems:
            typer.echo(f"working tables: {problem}")
        typer.echo(f"anchors compared: {report.anchors_checked}")
    if not report.ok:
        raise StorageError("the history does not verify: it was changed outside signaal (see above)")


@audit_app.command("anchor")
def anchor(
    file: Annotated[
        Path | None, typer.Option("--file", help="Anchor file to append to; default SIGNAAL_AUDIT_ANCHOR_FILE.")
    ] = None,
) -> None:
    """Verify, then append the chain heads to the anchor file (keep it outside the database's host)."""
    path = _anchor_file(file, required=True)
    assert path is not None
    store = open_store(context.settings(), create=False)
    try:
        report = service.anchor(store, path)
    finally:
        store.close()
    for chain in report.chains:
        typer.echo(f"anchored {chain.name} at {chain.last_seq} {chain.last_hash}")


@audit_app.command("list")
def list_(
    signal: Annotated[str | None, typer.Option(help="Only accesses to this signal.")] = None,
    user: Annotated[str | None, typer.Option(help="Only accesses by this user.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="Most recent first, at most this many.")] = 100,
) -> None:
    """List access records (who, when, role, on whose behalf, purpose, action, signal); admins only."""
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        entries = service.list_audit(store, context.actor(cfg), signal_id=signal, user=user, limit=limit)
    finally:
        store.close()
    for e in entries:
        behalf = f" for {e.on_behalf_of}" if e.on_behalf_of else ""
        target = e.signal_id or ",".join(e.detail.get("signal_ids", [])[:5]) or "-"
        typer.echo(
            f"{e.seq}\t{e.at:%Y-%m-%d %H:%M:%S}\t{e.user}@{e.org} ({e.role}){behalf}\t{e.purpose}\t{e.action}\t{target}"
        )


retention_app = typer.Typer(help="Erase what has been kept longer than its purpose allows.", no_args_is_help=True)
subject_app = typer.Typer(
    help="Data-subject requests: export or erase everything about a person.", no_args_is_help=True
)


def _subject(
    identifier: str | None, signals: list[str] | None, name: str | None = None, birth_date: str | None = None
) -> SubjectQuery:
    kind, value = None, None
    if identifier:
        kind, sep, value = identifier.partition(":")
        if not sep or not kind or not value:
            raise InvalidInput(f"--identifier expects KIND:VALUE (for example phone:0612345678), got {identifier!r}")
    return SubjectQuery(kind=kind, value=value, signal_ids=tuple(signals or ()), name=name, birth_date=birth_date)


IdentifierOption = Annotated[
    str | None, typer.Option("--identifier", help="KIND:VALUE, e.g. phone:0612345678 (written as on input).")
]
SignalsOption = Annotated[list[str] | None, typer.Option("--signal", help="A signal of the person (repeatable).")]
NameOption = Annotated[
    str | None, typer.Option("--name", help="The person's name as other organisations' registrations hold it.")
]
BirthOption = Annotated[str | None, typer.Option("--birth-date", help="The person's date of birth, YYYY-MM-DD.")]


@subject_app.command("export")
def subject_export(
    out: Annotated[Path, typer.Option("--out", help="JSON file to write (created owner-only).")],
    reference: Annotated[str, typer.Option(help="The request this answers (recorded).")],
    identifier: IdentifierOption = None,
    signal: SignalsOption = None,
    name: NameOption = None,
    birth_date: BirthOption = None,
) -> None:
    """Export the person's signals, their history and who accessed them, and the imported
    registrations that hold them (access request, GDPR art. 15)."""
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        query = _subject(identifier, signal, name, birth_date)
        counts = subjects.export_subject(store, context.actor(cfg), query, out, reference)
    finally:
        store.close()
    typer.echo(
        f"wrote {counts['signals']} signal(s), {counts['registrations']} registration case(s) "
        f"and {counts['accesses']} access record(s) to {out}"
    )


@subject_app.command("erase")
def subject_erase(
    reference: Annotated[str, typer.Option(help="The request this answers (recorded).")],
    identifier: IdentifierOption = None,
    signal: SignalsOption = None,
    name: NameOption = None,
    birth_date: BirthOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase the person's signals and imported registrations' cases by destroying their keys
    (GDPR art. 17); the history still verifies."""
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        actor, query = context.actor(cfg), _subject(identifier, signal, name, birth_date)
        signals, cases = subjects.find_all(store, actor, query)
        found = signals + cases
        if not yes and not typer.confirm(
            f"erase {len(signals)} signal(s) and {len(cases)} case(s): {', '.join(found)}?"
        ):
            raise typer.Abort()
        erased = subjects.erase_subject(store, actor, query, reference)
    finally:
        store.close()
    typer.echo(f"erased {len(erased)} signal(s) and registration case(s): {', '.join(erased)}")


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what is due; erase nothing.")] = False,
) -> None:
    """Erase every signal kept past the retention period of its purpose (catalogue/data/retention.yaml)."""
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        run = retention.run_retention(store, context.actor(cfg), dry_run=dry_run)
    finally:
        store.close()
    verb = "due" if dry_run else "erased"
    for purpose, ids in sorted(run.due.items()):
        typer.echo(f"{purpose}: {len(ids)} {verb}")
    typer.echo(f"{run.count} signal(s) {verb} on {run.today.isoformat()}")


def backup_command(
    out: Annotated[Path, typer.Argument(help="Backup file to write (encrypted, owner-only).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write an encrypted backup of the registry (SQLite online backup, or pg_dump)."""
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        info = backups.backup(store, context.actor(cfg), out, force=force)
    finally:
        store.close()
    typer.echo(f"backed up {info.bytes} bytes of {info.backend} to {info.file} (key {info.key})")


def restore_command(
    source: Annotated[Path, typer.Argument(help="Backup file made by `signaal backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing SQLite file.")] = False,
) -> None:
    """Restore a backup into SIGNAAL_DATABASE_URL (a new SQLite file or an empty database) and verify it."""
    cfg = context.settings()
    info = backups.restore(cfg, context.actor(cfg), source, force=force)
    typer.echo(f"restored {info.bytes} bytes from {info.file}; the history verifies")
