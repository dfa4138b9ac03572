"""Hub and movement rules over a group of ads sharing a contact or a template (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from signaal.ads.model import AdFeatures

__all__ = ["LIST_SHOWN", "Hub", "Movement", "detect_hub", "detect_movement"]

# A hub behind thousands of ads lists the first of its ads, names, cities and groups, and counts all.
LIST_SHOWN = 200


@dataclass(slots=True)
class Hub:
    """A contact behind several advertisers, with the evidence that makes it one."""

    contact: str
    role: str  # "shared_contact" or "text_only_beside_call_numbers"
    ads: list[str]
    names: list[str]
    cities: list[str]
    other_numbers: list[str]
    evidence: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)  # the groups whose ads it touches
    linked: bool = True  # False: shared by more ads than the group-size limit, so it links none

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary; very long lists are cut, with their full counts beside them."""
        return {
            "contact": self.contact,
            "role": self.role,
            "linked": self.linked,
            "cluster_count": len(self.clusters),
            "clusters": self.clusters[:LIST_SHOWN],
            "ad_count": len(self.ads),
            "ads": self.ads[:LIST_SHOWN],
            "names": self.names[:LIST_SHOWN],
            "cities": self.cities[:LIST_SHOWN],
            "other_numbers": self.other_numbers[:LIST_SHOWN],
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Movement:
    """The same contact or template in several cities within the window.

    ``cities`` are in the order the ads ran there (each city at its first ad in the window).
    """

    via: str
    cities: list[str]
    first: date
    last: date
    ads: list[str]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {
            "via": self.via,
            "cities": self.cities,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "ads": self.ads,
        }


def detect_hub(key: str, ads: Sequence[AdFeatures], thresholds: dict[str, int]) -> Hub | None:
    """A hub when one contact stands behind several names or beside several other numbers.

    Its cities are evidence beside those, not a reason on their own: one advertiser in two cities
    is movement, which the grouping step scores once.
    """
    names = sorted({n for a in ads for n in a.names[:1]})
    cities = sorted({a.city for a in ads if a.city})
    others = sorted({c.key for a in ads for c in a.contacts if c.kind == "phone" and c.key != key})
    call_numbers = sorted(
        {c.key for a in ads for c in a.contacts if c.kind == "phone" and c.key != key and c.mode != "text"}
    )
    text_only = any(c.key == key and c.mode == "text" for a in ads for c in a.contacts)
    evidence: list[str] = []
    if len(names) >= thresholds["min_names"]:
        evidence.append(f"{len(names)} different names: {', '.join(names[:8])}")
    if len(others) >= thresholds["min_other_numbers"]:
        evidence.append(f"listed beside {len(others)} other numbers")
    role = "shared_contact"
    if text_only and len(call_numbers) >= thresholds["text_only_min_call_numbers"]:
        role = "text_only_beside_call_numbers"
        evidence.insert(0, f"'text only' contact beside {len(call_numbers)} different call numbers")
    if not evidence or len(ads) < 2:
        return None
    if len(cities) >= 2:
        evidence.append(f"{len(cities)} different cities: {', '.join(cities[:8])}")
    return Hub(key, role, [a.ad_id for a in ads], names, cities, others, evidence)


def detect_movement(via: str, ads: Sequence[AdFeatures], window_days: int, min_cities: int) -> Movement | None:
    """The tightest run of ads within window_days that spans at least min_cities cities."""
    dated = sorted((a for a in ads if a.posted is not None and a.city), key=lambda a: a.posted or date.min)
    best: Movement | None = None
    start = 0
    for end in range(len(dated)):
        end_date = dated[end].posted
        assert end_date is not None
        while (end_date - (dated[start].posted or end_date)).days > window_days:
            start += 1
        window = dated[start : end + 1]
        cities = list(dict.fromkeys(a.city for a in window))  # time order, not alphabetical
        if len(cities) >= min_cities and (best is None or len(cities) > len(best.cities)):
            best = Movement(
                via,
                cities,
                window[0].posted or end_date,
                end_date,
                [a.ad_id for a in window],
            )
    return best
