"""The monitor on the web: the report's charts, tables, tests and caveats for analysts, coordinators and policy users.

The page and its JSON twin (``/api/monitor``) come from the same service call; every table is
the suppressed one, whoever looks.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.analytics.charts import line_chart_svg
from signaal.analytics.wording import num
from signaal.domain.actor import Actor
from signaal.services.monitor import build_monitor, latest_year
from signaal.web.api_models import ERROR_RESPONSES
from signaal.web.context import check_csrf, current_actor, language, render, state
from signaal.web.wire_analysis import MonitorOut

__all__ = ["api_router", "router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
api_router = APIRouter(prefix="/api", tags=["signaal"], dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


def _monitor(request: Request, actor: Actor, year: int | None) -> dict[str, Any]:
    store = state(request).store
    lang = language(request)
    chosen = year if year is not None else latest_year(store, actor)
    report, published = build_monitor(store, actor, chosen)
    charts = {s.id: line_chart_svg(s.table, lang) for s in report.sections if s.table is not None}
    return {"report": report, "published": published, "charts": charts, "year": chosen, "lang": lang}


@router.get("/monitor")
async def monitor_page(request: Request, year: int | None = None, actor: Actor = Depends(current_actor)) -> Response:
    """The monitor of a year (default: the last complete one) with its charts, tables and tests."""
    data = await run_in_threadpool(_monitor, request, actor, year)
    return render(request, "monitor.html", {**data, "num": num})


@api_router.get("/monitor", response_model=MonitorOut, response_model_exclude_unset=True)
async def monitor_json(request: Request, year: int | None = None, actor: Actor = Depends(current_actor)) -> MonitorOut:
    """The monitor as JSON: suppressed tables and the tests' answers."""
    data = await run_in_threadpool(_monitor, request, actor, year)
    lang = data["lang"]
    report = data["report"]
    return MonitorOut.model_validate(
        {
            "year": data["year"],
            "suppression_threshold": report.threshold,
            "key_figures": [{"label": label[lang], "value": value} for label, value in report.key_figure_lines(lang)],
            "tables": [t.as_dict(lang) for t in data["published"]],
            "answers": [s.answer.as_dict(lang) for s in report.sections if s.answer is not None],
        }
    )
