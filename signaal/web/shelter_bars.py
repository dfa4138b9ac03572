"""The shelter board's waiting-time bars: one bar per request, from the request to the placement.

A bar has up to two parts — waiting for an offer, then from the offer to the placement — and a mark
for every "no place available"; an open request's bar runs to today. All bars share one scale (the
longest wait shown, at least a week), so lengths compare at a glance, on a phone as on a desk.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

__all__ = ["waiting_bars"]

#: The shortest scale: a wait of a few days should not fill the whole width.
MIN_SCALE_DAYS = 7.0


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _days(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 86400)


def _bar(item: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """The parts of one request's bar in days (None for a request withdrawn before a placement)."""
    requested = _moment(item["requested_at"])
    offered = _moment(item.get("offered_at"))
    started = _moment(item.get("started_at"))
    if requested is None or (started is None and item["state"] not in ("requested", "offered")):
        return None  # withdrawn before a placement: no wait to show
    end = started or now
    offer_at = offered if offered is not None and offered <= end else None
    waiting = _days(requested, offer_at or end)
    return {
        "id": item["id"],
        "signal_id": item["signal_id"],
        "type": item["type"],
        "state": item["state"],
        "placed": started is not None,
        "requested_at": item["requested_at"],
        "offered_at": item.get("offered_at"),
        "started_at": item.get("started_at"),
        "days": _days(requested, end),
        "waiting_days": waiting,
        "offer_days": _days(offer_at, end) if offer_at is not None else 0.0,
        "no_place": [_days(requested, m) for m in map(_moment, item.get("no_place_at") or []) if m is not None],
    }


def waiting_bars(
    open_items: list[dict[str, Any]], recent: list[dict[str, Any]], now: datetime | None = None
) -> dict[str, Any]:
    """Bars for the open requests (longest wait first) and the recent placements, on one scale in percent."""
    moment = now or datetime.now(UTC)
    waiting = [b for b in (_bar(i, moment) for i in open_items) if b is not None]
    placed = [b for b in (_bar(i, moment) for i in recent) if b is not None and b["placed"]]
    waiting.sort(key=lambda b: -b["days"])
    scale = max([MIN_SCALE_DAYS, *(b["days"] for b in waiting + placed)])
    for bar in waiting + placed:
        bar["waiting_pct"] = round(100 * bar["waiting_days"] / scale, 2)
        bar["offer_pct"] = round(100 * bar["offer_days"] / scale, 2)
        bar["no_place_pct"] = [round(100 * d / scale, 2) for d in bar["no_place"]]
    return {"waiting": waiting, "placed": placed, "scale_days": scale}
