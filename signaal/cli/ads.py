"""``signaal ads``: screen an ad dump, or check one new ad against a saved screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from signaal.cli import context
from signaal.engines import choose_engine
from signaal.errors import InvalidInput

__all__ = ["register"]

# skipped records printed at the end of a screen (all of them are in DIR/skipped.jsonl)
_SHOWN = 5

ads_app = typer.Typer(help="Screen sex-advertisement dumps for telefonist hubs, templates and movement.")


def _mapping(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InvalidInput(f"--map {item!r}: write field=column, e.g. body=description")
        field, column = item.split("=", 1)
        mapping[field.strip()] = column.strip()
    return mapping


def _count_records(path: Path) -> int | None:
    """Lines of a JSONL or CSV file (a fast byte count), for the progress bar; None otherwise."""
    if path.suffix.lower() not in (".jsonl", ".ndjson", ".json", ".csv", ".tsv") or not path.is_file():
        return None
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(0, lines - 1) if path.suffix.lower() in (".csv", ".tsv") else lines


@ads_app.command("screen")
def screen(
    file: str = typer.Argument(..., help="Ad dump: .jsonl, .csv or .xlsx (spark engine: .jsonl, .csv, Parquet, s3a://, hdfs://, or table:NAME of the Spark catalog)"),
    out: Path = typer.Option(..., "--out", help="Directory for ads.jsonl, clusters.jsonl, report.html"),
    map_: list[str] = typer.Option([], "--map", help="field=column for other column names"),
    promote: list[str] = typer.Option([], "--promote", help="Cluster id to record as a signal"),
    min_score: float = typer.Option(0.0, "--min-score", help="Leave out clusters scoring lower"),
    region: str = typer.Option("NL", "--region", help="Default phone region (NL, BE, DE, CA, US...)"),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the HTML report"),
    workers: int = typer.Option(0, "--workers", help="Processes for the per-ad step (0: up to two, by cores)"),
    encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of a CSV or JSONL file, e.g. cp1252"),
    engine: str = typer.Option(None, "--engine", help="embedded or spark (default: the SIGNAAL_ENGINE setting)"),
) -> None:
    """Screen an ad dump and write the results to --out."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from signaal.services.ads import screen_dump

    if workers < 0:
        raise InvalidInput("--workers must be 0 (automatic) or more")
    cfg = context.settings()
    if choose_engine(engine, cfg) == "spark":
        from signaal.engines.spark_ads import screen_on_spark

        context.log_engine_progress()
        summary = screen_on_spark(
            context.actor(cfg), file, out, cfg, mapping=_mapping(map_), region=region.upper(), min_score=min_score, encoding=encoding
        )
        _print_summary(summary)
        _promote(cfg, out, promote)
        return
    dump = Path(file)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("screening ads", total=_count_records(dump))
        summary = screen_dump(
            context.actor(cfg),
            dump,
            out,
            cfg,
            mapping=_mapping(map_),
            region=region.upper(),
            min_score=min_score,
            html=not no_report,
            progress=lambda k: bar.advance(task, k),
            workers=workers or None,
            encoding=encoding,
        )
    _print_summary(summary)
    _promote(cfg, out, promote)


def _print_summary(summary: Any) -> None:
    typer.echo(f"{summary.ads} ads screened in {summary.seconds:.1f} s: {summary.clusters} groups, {summary.hubs} hubs")
    for name, path in summary.outputs.items():
        typer.echo(f"  {name}: {path}")
    skipped = summary.skipped
    if skipped.skipped:
        # every skipped record is in skipped.jsonl; the terminal shows the first few
        where = f" (all listed in {summary.outputs['skipped']})" if "skipped" in summary.outputs else ""
        typer.echo(f"skipped {skipped.skipped} records{where}:", err=True)
        for problem in skipped.problems[:_SHOWN]:
            typer.echo(f"  {problem}", err=True)
        if skipped.skipped > _SHOWN:
            typer.echo(f"  ... and {skipped.skipped - _SHOWN} more", err=True)
    for key in summary.oversized_keys[:20]:
        typer.echo(f"contact {key} is shared by more ads than ads_max_group_size; not linked", err=True)


def _promote(cfg: Any, out: Path, promote: list[str]) -> None:
    if promote:
        from signaal.services.ads import promote_groups
        from signaal.store import open_store

        ids = promote_groups(open_store(cfg), context.actor(cfg), out, promote)
        typer.echo(f"recorded signals: {', '.join(ids)}")


@ads_app.command("check")
def check(
    ad_json: str = typer.Argument(..., help='One ad as JSON, e.g. \'{"id": "1", "body": "..."}\''),
    index: Path = typer.Option(..., "--index", help="index.json written by 'signaal ads screen'"),
    region: str = typer.Option("NL", "--region", help="Default phone region"),
) -> None:
    """Screen one new ad against the hubs and templates of an earlier screen."""
    from signaal.ingest.ads import ad_from_record
    from signaal.services.ads import check_one_ad

    try:
        record = json.loads(ad_json)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the ad is not valid JSON: {exc.msg}") from None
    cfg = context.settings()
    ad = ad_from_record(record, max_bytes=cfg.ads_max_ad_bytes)
    result = check_one_ad(context.actor(cfg), index, ad, region.upper(), cfg)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    """Add the ``ads`` command group."""
    app.add_typer(ads_app, name="ads")
