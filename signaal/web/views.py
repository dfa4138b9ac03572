"""The data of every page, from one service call each; the HTML page and its JSON twin both use these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from signaal.domain.actor import Actor
from signaal.errors import InvalidInput
from signaal.services import referrals as referral_service
from signaal.services import shelter as shelter_service
from signaal.services import signal_page as page_service
from signaal.services import triage as triage_service
from signaal.services.signals import SignalQuery
from signaal.settings import Settings
from signaal.store import Store
from signaal.web.shelter_bars import waiting_bars

__all__ = ["MAX_OVERDUE_DAYS", "PAGE_SIZE", "follow_up", "shelter_board", "signal_page", "worklist"]

PAGE_SIZE = 50
#: The longest wait after which a referral counts as overdue that a request may ask for (ten years).
MAX_OVERDUE_DAYS = 3650
WORKLIST_FILTERS: tuple[str, ...] = ("status", "form", "police_unit", "reporter_sector", "age_group")


def worklist(
    store: Store, actor: Actor, params: dict[str, str], settings: Settings | None = None, lang: str | None = None
) -> dict[str, Any]:
    """The worklist: filtered signals, most urgent first, with the total, counts per status, and the
    next step and overdue steps of each open signal."""
    filters = {k: params[k] for k in WORKLIST_FILTERS if params.get(k)}
    try:
        page = max(1, int(params.get("page") or 1))
        limit = int(params.get("limit") or PAGE_SIZE)
    except ValueError:
        raise InvalidInput("page and limit must be whole numbers", code="page_number") from None
    result = page_service.worklist_page(
        store,
        actor,
        SignalQuery(**filters, limit=limit, offset=(page - 1) * limit),
        settings=settings,
        lang=lang,
    )
    listed = result.page
    return {
        "items": [
            {
                **s.model_dump(mode="json"),
                "next_step": result.next_steps[s.id].as_dict() if s.id in result.next_steps else None,
                "overdue": [o.as_dict() for o in result.overdue.get(s.id, ())],
            }
            for s in listed.items
        ],
        "total": listed.total,
        "status_counts": listed.status_counts,
        "limit": listed.limit,
        "offset": listed.offset,
        "page": page,
        "pages": max(1, -(-listed.total // limit)),
        "filters": filters,
    }


def signal_page(
    store: Store, actor: Actor, signal_id: str, settings: Settings, lang: str | None = None
) -> dict[str, Any]:
    """Everything about one signal in ``lang`` (one service call, one transaction)."""
    lang = triage_service.language_for(settings, lang)
    return page_service.signal_page(store, actor, signal_id, settings=settings, lang=lang).as_dict()


def shelter_board(store: Store, actor: Actor, params: dict[str, str]) -> dict[str, Any]:
    """Open shelter requests with days waiting and "no place" events, waiting-time bars, figures per type."""
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
        "bars": waiting_bars(open_items, list(reversed(recent))[:20]),
        "figures": [g.as_dict() for g in groups],
        "filters": {"type": shelter_type, "region": region},
    }


def follow_up(store: Store, actor: Actor, settings: Settings, days: int | None = None) -> dict[str, Any]:
    """Referrals still waiting for an answer or feedback, oldest first, with the overdue ones marked."""
    limit = days if days is not None else settings.referral_overdue_days
    if not 1 <= limit <= MAX_OVERDUE_DAYS:  # a date that far back does not exist
        raise InvalidInput(
            f"days must be between 1 and {MAX_OVERDUE_DAYS}", code="days_range", values={"most": str(MAX_OVERDUE_DAYS)}
        )
    overdue = {r.id for r in referral_service.overdue_referrals(store, actor, days=limit, settings=settings)}
    now = datetime.now(UTC)
    waiting = [r for state in ("sent", "accepted") for r in referral_service.list_referrals(store, actor, state=state)]
    waiting.sort(key=lambda r: (r.sent_at, r.id))
    items = [
        {**r.as_dict(), "days_open": round((now - r.sent_at).total_seconds() / 86400, 1), "overdue": r.id in overdue}
        for r in waiting
    ]
    return {"days": limit, "referrals": items, "overdue": len(overdue)}
