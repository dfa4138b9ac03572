"""A group's points, one rule at a time: the hub's base points and its extra names (synthetic)."""

from __future__ import annotations

import pytest

from signaal.ads.model import AdFeatures
from signaal.ads.resources import rules
from signaal.ads.rules_eval import Hub
from signaal.ads.scoring import score_cluster


def _hub(names: int, contact: str = "phone:+31612340001") -> Hub:
    return Hub(
        contact=contact,
        role="shared_contact",
        ads=[f"a{i}" for i in range(max(names, 2))],
        names=[f"Name{i}" for i in range(names)],
        cities=[],
        other_numbers=[],
        evidence=[f"{names} names"],
    )


def _points(hubs: list[Hub]) -> float:
    ads = [AdFeatures(ad_id="a0"), AdFeatures(ad_id="a1")]  # no phrases, prices or templates
    score, _reasons = score_cluster(ads, hubs, None, 0, 0, False, rules()["scoring"], template_contacts=0)
    return score


@pytest.mark.parametrize(("names", "points"), [(0, 25), (2, 25), (3, 28), (5, 34), (8, 43), (9, 45), (20, 45)])
def test_a_hub_earns_its_base_points_and_three_per_name_beyond_two_up_to_45(names: int, points: float) -> None:
    weights = rules()["scoring"]
    assert (weights["hub_points"], weights["hub_points_per_extra_name"], weights["hub_points_max"]) == (25, 3, 45)
    assert _points([_hub(names)]) == points


def test_each_hub_of_a_group_counts_and_the_score_stays_at_most_100() -> None:
    assert _points([_hub(2), _hub(3, "phone:+31612340002")]) == 53
    assert _points([_hub(20, f"phone:+3161234000{i}") for i in range(3)]) == 100


def test_the_hub_reason_names_the_contact_and_its_evidence() -> None:
    _score, reasons = score_cluster(
        [AdFeatures(ad_id="a0")], [_hub(3)], None, 0, 0, False, rules()["scoring"], template_contacts=0
    )
    assert [r.text for r in reasons] == ["+28 hub phone:+31612340001: 3 names"]
    assert reasons[0].code == "hub" and reasons[0].values["names"] == 3
