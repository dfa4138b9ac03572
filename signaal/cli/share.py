"""``signaal share …``: share a signal with another organisation, revoke it, list the acts; assign."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from signaal.cli import context
from signaal.cli.route import parse_moment
from signaal.errors import InvalidInput
from signaal.services import sharing as service
from signaal.store import Store, open_store

__all__ = ["register"]

share_app = typer.Typer(help="Sharing acts: who else sees a signal, on which basis, until when.", no_args_is_help=True)

SignalId = Annotated[str, typer.Argument(help="Id of a stored signal of your organisation.")]
Format = Annotated[str, typer.Option("--format", help="text or json.")]


def register(app: typer.Typer) -> None:
    """Add the ``share`` group and ``assign`` to the root CLI."""
    app.add_typer(share_app, name="share")
    app.command("assign")(assign)


def _store() -> Store:
    return open_store(context.settings(), create=False)


def _show(item: service.ActPublic) -> str:
    a = item.act
    state = "active" if item.active else ("revoked" if a.revoked_at else "expired")
    scope = ",".join(sorted(g.value for g in a.scope))
    return (
        f"{a.id}  signal {a.signal_id} -> {a.org}  basis {a.basis}  scope {scope}  "
        f"until {a.expires_at:%Y-%m-%d %H:%M}  {state}  granted by {a.granted_by}  purpose: {a.purpose}"
    )


@share_app.command("grant")
def grant(
    signal_id: SignalId,
    org: Annotated[str, typer.Option("--org", help="The receiving organisation.")],
    basis: Annotated[str, typer.Option("--basis", help="Legal basis id: wgs_convenant, meldcode, consent, ...")],
    purpose: Annotated[str, typer.Option("--purpose", help="Why the signal is shared.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope", help="Field groups: narrative, identifiers, persons, route, history (repeat or comma)."
        ),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Expiry (YYYY-MM-DD[THH:MM], UTC); default 90 days.")
    ] = None,
) -> None:
    """Share a signal with another organisation (a coordinator or admin of the owning organisation)."""
    store = _store()
    try:
        item = service.grant_act(
            store,
            context.actor(),
            signal_id,
            org=org,
            basis=basis,
            purpose=purpose,
            scope=scope or [],
            expires_at=parse_moment(until, "--until"),
        )
    finally:
        store.close()
    typer.echo(_show(item))


@share_app.command("revoke")
def revoke(
    signal_id: SignalId,
    act_id: Annotated[str, typer.Argument(help="Id of the act (from 'share list').")],
    reason: Annotated[str, typer.Option("--reason", help="Why the act ends.")] = "",
) -> None:
    """Revoke a sharing act; it grants nothing from this moment."""
    store = _store()
    try:
        item = service.revoke_act(store, context.actor(), signal_id, act_id, reason)
    finally:
        store.close()
    typer.echo(_show(item))


@share_app.command("list")
def list_acts(signal_id: SignalId, fmt: Format = "text") -> None:
    """The sharing acts of a signal, newest first (active, expired and revoked)."""
    if fmt not in ("text", "json"):
        raise InvalidInput(f"--format must be text or json, not {fmt!r}")
    store = _store()
    try:
        items = service.list_acts(store, context.actor(), signal_id)
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps([i.as_dict() for i in items], indent=2))
        return
    if not items:
        typer.echo(f"signal {signal_id} is not shared")
    for item in items:
        typer.echo(_show(item))


def assign(
    signal_id: SignalId,
    person: Annotated[str | None, typer.Option("--person", help="The person who handles the signal.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="The team that handles the signal.")] = None,
) -> None:
    """Assign a signal to a person and/or team of its owning organisation (recorded as an event)."""
    store = _store()
    try:
        service.assign_signal(store, context.actor(), signal_id, assignee=person, team=team)
    finally:
        store.close()
    typer.echo(f"signal {signal_id} assigned to {person or '-'} / team {team or '-'}")
