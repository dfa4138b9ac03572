"""``signaal mse``: estimate the hidden number behind overlapping lists (multiple systems estimation)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import typer

from signaal.cli import context
from signaal.errors import InvalidInput
from signaal.mse import Estimate, Options
from signaal.store import open_store

__all__ = ["register"]

mse_app = typer.Typer(
    help="Multiple systems estimation: the hidden number behind overlapping lists.", no_args_is_help=True
)


def _merge_groups(specs: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, _, members = spec.partition("=")
        parts = [m.strip() for m in members.split("+") if m.strip()]
        if not name.strip() or len(parts) < 2:
            raise InvalidInput(f"--merge {spec!r}: expected NEW=LIST+LIST[+LIST...]")
        groups[name.strip()] = parts
    return groups


def _number(value: float) -> str:
    return "inf" if math.isinf(value) else f"{value:,.0f}"


def _render_text(total: Estimate, parts: list[Estimate]) -> str:
    low, high = total.interval
    lines = [
        f"estimate: {_number(total.estimate)} (seen {total.observed:,}, unseen {_number(total.estimate - total.observed)})",
        f"95% interval ({total.interval_kind}): {_number(low)} - {_number(high)}",
        f"method: {total.method}",
        f"model: {total.model_hierarchy}"
        + (f"  ({', '.join(total.model[len(total.lists) :]) or 'main effects only'})" if total.model else ""),
    ]
    for part in parts:
        lines.append(
            f"  stratum {part.stratum}: {_number(part.estimate)} (seen {part.observed:,}), model {part.model_hierarchy}"
        )
    lines += [f"warning: {w}" for w in total.warnings]
    return "\n".join(lines)


@mse_app.command("estimate")
def estimate_command(
    table: Path | None = typer.Argument(
        None, help="capture-pattern table: one 0/1 column per list and 'count' (optional 'stratum')"
    ),
    from_registry: bool = typer.Option(
        False, "--from-registry", help="use the registry's own overlap of linked possible victims"
    ),
    year: int | None = typer.Option(None, "--year", help="with --from-registry: the year of the cases"),
    by: str | None = typer.Option(None, "--by", help="with --from-registry: strata by form, age or nationality"),
    method: str = typer.Option(
        "stepwise", "--method", help="independence|stepwise|bic|bic_pairwise|downhill_bic|fixed:TERMS"
    ),
    interval: str | None = typer.Option(
        None, "--interval", help="profile|bootstrap|wald (default: profile for a fixed model, bootstrap otherwise)"
    ),
    n_boot: int = typer.Option(1000, "--boot", help="bootstrap replicates"),
    seed: int = typer.Option(1234, "--seed", help="random seed of the bootstrap"),
    pthresh: float = typer.Option(0.02, "--pthresh", help="p-value threshold of the stepwise rule"),
    max_order: int | None = typer.Option(None, "--max-order", help="largest interaction searched by bic/downhill_bic"),
    merge: list[str] = typer.Option([], "--merge", help="merge lists before estimating: NEW=A+B (repeatable)"),
    drop: list[str] = typer.Option([], "--drop", help="leave a list out before estimating (repeatable)"),
    strata: str | None = typer.Option(
        None, "--strata", help="comma-separated strata the table may hold; others are refused"
    ),
    fmt: str = typer.Option("text", "--format", help="json or text"),
) -> None:
    """Estimate the population (seen and unseen) with a 95 % interval, the model and its warnings."""
    from signaal.services.mse import estimate_file, estimate_registry

    if fmt not in ("json", "text"):
        raise InvalidInput(f"--format must be json or text, got {fmt!r}")
    if n_boot < 50:
        raise InvalidInput("--boot must be at least 50")
    if not 0 <= pthresh <= 1:
        raise InvalidInput("--pthresh must lie between 0 and 1")
    options = Options(pthresh=pthresh, max_order=max_order, n_boot=n_boot, seed=seed)
    if from_registry == (table is not None):
        raise InvalidInput("give either a TABLE file or --from-registry --year Y")
    if by is not None and table is not None:
        raise InvalidInput("--by works with --from-registry; a file gives its strata in a 'stratum' column")
    if table is not None:
        expected = [s.strip() for s in strata.split(",") if s.strip()] if strata else None
        total, parts = estimate_file(table, method, interval, options, _merge_groups(merge), expected, drop)
    else:
        if year is None:
            raise InvalidInput("--from-registry needs --year")
        cfg = context.settings()
        store = open_store(cfg)
        try:
            total, parts = estimate_registry(
                store, context.actor(cfg), year, method, interval, options, _merge_groups(merge), drop, by
            )
        finally:
            store.close()
    if fmt == "json":
        typer.echo(json.dumps(total.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(_render_text(total, parts))


def register(app: typer.Typer) -> None:
    """Add ``signaal mse`` to the root app."""
    app.add_typer(mse_app, name="mse")
