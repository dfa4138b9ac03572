"""``signaal link …`` and ``signaal network …``: link signals and registrations, judge links, see networks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from signaal.cli import context
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput
from signaal.store import Store, open_store

__all__ = ["register"]

link_app = typer.Typer(help="Link signals, ad groups and other organisations' registrations.", no_args_is_help=True)
network_app = typer.Typer(help="Networks of linked cases, persons and identifiers.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``link`` and ``network`` groups to the root CLI."""
    app.add_typer(link_app, name="link")
    app.add_typer(network_app, name="network")


@contextmanager
def _opened() -> Iterator[tuple[Store, Actor]]:
    cfg = context.settings()
    store = open_store(cfg)
    try:
        yield store, context.actor(cfg)
    finally:
        store.close()


def _print(data: Any, fmt: str, text: Callable[[Any], str]) -> None:
    if fmt not in ("text", "json"):
        raise InvalidInput(f"unknown format {fmt!r}; use text or json")
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str) if fmt == "json" else text(data))


@link_app.command("import")
def import_cmd(
    path: Path = typer.Argument(..., help="CSV, JSONL or XLSX file of registrations (columns in docs/linking.md)."),
    fmt: str = typer.Option(None, "--format", help="csv, jsonl or xlsx (default: from the extension)."),
) -> None:
    """Import another organisation's registrations; a bad row refuses the whole file."""
    from signaal.services.link import import_registrations

    with _opened() as (store, actor):
        report = import_registrations(store, actor, path, fmt)
    typer.echo(f"imported {report['cases']} case(s), {report['persons']} person(s) from {report['rows']} row(s)")
    for line in report["kept_as_written"][:50]:
        typer.echo(f"  {line}")


@link_app.command("run")
def run_cmd(
    full: bool = typer.Option(False, "--full", help="Compare everything again, not only what is new."),
    threshold: float = typer.Option(0.9, help="Match probability from which a person link is suggested."),
    engine: str = typer.Option(None, "--engine", help="embedded or spark (default: the SIGNAAL_ENGINE setting)."),
    inputs: list[str] = typer.Option(
        [],
        "--input",
        help="Spark engine: a registrations file (.jsonl, .csv, Parquet; local, hdfs://, s3a://) to link instead of the registry; repeatable.",
    ),
    out: Path = typer.Option(
        None, "--out", help="Spark engine: a folder for the links, networks and problems (needed with --input)."
    ),
    encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of a CSV or JSONL input."),
) -> None:
    """Bring new signals into linking and suggest the exact and person links not found before."""
    from signaal.engines import choose_engine
    from signaal.services.link import run_linking

    if not 0 < threshold < 1:
        raise InvalidInput("threshold must be between 0 and 1")
    cfg = context.settings()
    if choose_engine(engine, cfg) == "spark":
        _run_on_spark(inputs, out, threshold, encoding)
        return
    if inputs or out:
        raise InvalidInput(
            "--input and --out are the spark engine's; on the embedded engine import files with 'signaal link import'"
        )
    with _opened() as (store, actor):
        run = run_linking(store, actor, full=full, threshold=threshold)
    typer.echo(
        f"{run.cases_added} new case(s); {run.exact_links} exact link(s) and {run.person_links} person link(s) suggested"
    )
    for hub in run.hubs[:20]:
        typer.echo(f"  hub, not linked pairwise: {hub}")


def _run_on_spark(inputs: list[str], out: Path | None, threshold: float, encoding: str) -> None:
    """A linking run on Spark: the registry (stored links) or files (a folder), with progress on stderr."""
    from signaal.services.link_engine import link_on_spark

    context.log_engine_progress()
    cfg = context.settings()
    if inputs:
        run = link_on_spark(
            None, context.actor(cfg), cfg, inputs=inputs, out_dir=out, threshold=threshold, encoding=encoding
        )
        typer.echo(
            f"{run.found.get('exact', 0)} exact link(s) and {run.found.get('person', 0)} person link(s), "
            f"{run.networks} network(s); {run.skipped} row(s) skipped; written to {run.out}"
        )
    else:
        with _opened() as (store, actor):
            run = link_on_spark(store, actor, cfg, out_dir=out, threshold=threshold)
        typer.echo(
            f"{run.cases_added} new case(s); {run.exact_links} exact link(s) and {run.person_links} person link(s) suggested"
            + (f"; {run.networks} network(s) written to {run.out}" if run.out else "")
        )
    for hub in run.hubs[:20]:
        typer.echo(f"  hub, not linked pairwise: {hub}")
    if run.skipped:
        typer.echo(f"  rows skipped: {run.skipped} (each with its file, line and reason in {run.out}/problems)")
        for problem in run.first_skipped[:10]:
            typer.echo(f"    {problem}")


def _links_text(links: list[dict[str, Any]]) -> str:
    lines = []
    for link in links:
        sides = [
            ("another organisation: " + str(s["org"]))
            if s["hidden"]
            else f"{s['kind']} {s.get('signal_id') or s['ref']}"
            for s in (link["left"], link["right"])
        ]
        why = link["key"] if link["kind"] == "exact" else ", ".join(link["evidence"].get("agreed", []))
        prob = link["match_probability"]
        lines.append(
            f"{link['id']:>6} {link['status']:<10} {link['kind']:<6} p={prob:.3f} {sides[0]} <-> {sides[1]}: {why}"
        )
    return "\n".join(lines) or "no links"


@link_app.command("list")
def list_cmd(
    status: str = typer.Option(None, help="suggested, confirmed or rejected."),
    kind: str = typer.Option(None, help="exact or person."),
    limit: int = typer.Option(100),
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """List links with their evidence, strongest first."""
    from signaal.services.link_review import list_links

    with _opened() as (store, actor):
        links = list_links(store, actor, status=status, kind=kind, limit=limit)
    _print(links, fmt, _links_text)


@link_app.command("show")
def show_cmd(link_id: int, fmt: str = typer.Option("json", "--format", help="text or json.")) -> None:
    """Show one link: both sides, the match weight and the fields that agreed."""
    from signaal.services.link_review import get_link

    with _opened() as (store, actor):
        link = get_link(store, actor, link_id)
    _print(link, fmt, lambda x: _links_text([x]) + "\n" + json.dumps(x["evidence"], indent=2))


@link_app.command("confirm")
def confirm_cmd(link_id: int, reason: str = typer.Option("", help="Why.")) -> None:
    """Confirm a suggested link (an event on the signals it joins)."""
    from signaal.services.link_review import confirm_link

    with _opened() as (store, actor):
        link = confirm_link(store, actor, link_id, reason)
    typer.echo(f"link {link['id']} confirmed")


@link_app.command("reject")
def reject_cmd(link_id: int, reason: str = typer.Option("", help="Why.")) -> None:
    """Reject a link; it no longer joins networks (an event on the signals it joined)."""
    from signaal.services.link_review import reject_link

    with _opened() as (store, actor):
        link = reject_link(store, actor, link_id, reason)
    typer.echo(f"link {link['id']} rejected")


@link_app.command("export-pseudonyms")
def export_pseudonyms_cmd(out: Path = typer.Argument(..., help="File to write (mode 0600).")) -> None:
    """Write keyed pseudonyms of your organisation's identifiers, to share instead of the values."""
    from signaal.services.link_pseudonyms import export_pseudonyms

    with _opened() as (store, actor):
        report = export_pseudonyms(store, actor, out)
    counts = ", ".join(f"{k} {v}" for k, v in report["counts"].items()) or "none"
    typer.echo(f"wrote {out} with key {report['key']}: {counts}")


@link_app.command("overlap")
def overlap_cmd(
    path: Path = typer.Argument(..., help="A partner's pseudonym file."),
    show_ours: bool = typer.Option(False, "--show-ours", help="Also list our own cases that matched."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Hit or no hit, with counts, between a partner's pseudonyms and our identifiers."""
    from signaal.services.link_pseudonyms import overlap

    with _opened() as (store, actor):
        result = overlap(store, actor, path, show_ours=show_ours)

    def text(r: dict[str, Any]) -> str:
        head = f"{'HIT' if r['hit'] else 'no hit'} with {r['partner']}: {r['common']} identifier(s) in common"
        rows = [
            f"  {k}: theirs {v['theirs']}, ours {v['ours']}, common {v['common']}" for k, v in r["per_kind"].items()
        ]
        return "\n".join([head, *rows, *(f"  our case {c}" for c in r.get("our_cases", []))])

    _print(result, fmt, text)


def _networks_text(nets: list[dict[str, Any]]) -> str:
    lines = []
    for n in nets:
        c = n["classification"]
        lines.append(
            f"{n['id']} {n['size']['cases']} cases, {n['size']['persons']} persons: {c['label']} ({'; '.join(c['reasons'])})"
        )
        for held in n["held_by_other_organisations"]:
            lines.append(f"    {held['cases']} match(es) held by other organisations: contact {held['org']}")
        if c.get("also_counts_held_cases"):
            lines.append(f"    the assessment also counts {c['also_counts_held_cases']} case(s) not shown")
        for role in n["roles"][:3]:
            about = role["about"]
            name = (
                "hidden"
                if about.get("hidden")
                else (
                    f"{about['kind']} {about['value']}"
                    if about["type"] == "identifier"
                    else f"{about['role']} {about['id']}"
                )
            )
            lines.append(f"    lead {role['rank']}: {name} (score {role['score']}): {'; '.join(role['evidence'][:3])}")
    return "\n".join(lines) or "no networks"


@network_app.command("list")
def network_list_cmd(
    fmt: str = typer.Option("text", "--format", help="text or json."),
    min_cases: int = typer.Option(1, help="Only networks with at least this many cases."),
    lang: str = typer.Option("en", help="Language of the reasons (nl or en)."),
) -> None:
    """Networks ranked by size and organisation score, with classification and roles."""
    from signaal.services.network import list_networks

    if lang not in ("nl", "en"):
        raise InvalidInput("language must be nl or en")
    with _opened() as (store, actor):
        nets = list_networks(store, actor, lang=lang, min_cases=min_cases)
    _print(nets, fmt, _networks_text)


@network_app.command("show")
def network_show_cmd(network_id: str, fmt: str = typer.Option("json", "--format", help="text or json.")) -> None:
    """One network with its nodes and typed edges."""
    from signaal.services.network import show_network

    with _opened() as (store, actor):
        net = show_network(store, actor, network_id)
    _print(net, fmt, lambda n: _networks_text([n]) + f"\n  {len(n['nodes'])} nodes, {len(n['edges'])} edges")


@network_app.command("export")
def network_export_cmd(
    network_id: str,
    out: Path = typer.Argument(..., help="File to write."),
    fmt: str = typer.Option("graphml", "--format", help="graphml or json."),
) -> None:
    """Export one network as GraphML (Gephi, i2-style tools) or JSON."""
    from signaal.services.network import export_network

    with _opened() as (store, actor):
        data = export_network(store, actor, network_id, fmt)
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data)} bytes)")
