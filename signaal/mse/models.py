"""Hierarchical log-linear models over capture lists, named and enumerated.

A model holds the main effect of every list plus a set of interaction terms; a term is a bit mask
of two or more lists (see :mod:`signaal.mse.table`). Models here are hierarchical: a term of three
lists comes with its three pairs. Names follow two conventions of the literature: list names joined
by ``:`` (``"PF:NCA"``), and the bracket notation of Rcapture and MultipleSystemsEstimation with
1-based list numbers (``"[12,23]"`` = pairs 1-2 and 2-3).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

from signaal.errors import InvalidInput

__all__ = ["Model", "enumerate_models", "neighbours", "parse_terms", "popcount"]


def popcount(mask: int) -> int:
    """Number of lists in a term."""
    return bin(mask).count("1")


def _sort_key(mask: int) -> tuple[int, list[int]]:
    return popcount(mask), [i for i in range(mask.bit_length()) if (mask >> i) & 1]


@dataclass(frozen=True)
class Model:
    """Main effects of ``n_lists`` lists plus the interaction ``terms`` (masks of two or more lists)."""

    n_lists: int
    terms: frozenset[int] = frozenset()

    @cached_property
    def interactions(self) -> list[int]:
        """Interaction terms, pairs first, each in list order."""
        return sorted(self.terms, key=_sort_key)

    @cached_property
    def parameters(self) -> list[int]:
        """Every term of the model except the intercept: main effects, then interactions."""
        return [1 << i for i in range(self.n_lists)] + self.interactions

    @property
    def order(self) -> int:
        """Largest number of lists in one term (1 for main effects only)."""
        return max((popcount(m) for m in self.terms), default=1)

    def add(self, mask: int) -> Model:
        """The model with one more term (and, to stay hierarchical, its sub-terms)."""
        return Model(self.n_lists, self.terms | _closure(mask))

    def generators(self) -> list[int]:
        """Terms not contained in another term of the model (main effects of lists in no term included)."""
        everything = self.parameters
        tops = [m for m in everything if not any(o != m and o & m == m for o in everything)]
        return sorted(tops, key=lambda m: (-popcount(m), _sort_key(m)[1]))

    def names(self, lists: Sequence[str]) -> list[str]:
        """Each term as list names joined by ':' (main effects first)."""
        return [":".join(lists[i] for i in range(self.n_lists) if (m >> i) & 1) for m in self.parameters]

    def describe(self, lists: Sequence[str]) -> str:
        """A short readable name: the interactions, or 'main effects only'."""
        inter = self.names(lists)[self.n_lists :]
        return "main effects + " + ", ".join(inter) if inter else "main effects only"

    def hierarchy(self) -> str:
        """Bracket notation with 1-based list numbers, e.g. ``[12,23]`` (lists 10+ are written as letters a, b...)."""
        digits = "123456789abcdefghijklmnopqrstuvwxyz"
        parts = ["".join(digits[i] for i in range(self.n_lists) if (g >> i) & 1) for g in self.generators()]
        return "[" + ",".join(parts) + "]"


def _closure(mask: int) -> frozenset[int]:
    """A term and all its sub-terms of two or more lists."""
    bits = [1 << i for i in range(mask.bit_length()) if (mask >> i) & 1]
    return frozenset(sum(c) for k in range(2, len(bits) + 1) for c in combinations(bits, k))


def parse_terms(text: str, lists: Sequence[str]) -> Model:
    """A model from named terms (``"c1:c2, c2:c3"``, ``"A:B+B:C"``) or bracket notation (``"[12,23]"``)."""
    text = text.strip()
    n = len(lists)
    model = Model(n)
    if not text or text.lower() in ("main", "independence", "[]"):
        return model
    if text.startswith("["):
        if not text.endswith("]"):
            raise InvalidInput(f"model {text!r}: bracket notation must end with ']'")
        for part in text[1:-1].split(","):
            part = part.strip()
            if (
                not part
                or not part.isdigit()
                or any(int(d) < 1 or int(d) > n for d in part)
                or len(set(part)) != len(part)
            ):
                raise InvalidInput(f"model {text!r}: {part!r} is not a set of list numbers 1..{n}")
            mask = sum(1 << (int(d) - 1) for d in part)
            model = model.add(mask) if popcount(mask) > 1 else model
        return model
    index = {name: i for i, name in enumerate(lists)}
    for part in re.split(r"[,+\s]+", text):
        if not part:
            continue
        names = part.split(":")
        unknown = [x for x in names if x not in index]
        if unknown:
            raise InvalidInput(f"model {text!r}: unknown list {unknown[0]!r} (lists: {', '.join(lists)})")
        mask = sum(1 << index[x] for x in names)
        if popcount(mask) != len(names):
            raise InvalidInput(f"model {text!r}: term {part!r} names a list twice")
        if popcount(mask) > 1:
            model = model.add(mask)
    return model


def enumerate_models(n_lists: int, max_order: int) -> Iterator[Model]:
    """Every hierarchical model with terms of at most ``max_order`` lists (main effects always in)."""
    layers = [[sum(c) for c in combinations([1 << i for i in range(n_lists)], k)] for k in range(2, max_order + 1)]

    def extend(chosen: frozenset[int], level: int) -> Iterator[frozenset[int]]:
        if level == len(layers):
            yield chosen
            return
        k = level + 2
        allowed = (
            [m for m in layers[level] if all(m ^ (1 << i) in chosen for i in range(n_lists) if (m >> i) & 1)]
            if k > 2
            else layers[0]
        )
        for r in range(len(allowed) + 1):
            for subset in combinations(allowed, r):
                yield from extend(chosen | frozenset(subset), level + 1)

    for terms in extend(frozenset(), 0):
        yield Model(n_lists, terms)


def neighbours(model: Model, max_order: int) -> list[Model]:
    """Models one step away: drop one top term (never a main effect), or add one term whose sub-terms are all in."""
    inner = [Model(model.n_lists, model.terms - {g}) for g in model.generators() if popcount(g) > 1]
    present = set(model.parameters)
    outer = []
    for k in range(2, max_order + 1):
        for combo in combinations(range(model.n_lists), k):
            mask = sum(1 << i for i in combo)
            if mask in present:
                continue
            if all(mask ^ (1 << i) in present for i in combo):
                outer.append(Model(model.n_lists, model.terms | {mask}))
    return inner + outer
