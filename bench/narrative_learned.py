"""A learned comparator for the narrative reader: per-form logistic regression, cross-validated.

Used by bench/narrative_eval.py to decide by measurement whether a learned component should sit
beside the lexicon. Plain numpy (no model download, no extra package): bag-of-words presence
features of the folded words, optionally with the lexicon's four form scores, an L2-regularised
logistic regression per form trained by gradient descent. Its weights are readable (the words
that push a form up), so it would stay explainable; whether it helps is what the folds say.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from signaal.text.tokens import quick_words

FORMS = ("sexual", "labour", "criminal")
L2 = 1.0
STEPS = 300
RATE = 0.5
MIN_DF = 2


def _vocabulary(texts: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(quick_words(text)):
            if len(word) > 2:
                counts[word] = counts.get(word, 0) + 1
    kept = sorted(w for w, n in counts.items() if n >= MIN_DF)
    return {w: i for i, w in enumerate(kept)}


def _matrix(texts: Sequence[str], vocab: dict[str, int], extra: np.ndarray | None) -> np.ndarray:
    x = np.zeros((len(texts), len(vocab)), dtype=np.float64)
    for row, text in enumerate(texts):
        for word in set(quick_words(text)):
            col = vocab.get(word)
            if col is not None:
                x[row, col] = 1.0
    if extra is not None:
        x = np.hstack([x, extra])
    return x


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by full-batch gradient descent."""
    w = np.zeros(x.shape[1])
    b = 0.0
    n = len(y)
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        grad = p - y
        w -= RATE * (x.T @ grad / n + L2 * w / n)
        b -= RATE * float(grad.mean())
    return w, b


def predict_folds(
    rows: Sequence[dict[str, Any]],
    folds: Sequence[Sequence[int]],
    lexicon_scores: Sequence[dict[str, float]] | None,
) -> list[set[str]]:
    """Forms predicted for every row by a model trained on the other folds."""
    out: list[set[str]] = [set() for _ in rows]
    texts = [str(r["text"]) for r in rows]
    extra_all = None
    if lexicon_scores is not None:
        # The lexicon's form scores, squashed to 0..1 like the reader's confidence.
        extra_all = np.array([[1 - np.exp(-s.get(f, 0.0) / 2.0) for f in FORMS] for s in lexicon_scores])
    for test in folds:
        train = [i for i in range(len(rows)) if i not in set(test)]
        vocab = _vocabulary([texts[i] for i in train])
        x_train = _matrix([texts[i] for i in train], vocab, None if extra_all is None else extra_all[train])
        x_test = _matrix([texts[i] for i in test], vocab, None if extra_all is None else extra_all[list(test)])
        for form in FORMS:
            y = np.array([1.0 if form in rows[i]["forms"] else 0.0 for i in train])
            w, b = _fit(x_train, y)
            p = 1.0 / (1.0 + np.exp(-(x_test @ w + b)))
            for j, i in enumerate(test):
                if p[j] >= 0.5:
                    out[i].add(form)
    return out


def top_words(rows: Sequence[dict[str, Any]], n: int = 8) -> dict[str, list[str]]:
    """The words with the largest weight per form when trained on all rows (what the model reads)."""
    texts = [str(r["text"]) for r in rows]
    vocab = _vocabulary(texts)
    x = _matrix(texts, vocab, None)
    words = sorted(vocab, key=vocab.__getitem__)
    out = {}
    for form in FORMS:
        w, _ = _fit(x, np.array([1.0 if form in r["forms"] else 0.0 for r in rows]))
        out[form] = [words[i] for i in np.argsort(-w)[:n]]
    return out


def chosen_thresholds(
    train: Sequence[tuple[dict[str, float], set[str]]],
    grid: Sequence[tuple[float, float]],
    macro: Callable[[list[tuple[set[str], set[str]]]], float],
) -> tuple[float, float]:
    """The (MIN_SCORE, RELATIVE) pair with the best macro-F1 on the training rows (ties: the first)."""
    best, best_f1 = grid[0], -1.0
    for min_score, relative in grid:
        f1 = macro([(select(scores, min_score, relative), gold) for scores, gold in train])
        if f1 > best_f1:
            best, best_f1 = (min_score, relative), f1
    return best


def select(scores: dict[str, float], min_score: float, relative: float) -> set[str]:
    """The forms the reader would suggest from its raw scores with these two thresholds."""
    top = max(scores.values(), default=0.0)
    return {f for f, v in scores.items() if v >= min_score and v >= relative * top}
