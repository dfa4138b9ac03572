"""Facts for the action perspective: minor or age, residence, acute danger, sector, nationality group, ...

A yes/no fact flips when negated ("wil geen aangifte doen" → willing_to_talk_to_police: false);
other facts are dropped when negated. Each fact keeps its span.

The facts of one text never contradict each other (:func:`reconcile_facts`): a text about several
people (teenagers recruited by an adult, a 15-year-old and her 19-year-old sister) yields
``minor: true`` when anyone described is under 18 — the youth route must not be missed — without
the ages that contradict it, and a fact the text gives several values of (two ages, two residence
situations, yes and no) is left open with a note.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from signaal.text.context import Context
from signaal.text.lexicon import Lexicon
from signaal.text.matching import Match
from signaal.text.model import Evidence, FactHit
from signaal.text.tokens import Token

__all__ = ["extract_facts", "reconcile_facts"]

_ADULT_AGE = 18
#: Facts the route holds one value of: several different values leave the fact open.
_SINGLE_VALUED = (
    "age",
    "residence",
    "acute_danger",
    "person_identifiable",
    "willing_to_talk_to_police",
    "unaccompanied",
    "complex_needs",
    "needs_shelter",
)


def _evidence(text: str, tokens: list[Token], m: Match) -> Evidence:
    start, end = tokens[m.first].start, tokens[m.last].end
    return Evidence(start, end, text[start:end])


def _ages(text: str, lex: Lexicon, tokens: list[Token], suspects: frozenset[int]) -> list[FactHit]:
    starts = [t.start for t in tokens]
    found: list[FactHit] = []
    for pattern in lex.age_patterns:
        for m in pattern.finditer(text):
            raw = m.group(1).lower()
            age = int(raw) if raw.isdigit() else lex.number_words.get(raw)
            if age is None or not 0 < age < 100:
                continue
            # Ages of suspects ("de 51-jarige verdachte") say nothing about the person of concern.
            pos = bisect.bisect_left(starts, m.start())
            if any(p in suspects for p in range(pos - 2, pos + 4)):
                continue
            ev = Evidence(m.start(), m.end(), m.group(0))
            found.append(FactHit("age", age, ev))
            if age < _ADULT_AGE:
                found.append(FactHit("minor", True, ev))
    return found


def extract_facts(
    text: str,
    lex: Lexicon,
    tokens: list[Token],
    matches: Iterable[Match],
    ctx: Context,
) -> list[FactHit]:
    """Facts the text supports, first evidence per (fact, value), in text order."""
    facts: list[FactHit] = []
    suspects: set[int] = set()
    for m in matches:
        kind = m.rule.kind
        if kind == "suspect":
            suspects.update(m.tokens)
            continue
        if kind not in ("fact", "sector"):
            continue
        negated = ctx.negated(m)
        value = m.rule.value
        fact = m.rule.key
        if kind == "sector":
            fact, value = "sector", m.rule.key
        if isinstance(value, bool):
            value = value != negated
        elif negated:
            continue
        facts.append(FactHit(fact, value, _evidence(text, tokens, m), ctx.hedged(m)))
    facts.extend(_ages(text, lex, tokens, frozenset(suspects)))
    present = {f.fact for f in facts}
    if "residence" not in present:
        # An EU or Dutch nationality implies the residence route (free movement); marked hedged.
        derived = {"eu": "eu", "nl": "dutch"}
        for f in facts:
            if f.fact == "nationality_group" and f.value in derived:
                facts.append(FactHit("residence", derived[f.value], f.evidence, hedged=True))
                break
    if "person_identifiable" not in present and any(f.fact == "age" for f in facts):
        age = next(f for f in facts if f.fact == "age")
        facts.append(FactHit("person_identifiable", True, age.evidence, hedged=True))
    unique: dict[tuple[str, str], FactHit] = {}
    for f in sorted(facts, key=lambda f: f.evidence.start):
        unique.setdefault((f.fact, repr(f.value)), f)
    return list(unique.values())


def _open(facts: list[FactHit], name: str) -> list[FactHit]:
    return [f for f in facts if f.fact != name]


def reconcile_facts(facts: list[FactHit]) -> tuple[list[FactHit], list[str]]:
    """Facts that can be routed together, and a note for each fact left open or value dropped."""
    notes: list[str] = []
    minor_words = {f.value for f in facts if f.fact == "minor"}
    if True in minor_words:
        # A minor is described: ages of 18 and over and "meerderjarig" are about someone else.
        adult = sorted({int(f.value) for f in facts if f.fact == "age" and int(f.value) >= _ADULT_AGE})
        if adult or False in minor_words:
            shown = f" (age {', '.join(map(str, adult))})" if adult else ""
            notes.append(
                f"the text describes a minor and also an adult{shown}: minor suggested, the adult's facts left out"
            )
        facts = [
            f
            for f in facts
            if not (f.fact == "minor" and f.value is False) and not (f.fact == "age" and int(f.value) >= _ADULT_AGE)
        ]
    elif False in minor_words or any(f.fact == "age" for f in facts):
        # Only adults are described: "unaccompanied" (a minor's fact) cannot be about them.
        facts = [f for f in facts if not (f.fact == "unaccompanied" and f.value is True)]
    for name in _SINGLE_VALUED:
        stated = {repr(f.value) for f in facts if f.fact == name and not f.hedged}
        if len(stated) > 1:
            notes.append(f"{name} left open: the text gives several values ({', '.join(sorted(stated))})")
            facts = _open(facts, name)
        elif stated:  # a hedged guess never stands beside a stated value
            facts = [f for f in facts if f.fact != name or repr(f.value) in stated]
        elif len({repr(f.value) for f in facts if f.fact == name}) > 1:
            facts = _open(facts, name)  # several guesses: none is suggested
    return facts, notes
