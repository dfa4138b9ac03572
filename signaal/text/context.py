"""Qualify a match by its context: negation and its scope, hedges and reported speech, and whose situation it is.

Scope is kept deliberately local: a negation cue counts only in the same clause and within a few
words, because "ze kreeg geen loon en werd bedreigd" negates the pay, not the threat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from signaal.text.lexicon import Lexicon
from signaal.text.matching import Match
from signaal.text.tokens import Token

__all__ = ["Context", "build_context"]


@dataclass(frozen=True)
class Context:
    """Positions of the qualifying cues in one tokenised text."""

    tokens: list[Token]
    negations: frozenset[int]
    #: Cues with their own, shorter reach ("zonder voorzieningen" negates the noun after it only).
    reach: dict[int, int]
    hedges: frozenset[int]
    third_parties: frozenset[int]
    persons: frozenset[int]
    #: Negation cues that are part of a pattern, with the token ranges of the patterns that hold them.
    consumed: dict[int, list[tuple[int, int]]]
    negation_before: int
    negation_after: int
    #: "het risico om in de prostitutie te belanden": what follows is a risk, not a fact of the case.
    risks: frozenset[int] = frozenset()
    #: Sentences about someone's criminal record ("eerder veroordeeld voor een zedendelict").
    record_sentences: frozenset[int] = frozenset()
    #: "met de belofte van werk in de bouw": the promised job is not the work that was done.
    promises: frozenset[int] = frozenset()
    #: Matches that contradict one indicator, by indicator id ("haar eigen paspoort bij zich").
    counters: dict[str, list[Match]] = field(default_factory=dict)
    #: Matches of "geen signalen van uitbuiting" and the like.
    no_exploitation: tuple[Match, ...] = ()
    #: Every negation cue, including those that belong to an indicator pattern ("eigen paspoort niet").
    all_negations: frozenset[int] = frozenset()

    #: Reach of a risk cue: words after it, and words before it ("drugshandel of prostitutie als risico").
    RISK_AFTER = 8
    RISK_BEFORE = 4
    PROMISE_AFTER = 8

    def at_risk(self, match: Match) -> bool:
        """True when the words are named as a risk or a possibility, not as what happened."""
        sentence = self.tokens[match.first].sentence
        for pos in self.risks:
            if self.tokens[pos].sentence != sentence or pos in match.tokens:
                continue
            if 0 < match.first - pos <= self.RISK_AFTER or 0 < pos - match.last <= self.RISK_BEFORE:
                return True
        return False

    def in_record(self, match: Match) -> bool:
        """True when the words stand in a sentence about a criminal record (someone's past, not this case)."""
        return self.tokens[match.first].sentence in self.record_sentences

    def promised(self, match: Match) -> bool:
        """True when the words follow a promise in the same sentence (the job or sector that was promised)."""
        sentence = self.tokens[match.first].sentence
        return any(
            self.tokens[pos].sentence == sentence and 0 < match.first - pos <= self.PROMISE_AFTER
            for pos in self.promises
        )

    def countered(self, match: Match) -> bool:
        """True when an affirmed counter-statement of the indicator stands in the same sentence."""
        sentence = self.tokens[match.first].sentence
        return any(
            self.tokens[c.first].sentence == sentence and not self.negated(c) and not self._negation_inside(c)
            for c in self.counters.get(match.rule.key, ())
        )

    def _negation_inside(self, match: Match) -> bool:
        # "haar eigen paspoort niet in bezit": the cue also makes the indicator pattern, so it is
        # no longer a free negation, but it still turns the counter-statement around.
        return any(match.first <= pos <= match.last and pos not in match.tokens for pos in self.all_negations)

    def not_this_case(self, match: Match) -> bool:
        """True when the words are a risk or someone's record rather than a fact of the case."""
        return self.at_risk(match) or self.in_record(match)

    def denies_exploitation(self) -> bool:
        """True when the text states, unnegated and unhedged, that no exploitation was found."""
        # A hedged statement is an argument ("de verdediging heeft aangevoerd dat ..."), not a finding.
        return any(not self.negated(m) and not self.hedged(m) for m in self.no_exploitation)

    def negated(self, match: Match) -> bool:
        """True when a negation cue governs the match (same clause, close before, inside, or just after)."""
        clauses = {self.tokens[match.first].clause, self.tokens[match.last].clause}
        low = match.first - self.negation_before
        high = match.last + self.negation_after
        for pos in self.negations:
            if low <= pos <= high and pos not in match.tokens and self.tokens[pos].clause in clauses:
                reach = self.reach.get(pos)
                if reach is not None:
                    following = [k for k in match.tokens if k > pos]
                    if not following or min(following) - pos > reach:
                        continue
                return True
        # A cue inside another pattern ("geen verblijfsvergunning") negates only what lies within
        # that pattern (a bare "verblijfsvergunning"), not its neighbours ("zonder loon lange dagen").
        for pos, ranges in self.consumed.items():
            if pos in match.tokens:
                continue
            for first, last in ranges:
                if first <= match.first and match.last <= last:
                    return True
        return False

    def hedged(self, match: Match) -> bool:
        """True when a hedge or reported-speech cue stands earlier in the sentence or inside the match."""
        sentence = self.tokens[match.first].sentence
        for pos in self.hedges:
            if pos <= match.last and pos not in match.tokens and self.tokens[pos].sentence == sentence:
                return True
        return False

    def subject(self, match: Match) -> str:
        """ "other" when someone else (a sister, a colleague) is the subject of the clause; else "person"."""
        sentence = self.tokens[match.first].sentence
        nearest = -1
        is_other = False
        for positions, other in ((self.third_parties, True), (self.persons, False)):
            for pos in positions:
                if match.first - 10 <= pos < match.first and self.tokens[pos].sentence == sentence and pos > nearest:
                    nearest, is_other = pos, other
        # The nearest mention before the words decides, across "en" (the subject carries over):
        # "haar zus werkt daar en wordt geslagen" is about the sister, "haar zus zegt dat ze ..." about her.
        return "other" if is_other else "person"


def build_context(lex: Lexicon, tokens: list[Token], matches: list[Match]) -> Context:
    """Collect cue positions from the cue matches of a text."""
    negations: set[int] = set()
    exceptions: set[int] = set()
    hedges: set[int] = set()
    third: set[int] = set()
    persons: set[int] = set()
    reach: dict[int, int] = {}
    risks: set[int] = set()
    records: set[int] = set()
    promises: set[int] = set()
    counters: dict[str, list[Match]] = {}
    no_exploitation: list[Match] = []
    patterned: list[Match] = []
    for m in matches:
        kind = m.rule.kind
        if kind in ("indicator", "fact", "no_exploitation", "counter"):
            patterned.append(m)
            if kind == "no_exploitation":
                no_exploitation.append(m)
            elif kind == "counter":
                counters.setdefault(m.rule.key, []).append(m)
        elif kind == "risk":
            risks.update(m.tokens)
        elif kind == "prior_record":
            records.add(tokens[m.first].sentence)
        elif kind == "promise":
            promises.update(m.tokens)
        elif kind == "person":
            persons.update(m.tokens)
        elif kind == "negation":
            negations.update(m.tokens)
            if m.rule.window < lex.negation_before:
                for pos in m.tokens:
                    reach[pos] = m.rule.window
        elif kind == "negation_exception":
            exceptions.update(m.tokens)
        elif kind == "hedge":
            hedges.update(m.tokens)
        elif kind == "third_party":
            third.update(m.tokens)
    negations -= exceptions
    # A cue that is part of a pattern ("zonder loon", "geen verblijfsvergunning") is that
    # pattern's meaning, not a negation of its neighbours.
    consumed: dict[int, list[tuple[int, int]]] = {}
    for m in patterned:
        if len(m.tokens) != m.last - m.first + 1:
            continue  # only a contiguous phrase ("geen verblijfsvergunning") passes its cue inward
        for pos in m.tokens & negations:
            consumed.setdefault(pos, []).append((m.first, m.last))
    return Context(
        tokens=tokens,
        persons=frozenset(persons),
        reach=reach,
        consumed=consumed,
        negations=frozenset(negations - consumed.keys()),
        hedges=frozenset(hedges),
        third_parties=frozenset(third),
        negation_before=lex.negation_before,
        negation_after=lex.negation_after,
        risks=frozenset(risks),
        record_sentences=frozenset(records),
        promises=frozenset(promises),
        counters=counters,
        no_exploitation=tuple(no_exploitation),
        all_negations=frozenset(negations),
    )
