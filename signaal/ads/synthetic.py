"""A synthetic Dutch ad generator for tests, benchmarks and demos. Every ad is invented.

Patterns: telefonist hubs (one 06 number behind several names in several cities, third-person
text, "nieuw in de stad"), templated agency ads, independent workers (first person, screening),
and obfuscated numbers. Numbers are fictitious, in the 06-12xxxxxx style, and never repeat by chance.
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


_OPENINGS = [
    "Nieuw in de stad!",
    "Net aangekomen!",
    "Alleen deze week!",
    "Eerste keer hier!",
    "Nieuw binnen!",
    "Pas aangekomen!",
]
_MIDDLES = [
    "Zij is jong en lief",
    "Ze is net 19 en heel lief",
    "Zij is nieuw en verwent je graag",
    "Ze is jong, slank en beschikbaar",
    "Zij is een lieve nieuwe dame",
    "Ze is pas begonnen en heel open",
]
_AVAILABILITY = [
    "24 uur per dag beschikbaar",
    "dag en nacht beschikbaar",
    "altijd beschikbaar",
    "24/7 bereikbaar",
]
_CLOSINGS = [
    "Bel {n} voor een afspraak.",
    "Bellen of appen: {n}.",
    "Afspraak maken via {n}.",
    "Voor info bel {n}, snel reageren.",
]
_AGENCY_OPENINGS = [
    "Onze meiden verwennen je graag",
    "Wij hebben nieuwe dames voor je klaar",
    "Keuze uit meerdere meiden bij ons bureau",
    "Ons team van dames staat voor je klaar",
    "Bij ons escortbureau vind je de mooiste dames",
]
_AGENCY_DETAILS = [
    "Prive ontvangst in {city}, discreet en schoon.",
    "Ontvangst en escort in en rond {city}.",
    "Luxe kamers in {city}, parkeren voor de deur.",
    "Wij komen ook naar je hotel in {city}.",
]
_TAG_WORDS = [
    "zoet",
    "wild",
    "zacht",
    "warm",
    "heet",
    "mooi",
    "sexy",
    "lekker",
    "ondeugend",
    "speels",
    "roos",
    "kers",
    "ster",
    "maan",
    "zon",
    "vlinder",
    "parel",
    "honing",
    "vanille",
    "kaneel",
    "diamant",
    "robijn",
    "saffier",
    "zijde",
    "fluweel",
    "bloem",
    "lelie",
    "tulp",
    "orchidee",
    "jasmijn",
]
_HOBBIES = [
    "wandelen",
    "koken",
    "muziek",
    "dansen",
    "lezen",
    "films",
    "reizen",
    "yoga",
    "fietsen",
    "zwemmen",
    "tekenen",
    "tuinieren",
    "theater",
    "fotografie",
    "sporten",
    "zingen",
    "schilderen",
    "kamperen",
]
_INDEPENDENT_LINES = [
    "Ik werk alleen op afspraak, altijd veilig.",
    "Ik vraag een kleine aanbetaling vooraf.",
    "Reviews staan op mijn eigen site.",
    "Ik ontvang in een rustig appartement.",
    "Ik bepaal zelf mijn grenzen.",
    "Eerst even kennismaken is prima.",
    "Ik werk al jaren zelfstandig.",
    "Discretie is voor mij vanzelfsprekend.",
    "Je kunt me vooraf bellen voor vragen.",
    "Ik neem de tijd voor je.",
    "Geen haast, wel plezier.",
    "Ik ben graag eerlijk over wat ik wel en niet doe.",
]


class _Numbers:
    """Distinct fictitious 06-12xxxxxx numbers: a stride through a million, so none repeats."""

    def __init__(self, rng: random.Random) -> None:
        self._next = rng.randrange(1_000_000)

    def __call__(self) -> str:
        self._next = (self._next + 7919) % 1_000_000  # 7919 is prime: all million values, once
        return f"0612{self._next:06d}"


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


def _style(rng: random.Random) -> dict[str, str]:
    """A writer's own wording: one template per telefonist or agency, shared by all their ads."""
    return {
        "opening": rng.choice(_OPENINGS),
        "middle": rng.choice(_MIDDLES),
        "availability": rng.choice(_AVAILABILITY),
        "closing": rng.choice(_CLOSINGS),
        # ten words of the writer's own: enough that two writers' templates never look alike
        "tag": " ".join(rng.sample([*_TAG_WORDS, *_HOBBIES], 10)),
        "agency_opening": rng.choice(_AGENCY_OPENINGS),
        "agency_detail": rng.choice(_AGENCY_DETAILS),
    }


def _telefonist(rng: random.Random, hub: str, style: dict[str, str], day: date, i: int) -> dict[str, Any]:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    closing = style["closing"].format(n=obfuscate(hub, rng))
    body = (
        f"{style['opening']} {name} is net aangekomen in {city}. {style['middle']}, "
        f"{style['availability']}. Alleen deze week, {style['tag']}. {closing}"
    )
    return {
        "title": f"{name} nieuw in {city}",
        "body": body,
        "city": city,
        "name": name,
        "posted": (day + timedelta(days=i % 14)).isoformat(),
    }


def _agency(rng: random.Random, number: str, style: dict[str, str], day: date) -> dict[str, Any]:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    price = rng.choice([80, 100, 120])
    body = (
        f"{style['agency_opening']}, {style['tag']}. Vandaag beschikbaar: {name}, {rng.randint(19, 30)} jaar. "
        f"{style['agency_detail'].format(city=city)} € {price} per uur. "
        f"Bel {number} of app voor meer informatie over onze dames."
    )
    return {"title": f"Escort {city} - {name}", "body": body, "city": city, "name": name, "posted": day.isoformat()}


def _independent(rng: random.Random, number: str, day: date) -> dict[str, Any]:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    lines = " ".join(rng.sample(_INDEPENDENT_LINES, 3))
    hobbies = ", ".join(rng.sample(_HOBBIES, 3))
    body = (
        f"Hoi, ik ben {name}, zelfstandig en al jaren in {city}. {lines} "
        f"In mijn vrije tijd: {hobbies}; ik ben {' en '.join(rng.sample(_TAG_WORDS, 2))}. "
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
    new_number = _Numbers(rng)
    hubs = [new_number() for _ in range(max(1, n // 50))]
    hub_styles = [_style(rng) for _ in hubs]
    agencies = [new_number() for _ in range(max(1, n // 200))]
    agency_styles = [_style(rng) for _ in agencies]
    for i in range(n):
        day = _START + timedelta(days=rng.randrange(120))
        kind = rng.random()
        if kind < 0.3:
            k = rng.randrange(len(hubs))
            ad = _telefonist(rng, hubs[k], hub_styles[k], day, i)
            # the hub's number in the contact field, or only in the text
            ad["phones"] = [hubs[k]] if rng.random() < 0.5 else []
            ad["telefonist"] = hubs[k]  # ground truth for tests and benchmarks
        elif kind < 0.5:
            k = rng.randrange(len(agencies))
            ad = _agency(rng, agencies[k], agency_styles[k], day)
            ad["phones"] = [agencies[k]]
        else:
            number = new_number()
            ad = _independent(rng, number, day)
            ad["phones"] = [number]
        ad.update({"id": f"syn-{seed}-{i}", "url": f"https://example.invalid/ad/{i}", "age": "", "synthetic": True})
        yield ad
