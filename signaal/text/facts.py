"""Facts for the action perspective: minor or age, residence, acute danger, sector, nationality group, ...

A yes/no fact flips when negated ("wil geen aangifte doen" → willing_to_talk_to_police: false);
other facts are dropped when negated. Each fact keeps its span.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from signaal.text.context import Context
from signaal.text.lexicon import Lexicon
from signaal.text.matching import Match
from signaal.text.model import Evidence, FactHit
from signaal.text.tokens import Token

__all__ = ["extract_facts"]

_ADULT_AGE = 18


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
