"""Synthetic ads shared by the ad-screening tests (every ad, name and number here is invented)."""

from __future__ import annotations

import random

from signaal.ads.model import Ad
from signaal.ads.normalise import fold
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


# Texts made of the words, numbers and marks the fact finders look for (synthetic).
_PIECES = {
    "names": [
        *("ik ben", "I am", "i'm", "i’m", "im", "Im", "my name is", "hoi, ik ben", "Hallo ik ben", "call me"),
        *("ze heet", "her name is", "this is", "Mila", "ROOS", "Latina", "swim", "Kim"),
    ],
    "ages": [
        *("leeftijd:", "age", "massage", "ik ben", "i’m", "pas", "jaar", "jaar oud", "years old", "yrs", "yo", "y/o"),
        *("sinds", "al", "over", "ervaring", "12", "17", "23", "45", "69", "70", "1", "2٣", "123", "cm", "min"),
    ],
    "prices": [
        *("€", "$", "eur", "euro", "EUR", ",-", ".-", "per", "p/", "/", "a", "half uur", "halfuur", "Uur", "u"),
        *("hh", "h", "hour", "kwartier", "nacht", "30 min", "1 h", "80", "150", "2500", "12345", "24/7", "06 1234"),
        *("1.000", "€1,500", "$ 2.000,-"),
    ],
    "places": [
        *("Amsterdam", "den haag", "'s-Gravenhage", "’s-Hertogenbosch", "Goes", "best", "Leiden", "Ede", "in"),
        *("near", "the", "hague", "Amsterdammer", "de", "het"),
    ],
    "marks": ["🌸", "é", "İ", "\u212a", "_", "\u00a0", "\u2003", "\n", "\t", "(", ")", ":", ".", ",", "+", "-", "0"],
}
_SEPARATORS = [" ", " ", " ", "", "", "  ", ", ", ": ", "\n", "\t", "-", "/", "\u00a0", " .- ", ",- "]


def synthetic_texts(count: int, seed: int = 20240501) -> list[str]:
    """Synthetic, folded: strings of the words, numbers and marks one finder looks for, in random order."""
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        theme = ["names", "ages", "prices", "places"][i % 4]
        words = [
            rng.choice(_PIECES[theme] if rng.random() < 0.85 else _PIECES["marks"]) + rng.choice(_SEPARATORS)
            for _ in range(rng.randint(1, 12))
        ]
        texts.append(fold("".join(words)).text)
    return texts
