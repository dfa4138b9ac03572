"""Near-duplicate ad texts: word shingles of masked text, MinHash signatures, LSH band keys.

The per-ad part (:func:`signature`) is pure and independent per ad; :func:`band_keys` turns it
into blocking keys, and the grouping step pairs ads that share a key and verifies the pair by the
estimated Jaccard similarity of their signatures.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = ["band_keys", "shingles", "signature", "similarity", "slots", "template_words"]

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)


def template_words(masked_text: str) -> list[str]:
    """Word tokens of a masked text; punctuation and emoji are dropped, letters kept as written."""
    return [t for t in _TOKEN.findall(masked_text) if t[0].isalnum()]


def shingles(words: Sequence[str], size: int) -> set[str]:
    """Word n-grams (the whole text when it is shorter than n)."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@lru_cache(maxsize=4)
def _permutations(n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    rng = np.random.default_rng(20240611)  # fixed: signatures must agree across runs and workers
    a = rng.integers(1, 1 << 31, size=n, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=n, dtype=np.uint64)
    return a, b


def signature(masked_text: str, size: int = 3, permutations: int = 64) -> npt.NDArray[np.uint32]:
    """The MinHash signature of a masked text (all-ones when the text has no words)."""
    grams = shingles(template_words(masked_text), size)
    if not grams:
        return np.full(permutations, 0xFFFFFFFF, dtype=np.uint32)
    hashes = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    a, b = _permutations(permutations)
    mixed = (np.outer(a, hashes) + b[:, None]) % _PRIME & _MASK32
    out: npt.NDArray[np.uint32] = mixed.min(axis=1).astype(np.uint32)
    return out


def band_keys(sig: npt.NDArray[np.uint32], bands: int) -> list[int]:
    """One blocking key per LSH band: ads sharing a key are candidate near-duplicates."""
    rows = len(sig) // bands
    return [zlib.crc32(sig[i * rows : (i + 1) * rows].tobytes()) | (i << 32) for i in range(bands)]


def similarity(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def slots(texts: Sequence[str], limit: int = 12) -> tuple[str, list[str]]:
    """The shared template of masked texts (common words kept, varying ones as "…") and slot values."""
    token_lists = [template_words(t) for t in texts if t]
    if not token_lists:
        return "", []
    base = token_lists[0]
    common = set(base)
    for tokens in token_lists[1:]:
        common &= set(tokens)
    template = " ".join(w if w in common else "…" for w in base)
    template = re.sub(r"(?:… )+…", "…", template)
    varying: list[str] = []
    for tokens in token_lists:
        for w in tokens:
            if w not in common and w not in varying:
                varying.append(w)
    return template, varying[:limit]
