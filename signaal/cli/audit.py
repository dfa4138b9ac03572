"""``signaal audit …``: verify and anchor the hash chains, list who accessed what."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from signaal.cli import context
from signaal.errors import InvalidInput, StorageError
from signaal.services import audit as service
from signaal.store import open_store

audit_app = typer.Typer(
    help="Verify and anchor the tamper-evident history; list the access audit.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``audit`` group to the root CLI."""
    app.add_typer(audit_app, name="audit")


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
