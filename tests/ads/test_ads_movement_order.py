"""Movement lists the cities in the order the ads ran there (pure; synthetic ads, nothing real)."""

from __future__ import annotations

from datetime import date

from signaal.ads.model import AdFeatures
from signaal.ads.rules_eval import detect_movement


def _ad(ad_id: str, city: str, day: int) -> AdFeatures:
    return AdFeatures(ad_id=ad_id, city=city, posted=date(2024, 5, day))


def test_cities_follow_the_dates_not_the_alphabet() -> None:
    ads = [_ad("b", "Guelph", 4), _ad("a", "Hamilton", 1), _ad("c", "Toronto", 6), _ad("d", "Guelph", 7)]
    movement = detect_movement("contact", ads, window_days=14, min_cities=2)
    assert movement is not None
    assert movement.cities == ["Hamilton", "Guelph", "Toronto"]
    assert (movement.first, movement.last) == (date(2024, 5, 1), date(2024, 5, 6))
    assert movement.ads == ["a", "b", "c"]


def test_a_later_window_keeps_its_own_order() -> None:
    ads = [_ad("x", "Zwolle", 1), _ad("y", "Arnhem", 20), _ad("z", "Breda", 22), _ad("w", "Almere", 23)]
    movement = detect_movement("cluster", ads, window_days=5, min_cities=2)
    assert movement is not None
    assert movement.cities == ["Arnhem", "Breda", "Almere"]
