"""A synthetic Dutch ad generator for tests, benchmarks and demos. Every ad is invented.

Patterns: telefonist hubs (one 06 number behind several names in several cities, third-person
text, "nieuw in de stad"), templated agency ads, independent workers (first person, screening),
and obfuscated numbers. Numbers are fictitious, in the 06-1234xxxx style.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

__all__ = ["generate_ads", "obfuscate"]

_NAMES = [
    "Anna",
    "Bella",
    "Carmen",
    "Daisy",
    "Eva",
    "Fleur",
    "Gina",
    "Hanna",
    "Iris",
    "Jade",
    "Kiki",
    "Lola",
    "Mila",
    "Nina",
    "Olga",
    "Pia",
    "Rosa",
    "Sara",
    "Tess",
    "Vera",
]
_CITIES = [
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Breda",
    "Arnhem",
    "Zwolle",
    "Enschede",
    "Maastricht",
]
_DIGIT_WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_START = date(2024, 3, 1)


def _number(rng: random.Random) -> str:
    return f"061234{rng.randrange(10000):04d}"


def obfuscate(number: str, rng: random.Random) -> str:
    """Write a 06 number in one of the obfuscated forms seen in ads."""
    style = rng.randrange(6)
    if style == 0:
        return " ".join([number[:2], number[2:6], number[6:]])
    if style == 1:
        return ".".join(number[i : i + 2] for i in range(0, 10, 2))
    if style == 2:
        return "~".join([number[:2], number[2:6], number[6:]])
    if style == 3:
        return "O" + number[1:]
    if style == 4:
        return " ".join(_DIGIT_WORDS[int(d)] for d in number[:4]) + " " + number[4:]
    return "".join(d + "\ufe0f\u20e3" for d in number)


def _telefonist(rng: random.Random, hub: str, day: date, i: int) -> dict[str, Any]:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    body = (
        f"Nieuw in de stad! {name} is net aangekomen in {city}. Zij is jong en lief, "
        f"24 uur per dag beschikbaar. Alleen deze week. Bel {obfuscate(hub, rng)} voor een afspraak."
    )
    return {
        "title": f"{name} nieuw in {city}",
        "body": body,
        "city": city,
        "name": name,
        "posted": (day + timedelta(days=i % 14)).isoformat(),
    }


def _agency(rng: random.Random, number: str, day: date) -> dict[str, Any]:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    price = rng.choice([80, 100, 120])
    body = (
        f"Onze meiden verwennen je graag. Vandaag beschikbaar: {name}, {rng.randint(19, 30)} jaar. "
        f"Prive ontvangst in {city}, discreet en schoon. € {price} per uur. "
        f"Bel {number} of app voor meer informatie over onze dames."
    )
    return {"title": f"Escort {city} - {name}", "body": body, "city": city, "name": name, "posted": day.isoformat()}


def _independent(rng: random.Random, number: str, day: date) -> dict[str, Any]:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    body = (
        f"Hoi, ik ben {name}, zelfstandig en al jaren in {city}. Ik werk alleen op afspraak, "
        f"altijd veilig, en vraag een kleine aanbetaling. Reviews op mijn eigen site. "
        f"Tel {number[:2]}-{number[2:]}"
    )
    return {
        "title": f"{name} - zelfstandig in {city}",
        "body": body,
        "city": city,
        "name": name,
        "posted": day.isoformat(),
    }


def generate_ads(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """n synthetic Dutch ads as dicts in the default dump fields (marked "synthetic": true)."""
    rng = random.Random(seed)
    hubs = [_number(rng) for _ in range(max(1, n // 50))]
    agencies = [_number(rng) for _ in range(max(1, n // 200))]
    for i in range(n):
        day = _START + timedelta(days=rng.randrange(120))
        kind = rng.random()
        if kind < 0.3:
            hub = hubs[rng.randrange(len(hubs))]
            ad = _telefonist(rng, hub, day, i)
            ad["phones"] = [hub] if rng.random() < 0.5 else []
        elif kind < 0.5:
            number = agencies[rng.randrange(len(agencies))]
            ad = _agency(rng, number, day)
            ad["phones"] = [number]
        else:
            number = _number(rng)
            ad = _independent(rng, number, day)
            ad["phones"] = [number]
        ad.update({"id": f"syn-{seed}-{i}", "url": f"https://example.invalid/ad/{i}", "age": "", "synthetic": True})
        yield ad
