"""The data of every page, from one service call each; the HTML page and its JSON twin both use these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from signaal.domain.actor import Actor
from signaal.errors import InvalidInput
from signaal.services import referrals as referral_service
from signaal.services import shelter as shelter_service
from signaal.services import signals as signal_service
from signaal.services import triage as triage_service
from signaal.services.signals import SignalQuery
from signaal.settings import Settings
from signaal.store import Store

__all__ = ["PAGE_SIZE", "follow_up", "shelter_board", "signal_page", "worklist"]

PAGE_SIZE = 50
WORKLIST_FILTERS: tuple[str, ...] = ("status", "form", "police_unit", "reporter_sector", "age_group")


def worklist(store: Store, actor: Actor, params: dict[str, str]) -> dict[str, Any]:
    """The worklist: filtered signals, most urgent first, with the total and counts per status."""
    filters = {k: params[k] for k in WORKLIST_FILTERS if params.get(k)}
    try:
        page = max(1, int(params.get("page") or 1))
        limit = int(params.get("limit") or PAGE_SIZE)
    except ValueError:
        raise InvalidInput("page and limit must be whole numbers") from None
    result = signal_service.list_signals(
        store,
        actor,
        SignalQuery(**filters, limit=limit, offset=(page - 1) * limit),
    )
    return {
        "items": [s.model_dump(mode="json") for s in result.items],
        "total": result.total,
        "status_counts": result.status_counts,
        "limit": result.limit,
        "offset": result.offset,
        "page": page,
        "pages": max(1, -(-result.total // limit)),
        "filters": filters,
    }


def signal_page(
    store: Store, actor: Actor, signal_id: str, settings: Settings, lang: str | None = None
) -> dict[str, Any]:
    """Everything about one signal (action perspective and meldcode in ``lang``): facts, indicators,
    action perspective, decisions, referrals, meldcode, shelter, history."""
    lang = triage_service.language_for(settings, lang)
    routed = triage_service.route_signal(store, actor, signal_id, settings=settings, lang=lang)
    checklist = triage_service.meldcode_checklist(store, actor, signal_id, settings=settings)
    next_step = checklist.next_step
    delphi = triage_service.delphi_for_signal(store, actor, signal_id)
    return {
        "signal": routed.signal.model_dump(mode="json"),
        "facts": routed.facts.as_dict(),
        "route": routed.route.as_dict(),
        "decisions": [d.as_dict() for d in triage_service.list_decisions(store, actor, signal_id)],
        "referrals": [r.as_dict() for r in referral_service.list_referrals(store, actor, signal_id)],
        "meldcode": {
            "items": [i.as_dict(lang) for i in checklist.items],
            "complete": checklist.complete,
            "next_step": next_step.step.id if next_step else None,
        },
        "delphi": [a.as_dict() for a in delphi],
        "shelter": [s.as_dict() for s in shelter_service.list_shelter(store, actor, signal_id=signal_id)],
        "history": [e.model_dump(mode="json") for e in signal_service.signal_history(store, actor, signal_id)],
    }


def shelter_board(store: Store, actor: Actor, params: dict[str, str]) -> dict[str, Any]:
    """Open shelter requests with days waiting and "no place" events, plus figures per type."""
    shelter_type = params.get("type") or None
    region = params.get("region") or None
    requests = shelter_service.list_shelter(store, actor, shelter_type=shelter_type, region=region)
    groups, waiting = shelter_service.figures_of(requests)
    waiting_days = {w.id: w.as_dict() for w in waiting}
    open_items = []
    for item in requests:
        data = item.as_dict()
        if item.record.is_waiting:
            data["days_waiting"] = waiting_days.get(item.record.id, {}).get("waiting_days")
            open_items.append(data)
    open_items.sort(key=lambda d: -(d.get("days_waiting") or 0))
    recent = [r.as_dict() for r in requests if not r.record.is_waiting][-50:]
    return {
        "open": open_items,
        "recent": list(reversed(recent)),
        "figures": [g.as_dict() for g in groups],
        "filters": {"type": shelter_type, "region": region},
    }


def follow_up(store: Store, actor: Actor, settings: Settings, days: int | None = None) -> dict[str, Any]:
    """Referrals still waiting for an answer or feedback, oldest first, with the overdue ones marked."""
    limit = days if days is not None else settings.referral_overdue_days
    overdue = {r.id for r in referral_service.overdue_referrals(store, actor, days=limit, settings=settings)}
    now = datetime.now(UTC)
    waiting = [r for state in ("sent", "accepted") for r in referral_service.list_referrals(store, actor, state=state)]
    waiting.sort(key=lambda r: (r.sent_at, r.id))
    items = [
        {**r.as_dict(), "days_open": round((now - r.sent_at).total_seconds() / 86400, 1), "overdue": r.id in overdue}
        for r in waiting
    ]
    return {"days": limit, "referrals": items, "overdue": len(overdue)}
