"""``signaal narrative``: suggest indicators, forms, facts and identifiers from Dutch or English narratives."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import typer

from signaal.cli import context
from signaal.errors import InvalidInput, Problem
from signaal.text import Reading

__all__ = ["register"]

#: Larger inputs are refused rather than read into memory whole.
MAX_INPUT_BYTES = 50_000_000


def _jsonl(path: Path) -> Iterator[tuple[str | None, str]]:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InvalidInput(f"{path}: larger than {MAX_INPUT_BYTES} bytes")
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    problems: list[Problem] = []
    items: list[tuple[str | None, str]] = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(f"not JSON: {exc.msg}", str(path), number))
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                problems.append(Problem('expected an object with a "text" string', str(path), number, "text"))
                continue
            raw_id = record.get("id")
            items.append((None if raw_id is None else str(raw_id), record["text"]))
    if problems:
        raise InvalidInput(f"{path}: {len(problems)} lines do not validate (nothing was read)", problems)
    yield from items


def _render_text(reading: Reading) -> str:
    lines = [f"== {reading.id or 'narrative'} (language: {reading.language})"]
    for note in reading.notes:
        lines.append(f"  note: {note}")
    for form in reading.forms:
        why = ", ".join([*form.indicators, *(f'"{c.text}"' for c in form.cues)]) or "-"
        lines.append(f"  form {form.form} (confidence {form.confidence:.2f}): {why}")
    for hit in reading.indicators:
        flags = [f for f, on in (("negated", hit.negated), ("hedged", hit.hedged)) if on]
        if hit.subject != "person":
            flags.append(f"about {hit.subject}")
        suffix = f" [{', '.join(flags)}]" if flags else ""
        lines.append(f'  indicator {hit.indicator_id}: "{hit.evidence.text}"{suffix}')
    for fact in reading.facts:
        hedge = " [hedged]" if fact.hedged else ""
        lines.append(f'  fact {fact.fact} = {fact.value}: "{fact.evidence.text}"{hedge}')
    for ident in reading.identifiers:
        lines.append(f'  {ident.kind} {ident.value}: "{ident.evidence.text}"')
    lines.append("  (suggestions only: a person confirms or rejects each one)")
    return "\n".join(lines)


def narrative(
    file: str = typer.Argument(
        "-", help='JSONL file with one {"id", "text"} object a line; \'-\' or nothing reads plain text from stdin'
    ),
    fmt: str = typer.Option("text", "--format", help="json (one object a line) or text"),
) -> None:
    """Suggest indicators, forms, facts and identifiers for each narrative (advice, never a decision)."""
    from signaal.services.narrative import suggest

    if fmt not in ("json", "text"):
        raise InvalidInput(f"--format must be json or text, got {fmt!r}")
    actor = context.actor()
    cfg = context.settings()
    if file == "-":
        items: Iterator[tuple[str | None, str]] = iter([(None, sys.stdin.read())])
    else:
        path = Path(file)
        if not path.exists():
            raise InvalidInput(f"no such file: {file}")
        items = (
            iter([(path.stem, path.read_text(encoding="utf-8", errors="replace"))])
            if path.suffix == ".txt"
            else _jsonl(path)
        )
    for narrative_id, text in items:
        reading = suggest(actor, text, narrative_id, settings=cfg)
        if fmt == "json":
            typer.echo(json.dumps(reading.as_dict(), ensure_ascii=False))
        else:
            typer.echo(_render_text(reading))


def register(app: typer.Typer) -> None:
    """Add ``signaal narrative`` to the root app."""
    app.command("narrative")(narrative)
