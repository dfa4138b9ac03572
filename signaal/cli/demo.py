"""``signaal demo``: generate the synthetic demo data, load it, run the jobs, and say where to look."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from signaal.domain.actor import Actor, Role
from signaal.settings import load_settings


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
        # Two years up to today, so the worklist has this month's signals next to closed older ones.
        today = date.today()
        writer.writerows(generate_signals(signals, seed=2026, start=today - timedelta(days=730), end=today))
    ad_file = folder / "ads.jsonl"
    with ad_file.open("w", encoding="utf-8") as handle:
        for ad in generate_ads(ads, seed=2026):
            handle.write(json.dumps(ad, ensure_ascii=False) + "\n")
    return signal_file, ad_file


#: Synthetic organisations of the chain for the demo's register, so a signal can be shared at once.
DEMO_ORGANISATIONS = (
    ("demo-politie", "Politie, eenheid (demo)", "politie"),
    ("demo-veilig-thuis", "Veilig Thuis regio (demo)", "zorg"),
    ("demo-gemeente", "Gemeente, zorgcoördinator mensenhandel (demo)", "gemeente"),
    ("demo-inspectie", "Arbeidsinspectie (demo)", "inspectie"),
    ("demo-comensha", "Landelijk coördinatiecentrum (demo)", "comensha"),
)


def _register_organisations(store: Any, own: str) -> None:
    """The install's own organisation and the demo's others in the register (as the local admin)."""
    from signaal.services.organisations import add_organisation, list_organisations

    admin = Actor(user="demo", org=own, role=Role.ADMIN)
    known = {o.id for o in list_organisations(store, admin)}
    for org_id, name, kind in ((own, "Eigen organisatie (demo)", "zorg"), *DEMO_ORGANISATIONS):
        if org_id not in known:
            add_organisation(store, admin, org_id, name=name, kind=kind)
    typer.echo(f"  registered {len(DEMO_ORGANISATIONS) + 1} synthetic organisations to share with")


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
    # The demo's signals belong to the install's organisation (SIGNAAL_ORG, "local" by default), so
    # the CLI and the web application pointed at the demo registry see them.
    settings = load_settings(database_url=f"sqlite:///{database.resolve()}", role="coordinator")
    actor = Actor(user="demo", org=settings.org, role=Role.COORDINATOR)
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
            from signaal.demo.followup import follow_up_history

            history = follow_up_history(store, actor)
            _register_organisations(store, settings.org)
            typer.echo(
                f"  follow-up history: {history.decided} routing decisions and referrals, {history.closed} closed, "
                f"{history.shelter_requests} shelter requests"
            )
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
