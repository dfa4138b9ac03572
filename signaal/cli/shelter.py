"""``signaal shelter …``: request and follow shelter placements, and the waiting-time figures."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from signaal.cli import context
from signaal.cli.route import parse_moment
from signaal.errors import InvalidInput
from signaal.services import shelter as service
from signaal.store import Store, open_store
from signaal.triage.shelter import GROUP_KEYS, SHELTER_TYPES

__all__ = ["register"]

shelter_app = typer.Typer(help="Shelter requests, placements and waiting times.", no_args_is_help=True)

At = Annotated[str | None, typer.Option("--at", help="When (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC); default now.")]
Note = Annotated[str, typer.Option("--note", help="Free note.")]
RequestId = Annotated[str, typer.Argument(help="Shelter request id (from 'shelter request').")]
Format = Annotated[str, typer.Option("--format", help="text or json.")]


def register(app: typer.Typer) -> None:
    """Add the ``shelter`` group to the root CLI."""
    app.add_typer(shelter_app, name="shelter")


def _store() -> Store:
    return open_store(context.settings(), create=False)


def _format(value: str) -> str:
    if value not in ("text", "json"):
        raise InvalidInput(f"--format must be text or json, not {value!r}")
    return value


def _show(item: service.ShelterPublic) -> str:
    r = item.record
    waited = f", waited {r.waiting_days:.1f} days" if r.waiting_days is not None else ""
    no_place = f", {len(r.no_place_at)} x no place" if r.no_place_at else ""
    return (
        f"{r.id} signal {item.signal_id} {r.type} ({r.region or 'region unknown'}): "
        f"{item.state}, requested {r.requested_at:%Y-%m-%d}{waited}{no_place}"
    )


@shelter_app.command("request")
def request(
    signal_id: Annotated[str, typer.Argument(help="Id of a stored signal.")],
    shelter_type: Annotated[str, typer.Option("--type", help=", ".join(SHELTER_TYPES))],
    region: Annotated[
        str | None, typer.Option("--region", help="Municipality or police unit; default the signal's.")
    ] = None,
    at: At = None,
    note: Note = "",
) -> None:
    """Record a shelter request; the placement clock starts."""
    store = _store()
    try:
        item = service.request_shelter(
            store, context.actor(), signal_id, shelter_type, region=region, at=parse_moment(at), note=note
        )
    finally:
        store.close()
    typer.echo(_show(item))


@shelter_app.command("offer")
def offer(
    request_id: RequestId,
    provider: Annotated[str | None, typer.Option("--provider", help="Shelter provider offering the place.")] = None,
    at: At = None,
    note: Note = "",
) -> None:
    """Record that a place was offered."""
    store = _store()
    try:
        item = service.offer_shelter(
            store, context.actor(), request_id, at=parse_moment(at), provider=provider, note=note
        )
    finally:
        store.close()
    typer.echo(_show(item))


@shelter_app.command("no-place")
def no_place(request_id: RequestId, at: At = None, note: Note = "") -> None:
    """Record a "no place available" answer; the request keeps waiting."""
    store = _store()
    try:
        item = service.no_place(store, context.actor(), request_id, at=parse_moment(at), note=note)
    finally:
        store.close()
    typer.echo(_show(item))


@shelter_app.command("start")
def start(
    request_id: RequestId,
    provider: Annotated[str | None, typer.Option("--provider", help="Shelter provider.")] = None,
    at: At = None,
    note: Note = "",
) -> None:
    """Record that the placement started (the waiting time ends)."""
    store = _store()
    try:
        item = service.start_shelter(
            store, context.actor(), request_id, at=parse_moment(at), provider=provider, note=note
        )
    finally:
        store.close()
    typer.echo(_show(item))


@shelter_app.command("end")
def end(
    request_id: RequestId,
    destination: Annotated[str | None, typer.Option("--destination", help="Where the person went.")] = None,
    at: At = None,
    note: Note = "",
) -> None:
    """Record the end of a placement, with the destination."""
    store = _store()
    try:
        item = service.end_shelter(
            store, context.actor(), request_id, at=parse_moment(at), destination=destination, note=note
        )
    finally:
        store.close()
    typer.echo(_show(item))


@shelter_app.command("withdraw")
def withdraw(request_id: RequestId, at: At = None, note: Note = "") -> None:
    """Withdraw a request that is no longer needed."""
    store = _store()
    try:
        item = service.withdraw_shelter(store, context.actor(), request_id, at=parse_moment(at), note=note)
    finally:
        store.close()
    typer.echo(_show(item))


@shelter_app.command("list")
def list_cmd(
    waiting: Annotated[bool, typer.Option("--waiting", help="Only requests still waiting.")] = False,
    shelter_type: Annotated[str | None, typer.Option("--type", help="Only this type.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    signal: Annotated[str | None, typer.Option("--signal", help="Only this signal.")] = None,
    fmt: Format = "text",
) -> None:
    """List shelter requests and where each stands."""
    fmt = _format(fmt)
    store = _store()
    try:
        items = service.list_shelter(
            store, context.actor(), shelter_type=shelter_type, region=region, waiting_only=waiting, signal_id=signal
        )
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False))
        return
    if not items:
        typer.echo("no shelter requests")
    for item in items:
        typer.echo(_show(item))


@shelter_app.command("stats")
def stats(
    by: Annotated[
        list[str] | None, typer.Option("--by", help=f"Group by ({', '.join(GROUP_KEYS)}); repeatable.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Moment of the figures; default now.")] = None,
    shelter_type: Annotated[str | None, typer.Option("--type", help="Only this type.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    fmt: Format = "text",
) -> None:
    """Waiting days request->start (median, 90th percentile), still waiting, "no place" counts."""
    fmt = _format(fmt)
    store = _store()
    try:
        groups, waiting = service.shelter_figures(
            store,
            context.actor(),
            by=tuple(by or ["type"]),
            as_of=parse_moment(as_of, "--as-of"),
            shelter_type=shelter_type,
            region=region,
        )
    finally:
        store.close()
    if fmt == "json":
        typer.echo(
            json.dumps(
                {"groups": [g.as_dict() for g in groups], "waiting": [w.as_dict() for w in waiting]},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not groups:
        typer.echo("no shelter requests")
    for g in groups:
        key = " ".join(f"{k}={v}" for k, v in g.key)

        def num(x: float | None) -> str:
            return "-" if x is None else f"{x:.1f}"

        typer.echo(
            f"{key}: {g.requests} requests, {g.started} started, {g.waiting} waiting; "
            f"days to start median {num(g.median_days)}, p90 {num(g.p90_days)}; "
            f"longest wait {num(g.longest_waiting_days)}; no place {g.no_place_events} x"
        )
    if waiting:
        typer.echo("\nStill waiting:")
        for w in waiting:
            typer.echo(
                f"  {w.id} {w.type} ({w.region or '?'}) {w.waiting_days:.1f} days, {w.no_place_events} x no place"
            )
