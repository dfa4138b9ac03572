"""Near-duplicate ad texts: word shingles of masked text, MinHash over all ads at once, LSH blocking.

The per-ad part (:func:`token_hashes`) is pure and cheap: one regex pass and one CRC per word.
Everything after it works on numpy arrays of all ads together: shingle hashes, MinHash signatures
(:func:`minhash`), LSH band keys (:func:`band_keys`), candidate pairs that share a band
(:func:`band_pairs`) and the exact Jaccard similarity of their shingle sets
(:func:`jaccard`), so no Python loop runs per pair or per permutation.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = [
    "Shingles",
    "Sketch",
    "band_keys",
    "band_pairs",
    "estimated_similarity",
    "jaccard",
    "join_sketches",
    "minhash",
    "shared_shingles",
    "shingle_sets",
    "shingle_sets_flat",
    "sketch",
    "slots",
    "template_words",
    "token_hashes",
]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


def template_words(masked_text: str) -> list[str]:
    """Word tokens of a masked text; punctuation and emoji are dropped, letters kept as written."""
    return _WORD.findall(masked_text)


# ASCII characters that are no letter or digit, made spaces: for ASCII text, splitting on
# whitespace after this gives exactly the words _WORD finds, twice as fast.
_ASCII_NON_WORD = str.maketrans({i: " " for i in range(128) if not chr(i).isalnum()})


def token_hashes(masked_text: str) -> U32:
    """A stable 32-bit hash per word of a masked text (the same in every process and run)."""
    ascii_text = masked_text.isascii()
    words = masked_text.translate(_ASCII_NON_WORD).split() if ascii_text else _WORD.findall(masked_text)
    return np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint32, count=len(words))


@lru_cache(maxsize=8)
def _multipliers(n: int, seed: int) -> U64:
    rng = np.random.default_rng(seed)  # fixed: hashes must agree across runs and workers
    out: U64 = rng.integers(1, 1 << 62, size=n, dtype=np.uint64) | np.uint64(1)
    return out


@dataclass(frozen=True, slots=True)
class Shingles:
    """Sorted distinct shingle hashes of every ad, as one array with offsets (CSR layout)."""

    values: U32
    offsets: I64  # ad i owns values[offsets[i]:offsets[i + 1]]

    def sizes(self) -> I64:
        """Number of distinct shingles per ad."""
        out: I64 = np.diff(self.offsets)
        return out


def shingle_sets(tokens: Sequence[U32], size: int) -> Shingles:
    """Word size-grams of every ad hashed to 32 bits, deduplicated per ad, in one vectorised pass.

    A text shorter than ``size`` words becomes one shingle of all its words.
    """
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    flat = np.concatenate(tokens) if len(tokens) else np.zeros(0, dtype=np.uint32)
    return shingle_sets_flat(flat, lengths, size)


def shingle_sets_flat(tokens: U32, lengths: I64, size: int, chunk: int = 50_000) -> Shingles:
    """:func:`shingle_sets` over all ads' word hashes laid end to end, in chunks of ads."""
    n = len(lengths)
    if n == 0:
        return Shingles(np.zeros(0, dtype=np.uint32), np.zeros(1, dtype=np.int64))
    bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    values: list[U32] = []
    offsets: list[I64] = [np.zeros(1, dtype=np.int64)]
    base = 0
    for lo in range(0, max(n, 1), chunk):
        hi = min(n, lo + chunk)
        part = _shingle_chunk(tokens[bounds[lo] : bounds[hi]], lengths[lo:hi], size)
        values.append(part.values)
        offsets.append(part.offsets[1:] + base)
        base += len(part.values)
    return Shingles(np.concatenate(values), np.concatenate(offsets))


def _shingle_chunk(tokens: U32, lengths: I64, size: int) -> Shingles:
    n = len(lengths)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    counts = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    total = int(counts.sum())
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    # the first word of each shingle: the ad's start plus the shingle's place in the ad
    first = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total, dtype=np.int64)
    end = np.repeat(ends, counts)
    flat = np.concatenate([tokens, np.zeros(size, dtype=np.uint32)]).astype(np.uint64)
    mult = _multipliers(size, 7)
    acc = flat[first] * mult[0]
    for j in range(1, size):
        # words past the end of a short text must not count: they belong to the next ad
        word = flat[first + j]
        word[first + j >= end] = 0
        acc += word * mult[j]
    # (ad, hash) in one 64-bit key: one sort, then repeats inside an ad dropped
    keys = np.sort((owner.astype(np.uint64) << np.uint64(32)) | (acc >> np.uint64(32)))
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    keys = keys[keep]
    hashed = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    owners = (keys >> np.uint64(32)).astype(np.int64)
    offsets = np.searchsorted(owners, np.arange(n + 1, dtype=np.int64)).astype(np.int64)
    return Shingles(hashed, offsets)


def minhash(sh: Shingles, permutations: int, chunk: int = 50_000) -> U32:
    """MinHash signatures of all ads (rows) at once; ads without shingles get all-ones rows.

    Vectorised over the shingles of ``chunk`` ads at a time, so memory stays bounded.
    """
    n = len(sh.offsets) - 1
    out = np.full((n, permutations), 0xFFFFFFFF, dtype=np.uint32)
    mult = _multipliers(permutations, 20240611)
    add = _multipliers(permutations, 11)
    sizes = sh.sizes()
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        nonempty = lo + np.flatnonzero(sizes[lo:hi] > 0)
        if len(nonempty) == 0:
            continue
        base = sh.offsets[lo]
        values = sh.values[base : sh.offsets[hi]].astype(np.uint64)
        starts = sh.offsets[nonempty] - base
        h = np.empty(len(values), dtype=np.uint64)
        for p in range(permutations):
            # multiply-add with 64-bit wrap-around, top 32 bits: a universal hash per permutation
            np.multiply(values, mult[p], out=h)
            h += add[p]
            h >>= np.uint64(32)
            out[nonempty, p] = np.minimum.reduceat(h, starts)
    return out


@dataclass(frozen=True, slots=True)
class Sketch:
    """Shingle sets and MinHash signatures of a run of ads: the per-ad part of the template step.

    Computed batch by batch (in the worker processes of a screen) and joined in order.
    """

    shingles: Shingles
    signatures: U32  # ads × permutations

    def select(self, keep: list[int]) -> Sketch:
        """The sketch of the ads at these positions only, in that order."""
        sh, rows = self.shingles, np.asarray(keep, dtype=np.int64)
        values = [sh.values[sh.offsets[i] : sh.offsets[i + 1]] for i in keep]
        offsets = np.zeros(len(keep) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum(sh.offsets[rows + 1] - sh.offsets[rows])
        joined = np.concatenate(values) if values else np.zeros(0, dtype=np.uint32)
        return Sketch(Shingles(joined, offsets), self.signatures[rows])


def sketch(tokens: U32, lengths: I64, size: int, permutations: int) -> Sketch:
    """The sketch of ads whose word hashes lie end to end in ``tokens`` (``lengths`` per ad)."""
    sh = shingle_sets_flat(tokens, lengths, size)
    return Sketch(sh, minhash(sh, permutations))


def join_sketches(parts: list[Sketch], permutations: int) -> Sketch:
    """The sketches of consecutive runs of ads as one (offsets shifted, signatures stacked).

    ``parts`` is emptied on the way, each part freed once copied, so that a large screen holds
    the joined arrays and not also all of their pieces.
    """
    n = sum(len(p.signatures) for p in parts)
    total = sum(len(p.shingles.values) for p in parts)
    values = np.empty(total, dtype=np.uint32)
    offsets = np.zeros(n + 1, dtype=np.int64)
    signatures = np.empty((n, permutations), dtype=np.uint32)
    parts.reverse()
    ad = pos = 0
    while parts:
        part = parts.pop()
        k, size = len(part.signatures), len(part.shingles.values)
        values[pos : pos + size] = part.shingles.values
        offsets[ad + 1 : ad + k + 1] = part.shingles.offsets[1:] + pos
        signatures[ad : ad + k] = part.signatures
        ad, pos = ad + k, pos + size
        del part
    return Sketch(Shingles(values, offsets), signatures)


def estimated_similarity(sigs: U32, left: I64, right: I64, chunk: int = 500_000) -> npt.NDArray[np.float64]:
    """The MinHash estimate of the Jaccard similarity of each pair (a cheap first filter)."""
    out = np.zeros(len(left), dtype=np.float64)
    for lo in range(0, len(left), chunk):
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        out[lo : lo + chunk] = (sigs[a] == sigs[b]).mean(axis=1)
    return out


def band_keys(sigs: U32, bands: int) -> U64:
    """One 64-bit blocking key per ad and LSH band (shape ads × bands)."""
    n, perms = sigs.shape
    rows = perms // bands
    mult = _multipliers(rows, 3)
    cube = sigs[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    keys: U64 = (cube * mult).sum(axis=2, dtype=np.uint64)
    return keys


def band_pairs(column: U64, eligible: npt.NDArray[np.bool_], open_: npt.NDArray[np.bool_]) -> tuple[I64, I64]:
    """Pairs (leader, member) of eligible ads sharing one band's key; each bucket is a star.

    The leader of a bucket is its first ad, so the work is linear in the number of ads even when
    thousands share one template. Only members still ``open_`` (not yet linked) are paired.
    """
    idx = np.flatnonzero(eligible).astype(np.int64)
    if len(idx) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    col = column[idx]
    order = np.argsort(col, kind="stable")
    sorted_keys = col[order]
    members = idx[order]
    new_run = np.ones(len(order), dtype=bool)
    new_run[1:] = sorted_keys[1:] != sorted_keys[:-1]
    run_id = np.cumsum(new_run) - 1
    leaders = members[new_run][run_id]
    mask = ~new_run & open_[members]
    return leaders[mask], members[mask]


def shared_shingles(sh: Shingles, a: I64, b: I64) -> tuple[I64, I64, I64, npt.NDArray[np.uint32]]:
    """For pairs (a[i], b[i]): both set sizes, and every shared shingle with the pair it belongs to."""
    sizes = sh.sizes()
    la, lb = sizes[a], sizes[b]
    pair = np.arange(len(a), dtype=np.int64)
    # gather both sets of every pair, tagged with the pair number, then keep the repeats
    tags = np.concatenate([np.repeat(pair, la), np.repeat(pair, lb)])
    pos = np.concatenate([_ranges(sh.offsets[a], la), _ranges(sh.offsets[b], lb)])
    # one 64-bit key (pair number, shingle) sorts several times faster than a lexsort
    keyed = np.sort((tags << np.int64(32)) | sh.values[pos].astype(np.int64))
    repeated = keyed[1:][keyed[1:] == keyed[:-1]]
    return la, lb, repeated >> np.int64(32), (repeated & np.int64(0xFFFFFFFF)).astype(np.uint32)


def jaccard(sh: Shingles, left: I64, right: I64, chunk: int = 50_000) -> npt.NDArray[np.float64]:
    """Exact Jaccard similarity of the shingle sets of each pair, vectorised in chunks of pairs."""
    out = np.zeros(len(left), dtype=np.float64)
    for lo in range(0, len(left), chunk):
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        la, lb, owner, _ = shared_shingles(sh, a, b)
        inter = np.bincount(owner, minlength=len(a))
        union = la + lb - inter
        out[lo : lo + chunk] = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    return out


def _ranges(starts: I64, lengths: I64) -> I64:
    """Concatenated ranges starts[i] .. starts[i] + lengths[i] - 1."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    out: I64 = offsets + np.arange(total, dtype=np.int64)
    return out


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
    varying: dict[str, None] = {}  # in order of appearance
    for tokens in token_lists:
        for w in tokens:
            if w not in common:
                varying[w] = None
        if len(varying) >= limit:
            break
    return template, list(varying)[:limit]
