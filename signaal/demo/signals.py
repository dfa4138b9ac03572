"""A generator of realistic, clearly synthetic signals for the demo, the tests and the benchmarks."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

__all__ = ["SIGNAL_COLUMNS", "generate_signals"]

SIGNAL_COLUMNS = (
    "source_id",
    "received_at",
    "observed_at",
    "reporter_org",
    "reporter_sector",
    "region",
    "narrative",
    "indicators",
    "forms",
    "victim_age",
    "victim_gender",
    "victim_nationality",
    "victim_residence",
    "phones",
    "kvk",
    "plates",
    "ibans",
    "addresses",
    "facts",
    "consent",
    "legal_basis",
)

# (form(s), sector, indicator ids, Dutch narrative sentences) — scenarios a professional might describe.
SCENARIOS: tuple[tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("labour",),
        "agriculture",
        ("documents_retained", "debt_bondage", "housing_by_employer", "excessive_hours"),
        (
            "Hij werkt op een kwekerij en woont in een container op het terrein van de werkgever.",
            "Zijn paspoort wordt door de uitzendbemiddelaar bewaard.",
            "Hij moet de reiskosten en de huur terugbetalen en houdt bijna niets over.",
            "Hij werkt zes dagen per week, twaalf uur per dag.",
        ),
    ),
    (
        ("labour",),
        "hospitality",
        ("low_or_no_pay", "sleeps_at_workplace", "social_isolation"),
        (
            "Zij werkt in de keuken van een restaurant en slaapt boven de zaak.",
            "Ze krijgt contant een paar honderd euro per maand.",
            "Ze spreekt geen Nederlands en kent niemand buiten het werk.",
        ),
    ),
    (
        ("labour",),
        "nail_studio",
        ("low_or_no_pay", "restricted_movement", "debt_bondage"),
        (
            "In de nagelsalon werken jonge vrouwen die achter in de zaak lijken te wonen.",
            "De eigenaar brengt ze 's ochtends en haalt ze 's avonds op.",
            "Eén van hen zei dat ze eerst haar schuld moet afbetalen.",
        ),
    ),
    (
        ("sexual",),
        "home_prostitution",
        ("older_controlling_partner", "sudden_luxury", "always_reachable", "runaway_or_truancy"),
        (
            "Het meisje heeft een veel oudere vriend die haar na school ophaalt.",
            "Ze heeft ineens dure kleding en een nieuwe telefoon.",
            "Ze moet altijd bereikbaar zijn en verzuimt vaak.",
        ),
    ),
    (
        ("sexual",),
        "escort",
        ("earnings_withheld", "changing_workplaces", "sex_work_for_third_party", "documents_retained"),
        (
            "Zij werkt in de escort en wordt elke week naar een andere stad gebracht.",
            "Iemand anders regelt de afspraken en houdt het geld.",
            "Haar paspoort is afgepakt.",
        ),
    ),
    (
        ("criminal",),
        "drug_trade",
        ("drug_running", "multiple_phones", "picked_up_dropped_off", "threats"),
        (
            "De jongen heeft meerdere telefoons en wordt op een scooter opgehaald.",
            "Hij vervoert pakketjes voor oudere jongens en is bang voor ze.",
            "Hij zegt dat hij een schuld heeft die hij moet afwerken.",
        ),
    ),
    (
        ("criminal",),
        "shoplifting",
        ("forced_crime", "found_far_from_home", "threats"),
        (
            "Een minderjarige werd aangehouden voor winkeldiefstal ver van huis.",
            "Hij vertelde dat hij moest stelen voor een man die hem onderdak gaf.",
        ),
    ),
    (
        ("criminal",),
        "money_mule",
        ("money_mule", "subscriptions_in_name", "abuse_of_vulnerability"),
        (
            "Een jongvolwassene met een licht verstandelijke beperking heeft zijn bankpas uitgeleend.",
            "Er staan meerdere telefoonabonnementen op zijn naam.",
        ),
    ),
    (
        ("labour", "criminal"),
        "drug_lab",
        ("drug_lab_work", "sleeps_at_workplace", "restricted_movement", "dangerous_work"),
        (
            "Twee mannen werden aangetroffen in een drugslab in een schuur.",
            "Zij woonden op de locatie en mochten niet weg.",
            "Ze werkten zonder bescherming met chemicaliën.",
        ),
    ),
    (
        ("sexual", "labour"),
        "massage",
        ("sleeps_at_workplace", "sex_work_for_third_party", "debt_bondage"),
        (
            "In een massagesalon wonen vrouwen die ook seksuele diensten moeten verlenen.",
            "Ze zeggen een schuld voor de reis te hebben.",
        ),
    ),
    (
        ("other",),
        "begging",
        ("forced_begging", "earnings_withheld"),
        (
            "Een vrouw bedelt dagelijks bij het station en wordt afgezet door een auto.",
            "Het opgehaalde geld moet zij aan de bestuurder afgeven.",
        ),
    ),
    (
        ("other",),
        "forced_marriage",
        ("forced_marriage", "restricted_contact"),
        (
            "Een leerling vertelt dat zij in de zomer moet trouwen met een man in het buitenland.",
            "Haar telefoon wordt gecontroleerd.",
        ),
    ),
)

SECTOR_WEIGHTS = (
    ("care", 14),
    ("youth", 12),
    ("education", 6),
    ("municipality", 10),
    ("police", 18),
    ("labour_inspectorate", 14),
    ("kmar", 4),
    ("riec", 6),
    ("platform", 4),
    ("ngo", 8),
    ("citizen", 4),
)
REGIONS = (
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Arnhem",
    "Haarlem",
    "Enschede",
    "Zaanstad",
    "'s-Hertogenbosch",
    "Amersfoort",
    "Maastricht",
    "Venlo",
    "Westland",
    "Leeuwarden",
    "Zwolle",
    "Middelburg",
    "Dordrecht",
)
NATIONALITIES = (
    ("Nederlandse", "dutch", 40),
    ("Poolse", "eu", 10),
    ("Roemeense", "eu", 10),
    ("Bulgaarse", "eu", 5),
    ("Hongaarse", "eu", 3),
    ("Oekraïense", "third_country_legal", 5),
    ("Nigeriaanse", "third_country_irregular", 6),
    ("Marokkaanse", "dutch", 3),
    ("Vietnamese", "third_country_irregular", 4),
    ("Chinese", "third_country_irregular", 3),
    ("Eritrese", "asylum_seeker", 4),
    ("Colombiaanse", "third_country_irregular", 3),
    ("Filipijnse", "third_country_legal", 3),
    ("Oegandese", "asylum_seeker", 2),
)

_IBAN_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO")


def _iban(rng: random.Random) -> str:
    bank = rng.choice(_IBAN_BANKS)
    account = f"{rng.randrange(10**9, 10**10):010d}"
    digits = "".join(str(ord(c) - 55) for c in bank) + account + "232100"  # NL = 23 21, check "00"
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{bank}{account}"


def _kvk(rng: random.Random) -> str:
    return f"9{rng.randrange(10**6, 10**7):07d}"


def _plate(rng: random.Random) -> str:
    letters = "BDFGHJKLNPRSTVXZ"
    return f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randrange(100, 999)}-{rng.choice(letters)}"


def _phone(rng: random.Random) -> str:
    return f"06-1234{rng.randrange(0, 10000):04d}"


def _weighted(rng: random.Random, items: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return rng.choices(items, weights=[i[-1] for i in items])[0]


def generate_signals(
    n: int, seed: int = 7, start: date = date(2019, 1, 1), end: date = date(2026, 10, 31), org_prefix: str = "demo"
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic signals as import rows (the columns of :data:`SIGNAL_COLUMNS`), deterministically."""
    rng = random.Random(seed)
    span = (end - start).days
    shared_phones = [_phone(rng) for _ in range(max(3, n // 40))]
    shared_companies = [_kvk(rng) for _ in range(max(3, n // 60))]
    shared_plates = [_plate(rng) for _ in range(max(2, n // 80))]
    for number in range(n):
        forms, sector, indicators, sentences = rng.choice(SCENARIOS)
        reporter_sector = _weighted(rng, SECTOR_WEIGHTS)[0]
        received = start + timedelta(days=int(span * (rng.random() ** 0.8)))
        observed = received - timedelta(days=rng.randrange(0, 30))
        nationality, residence, _ = _weighted(rng, NATIONALITIES)
        if forms == ("criminal",) or (forms == ("sexual",) and "older_controlling_partner" in indicators):
            age = rng.randrange(13, 22)
        elif forms == ("other",) and "forced_marriage" in indicators:
            age = rng.randrange(15, 19)
        else:
            age = rng.randrange(17, 56)
        if age < 18 and residence != "dutch" and rng.random() < 0.5:
            facts: dict[str, Any] = {"unaccompanied": True}
        else:
            facts = {}
        if rng.random() < 0.03:
            facts["acute_danger"] = True
        if rng.random() < 0.15:
            facts["needs_shelter"] = True
        chosen = [i for i in indicators if rng.random() < 0.8] or [indicators[0]]
        narrative = " ".join(rng.sample(sentences, k=max(1, len(sentences) - rng.randrange(0, 2))))
        row: dict[str, Any] = {
            "source_id": f"{org_prefix}-{number:07d}",
            "received_at": received.isoformat(),
            "observed_at": observed.isoformat() if rng.random() < 0.7 else "",
            "reporter_org": f"{org_prefix}-{reporter_sector}-{rng.randrange(1, 4)}",
            "reporter_sector": reporter_sector,
            "region": rng.choice(REGIONS),
            "narrative": f"[synthetisch] {narrative}",
            "indicators": ";".join(chosen),
            "forms": ";".join(forms) if rng.random() < 0.85 else "",
            "victim_age": str(age) if rng.random() < 0.85 else "",
            "victim_gender": rng.choice(("v", "m")) if sector not in ("nail_studio", "massage") else "v",
            "victim_nationality": nationality,
            "victim_residence": residence,
            "phones": rng.choice(shared_phones) if rng.random() < 0.3 else (_phone(rng) if rng.random() < 0.3 else ""),
            "kvk": rng.choice(shared_companies) if "labour" in forms and rng.random() < 0.5 else "",
            "plates": rng.choice(shared_plates) if rng.random() < 0.1 else "",
            "ibans": _iban(rng) if rng.random() < 0.05 else "",
            "addresses": "",
            "facts": json.dumps(facts) if facts else "",
            "consent": rng.choice(("given", "not_asked", "not_required")),
            "legal_basis": "legal_obligation"
            if reporter_sector in ("police", "labour_inspectorate", "kmar")
            else "public_task",
        }
        yield row
