"""``signaal signals …``: record, import, list, show, export and update signals."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from signaal.cli import context
from signaal.domain.signal import SignalPublic
from signaal.domain.validation import validate_new_signal
from signaal.errors import InvalidInput
from signaal.ingest.signals import parse_mapping
from signaal.ingest.tabular import safe_cell
from signaal.services import audit, intake
from signaal.services import signals as service
from signaal.store import open_store
from signaal.store.signals import SignalQuery

signals_app = typer.Typer(help="Record, import, list, show and export signals.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``signals`` group to the root CLI."""
    app.add_typer(signals_app, name="signals")


def _store(create: bool = False) -> Any:
    return open_store(context.settings(), create=create)


def _facts(pairs: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--fact expects KEY=VALUE, got {pair!r}")
        try:
            facts[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            facts[key.strip()] = raw
    return facts


def _identifiers(pairs: list[str]) -> list[dict[str, str]]:
    """``KIND=VALUE`` options as identifiers."""
    identifiers = []
    for pair in pairs:
        kind, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(f"--identifier expects KIND=VALUE, got {pair!r}")
        identifiers.append({"kind": kind.strip(), "value": value.strip()})
    return identifiers


def _indicators(items: list[str]) -> list[dict[str, str]]:
    """``id[:certainty]`` options as observed indicators."""
    indicators = []
    for item in items:
        ident, _, certainty = item.partition(":")
        indicators.append({"indicator_id": ident, **({"certainty": certainty} if certainty else {})})
    return indicators


@signals_app.command("add")
def add(
    received: Annotated[str | None, typer.Option(help="Date received (YYYY-MM-DD); default today.")] = None,
    observed: Annotated[str | None, typer.Option(help="Date observed (YYYY-MM-DD).")] = None,
    org: Annotated[str | None, typer.Option(help="Reporting organisation; default SIGNAAL_ORG.")] = None,
    sector: Annotated[str | None, typer.Option(help="Reporter sector id (care, youth, police, ...).")] = None,
    region: Annotated[str | None, typer.Option(help="Police unit or municipality.")] = None,
    narrative: Annotated[str | None, typer.Option(help="What was seen, in the reporter's own words.")] = None,
    indicator: Annotated[list[str] | None, typer.Option(help="Indicator id[:certainty]; repeatable.")] = None,
    form: Annotated[list[str] | None, typer.Option(help="Form hypothesis; repeatable.")] = None,
    victim_age: Annotated[int | None, typer.Option(help="Age of the (possible) victim.")] = None,
    victim_gender: Annotated[str | None, typer.Option(help="Gender of the (possible) victim.")] = None,
    victim_nationality: Annotated[str | None, typer.Option(help="Nationality of the (possible) victim.")] = None,
    victim_residence: Annotated[str | None, typer.Option(help="Residence status of the (possible) victim.")] = None,
    identifier: Annotated[
        list[str] | None,
        typer.Option(help="KIND=VALUE (phone, email, handle, address, postcode, kvk, plate, iban, url); repeatable."),
    ] = None,
    fact: Annotated[list[str] | None, typer.Option(help="Routing fact KEY=VALUE (JSON value); repeatable.")] = None,
    source_id: Annotated[str | None, typer.Option(help="Your organisation's own id of the signal.")] = None,
    consent: Annotated[str, typer.Option(help="given, refused, not_asked or not_required.")] = "not_asked",
    legal_basis: Annotated[str, typer.Option(help="GDPR basis, e.g. public_task or legal_obligation.")] = "public_task",
    suggest: Annotated[
        bool, typer.Option(help="Add indicators and forms suggested from the narrative (marked as suggested).")
    ] = False,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Record one signal, from options or, on a terminal, by asking for what is missing."""
    cfg = context.settings()
    interactive = sys.stdin.isatty()
    if interactive:
        sector = sector or typer.prompt("Reporter sector (care, youth, education, municipality, police, ...)")
        region = region or typer.prompt("Region (police unit or municipality)", default="", show_default=False) or None
        narrative = (
            narrative if narrative is not None else typer.prompt("What did you see?", default="", show_default=False)
        )
    if not sector:
        raise InvalidInput("missing --sector (the reporter sector, e.g. care or police)")
    person = {"age": victim_age, "gender": victim_gender, "nationality": victim_nationality}
    person = {k: v for k, v in {**person, "residence": victim_residence}.items() if v is not None}
    payload: dict[str, Any] = {
        "received_at": received or date.today().isoformat(),
        "observed_at": observed,
        "reporter_org": org or cfg.org,
        "reporter_sector": sector,
        "region": region,
        "narrative": narrative or "",
        "indicators": _indicators(indicator or []),
        "forms": [{"form": f} for f in form or []],
        "persons": [{"role": "victim", **person}] if person else [],
        "identifiers": _identifiers(identifier or []),
        "facts": _facts(fact or []),
        "source_id": source_id,
        "consent": consent,
        "legal_basis": legal_basis,
    }
    data = validate_new_signal(payload)
    store = open_store(cfg, create=True)
    try:
        signal = service.record_signal(store, context.actor(cfg), data, suggest=suggest)
    finally:
        store.close()
    if output == "json":
        typer.echo(signal.model_dump_json(indent=2))
    else:
        typer.echo(f"recorded signal {signal.id} ({signal.police_unit or 'no region'}, status {signal.status.value})")


@signals_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV, JSONL or XLSX file (columns: docs/import.md).")],
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv, jsonl or xlsx; default from the extension.")
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="FIELD=COLUMN for a differently named column; repeatable.")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the valid rows and skip (and count) the invalid ones.")
    ] = False,
    encoding: Annotated[str, typer.Option(help="Text encoding of CSV/JSONL files.")] = "utf-8",
) -> None:
    """Import signals from a file: every row is checked first; nothing is written unless all are valid."""
    cfg = context.settings()
    parsed_mapping = parse_mapping(mapping or [])
    store = open_store(cfg, create=True)

    def progress(stage: str, count: int) -> None:
        typer.echo(f"{stage} {count} rows", err=True)

    try:
        report = intake.import_signals(
            store,
            context.actor(cfg),
            file,
            fmt=file_format,
            encoding=encoding,
            mapping=parsed_mapping,
            skip_invalid=skip_invalid,
            progress=progress,
        )
    finally:
        store.close()
    typer.echo(
        f"{report.file}: read {report.read} rows, imported {report.imported}, "
        f"already present {report.already_present}, invalid skipped {report.invalid_skipped}"
    )
    for p in report.problems[:50]:
        typer.echo(f"  skipped: {p}", err=True)
    if report.problem_count > 50:
        typer.echo(f"  ... and {report.problem_count - 50} more problems", err=True)


def _query(
    status: str | None,
    form: str | None,
    region: str | None,
    sector: str | None,
    age_group: str | None,
    limit: int,
    offset: int,
) -> SignalQuery:
    police_unit = None
    if region:
        from signaal.knowledge import knowledge_for

        # The registry's catalogue (with an organisation's override), as the signals were resolved with.
        ref = knowledge_for(context.settings()).catalogue.resolve_region(region)
        if ref is None:
            raise InvalidInput(f"unknown region {region!r}")
        police_unit = ref.police_unit
    return SignalQuery(
        status=status,
        form=form,
        police_unit=police_unit,
        reporter_sector=sector,
        age_group=age_group,
        limit=limit,
        offset=offset,
    )


StatusOpt = Annotated[str | None, typer.Option(help="new, in_triage, routed or closed.")]
FormOpt = Annotated[str | None, typer.Option(help="Form of exploitation.")]
RegionOpt = Annotated[str | None, typer.Option(help="Police unit or municipality.")]
SectorOpt = Annotated[str | None, typer.Option(help="Reporter sector id.")]
AgeOpt = Annotated[str | None, typer.Option(help="minor, adult or unknown.")]


@signals_app.command("list")
def list_(
    status: StatusOpt = None,
    form: FormOpt = None,
    region: RegionOpt = None,
    sector: SectorOpt = None,
    age_group: AgeOpt = None,
    limit: Annotated[int, typer.Option(help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """The worklist: visible signals, most urgent first, with counts per status."""
    store = open_store(context.settings(), create=False)
    try:
        page = service.list_signals(
            store, context.actor(), _query(status, form, region, sector, age_group, limit, offset)
        )
    finally:
        store.close()
    if output == "json":
        typer.echo(
            json.dumps(
                {
                    "total": page.total,
                    "status_counts": page.status_counts,
                    "items": [i.model_dump(mode="json") for i in page.items],
                },
                indent=2,
            )
        )
        return
    typer.echo(f"{page.total} signals  " + "  ".join(f"{k}: {v}" for k, v in sorted(page.status_counts.items())))
    typer.echo(f"{'id':12}  {'received':10}  {'urg':>3}  {'status':9}  {'region':20}  {'sector':12}  forms")
    for s in page.items:
        typer.echo(
            f"{s.id:12}  {s.received_at.isoformat():10}  {s.urgency:>3}  {s.status.value:9}  "
            f"{(s.municipality or s.police_unit or '-')[:20]:20}  {s.reporter_sector[:12]:12}  {','.join(s.forms) or '-'}"
        )


def render_signal(signal: SignalPublic) -> str:
    """A signal as readable text."""
    lines = [
        f"signal {signal.id}  status {signal.status.value}  owner {signal.owner_org}",
        f"received {signal.received_at}  observed {signal.observed_at or '-'}",
        f"reporter {signal.reporter_org} ({signal.reporter_sector})  region {signal.municipality or '-'} / {signal.police_unit or '-'}",
        f"forms: {', '.join(f'{f.form} ({f.set_by.value})' for f in signal.forms) or '-'}",
        "indicators:",
        *[f"  - {i.indicator_id} [{i.certainty.value}, {i.origin.value}] {i.words}" for i in signal.indicators],
        "persons:",
        *[
            f"  - {p.role.value}: age {p.age if p.age is not None else p.age_band or '?'}, {p.gender or '?'}, "
            f"{p.nationality or '?'}, residence {p.residence.value}"
            for p in signal.persons
        ],
        "identifiers:",
        *[f"  - {i.kind.value}: {i.value}" for i in signal.identifiers],
        f"facts: {json.dumps(signal.facts, ensure_ascii=False)}",
        f"purpose {signal.purpose}, legal basis {signal.legal_basis.value}, consent {signal.consent.value}",
        "",
        signal.narrative,
    ]
    return "\n".join(lines)


@signals_app.command("show")
def show(
    signal_id: Annotated[str, typer.Argument(help="Signal id.")],
    history: Annotated[bool, typer.Option(help="Also print the full history.")] = False,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    purpose: Annotated[str | None, typer.Option(help="Why you read it (recorded in the access audit).")] = None,
) -> None:
    """Show one signal (and, with --history, every event on it); the read is recorded in the audit."""
    store = open_store(context.settings(), create=False)
    actor = context.actor()
    try:
        with audit.access(purpose):
            signal = service.get_signal(store, actor, signal_id)
            events = service.signal_history(store, actor, signal_id) if history else []
    finally:
        store.close()
    if output == "json":
        data = signal.model_dump(mode="json")
        if history:
            data["history"] = [e.model_dump(mode="json") for e in events]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.echo(render_signal(signal))
    if history:
        typer.echo("\nhistory:")
        for e in events:
            typer.echo(
                f"  {e.at:%Y-%m-%d %H:%M} {e.user}@{e.org} ({e.role}) {e.kind} {json.dumps(e.data, ensure_ascii=False)}"
            )


EXPORT_COLUMNS = (
    "id",
    "status",
    "received_at",
    "observed_at",
    "reporter_org",
    "reporter_sector",
    "police_unit",
    "municipality",
    "forms",
    "indicators",
    "victim_age",
    "identifiers",
    "narrative",
)


@signals_app.command("export")
def export(
    out: Annotated[Path | None, typer.Option(help="File to write; default standard output.")] = None,
    output: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    status: StatusOpt = None,
    form: FormOpt = None,
    region: RegionOpt = None,
    sector: SectorOpt = None,
    age_group: AgeOpt = None,
) -> None:
    """Export visible signals in full (the export is recorded in the audit history)."""
    if output not in ("jsonl", "csv"):
        raise InvalidInput(f"unknown export format {output!r}; use jsonl or csv")
    store = open_store(context.settings(), create=False)
    handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        signals = service.export_signals(store, context.actor(), _query(status, form, region, sector, age_group, 50, 0))
        writer = csv.writer(handle) if output == "csv" else None
        if writer:
            writer.writerow(EXPORT_COLUMNS)
        count = 0
        for s in signals:
            count += 1
            if writer is None:
                handle.write(s.model_dump_json() + "\n")
                continue
            victim = next((p for p in s.persons if p.role.value == "victim"), None)
            writer.writerow(
                safe_cell(cell)  # a spreadsheet opening the export runs no formula from a narrative
                for cell in [
                    s.id,
                    s.status.value,
                    s.received_at,
                    s.observed_at or "",
                    s.reporter_org,
                    s.reporter_sector,
                    s.police_unit or "",
                    s.municipality or "",
                    ";".join(f.form for f in s.forms),
                    ";".join(i.indicator_id for i in s.indicators),
                    victim.age if victim and victim.age is not None else "",
                    ";".join(f"{i.kind.value}:{i.value}" for i in s.identifiers),
                    s.narrative,
                ]
            )
    finally:
        store.close()
        if out:
            handle.close()
    if out:
        typer.echo(f"exported {count} signals to {out}", err=True)


@signals_app.command("status")
def status_(
    signal_id: Annotated[str, typer.Argument(help="Signal id.")],
    new_status: Annotated[str, typer.Argument(help="in_triage, routed or closed.")],
    reason: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Move a signal to another status (closing needs a recorded routing decision)."""
    store = open_store(context.settings(), create=False)
    try:
        signal = service.change_status(store, context.actor(), signal_id, new_status, reason)
    finally:
        store.close()
    typer.echo(f"signal {signal.id} is now {signal.status.value}")


@signals_app.command("confirm")
def confirm(
    signal_id: Annotated[str, typer.Argument(help="Signal id.")],
    indicator: Annotated[list[str] | None, typer.Option(help="Suggested indicator id to confirm; repeatable.")] = None,
    form: Annotated[list[str] | None, typer.Option(help="Form to set or confirm; repeatable.")] = None,
) -> None:
    """Confirm suggested indicators or forms: they then count as a person's finding."""
    store = open_store(context.settings(), create=False)
    actor = context.actor()
    try:
        for ident in indicator or []:
            service.confirm_indicator(store, actor, signal_id, ident)
        for f in form or []:
            service.confirm_form(store, actor, signal_id, f)
    finally:
        store.close()
    typer.echo(f"confirmed {len(indicator or []) + len(form or [])} suggestions on {signal_id}")


@signals_app.command("reject")
def reject(
    signal_id: Annotated[str, typer.Argument(help="Signal id.")],
    indicator: Annotated[list[str] | None, typer.Option(help="Suggested indicator id to reject; repeatable.")] = None,
    form: Annotated[list[str] | None, typer.Option(help="Form hypothesis to remove; repeatable.")] = None,
) -> None:
    """Reject suggested indicators or remove form hypotheses (the history keeps the rejection)."""
    store = open_store(context.settings(), create=False)
    actor = context.actor()
    try:
        for ident in indicator or []:
            service.reject_indicator(store, actor, signal_id, ident)
        for f in form or []:
            service.reject_form(store, actor, signal_id, f)
    finally:
        store.close()
    typer.echo(f"rejected {len(indicator or []) + len(form or [])} suggestions on {signal_id}")


@signals_app.command("facts")
def facts(
    signal_id: Annotated[str, typer.Argument(help="Signal id.")],
    fact: Annotated[list[str], typer.Option(help="Routing fact KEY=VALUE (JSON value; null removes); repeatable.")],
) -> None:
    """Set routing facts on a signal (acute_danger, minor, needs_shelter, ...)."""
    store = open_store(context.settings(), create=False)
    try:
        signal = service.update_facts(store, context.actor(), signal_id, _facts(fact))
    finally:
        store.close()
    typer.echo(json.dumps(signal.facts, ensure_ascii=False))
