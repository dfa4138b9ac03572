"""Score a group of linked ads, with the reasons that made the score (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from signaal.ads.model import AdFeatures
from signaal.ads.rules_eval import Hub, Movement

__all__ = ["Reason", "lone_ad_points", "phrase_points", "score_cluster", "strong_points"]


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a score: a code and its values for interfaces that speak the user's language,
    and the English text the CLI and the report print.

    Codes: ``hub``, ``template``, ``movement``, ``strong``, ``phrases``, ``counter``, ``low_price``.
    Indicator ids are in ``values`` as ids; an interface shows their labels.
    """

    code: str
    points: float  # what the reason adds (negative for counter-signals)
    values: dict[str, Any]
    text: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the ``reason_codes`` of a clusters.jsonl line)."""
        return {"code": self.code, "points": round(self.points), "values": self.values}


def phrase_points(ads: Sequence[AdFeatures], weights: dict[str, Any]) -> tuple[float, float, list[Reason]]:
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
    reasons: list[Reason] = []
    if risk:
        ids = sorted(risk)
        reasons.append(Reason("phrases", plus, {"indicators": ids}, f"+{plus:.0f} risk phrases: {', '.join(ids)}"))
    if counter:
        ids = sorted(counter)
        reasons.append(
            Reason("counter", -minus, {"indicators": ids}, f"-{minus:.0f} counter-signals: {', '.join(ids)}")
        )
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


def strong_points(ads: Sequence[AdFeatures], weights: dict[str, Any]) -> tuple[float, list[Reason]]:
    """Points of strong indicators (a stated age under 18): each once, not capped with the
    phrases, and not offset by counter-signals."""
    strong: dict[str, Any] = weights.get("strong_indicators") or {}
    seen = sorted({hit.id for ad in ads for hit in ad.indicators if hit.id in strong})
    points = sum(float(strong[i]) for i in seen)
    return points, [
        Reason("strong", float(strong[i]), {"indicator": i}, f"+{float(strong[i]):.0f} {i}") for i in seen
    ]


def score_cluster(
    ads: Sequence[AdFeatures],
    hubs: Sequence[Hub],
    movement: Movement | None,
    template_ads: int,
    template_names: int,
    low_price: bool,
    weights: dict[str, Any],
    template_contacts: int,
) -> tuple[float, list[Reason]]:
    """A score of 0-100 and its reasons; structure (hubs, templates, movement) outweighs phrases.

    A template counts when 3+ ads share it under 2+ different names or 2+ different own contacts
    (one advertiser's reposts earn nothing); counter-signals offset phrase points only.
    """
    reasons: list[Reason] = []
    score = 0.0
    for hub in hubs:
        extra = max(0, len(hub.names) - 2) * float(weights["hub_points_per_extra_name"])
        points = min(float(weights["hub_points_max"]), float(weights["hub_points"]) + extra)
        score += points
        counts = {"names": len(hub.names), "numbers": len(hub.other_numbers), "cities": len(hub.cities)}
        reasons.append(
            Reason(
                "hub",
                points,
                {"contact": hub.contact, "role": hub.role, **counts},
                f"+{points:.0f} hub {hub.contact}: {'; '.join(hub.evidence)}",
            )
        )
    if template_ads >= int(weights["template_min_ads"]) and (template_names >= 2 or template_contacts >= 2):
        score += float(weights["template_points"])
        text = (
            f"+{weights['template_points']} template shared by {template_ads} ads "
            f"under {template_names} names and {template_contacts} contacts"
        )
        counts = {"ads": template_ads, "names": template_names, "contacts": template_contacts}
        reasons.append(Reason("template", float(weights["template_points"]), counts, text))
    if movement is not None:
        extra = max(0, len(movement.cities) - 2) * float(weights["movement_points_per_extra_city"])
        points = min(float(weights["movement_points_max"]), float(weights["movement_points"]) + extra)
        score += points
        first, last = movement.first.isoformat(), movement.last.isoformat()
        text = f"+{points:.0f} movement via {movement.via}: {', '.join(movement.cities)} between {first} and {last}"
        route = {"via": movement.via, "cities": list(movement.cities), "first": first, "last": last}
        reasons.append(Reason("movement", points, route, text))
    strong, strong_reasons = strong_points(ads, weights)
    score += strong
    reasons[:0] = strong_reasons
    plus, minus, phrase_reasons = phrase_points(ads, weights)
    score += max(0.0, plus - minus)  # counter-signals never cancel structure
    reasons.extend(phrase_reasons)
    if low_price:
        score += float(weights["low_price_points"])
        text = f"+{weights['low_price_points']} prices far below the dump's median"
        reasons.append(Reason("low_price", float(weights["low_price_points"]), {}, text))
    return max(0.0, min(100.0, round(score, 1))), reasons
