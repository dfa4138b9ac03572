"""``signaal report monitor``: the yearly monitor as HTML, PDF and CSV tables, all small cells suppressed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signaal.cli import context
from signaal.services.monitor import write_monitor
from signaal.store import open_store

__all__ = ["register"]

report_app = typer.Typer(help="Reports for policy and monitoring.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``report`` group."""
    app.add_typer(report_app, name="report")


@report_app.command("monitor")
def monitor(
    year: Annotated[int, typer.Option("--year", help="The year of the monitor (the ten years up to it are shown).")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write monitor-YEAR.html, .pdf and tables/*.csv to.")
    ] = Path("monitor"),
    lang: Annotated[str, typer.Option("--lang", help="nl or en.")] = "nl",
) -> None:
    """Write the monitor of a year: key figures, charts with their tables, tests and caveats."""
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        files = write_monitor(store, context.actor(cfg), year, out, lang)
    finally:
        store.close()
    typer.echo(f"wrote {files.html}, {files.pdf} and {len(files.csv)} tables in {files.csv[0].parent}")
