"""SYNTHETIC ground truth for linking: invented people in invented networks, registered by three organisations.

Everything here is made up by a seeded random generator; no name, number or place comes from a
real case. Names are drawn from short invented syllables, phones are in the Dutch 06-1 range,
postcodes and IBANs are made to the right shape. Three kinds of network, known in advance:

- ``organised``: a sexual-exploitation network: a leader, a telefonist whose several numbers the
  victims' cases share, a driver; 4-7 foreign victims moved between 2-4 cities over months;
- ``criminal``: one controller and 3-6 minor runners (drugs), each runner's case naming the
  controller's number;
- ``small_scale``: one offender, one victim, one place, one number.

The police, the labour inspectorate and a shelter each register part of the population, with the
noise real registrations have: typos in names and birth dates, day and month swapped, phones in
other formats, missing fields, and shared addresses of unrelated people (labour housing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from signaal.link.keys import link_key
from signaal.link.model import CaseRecord, PersonRecord

__all__ = ["ORGS", "SyntheticWorld", "Truth", "generate"]

ORGS = ("politie-synth", "inspectie-synth", "opvang-synth")
CITIES = (
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Arnhem",
    "Breda",
    "Zwolle",
)
FOREIGN = ("RO", "BG", "HU", "NG", "CN", "TH", "UA", "PL", "CO", "BR")
_SYL = (
    "ka",
    "lo",
    "mi",
    "ren",
    "sa",
    "to",
    "vi",
    "da",
    "ne",
    "jo",
    "ba",
    "el",
    "ru",
    "fi",
    "an",
    "de",
    "mo",
    "li",
    "ter",
    "po",
)


@dataclass
class _Person:
    pid: str
    name: str
    birth: date
    sex: str
    nationality: str
    phones: list[str]
    address: str
    role: str
    minor: bool = False


@dataclass
class Truth:
    """The answers: each person record's true person, each case's network and its kind and controller."""

    person_of: dict[str, str] = field(default_factory=dict)  # person record ref -> person id
    network_of_case: dict[str, str] = field(default_factory=dict)  # case ref -> network id
    kind_of_network: dict[str, str] = field(default_factory=dict)  # network id -> organised|criminal|small_scale
    controller_of: dict[str, str] = field(default_factory=dict)  # network id -> person id


@dataclass
class SyntheticWorld:
    """SYNTHETIC registrations of three organisations with their ground truth."""

    cases: list[CaseRecord]
    persons: list[PersonRecord]
    truth: Truth


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = 0
        self.used_phones: set[str] = set()

    def pid(self) -> str:
        self.n += 1
        return f"P{self.n:06d}"

    def name(self) -> str:
        r = self.rng
        first = "".join(r.choice(_SYL) for _ in range(r.randint(2, 3))).capitalize()
        last = "".join(r.choice(_SYL) for _ in range(r.randint(2, 4))).capitalize()
        return f"{first} {last}"

    def phone(self) -> str:
        while True:
            number = f"+316{self.rng.randint(10000000, 58999999)}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def address(self) -> str:
        r = self.rng
        return f"{r.randint(1000, 9999)}{r.choice('ABCDEFGHJKLMNPRSTVWXZ')}{r.choice('ABCDEFGHJKLMNPRSTVWXZ')}"

    def person(self, role: str, *, foreign: bool, minor: bool = False, sex: str | None = None) -> _Person:
        r = self.rng
        age = r.randint(14, 17) if minor else r.randint(18, 55)
        birth = date(2026 - age, r.randint(1, 12), r.randint(1, 28))
        return _Person(
            self.pid(),
            self.name(),
            birth,
            sex or r.choice(("m", "f")),
            r.choice(FOREIGN) if foreign else "NL",
            [self.phone()],
            self.address(),
            role,
            minor,
        )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    op = rng.random()
    if op < 0.4:
        return text[:i] + text[i + 1 :]
    if op < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeioulnrst") + text[i + 1 :]


def _phone_format(rng: random.Random, e164: str) -> str:
    local = "0" + e164[3:]
    choice = rng.randrange(4)
    if choice == 0:
        return e164
    if choice == 1:
        return f"{local[:2]}-{local[2:]}"
    if choice == 2:
        return f"0031 {e164[3:4]} {e164[4:]}"
    return f"{local[:2]} {local[2:4]} {local[4:6]} {local[6:8]} {local[8:]}"


class _Registrar:
    """Writes one organisation's noisy view of a case."""

    def __init__(self, gen: _Gen, world: SyntheticWorld) -> None:
        self.gen = gen
        self.world = world
        self.count = 0

    def person(self, org: str, case_ref: str, p: _Person, when: date, city: str) -> PersonRecord:
        r = self.gen.rng
        self.count += 1
        ref = f"reg:{org}:p{self.count}"
        name: str | None = p.name
        if org == "opvang-synth" and r.random() < 0.3:
            name = p.name.split()[0]  # first name only
        elif r.random() < 0.15:
            name = _typo(r, p.name)
        if r.random() < 0.1:
            name = None
        birth: str | None = p.birth.isoformat()
        roll = r.random()
        if roll < 0.07 and p.birth.day <= 12:
            birth = f"{p.birth.year:04d}-{p.birth.day:02d}-{p.birth.month:02d}"
        elif roll < 0.14:
            day = min(28, max(1, p.birth.day + r.choice((-1, 1))))
            birth = f"{p.birth.year:04d}-{p.birth.month:02d}-{day:02d}"
        elif roll < 0.22:
            birth = None
        keys = []
        if p.phones and r.random() < 0.85:
            keys.append(link_key("phone", _phone_format(r, r.choice(p.phones))))
        if r.random() < 0.6:
            keys.append(link_key("postcode", p.address[:4] + " " + p.address[4:]))
        record = PersonRecord(
            ref=ref,
            case=case_ref,
            org=org,
            role=p.role if r.random() > 0.03 else "other",
            name=name,
            birth_date=birth,
            birth_year=p.birth.year if birth is None and r.random() < 0.5 else None,
            sex=p.sex if r.random() > 0.05 else None,
            nationality=p.nationality if r.random() > 0.15 else None,
            city=city,
            minor=p.minor,
            keys=tuple(keys),
        )
        self.world.persons.append(record)
        self.world.truth.person_of[ref] = p.pid
        return record

    def case(
        self,
        org: str,
        network: str,
        people: list[_Person],
        when: date,
        city: str,
        forms: tuple[str, ...],
        crimes: tuple[str, ...] = (),
        contacts: tuple[str, ...] = (),
    ) -> None:
        r = self.gen.rng
        orgs = [org]
        if r.random() < 0.45:  # the same people also known to a second organisation
            orgs.append(r.choice([o for o in ORGS if o != org]))
        for i, who in enumerate(orgs):
            self.count += 1
            ref = f"reg:{who}:c{self.count}"
            day = when + timedelta(days=r.randint(3, 60) * i)
            keys = tuple(link_key("phone", _phone_format(r, c)) for c in contacts if i == 0 or r.random() < 0.7)
            self.world.cases.append(
                CaseRecord(ref, who, "registration", day.isoformat(), city, forms, crimes, keys, ref)
            )
            self.world.truth.network_of_case[ref] = network
            for p in people:
                self.person(who, ref, p, day, city)


def _organised(gen: _Gen, reg: _Registrar, net: str, start: date) -> None:
    r = gen.rng
    leader = gen.person("suspect", foreign=r.random() < 0.5, sex="m")
    telefonist = gen.person("suspect", foreign=r.random() < 0.5)
    telefonist.phones = [gen.phone() for _ in range(r.randint(2, 4))]
    driver = gen.person("suspect", foreign=False, sex="m")
    victims = [gen.person("victim", foreign=True, sex="f") for _ in range(r.randint(4, 7))]
    cities = r.sample(CITIES, r.randint(2, 4))
    reg.world.truth.kind_of_network[net] = "organised"
    reg.world.truth.controller_of[net] = leader.pid
    for i, v in enumerate(victims):
        when = start + timedelta(days=30 * i + r.randint(0, 20))
        city = cities[i % len(cities)]
        org = r.choice(("politie-synth", "opvang-synth"))
        contact = r.choice(telefonist.phones)
        reg.case(org, net, [v, *([driver] if r.random() < 0.4 else [])], when, city, ("sexual",), (), (contact,))
    when = start + timedelta(days=200)
    reg.case("politie-synth", net, [leader, telefonist, driver], when, cities[0], ("sexual",), ("money_laundering",))
    reg.case(
        "inspectie-synth",
        net,
        [leader],
        when + timedelta(days=10),
        cities[-1],
        ("sexual",),
        (),
        (telefonist.phones[0],),
    )


def _criminal(gen: _Gen, reg: _Registrar, net: str, start: date) -> None:
    r = gen.rng
    controller = gen.person("suspect", foreign=False, sex="m")
    runners = [gen.person("victim", foreign=r.random() < 0.2, minor=True) for _ in range(r.randint(3, 6))]
    city = r.choice(CITIES)
    reg.world.truth.kind_of_network[net] = "criminal"
    reg.world.truth.controller_of[net] = controller.pid
    for i, runner in enumerate(runners):
        when = start + timedelta(days=20 * i + r.randint(0, 15))
        org = r.choice(("politie-synth", "opvang-synth"))
        reg.case(org, net, [runner], when, city, ("criminal",), ("drugs",), (controller.phones[0],))
    when = start + timedelta(days=150)
    reg.case("politie-synth", net, [controller], when, city, ("criminal",), ("drugs",), (controller.phones[0],))


def _small(gen: _Gen, reg: _Registrar, net: str, start: date) -> None:
    r = gen.rng
    offender = gen.person("suspect", foreign=False)
    victim = gen.person("victim", foreign=False)
    city = r.choice(CITIES)
    form = r.choice(("labour", "sexual"))
    reg.world.truth.kind_of_network[net] = "small_scale"
    reg.world.truth.controller_of[net] = offender.pid
    org = "inspectie-synth" if form == "labour" else r.choice(ORGS)
    reg.case(org, net, [victim, offender], start, city, (form,))
    if r.random() < 0.5:
        reg.case(r.choice(ORGS), net, [victim], start + timedelta(days=r.randint(5, 40)), city, (form,))


def _lone(gen: _Gen, reg: _Registrar, shared_addresses: list[str], start: date) -> None:
    """Background: unrelated people, some at the same labour-housing address."""
    r = gen.rng
    p = gen.person(r.choice(("victim", "other")), foreign=r.random() < 0.5)
    if shared_addresses and r.random() < 0.3:
        p.address = r.choice(shared_addresses)
    net = f"lone-{p.pid}"
    reg.world.truth.kind_of_network[net] = "background"
    reg.case(r.choice(ORGS), net, [p], start, r.choice(CITIES), (r.choice(("labour", "sexual", "other")),))


def generate(
    seed: int = 1, *, organised: int = 5, criminal: int = 10, small: int = 30, background: int = 100
) -> SyntheticWorld:
    """A SYNTHETIC world: networks of the three kinds plus unrelated background people, with the truth."""
    gen = _Gen(seed)
    world = SyntheticWorld([], [], Truth())
    reg = _Registrar(gen, world)
    base = date(2024, 1, 1)
    jobs = ["o"] * organised + ["c"] * criminal + ["s"] * small
    gen.rng.shuffle(jobs)
    for i, job in enumerate(jobs):
        start = base + timedelta(days=gen.rng.randint(0, 500))
        net = f"N{i + 1:04d}"
        {"o": _organised, "c": _criminal, "s": _small}[job](gen, reg, net, start)
    shared = [gen.address() for _ in range(max(1, background // 20))]
    for _ in range(background):
        _lone(gen, reg, shared, base + timedelta(days=gen.rng.randint(0, 600)))
    return world


def registration_rows(world: SyntheticWorld) -> list[dict[str, str]]:
    """The SYNTHETIC world as rows of the registrations import format (docs/linking.md), one per person."""
    rows: list[dict[str, str]] = []
    persons_of: dict[str, list[PersonRecord]] = {}
    for person in world.persons:
        persons_of.setdefault(person.case, []).append(person)
    for case in world.cases:
        org, case_id = case.ref.split(":", 2)[1:]
        base = {
            "source": org,
            "case_id": case_id,
            "record_date": case.date or "",
            "city": case.city or "",
            "forms": ";".join(case.forms),
            "crimes": ";".join(case.crimes),
            "case_phone": ";".join(k.value for k in case.keys if k.kind == "phone"),
        }
        for p in persons_of.get(case.ref, []):
            row = {
                **base,
                "role": p.role,
                "person_id": p.ref.rsplit(":", 1)[1],
                "name": p.name or "",
                "birth_date": p.birth_date or "",
                "birth_year": str(p.birth_year or ""),
                "sex": p.sex or "",
                "nationality": p.nationality or "",
                "minor": "yes" if p.minor else "no",
            }
            for kind in ("phone", "postcode"):
                row[kind] = ";".join(k.value for k in p.keys if k.kind == kind)
            rows.append(row)
    return rows
