"""``signaal keys …``: make and list the secret keys of the key directory (``SIGNAAL_KEY_DIR``)."""

from __future__ import annotations

import typer

from signaal.cli import context
from signaal.keystore import KeyStore

keys_app = typer.Typer(help="Make and list secret keys (pseudonym key and others).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``keys`` group to the root CLI."""
    app.add_typer(keys_app, name="keys")


@keys_app.command("new")
def new(
    name: str = typer.Argument(..., help="Key name, e.g. 'pseudonym'."),
    key_id: str = typer.Option(None, "--id", help="Key id (default: k1, k2, ... in turn)."),
    activate: bool = typer.Option(True, "--activate/--keep-active", help="Make the new key the one in use."),
) -> None:
    """Make a new random key version in the key directory (file readable by you only)."""
    store = KeyStore(context.settings().key_dir)
    key = store.new(name, key_id, activate=activate)
    state = "in use" if activate else "stored, not in use"
    typer.echo(f"key {key.ref} written to {store.directory} ({state})")


@keys_app.command("list")
def list_keys(name: str = typer.Argument("pseudonym", help="Key name.")) -> None:
    """List the stored versions of a key and which one is in use (never the key material)."""
    store = KeyStore(context.settings().key_dir)
    ids = store.key_ids(name)
    active = store.active_id(name) if ids else None
    for key_id in ids:
        store.get(name, key_id)  # checks permissions and contents
        typer.echo(f"{name}.{key_id}{'  (in use)' if key_id == active else ''}")
    if not ids:
        typer.echo(f"no key {name!r}; make one with: signaal keys new {name}")
