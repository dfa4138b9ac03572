"""``signaal trends``: named questions and ad-hoc series, on the registry or on a file of published figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from signaal.analytics.figures import parse_figures
from signaal.analytics.questions import QUESTIONS, answer_question, series_answer
from signaal.analytics.wording import Answer
from signaal.cli import context
from signaal.errors import InvalidInput
from signaal.knowledge import knowledge_for
from signaal.services import analytics as service
from signaal.store import open_store

__all__ = ["read_figures", "register"]


def register(app: typer.Typer) -> None:
    """Add the ``trends`` command."""
    app.command("trends")(trends)


def read_figures(path: Path) -> object:
    """Published figures from a CSV file (year, series, measure, value, note, source)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_figures(text, str(path))


def _emit(answers: list[Answer], fmt: str, lang: str) -> None:
    if fmt == "json":
        payload = [a.as_dict(lang) for a in answers]
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n\n".join(a.render_text(lang) for a in answers))


def trends(
    question: Annotated[str | None, typer.Argument(help=f"A named question: {', '.join(QUESTIONS)}, or 'all'.")] = None,
    series: Annotated[
        list[str] | None,
        typer.Option("--series", help="Ad-hoc series filter dimension=value (repeatable; 'a|b' for either)."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="year or month (ad-hoc series).")] = "year",
    unit: Annotated[str, typer.Option("--unit", help="signals or victims (ad-hoc series).")] = "signals",
    per: Annotated[
        list[str] | None,
        typer.Option(
            "--per", help="Denominator of an ad-hoc series, as filters (repeatable), or 'all': a rate with an offset."
        ),
    ] = None,
    figures: Annotated[
        Path | None, typer.Option("--figures", help="Answer on a CSV of published figures instead of the registry.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Last year to include (default: the last complete year).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    lang: Annotated[str, typer.Option("--lang", help="nl or en.")] = "nl",
    full: Annotated[bool, typer.Option("--full", help="Rebuild the analytics events from scratch first.")] = False,
) -> None:
    """Test the monitor's claims (named questions) or one series, in plain Dutch or English."""
    if fmt not in ("text", "json") or lang not in ("nl", "en"):
        raise InvalidInput("--format takes text or json, --lang nl or en")
    if question is None and not series:
        raise InvalidInput(f"name a question ({', '.join(QUESTIONS)}, all) or give --series dimension=value")
    names = list(QUESTIONS) if question == "all" else ([question] if question else [])
    for name in names:
        if name not in QUESTIONS:
            raise InvalidInput(f"unknown question {name!r}; use one of {', '.join(QUESTIONS)} or all")
    filters = service.parse_filters(series or [])
    breaks = knowledge_for(context.settings()).trend_breaks
    if figures is not None:
        source = read_figures(figures)
        answers = [answer_question(n, source, breaks) for n in names]  # type: ignore[arg-type]
        if filters or (question is None and series is not None):
            answers.append(series_answer(source, filters, breaks, unit))  # type: ignore[arg-type]
        _emit(answers, fmt, lang)
        return
    cfg = context.settings()
    store = open_store(cfg, create=False)
    try:
        actor = context.actor(cfg)
        service.refresh_analytics(store, actor, full=full)
        answers = [service.ask(store, actor, n, through=year, refresh=False) for n in names]
        if series is not None and (filters or question is None):
            denominator = None if per is None else ({} if per == ["all"] else service.parse_filters(per))
            answers.append(
                service.series_question(store, actor, filters, by=by, unit=unit, per=denominator, refresh=False)
            )
    finally:
        store.close()
    _emit(answers, fmt, lang)
