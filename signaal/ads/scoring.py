"""Score a group of linked ads, with the reasons that made the score (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from signaal.ads.model import AdFeatures
from signaal.ads.rules_eval import Hub, Movement

__all__ = ["lone_ad_points", "phrase_points", "score_cluster", "strong_points"]


def phrase_points(ads: Sequence[AdFeatures], weights: dict[str, Any]) -> tuple[float, float, list[str]]:
    """Risk and counter points of the phrases in a group: each indicator once, both capped.

    Strong indicators (``strong_indicators`` in rules.yaml) are left out: see strong_points.
    """
    strong = weights.get("strong_indicators") or {}
    risk: dict[str, float] = {}
    counter: dict[str, float] = {}
    for ad in ads:
        for hit in ad.indicators:
            if hit.id in strong:
                continue
            target = counter if hit.counter else risk
            target[hit.id] = max(target.get(hit.id, 0.0), hit.weight)
    factor = float(weights["phrase_factor"])
    plus = min(float(weights["phrase_points_max"]), factor * sum(risk.values()))
    minus = min(float(weights["counter_points_max"]), factor * sum(counter.values()))
    reasons: list[str] = []
    if risk:
        reasons.append(f"+{plus:.0f} risk phrases: {', '.join(sorted(risk))}")
    if counter:
        reasons.append(f"-{minus:.0f} counter-signals: {', '.join(sorted(counter))}")
    return plus, minus, reasons


def lone_ad_points(ad: AdFeatures, weights: dict[str, Any]) -> float:
    """The score of an ad linked to no other: its phrases less its counter-signals, plus its strong
    indicators, capped at 100. The same figure as phrase_points and strong_points give for a
    group of one, without the reasons (most ads of a large dump stand alone)."""
    if not ad.indicators:
        return 0.0
    strong = weights.get("strong_indicators") or {}
    risk: dict[str, float] = {}
    counter: dict[str, float] = {}
    extra: dict[str, float] = {}
    for hit in ad.indicators:
        if hit.id in strong:
            extra[hit.id] = float(strong[hit.id])
            continue
        target = counter if hit.counter else risk
        target[hit.id] = max(target.get(hit.id, 0.0), hit.weight)
    factor = float(weights["phrase_factor"])
    plus = min(float(weights["phrase_points_max"]), factor * sum(risk.values()))
    minus = min(float(weights["counter_points_max"]), factor * sum(counter.values()))
    return min(100.0, max(0.0, plus - minus) + sum(extra[i] for i in sorted(extra)))


def strong_points(ads: Sequence[AdFeatures], weights: dict[str, Any]) -> tuple[float, list[str]]:
    """Points of strong indicators (a stated age under 18): each once, not capped with the
    phrases, and not offset by counter-signals."""
    strong: dict[str, Any] = weights.get("strong_indicators") or {}
    seen = sorted({hit.id for ad in ads for hit in ad.indicators if hit.id in strong})
    points = sum(float(strong[i]) for i in seen)
    return points, [f"+{float(strong[i]):.0f} {i}" for i in seen]


def score_cluster(
    ads: Sequence[AdFeatures],
    hubs: Sequence[Hub],
    movement: Movement | None,
    template_ads: int,
    template_names: int,
    low_price: bool,
    weights: dict[str, Any],
    template_contacts: int,
) -> tuple[float, list[str]]:
    """A score of 0-100 and its reasons; structure (hubs, templates, movement) outweighs phrases.

    A template counts when 3+ ads share it under 2+ different names or 2+ different own contacts
    (one advertiser's reposts earn nothing); counter-signals offset phrase points only.
    """
    reasons: list[str] = []
    score = 0.0
    for hub in hubs:
        extra = max(0, len(hub.names) - 2) * float(weights["hub_points_per_extra_name"])
        points = min(float(weights["hub_points_max"]), float(weights["hub_points"]) + extra)
        score += points
        reasons.append(f"+{points:.0f} hub {hub.contact}: {'; '.join(hub.evidence)}")
    if template_ads >= int(weights["template_min_ads"]) and (template_names >= 2 or template_contacts >= 2):
        score += float(weights["template_points"])
        reasons.append(
            f"+{weights['template_points']} template shared by {template_ads} ads "
            f"under {template_names} names and {template_contacts} contacts"
        )
    if movement is not None:
        extra = max(0, len(movement.cities) - 2) * float(weights["movement_points_per_extra_city"])
        points = min(float(weights["movement_points_max"]), float(weights["movement_points"]) + extra)
        score += points
        reasons.append(
            f"+{points:.0f} movement via {movement.via}: {', '.join(movement.cities)} "
            f"between {movement.first.isoformat()} and {movement.last.isoformat()}"
        )
    strong, strong_reasons = strong_points(ads, weights)
    score += strong
    reasons[:0] = strong_reasons
    plus, minus, phrase_reasons = phrase_points(ads, weights)
    score += max(0.0, plus - minus)  # counter-signals never cancel structure
    reasons.extend(phrase_reasons)
    if low_price:
        score += float(weights["low_price_points"])
        reasons.append(f"+{weights['low_price_points']} prices far below the dump's median")
    return max(0.0, min(100.0, round(score, 1))), reasons
