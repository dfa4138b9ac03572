"""Read one narrative: language, indicators (with negation, hedges, subject), forms, facts, identifiers.

Pure: the caller passes compiled lexicons, language profiles and indicator profiles.
"""

from __future__ import annotations

from collections.abc import Mapping

from signaal.text.context import Context, build_context
from signaal.text.facts import extract_facts
from signaal.text.forms import CueHit, IndicatorProfile, score_forms
from signaal.text.identifiers import extract_identifiers
from signaal.text.language import detect_language
from signaal.text.lexicon import Lexicon
from signaal.text.matching import Match, match_rules
from signaal.text.model import Evidence, IndicatorHit, Reading
from signaal.text.tokens import Token, clean_markup, quick_words, tokenize

__all__ = ["MAX_CHARS", "read_narrative"]

#: Longer texts are read up to this many characters (a note says so).
MAX_CHARS = 500_000


def _evidence(text: str, tokens: list[Token], m: Match) -> Evidence:
    start, end = tokens[m.first].start, tokens[m.last].end
    return Evidence(start, end, text[start:end])


def _indicators(text: str, tokens: list[Token], matches: list[Match], ctx: Context) -> list[IndicatorHit]:
    per_id: dict[str, list[IndicatorHit]] = {}
    for m in matches:
        if m.rule.kind != "indicator":
            continue
        hit = IndicatorHit(
            indicator_id=m.rule.key,
            evidence=_evidence(text, tokens, m),
            negated=ctx.negated(m),
            hedged=ctx.hedged(m),
            subject=ctx.subject(m),
        )
        per_id.setdefault(m.rule.key, []).append(hit)
    result: list[IndicatorHit] = []
    for ind_id, hits in per_id.items():
        # The representative is the strongest occurrence: affirmed, unhedged, about the person.
        best = min(hits, key=lambda h: (h.negated, h.hedged, h.subject != "person", h.evidence.start))
        affirmed = [h for h in hits if not h.negated]
        result.append(
            IndicatorHit(
                indicator_id=ind_id,
                evidence=best.evidence,
                negated=not affirmed,
                hedged=all(h.hedged for h in affirmed) if affirmed else best.hedged,
                subject=best.subject,
                occurrences=len(hits),
            )
        )
    result.sort(key=lambda h: h.evidence.start)
    return result


def _cues(text: str, tokens: list[Token], matches: list[Match], ctx: Context, lex: Lexicon) -> list[CueHit]:
    cues: list[CueHit] = []
    for m in matches:
        if m.rule.kind == "form_cue" and not ctx.negated(m):
            cues.append(CueHit(m.rule.key, m.rule.weight, m.rule.source, _evidence(text, tokens, m)))
        elif m.rule.kind == "sector" and not ctx.negated(m):
            for form in lex.sector_forms[m.rule.key]:
                cues.append(CueHit(form, m.rule.weight, f"sector:{m.rule.key}", _evidence(text, tokens, m)))
    return cues


def read_narrative(
    text: str,
    lexicons: Mapping[str, Lexicon],
    language_profiles: Mapping[str, frozenset[str]],
    indicator_profiles: Mapping[str, IndicatorProfile],
    *,
    narrative_id: str | None = None,
) -> Reading:
    """Suggest indicators, forms, facts and identifiers for one Dutch or English narrative."""
    notes: list[str] = []
    if not text or not text.strip():
        return Reading(language="und", supported=False, notes=("empty text: nothing to suggest",), id=narrative_id)
    if len(text) > MAX_CHARS:
        notes.append(f"text is {len(text)} characters; read the first {MAX_CHARS}")
        text = text[:MAX_CHARS]
    text, had_markup = clean_markup(text)
    if had_markup:
        notes.append("markup (HTML tags or entities) was ignored; spans refer to the original text")
    words = quick_words(text)
    guess = detect_language(words, text, language_profiles)
    identifiers = tuple(extract_identifiers(text))
    lex = lexicons.get(guess.language)
    if lex is None:
        notes.append(
            f"language {guess.language!r} ({guess.detail or guess.script}): only Dutch and English "
            "are read, so no indicators, forms or facts are suggested"
        )
        return Reading(
            language=guess.language, supported=False, identifiers=identifiers, notes=tuple(notes), id=narrative_id
        )
    tokens = tokenize(text, lex.clause_breaks)
    matches = match_rules(lex, tokens)
    ctx = build_context(lex, tokens, matches)
    hits = _indicators(text, tokens, matches, ctx)
    forms, scores = score_forms(hits, _cues(text, tokens, matches, ctx, lex), indicator_profiles)
    facts = extract_facts(text, lex, tokens, matches, ctx)
    return Reading(
        language=guess.language,
        supported=True,
        indicators=tuple(hits),
        forms=tuple(forms),
        facts=tuple(facts),
        identifiers=identifiers,
        notes=tuple(notes),
        id=narrative_id,
        all_form_scores=scores,
    )
