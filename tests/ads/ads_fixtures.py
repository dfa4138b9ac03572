"""Synthetic ads shared by the ad-screening tests (every ad, name and number here is invented)."""

from __future__ import annotations

from signaal.ads.model import Ad
from signaal.domain.actor import Actor, Role

HUB = "+31612340001"  # fictitious
# who screens in these tests (a platform moderator)
SCREENER = Actor(user="moderator", org="platform-a", role=Role.MODERATOR)


def telefonist_ads(extra: str = "") -> list[Ad]:
    """One fictitious 06 number behind five names in four cities, third person, "nieuw in de stad";
    ``extra`` is written at the end of every body."""
    people = [("Anna", "Utrecht"), ("Bella", "Breda"), ("Carmen", "Zwolle"), ("Daisy", "Arnhem"), ("Eva", "Utrecht")]
    return [
        Ad(
            id=f"t{i}",
            title=f"{name} nieuw in de stad",
            body=f"Nieuw in de stad! Zij is jong en lief. Ze heet {name}. Bel 06-1234 0001, 24/7. {extra}".rstrip(),
            city=city,
            posted=f"2024-05-0{i + 1}",
        )
        for i, (name, city) in enumerate(people)
    ]
