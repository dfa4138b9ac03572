"""Read one narrative: language, indicators (with negation, hedges, subject), forms, facts, identifiers.

Pure: the caller passes compiled lexicons, language profiles and indicator profiles.
"""

from __future__ import annotations

from collections.abc import Mapping

from signaal.text.context import Context, build_context
from signaal.text.facts import extract_facts, reconcile_facts
from signaal.text.forms import CueHit, IndicatorProfile, score_forms
from signaal.text.identifiers import extract_identifiers
from signaal.text.language import LanguageProfiles, guess_language
from signaal.text.lexicon import Lexicon
from signaal.text.matching import Match, match_rules
from signaal.text.model import Evidence, IndicatorHit, Reading
from signaal.text.tokens import Token, clean_markup, tokenize

__all__ = ["MAX_CHARS", "read_narrative"]

#: Longer texts are read up to this many characters (a note says so).
MAX_CHARS = 500_000


def _evidence(text: str, tokens: list[Token], m: Match) -> Evidence:
    start, end = tokens[m.first].start, tokens[m.last].end
    return Evidence(start, end, text[start:end])


def _indicators(
    text: str, tokens: list[Token], matches: list[Match], ctx: Context, disjoined: frozenset[int]
) -> list[IndicatorHit]:
    per_id: dict[str, list[IndicatorHit]] = {}
    for m in matches:
        if m.rule.kind != "indicator":
            continue
        hit = IndicatorHit(
            indicator_id=m.rule.key,
            evidence=_evidence(text, tokens, m),
            # A risk ("kwetsbaar voor drugshandel"), someone's record, a counter-statement ("haar eigen
            # paspoort bij zich") or one of two alternatives is not asserted as what happened here.
            negated=ctx.negated(m) or ctx.not_this_case(m) or ctx.countered(m) or bool(m.tokens & disjoined),
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


#: Most words between two alternatives joined by "of"/"or" ("drugshandel of de prostitutie").
DISJUNCTION_GAP = 3


def _cue_forms(m: Match, lex: Lexicon) -> tuple[str, ...]:
    if m.rule.kind == "form_cue":
        return (m.rule.key,)
    return lex.sector_forms.get(m.rule.key, ()) if m.rule.kind == "sector" else ()


def _disjoined(tokens: list[Token], matches: list[Match], lex: Lexicon) -> frozenset[int]:
    """Token positions of form words named as alternatives of another form ("drugshandel of prostitutie")."""
    if not lex.disjunctions:
        return frozenset()
    cues = [m for m in matches if _cue_forms(m, lex)]
    found: set[int] = set()
    for a in cues:
        for b in cues:
            if not 0 < b.first - a.last <= DISJUNCTION_GAP + 1 or tokens[a.first].sentence != tokens[b.first].sentence:
                continue
            if set(_cue_forms(a, lex)) & set(_cue_forms(b, lex)):
                continue
            if any(tokens[k].norm in lex.disjunctions for k in range(a.last + 1, b.first)):
                found.update(a.tokens | b.tokens)
    return frozenset(found)


def _cues(
    text: str, tokens: list[Token], matches: list[Match], ctx: Context, lex: Lexicon, disjoined: frozenset[int]
) -> list[CueHit]:
    cues: list[CueHit] = []
    # "kreeg geen loon": the negation belongs to an affirmed indicator (no pay), so the form word
    # inside it is affirmed too; "werkt niet in de bouw" stays negated.
    affirmed: set[int] = set()
    for m in matches:
        if m.rule.kind == "indicator" and not ctx.negated(m):
            affirmed.update(range(m.first, m.last + 1))
    for m in matches:
        if m.rule.kind not in ("form_cue", "sector") or ctx.not_this_case(m):
            continue
        if ctx.negated(m) and not m.tokens <= affirmed:
            continue
        if m.tokens & disjoined:
            continue  # one of two alternatives is a possibility, not what the text establishes
        if ctx.promised(m):
            continue  # "met de belofte van werk in de bouw": the promised job, not the exploitation
        if m.rule.kind == "form_cue":
            cues.append(CueHit(m.rule.key, m.rule.weight, m.rule.source, _evidence(text, tokens, m)))
        else:
            forms = lex.sector_forms[m.rule.key]
            for form in forms:
                cues.append(CueHit(form, m.rule.weight, f"sector:{m.rule.key}", _evidence(text, tokens, m), forms))
    return cues


def read_narrative(
    text: str,
    lexicons: Mapping[str, Lexicon],
    language_profiles: LanguageProfiles,
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
    guess = guess_language(text, language_profiles)
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
    disjoined = _disjoined(tokens, matches, lex)
    hits = _indicators(text, tokens, matches, ctx, disjoined)
    cues = _cues(text, tokens, matches, ctx, lex, disjoined)
    if ctx.denies_exploitation() and not any(h.present and not h.hedged for h in hits):
        # "Er zijn geen signalen van uitbuiting aangetroffen" and no indicator says otherwise: the
        # setting words (a sector, an inspection, sex work) then point to no form. Where indicators
        # are affirmed, the statement is an argument (a defence, a legal test), not a finding.
        notes.append("the text states that no exploitation was found and no indicator says otherwise")
        cues = []
    forms, scores = score_forms(hits, cues, indicator_profiles)
    facts, fact_notes = reconcile_facts(extract_facts(text, lex, tokens, matches, ctx))
    notes.extend(fact_notes)
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
