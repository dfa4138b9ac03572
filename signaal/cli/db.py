"""``signaal db …``: create or upgrade the registry schema and say where it stands."""

from __future__ import annotations

import typer

from signaal.cli import context
from signaal.store import current_revision, head_revision, open_store
from signaal.store.roles import app_role_grants

db_app = typer.Typer(help="Create, upgrade and inspect the registry database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``db`` group to the root CLI."""
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database if needed and apply every pending migration."""
    store = open_store(context.settings(), create=True)
    try:
        typer.echo(f"database at revision {current_revision(store)} (newest {head_revision()})")
    finally:
        store.close()


@db_app.command("status")
def status() -> None:
    """Print the database's schema revision and the newest one this version ships."""
    store = open_store(context.settings(), create=False, migrate=False)
    try:
        current = current_revision(store)
    finally:
        store.close()
    head = head_revision()
    state = "up to date" if current == head else "behind: run `signaal db upgrade`"
    typer.echo(f"revision {current or '(empty)'}; newest {head}; {state}")


@db_app.command("grants")
def grants(
    app_role: str = typer.Option(..., "--app-role", help="PostgreSQL role the application connects as."),
    schema: str = typer.Option("public", help="Schema of the registry."),
) -> None:
    """Print the GRANT statements that let the application role work but not rewrite history."""
    for statement in app_role_grants(app_role, schema):
        typer.echo(f"{statement};")


@db_app.command("reencrypt")
def reencrypt(
    batch: int = typer.Option(500, "--batch", help="Signals (and data keys) per transaction."),
    quiet: bool = typer.Option(False, "--quiet", help="Print only the totals."),
) -> None:
    """Encrypt content stored in the clear and re-wrap data keys with the active master key.

    Safe to run again and to interrupt: every batch commits on its own and finished work is skipped.
    Run it after upgrading a registry that held signals from before encryption, after
    `signaal keys new data` (master-key rotation) and after `signaal keys new lookup`
    (lookup-key rotation: every lookup pseudonym is made again).
    """
    from signaal.services.encryption import Reencrypted
    from signaal.services.encryption import reencrypt as run

    def show(done: Reencrypted) -> None:
        if not quiet:
            typer.echo(
                f"  {done.signals_visited} signals visited, {done.values_sealed} values sealed, "
                f"{done.keys_rewrapped} keys re-wrapped"
            )

    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        done = run(store, context.actor(cfg), batch=batch, progress=show)
    finally:
        store.close()
    typer.echo(
        f"re-encrypted: {done.signals_visited} signals visited, {done.keys_made} data keys made, "
        f"{done.values_sealed} values sealed, {done.link_values_sealed} linking values sealed, "
        f"{done.keys_rewrapped} data keys re-wrapped with {done.master_key}, "
        f"{done.lookups_recomputed} lookup pseudonyms made again with {done.lookup_key}"
    )
