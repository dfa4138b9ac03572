"""Run a compiled lexicon over tokens: every rule match with the tokens that make it up."""

from __future__ import annotations

from dataclasses import dataclass

from signaal.text.lexicon import Lexicon, Rule
from signaal.text.tokens import Token

__all__ = ["Match", "match_rules"]


@dataclass(frozen=True, slots=True)
class Match:
    """One rule matched: first and last token index (inclusive) and the tokens it consists of."""

    rule: Rule
    first: int
    last: int
    tokens: frozenset[int]


def _alternative_occurrences(lex: Lexicon, tokens: list[Token]) -> dict[int, list[tuple[int, int]]]:
    token_globs = [lex.globs.lookup(t.norm) for t in tokens]
    found: dict[int, list[tuple[int, int]]] = {}
    n = len(tokens)
    root = lex.trie
    for i in range(n):
        if not token_globs[i]:
            continue
        nodes = [root]
        sentence = tokens[i].sentence
        j = i
        # Walk the phrase trie from word i; a phrase stays within one sentence.
        while nodes and j < n and tokens[j].sentence == sentence:
            following = []
            for node in nodes:
                children = node[0]
                for gid in token_globs[j]:
                    child = children.get(gid)
                    if child is None:
                        continue
                    for alt_id in child[1]:
                        found.setdefault(alt_id, []).append((i, j))
                    if child[0]:
                        following.append(child)
            nodes = following
            j += 1
    return found


def match_rules(lex: Lexicon, tokens: list[Token]) -> list[Match]:
    """All matches of all rules, in text order; multi-group rules pair the nearest occurrences."""
    alt_occ = _alternative_occurrences(lex, tokens)
    if not alt_occ:
        return []
    group_occ: dict[int, list[tuple[int, int]]] = {}
    for alt_id, spans in alt_occ.items():
        for gid in lex.groups_by_alternative.get(alt_id, ()):
            group_occ.setdefault(gid, []).extend(spans)
    for spans in group_occ.values():
        spans.sort()
    matches: list[Match] = []
    for first_gid in list(group_occ):
        for rule in lex.rules_by_first_group.get(first_gid, ()):
            if all(g in group_occ for g in rule.groups):
                matches.extend(_rule_matches(rule, tokens, group_occ))
    excluded = {k for m in matches if m.rule.kind == "exclusion" for k in m.tokens}
    if excluded:
        # Idioms such as "acht geslagen op" (took into account) are no evidence of anything.
        matches = [m for m in matches if m.rule.kind == "exclusion" or not (m.tokens & excluded)]
    matches.sort(key=lambda m: (m.first, m.last))
    return matches


def _rule_matches(rule: Rule, tokens: list[Token], group_occ: dict[int, list[tuple[int, int]]]) -> list[Match]:
    """Matches of one rule: each occurrence of its first group with the nearest occurrence of each other group."""
    found: list[Match] = []
    first_group, *others = rule.groups
    for start, end in group_occ[first_group]:
        parts = [(start, end)]
        sentence = tokens[start].sentence
        for g in others:
            best: tuple[int, int] | None = None
            best_gap = rule.window + 1
            for s, e in group_occ[g]:
                if tokens[s].sentence != sentence:
                    continue
                gap = s - end if s > end else start - e if e < start else -1
                if gap < 0:
                    continue  # overlapping words cannot be two groups
                if gap < best_gap:
                    best, best_gap = (s, e), gap
            if best is None:
                break
            parts.append(best)
        else:
            words = frozenset(k for s, e in parts for k in range(s, e + 1))
            found.append(Match(rule, min(words), max(words), words))
    return found
