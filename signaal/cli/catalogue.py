"""``signaal catalogue``: check an organisation's catalogue folder, list indicators, resolve regions."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from signaal.catalogue import Catalogue
from signaal.cli import context
from signaal.errors import InvalidInput, NotFound
from signaal.knowledge import BUNDLED, Knowledge

catalogue_app = typer.Typer(
    help="Check, list and query the catalogues (indicators, sectors, regions).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``catalogue`` command group."""
    app.add_typer(catalogue_app, name="catalogue")


def _knowledge(folder: Path | None) -> Knowledge:
    """The data files with overrides from FOLDER, else from SIGNAAL_CATALOGUE_DIR, else bundled."""
    settings = context.settings()
    return Knowledge.read(Path(folder) if folder is not None else settings.catalogue_dir, settings.directory_file)


def _load(folder: Path | None) -> Catalogue:
    """The catalogue with overrides from FOLDER, else from SIGNAAL_CATALOGUE_DIR, else bundled."""
    return _knowledge(folder).catalogue


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise InvalidInput(f"unknown format {fmt!r}; use text or json")


@catalogue_app.command("check")
def check(
    folder: Path | None = typer.Argument(
        None, help="Folder with override files (default: SIGNAAL_CATALOGUE_DIR, else none)."
    ),
) -> None:
    """Load and validate every data file (with overrides) and print what the catalogue holds."""
    knowledge = _knowledge(folder)
    knowledge.check()
    cat = knowledge.catalogue
    with_delphi = sum(1 for ind in cat.indicators.values() if ind.delphi)
    typer.echo(
        f"catalogue OK: {len(cat.forms)} forms, {len(cat.indicators)} indicators "
        f"({with_delphi} with Delphi references), {len(cat.sectors)} sectors, "
        f"{len(cat.reporter_sectors)} reporter sectors, {len(cat.police_units)} police units, "
        f"{len(cat.care_regions)} care regions, {len(cat.municipalities)} municipalities"
    )
    own = [name for name in BUNDLED if knowledge.files.override_of(name) is not None]
    typer.echo(
        f"data files OK: {len(BUNDLED)} files, {len(own)} of them the organisation's own ({', '.join(own) or 'none'})"
    )
    _check_directory(knowledge)


def _check_directory(knowledge: Knowledge) -> None:
    """Validate the contact directory and report entries not checked against their source for a year."""
    from datetime import date

    from signaal.triage.directory import MAX_AGE, stale_entries

    directory = knowledge.directory
    entries = directory.entries()
    stale = stale_entries(directory, date.today())
    typer.echo(f"directory OK: {len(entries)} contact entries, {len(stale)} not checked for over {MAX_AGE.days} days")
    for entry in stale:
        where = entry.id if entry.region is None else f"{entry.id} ({entry.region})"
        when = entry.checked.isoformat() if entry.checked else "never"
        typer.echo(f"  check again: {where}, last checked {when}, source {entry.source}")


@catalogue_app.command("indicators")
def indicators(
    form: str | None = typer.Option(None, "--form", help="Only indicators supporting this form."),
    setting: str | None = typer.Option(
        None, "--setting", help="Only indicators seen in this setting (labour, health_care, ...)."
    ),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    folder: Path | None = typer.Option(None, "--catalogue-dir", help="Override folder."),
) -> None:
    """List indicators with their forms, weight and PPS/ILO mapping."""
    _check_format(fmt)
    cat = _load(folder)
    if form is not None and form not in cat.form_ids:
        raise InvalidInput(f"unknown form {form!r}; known: {', '.join(sorted(cat.form_ids))}")
    chosen = [
        ind
        for ind in cat.indicators.values()
        if (form is None or form in ind.forms) and (setting is None or setting in ind.settings)
    ]
    if fmt == "json":
        for ind in chosen:
            typer.echo(json.dumps(asdict(ind), ensure_ascii=False))
        return
    for ind in chosen:
        pps = f"PPS {ind.pps_cluster}" if ind.pps_cluster else "PPS -"
        ilo = f"ILO {ind.ilo}" if ind.ilo else "ILO -"
        typer.echo(f"{ind.id:<30} {ind.weight:4.2f}  {pps:<6} {ilo:<6} {','.join(ind.forms):<24} {ind.nl}")


@catalogue_app.command("region")
def region(
    text: str = typer.Argument(..., help="A police unit, RIEC region or municipality name."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    folder: Path | None = typer.Option(None, "--catalogue-dir", help="Override folder."),
) -> None:
    """Resolve a place or region name to police unit, municipality and care region."""
    _check_format(fmt)
    cat = _load(folder)
    ref = cat.resolve_region(text)
    if ref is None:
        raise NotFound(f"no police unit or listed municipality matches {text!r}")
    out: dict[str, Any] = asdict(ref)
    if ref.municipality is not None:
        mun = cat.municipalities[ref.municipality]
        out.update(
            name=mun.name,
            cbs_code=mun.cbs_code,
            province=mun.province,
            veilig_thuis_region=mun.veilig_thuis_region,
        )
    out["riec"] = cat.police_units[ref.police_unit].riec
    if fmt == "json":
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    for key, value in out.items():
        typer.echo(f"{key}: {value if value is not None else '-'}")
