"""``signaal demo``: generate the synthetic demo data, load it, run the jobs, and say where to look."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from signaal.domain.actor import Actor, Role
from signaal.settings import load_settings
from signaal.store import Store


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the root CLI."""
    app.command("demo")(demo)


def _write_inputs(folder: Path, signals: int, ads: int) -> tuple[Path, Path]:
    from signaal.ads.synthetic import generate_ads
    from signaal.demo import SIGNAL_COLUMNS, generate_signals

    signal_file = folder / "signals.csv"
    with signal_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNAL_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_signals(signals, seed=2026))
    ad_file = folder / "ads.jsonl"
    with ad_file.open("w", encoding="utf-8") as handle:
        for ad in generate_ads(ads, seed=2026):
            handle.write(json.dumps(ad, ensure_ascii=False) + "\n")
    return signal_file, ad_file


def demo(
    folder: Annotated[Path, typer.Option("--dir", help="Folder for the demo database, inputs and reports.")] = Path(
        "var/demo"
    ),
    signals: Annotated[int, typer.Option(help="Number of synthetic signals.")] = 600,
    ads: Annotated[int, typer.Option(help="Number of synthetic ads.")] = 400,
    serve: Annotated[bool, typer.Option(help="Serve the web application on the demo data afterwards.")] = False,
) -> None:
    """Load synthetic demo data into an embedded SQLite registry, run the jobs, and print where to look."""
    from signaal.services import signals as signal_service
    from signaal.services import triage as triage_service
    from signaal.services.ads import promote_groups, screen_dump
    from signaal.services.intake import import_signals
    from signaal.store import open_store
    from signaal.store.screen_files import ScreenFolder
    from signaal.store.signals import SignalQuery

    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "signaal.db"
    fresh = not database.exists()
    settings = load_settings(database_url=f"sqlite:///{database.resolve()}", org="demo-coordinatie", role="coordinator")
    actor = Actor(user="demo", org="demo-coordinatie", role=Role.COORDINATOR)
    typer.echo("signaal demo — all data below is synthetic")
    signal_file, ad_file = _write_inputs(folder, signals, ads)
    typer.echo(f"  generated {signals} signals -> {signal_file}")
    typer.echo(f"  generated {ads} ads -> {ad_file}")
    store = open_store(settings)
    try:
        report = import_signals(store, actor, signal_file)
        typer.echo(f"  imported {report.imported} signals ({report.already_present} already present) into {database}")
        screen_dir = folder / "screen"
        summary = screen_dump(actor, ad_file, screen_dir, settings)
        typer.echo(f"  screened {summary.ads} ads: {summary.clusters} groups, {summary.hubs} telefonist hubs")
        if fresh:
            top = [group["id"] for group in ScreenFolder(screen_dir).groups()[:2]]
            promoted = promote_groups(store, actor, screen_dir, top)
            typer.echo(f"  promoted the {len(promoted)} highest-ranked ad groups to signals: {', '.join(promoted)}")
            _shelter_history(store, actor)
        page = signal_service.list_signals(store, actor, SignalQuery(limit=1))
        if page.items:
            first = page.items[0]
            result = triage_service.route_signal(store, actor, first.id)
            typer.echo(f"\nMost urgent signal {first.id} ({first.municipality or first.police_unit}):")
            for step in result.route.steps[:4]:
                typer.echo(f"  - {step.action}")
    finally:
        store.close()
    typer.echo("\nWhere to look:")
    typer.echo(f"  ad screening report:   {(folder / 'screen' / 'report.html').resolve()}")
    typer.echo(
        f"  the registry (CLI):    SIGNAAL_DATABASE_URL=sqlite:///{database.resolve()} .venv/bin/signaal signals list"
    )
    if serve:
        from signaal.cli.web import serve_app

        typer.echo(f"  the web application:   http://{settings.host}:{settings.port}/  (Ctrl-C stops it)")
        serve_app(settings)
    else:
        typer.echo(
            f"  the web application:   SIGNAAL_DATABASE_URL=sqlite:///{database.resolve()} .venv/bin/signaal serve"
        )


def _shelter_history(store: Store, actor: Actor) -> None:
    """Give the demo a shelter board and routed signals: requests, 'no place' events and placements."""
    from signaal.services import shelter as shelter_service
    from signaal.services import signals as signal_service
    from signaal.services import triage as triage_service
    from signaal.store.signals import SignalQuery

    rng = random.Random(7)
    page = signal_service.list_signals(store, actor, SignalQuery(limit=60))
    types = ("cosm", "omm", "vo_mo", "youth_care", "nidos")
    for n, item in enumerate(page.items[:40]):
        signal = signal_service.get_signal(store, actor, item.id)
        requested = datetime.combine(signal.received_at, datetime.min.time(), UTC) + timedelta(hours=10)
        if n % 3 == 0:
            request = shelter_service.request_shelter(store, actor, item.id, rng.choice(types), at=requested)
            at = requested
            for _ in range(rng.randrange(0, 3)):
                at += timedelta(days=rng.randrange(1, 6))
                shelter_service.no_place(store, actor, request.record.id, at=at)
            if n % 2 == 0:
                at += timedelta(days=rng.randrange(1, 10))
                shelter_service.offer_shelter(store, actor, request.record.id, at=at)
                shelter_service.start_shelter(store, actor, request.record.id, at=at + timedelta(days=1))
        if n % 4 == 1:
            routed = triage_service.route_signal(store, actor, item.id)
            contacts = list(routed.route.contacts[:2])
            triage_service.record_decision(
                store,
                actor,
                item.id,
                f"contact {', '.join(contacts)}",
                "demo: the suggested route was followed",
                contacts,
            )
