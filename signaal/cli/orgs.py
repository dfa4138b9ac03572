"""``signaal org …`` (the organisation register) and ``signaal share standing …`` (standing acts)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from signaal.cli import context
from signaal.cli.route import parse_moment
from signaal.errors import InvalidInput
from signaal.services import organisations, standing
from signaal.store import Store, open_store

__all__ = ["register"]

org_app = typer.Typer(help="The organisation register: whom a sharing act may name.", no_args_is_help=True)
standing_app = typer.Typer(
    help="Standing acts: all signals of your organisation shared with another, until an expiry.",
    no_args_is_help=True,
)

Format = Annotated[str, typer.Option("--format", help="text or json.")]


def register(app: typer.Typer) -> None:
    """Add ``org`` to the root CLI and ``standing`` under ``share``."""
    from signaal.cli.share import share_app

    app.add_typer(org_app, name="org")
    share_app.add_typer(standing_app, name="standing")


def _store() -> Store:
    return open_store(context.settings(), create=False)


def _format(fmt: str) -> str:
    if fmt not in ("text", "json"):
        raise InvalidInput(f"--format must be text or json, not {fmt!r}")
    return fmt


@org_app.command("add")
def org_add(
    org_id: Annotated[str, typer.Argument(help="The organisation's id, as in the users' org.")],
    name: Annotated[str, typer.Option("--name", help="Its name.")],
    kind: Annotated[str, typer.Option("--kind", help=f"One of {', '.join(organisations.KINDS)}.")],
) -> None:
    """Add an organisation to the register (an admin)."""
    store = _store()
    try:
        org = organisations.add_organisation(store, context.actor(), org_id, name=name, kind=kind)
    finally:
        store.close()
    typer.echo(f"{org.id}  {org.kind}  {org.name}  added")


@org_app.command("retire")
def org_retire(org_id: Annotated[str, typer.Argument(help="The organisation's id.")]) -> None:
    """Retire an organisation: no new act may name it (an admin)."""
    store = _store()
    try:
        organisations.retire_organisation(store, context.actor(), org_id)
    finally:
        store.close()
    typer.echo(f"{org_id} retired")


@org_app.command("list")
def org_list(
    fmt: Format = "text",
    retired: Annotated[bool, typer.Option("--retired", help="Also the retired ones.")] = False,
) -> None:
    """The registered organisations."""
    _format(fmt)
    store = _store()
    try:
        orgs = organisations.list_organisations(store, context.actor(), retired=retired)
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps([o.as_dict() for o in orgs], indent=2))
        return
    for o in orgs:
        typer.echo(f"{o.id}  {o.kind}  {o.name}" + ("  (retired)" if o.retired_at else ""))
    if not orgs:
        typer.echo(
            "the register is empty; an admin adds organisations with: signaal org add ID --name NAME --kind KIND"
        )


def _show(item: standing.StandingPublic) -> str:
    a = item.act
    state = "active" if item.active else ("revoked" if a.revoked_at else "expired")
    scope = ",".join(sorted(g.value for g in a.scope))
    only = "".join(f"  {k} {v}" for k, v in (("form", a.form), ("police unit", a.police_unit)) if v)
    return (
        f"{a.id}  all signals of {a.owner_org} -> {a.org}{only}  basis {a.basis}  scope {scope}  "
        f"until {a.expires_at:%Y-%m-%d %H:%M}  {state}  granted by {a.granted_by}  purpose: {a.purpose}"
    )


@standing_app.command("grant")
def standing_grant(
    org: Annotated[str, typer.Option("--org", help="The receiving organisation (from 'signaal org list').")],
    basis: Annotated[str, typer.Option("--basis", help="Legal basis id: wgs_convenant, meldcode, consent, ...")],
    purpose: Annotated[str, typer.Option("--purpose", help="Why the signals are shared.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope", help="Field groups: narrative, identifiers, persons, route, history (repeat or comma)."
        ),
    ] = None,
    form: Annotated[str | None, typer.Option("--form", help="Only signals with this form hypothesis.")] = None,
    police_unit: Annotated[str | None, typer.Option("--police-unit", help="Only signals in this police unit.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Expiry (YYYY-MM-DD[THH:MM], UTC); default 90 days, at most 730.")
    ] = None,
) -> None:
    """Share every signal of your organisation (filtered) with another organisation (an admin)."""
    store = _store()
    try:
        item = standing.grant_standing(
            store,
            context.actor(),
            org=org,
            basis=basis,
            purpose=purpose,
            scope=scope or [],
            form=form,
            police_unit=police_unit,
            expires_at=parse_moment(until, "--until"),
        )
    finally:
        store.close()
    typer.echo(_show(item))


@standing_app.command("revoke")
def standing_revoke(
    act_id: Annotated[str, typer.Argument(help="Id of the standing act (from 'share standing list').")],
    reason: Annotated[str, typer.Option("--reason", help="Why the act ends.")] = "",
) -> None:
    """Revoke a standing act of your organisation; it grants nothing from this moment."""
    store = _store()
    try:
        item = standing.revoke_standing(store, context.actor(), act_id, reason)
    finally:
        store.close()
    typer.echo(_show(item))


@standing_app.command("list")
def standing_list(fmt: Format = "text") -> None:
    """The standing acts your organisation granted or received, newest first."""
    _format(fmt)
    store = _store()
    try:
        items = standing.list_standing(store, context.actor())
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps([i.as_dict() for i in items], indent=2))
        return
    if not items:
        typer.echo("no standing acts")
    for item in items:
        typer.echo(_show(item))
