"""Ad screening benchmarks: phone extraction, contact and text-only grouping on ads-redthread,
the time of the whole screen of its 5,000 ads, obfuscated numbers on ads-cmu-410, and a run on
1,000,000 synthetic ads (``--million [N]``; ``--million-only``). ``--speed-only`` times the 5,000-ad
screen again and keeps every other figure of the last run. Prints the figures and writes
bench/results/ads.json.

Reads the real data from ../shared/data at run time (override with SIGNAAL_SHARED_DATA). Nothing
that names a phone number of the data goes into ads.json (it is committed); the per-ad
disagreements go to bench/results/ads-details.local.json, which git ignores.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import itertools
import json
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from signaal.ads.model import Ad, AdFeatures  # noqa: E402
from signaal.ads.normalise import fold  # noqa: E402
from signaal.ads.phones import find_phones  # noqa: E402
from signaal.ads.resources import rules  # noqa: E402
from signaal.ads.textsim import (  # noqa: E402
    Shingles,
    band_keys,
    band_pairs,
    estimated_similarity,
    jaccard,
    minhash,
    shared_shingles,
    shingle_sets,
    shingle_sets_flat,
    token_hashes,
)
from signaal.domain.actor import Actor, Role  # noqa: E402
from signaal.settings import Settings  # noqa: E402

DATA = Path(os.environ.get("SIGNAAL_SHARED_DATA", ROOT / ".." / "shared" / "data"))
RESULTS = ROOT / "bench" / "results"
BENCH_ACTOR = Actor(user="bench", org="bench", role=Role.MODERATOR)


def machine() -> dict[str, object]:
    cpu = ""
    with contextlib.suppress(OSError):
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "")
    load = ""
    with contextlib.suppress(OSError):
        load = Path("/proc/loadavg").read_text().split(" ")[0]
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "load_average_1min": load}


def pairs(labels: list[Any], subset: list[bool] | None = None) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = collections.defaultdict(list)
    for i, label in enumerate(labels):
        if subset is None or subset[i]:
            groups[label].append(i)
    return {p for m in groups.values() for p in itertools.combinations(sorted(m), 2)}


def pr(pred: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float | int]:
    tp = len(pred & truth)
    return {
        "precision": round(tp / max(1, len(pred)), 4),
        "recall": round(tp / max(1, len(truth)), 4),
        "predicted_pairs": len(pred),
        "true_pairs": len(truth),
    }


def to_ad(a: dict[str, Any], with_phones: bool = True) -> Ad:
    return Ad(
        id=a["id"],
        title=a["title"] or "",
        body=a["body"] or "",
        city=a["city"] or "",
        posted=a["posted"] or "",
        url=a["url"] or "",
        age=a["age"] or "",
        phones=tuple(a["phones"]) if with_phones else (),
    )


# --- 1. phones from title + body ----------------------------------------------------------------


def bench_phones(raw: list[dict[str, Any]], results: dict[str, Any], details: dict[str, Any]) -> None:
    counts = collections.Counter[str]()
    glued = glued_field = glued_field_ours = decoded_fp = decoded_fp_field = 0
    fp_kinds = collections.Counter[str]()
    rows = []
    for a in raw:
        found: dict[str, tuple[str, bool]] = {}  # number -> (number as the reference writes it, decoded)
        for fld in ("title", "body"):
            folded = fold(a[fld] or "")
            for p in find_phones(folded.text, "CA"):
                if not p.e164.startswith("+1"):
                    continue
                n = p.e164[2:]
                written = folded.text[p.start : p.end]
                digits = re.sub(r"\D", "", written)
                # The reference lists digit runs as the data set's anonymisation took them: of
                # an unbroken run of eleven digits starting with "1" it keeps the first ten, and
                # the ad's own phones field agrees with it (see docs/ads.md).
                ref_form = digits[:10] if re.fullmatch(r"\+?1\d{10}", written) else n
                is_decoded = digits not in (n, "1" + n)
                found[n] = (ref_form, is_decoded)
        ref = set(a["phones_in_text"])
        own = set(a["phones"])
        strict = set(found)
        adjusted = {f for f, _ in found.values()}
        counts["tp"] += len(strict & ref)
        counts["fp"] += len(strict - ref)
        counts["fn"] += len(ref - strict)
        counts["tp_adj"] += len(adjusted & ref)
        counts["fp_adj"] += len(adjusted - ref)
        counts["fn_adj"] += len(ref - adjusted)
        glued += sum(1 for n, (f, _) in found.items() if f != n)
        # which reading the ad's own contact field backs: the reference's or ours
        glued_field += sum(1 for n, (f, _) in found.items() if f != n and f in own)
        glued_field_ours += sum(1 for n, (f, _) in found.items() if f != n and n in own)
        for n, (f, dec) in found.items():
            if f in ref:
                continue
            if dec:
                decoded_fp += 1
                decoded_fp_field += n in own
                fp_kinds["decoded from letters or words"] += 1
            else:
                fp_kinds["digits in the text"] += 1
            rows.append({"ad": a["id"], "ours": n, "as_reference_writes_it": f, "reference": sorted(ref)})
        for n in ref - adjusted:
            rows.append({"ad": a["id"], "missed": n, "ours": sorted(strict)})
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    tpa, fpa, fna = counts["tp_adj"], counts["fp_adj"], counts["fn_adj"]
    results["phones"] = {
        "as_is": {"precision": round(tp / (tp + fp), 4), "recall": round(tp / (tp + fn), 4), "fp": fp, "fn": fn},
        "glued_1_read_as_reference": {
            "precision": round(tpa / (tpa + fpa), 4),
            "recall": round(tpa / (tpa + fna), 4),
            "fp": fpa,
            "fn": fna,
            "numbers_rewritten": glued,
            "rewritten_where_phones_field_has_the_reference_reading": glued_field,
            "rewritten_where_phones_field_has_our_reading": glued_field_ours,
        },
        "glued_1_and_decoded_not_counted": {
            "precision": round(tpa / (tpa + fpa - decoded_fp), 4),
            "recall": round(tpa / (tpa + fna), 4),
            "decoded_false_positives": decoded_fp,
            "decoded_equal_to_own_phones_field": decoded_fp_field,
        },
        "false_positive_kinds": dict(fp_kinds),
    }
    details["phones"] = rows
    print("phones:", json.dumps(results["phones"]))


# --- 2. contact grouping --------------------------------------------------------------------------


def bench_contacts(raw: list[dict[str, Any]], results: dict[str, Any], settings: Settings) -> None:
    from signaal.services.ads import screen_ads

    truth = pairs([a["phone_group"] for a in raw])
    _, result = screen_ads(BENCH_ACTOR, [to_ad(a) for a in raw], settings, "CA", workers=2)
    results["contact_grouping"] = pr(pairs(result.contact_cluster), truth)
    _, text_only = screen_ads(BENCH_ACTOR, [to_ad(a, with_phones=False) for a in raw], settings, "CA", workers=2)
    results["contact_grouping_text_contacts_only"] = pr(pairs(text_only.contact_cluster), truth)
    print("contact grouping (field + text):", results["contact_grouping"])
    print("contact grouping (text contacts only, field dropped):", results["contact_grouping_text_contacts_only"])


# --- 3. text-only templates -------------------------------------------------------------------


def strip_numbers(text: str, numbers: set[str]) -> str:
    """Remove every listed number from a text however its digits are spaced out."""
    for n in numbers:
        digits = re.sub(r"\D", "", n)[-10:]
        if len(digits) < 7:
            continue
        pattern = r"(?:\+?1[^0-9a-zA-Z]{0,3})?" + r"[^0-9a-zA-Z]{0,3}".join(digits)
        text = re.sub(pattern, " ", text)
    return text


def bench_templates(
    raw: list[dict[str, Any]], results: dict[str, Any], settings: Settings
) -> tuple[list[Ad], list[AdFeatures]]:
    from signaal.services.ads import screen_ads

    ads = []
    for a in raw:
        numbers = set(a["phones_in_text"]) | set(a["phones"])
        ads.append(
            Ad(
                id=a["id"],
                title=strip_numbers(a["title"] or "", numbers),
                body=strip_numbers(a["body"] or "", numbers),
                city=a["city"] or "",
                posted=a["posted"] or "",
            )
        )
    feats, result = screen_ads(BENCH_ACTOR, ads, settings, "CA", workers=2)
    labels = result.template_cluster
    truth_labels = [a["phone_group"] for a in raw]
    groups = sorted(set(truth_labels))
    random.Random(1).shuffle(groups)
    tune_groups = set(groups[: len(groups) // 2])
    tune = [g in tune_groups for g in truth_labels]
    test = [not t for t in tune]
    pred, truth = pairs(labels), pairs(truth_labels)
    out: dict[str, Any] = {
        "all": pr(pred, truth),
        "tune_half": pr(pairs(labels, tune), pairs(truth_labels, tune)),
        "test_half": pr(pairs(labels, test), pairs(truth_labels, test)),
        "settings": dict(rules()["templates"]),
    }
    # how many wrong pairs are near-identical texts under two different numbers
    wrong = sorted(pred - truth)
    if wrong:
        cfg = rules()["templates"]
        empty = np.zeros(0, dtype=np.uint32)
        sh = shingle_sets([f.tokens if f.tokens is not None else empty for f in feats], int(cfg["shingle_words"]))
        left = np.asarray([a for a, _ in wrong], dtype=np.int64)
        right = np.asarray([b for _, b in wrong], dtype=np.int64)
        sims = jaccard(sh, left, right)
        out["wrong_pairs_with_jaccard_ge_0_8"] = round(float((sims >= 0.8).mean()), 4)
        out["wrong_pairs_median_jaccard"] = round(float(statistics.median(sims.tolist())), 4)
    results["text_only_templates"] = out
    print("text-only templates:", json.dumps(out))
    bench_templates_idf(list(feats), truth_labels, tune, test, results)
    return ads, list(feats)


# --- 3b. IDF-weighted template similarity (an experiment; the screen keeps plain Jaccard) --------


def _document_frequency(sh: Shingles) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int32]]:
    """Each distinct shingle (sorted) and the number of ads it occurs in (sets hold no repeats)."""
    ordered = np.sort(sh.values)
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int32)
    first = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    counts = np.diff(np.concatenate([first, [len(ordered)]])).astype(np.int32)
    values: npt.NDArray[np.uint32] = ordered[first]
    return values, counts


def drop_common(sh: Shingles, max_ads: int) -> Shingles:
    """The shingle sets without the shingles that occur in more than ``max_ads`` ads."""
    values, counts = _document_frequency(sh)
    common = values[counts > max_ads]
    if len(common) == 0:
        return sh
    keep = ~np.isin(sh.values, common, assume_unique=False)
    owner = np.repeat(np.arange(len(sh.offsets) - 1, dtype=np.int64), sh.sizes())
    kept = np.bincount(owner[keep], minlength=len(sh.offsets) - 1)
    offsets = np.concatenate([[0], np.cumsum(kept)]).astype(np.int64)
    return Shingles(sh.values[keep], offsets)


@dataclass(frozen=True, slots=True)
class ShingleWeights:
    """Inverse document frequency of every distinct shingle, and each ad's total weight."""

    values: npt.NDArray[np.uint32]  # distinct shingles, sorted
    idf: npt.NDArray[np.float32]
    totals: npt.NDArray[np.float64]  # per ad: the sum of its shingles' weights


def shingle_weights(sh: Shingles) -> ShingleWeights:
    """IDF weights: a shingle in many ads (boilerplate) weighs little, a rare shared one much."""
    values, counts = _document_frequency(sh)
    n = max(1, len(sh.offsets) - 1)
    idf = np.log((1.0 + n) / counts).astype(np.float32) if len(counts) else np.zeros(0, dtype=np.float32)
    per = idf[np.searchsorted(values, sh.values)] if len(values) else np.zeros(0, dtype=np.float32)
    cum = np.concatenate([[0.0], np.cumsum(per, dtype=np.float64)])
    totals = cum[sh.offsets[1:]] - cum[sh.offsets[:-1]]
    return ShingleWeights(values, idf, totals)


def weighted_jaccard(
    sh: Shingles,
    weights: ShingleWeights,
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    chunk: int = 50_000,
) -> npt.NDArray[np.float64]:
    """IDF-weighted Jaccard of each pair: weight of the shared shingles over that of the union."""
    out = np.zeros(len(left), dtype=np.float64)
    for lo in range(0, len(left), chunk):
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        _, _, owner, shared = shared_shingles(sh, a, b)
        w = weights.idf[np.searchsorted(weights.values, shared)].astype(np.float64)
        inter = np.bincount(owner, weights=w, minlength=len(a))
        union = weights.totals[a] + weights.totals[b] - inter
        out[lo : lo + chunk] = np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)
    return out


def _template_labels(
    tokens: npt.NDArray[np.uint32],
    lengths: npt.NDArray[np.int64],
    threshold: float,
    weighted: bool,
    max_ads: int | None,
) -> list[int]:
    """The screen's template step with two variants: common shingles dropped, IDF-weighted Jaccard."""
    from signaal.ads.grouping import centre_clusters
    from signaal.ads.screen import _ESTIMATE_MARGIN

    cfg = rules()["templates"]
    full = shingle_sets_flat(tokens, lengths, int(cfg["shingle_words"]))
    sh = drop_common(full, max_ads) if max_ads else full
    sigs = minhash(sh, int(cfg["permutations"]))
    keys = band_keys(sigs, int(cfg["bands"]))
    eligible = lengths >= int(cfg["min_tokens"])
    weights = shingle_weights(full) if weighted else None
    open_ = eligible.copy()
    lefts, rights = [], []
    for b in range(keys.shape[1]):
        left, right = band_pairs(keys[:, b], eligible, open_)
        likely = estimated_similarity(sigs, left, right) >= threshold - _ESTIMATE_MARGIN
        left, right = left[likely], right[likely]
        sims = weighted_jaccard(full, weights, left, right) if weights else jaccard(sh, left, right)
        keep = sims >= threshold
        lefts.append(left[keep])
        rights.append(right[keep])
        open_[right[keep]] = False
    left_all, right_all = np.concatenate(lefts), np.concatenate(rights)
    return centre_clusters(len(lengths), left_all.tolist(), right_all.tolist(), Settings().ads_max_group_size)


def bench_templates_idf(
    feats: list[Any], truth_labels: list[Any], tune: list[bool], test: list[bool], results: dict[str, Any]
) -> None:
    parts = [f.tokens if f.tokens is not None else np.zeros(0, dtype=np.uint32) for f in feats]
    lengths = np.fromiter((len(t) for t in parts), dtype=np.int64, count=len(parts))
    tokens = np.concatenate(parts)
    truth = {"all": pairs(truth_labels), "tune": pairs(truth_labels, tune), "test": pairs(truth_labels, test)}
    common_cut = max(20, len(feats) // 50)  # a shingle in more than 2 % of the ads is boilerplate
    out: dict[str, Any] = {"common_shingle_cut_ads": common_cut, "methods": {}}
    for name, weighted, max_ads in (
        ("plain_jaccard", False, None),
        ("common_shingles_dropped", False, common_cut),
        ("idf_weighted", True, None),
        ("idf_weighted_common_dropped", True, common_cut),
    ):
        curve = []
        for threshold in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
            labels = _template_labels(tokens, lengths, threshold, weighted, max_ads)
            row: dict[str, Any] = {"threshold": threshold}
            for part, subset in (("tune", tune), ("test", test), ("all", None)):
                got = pr(pairs(labels, subset), truth[part])
                row[part] = [got["precision"], got["recall"]]
            curve.append(row)
        # the rule used for the screen's own threshold: highest tune recall with tune P >= 0.85
        ok = [r for r in curve if r["tune"][0] >= 0.85]
        chosen = max(ok, key=lambda r: r["tune"][1]) if ok else None
        out["methods"][name] = {"chosen_on_tune_half": chosen, "curve": curve}
    results["text_only_templates_idf_experiment"] = out
    for name, m in out["methods"].items():
        print(f"templates, {name}: chosen on the tune half {m['chosen_on_tune_half']}")


# --- 3c. the text-only frontier: every pair's exact Jaccard, several text representations -------

FRONTIER_THRESHOLDS = tuple(round(0.2 + 0.05 * k, 2) for k in range(15))  # 0.2, 0.25, ..., 0.9


def _incidence(sh: Shingles) -> Any:
    """Binary ads × shingles matrix (CSR) of shingle sets."""
    from scipy import sparse

    cols, inverse = np.unique(sh.values, return_inverse=True)
    data = np.ones(len(sh.values), dtype=np.int32)
    return sparse.csr_matrix((data, inverse.ravel(), sh.offsets), shape=(len(sh.offsets) - 1, len(cols)))


def _incidence_sets(sets: list[set[str]]) -> Any:
    """Binary ads × items matrix (CSR) of sets of strings."""
    from scipy import sparse

    ids: dict[str, int] = {}
    indices = [ids.setdefault(s, len(ids)) for items in sets for s in sorted(items)]
    indptr = np.concatenate([[0], np.cumsum([len(s) for s in sets])]).astype(np.int64)
    data = np.ones(len(indices), dtype=np.int32)
    return sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), indptr), shape=(len(sets), len(ids)))


def _similar_pairs(
    x: Any, floor: float, chunk: int = 500
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Every pair i < j with exact Jaccard >= ``floor``: left, right and the Jaccard (X @ X.T)."""
    sizes = np.asarray(x.getnnz(axis=1), dtype=np.float64)
    xt = x.T.tocsc()
    lefts, rights, sims = [], [], []
    for lo in range(0, x.shape[0], chunk):
        inter = (x[lo : lo + chunk] @ xt).tocoo()
        i = inter.row.astype(np.int64) + lo
        j = inter.col.astype(np.int64)
        upper = j > i
        i, j, shared = i[upper], j[upper], inter.data[upper].astype(np.float64)
        sim = shared / (sizes[i] + sizes[j] - shared)
        keep = sim >= floor
        lefts.append(i[keep])
        rights.append(j[keep])
        sims.append(sim[keep])
    return np.concatenate(lefts), np.concatenate(rights), np.concatenate(sims)


def _cluster_counts(labels: npt.NDArray[np.int64], truth: npt.NDArray[np.int64]) -> tuple[int, int]:
    """Predicted pairs of a clustering and how many of them share a truth label, without listing them."""
    _, sizes = np.unique(labels, return_counts=True)
    _, cells = np.unique(labels * (int(truth.max()) + 1) + truth, return_counts=True)
    return int((sizes * (sizes - 1) // 2).sum()), int((cells * (cells - 1) // 2).sum())


def _in_text_conflicts(
    feats: list[AdFeatures], left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Pairs whose two ads both state a name (or age, or price amount) in the text and share none."""
    conflict = np.zeros(len(left), dtype=bool)
    for sets in (
        [{n.lower() for n in f.names} for f in feats],
        [{str(a) for a in f.ages} for f in feats],
        [{f"{p.amount:g}" for p in f.prices} for f in feats],
    ):
        m = _incidence_sets(sets)
        stated = np.asarray(m.getnnz(axis=1)) > 0
        shared = np.asarray(m[left].multiply(m[right]).sum(axis=1)).ravel()
        conflict |= stated[left] & stated[right] & (shared == 0)
    return conflict


def _frontier(
    n: int,
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    sims: npt.NDArray[np.float64],
    truth: npt.NDArray[np.int64],
) -> dict[str, Any]:
    """Pairs and connected components at each threshold, against the truth labels."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    _, counts = np.unique(truth, return_counts=True)
    true_pairs = int((counts * (counts - 1) // 2).sum())
    same = truth[left] == truth[right]
    curve: list[dict[str, Any]] = []
    for t in FRONTIER_THRESHOLDS:
        keep = sims >= t - 1e-9
        tp = int(same[keep].sum())
        got = int(keep.sum())
        graph = sparse.coo_matrix((np.ones(got, dtype=np.int8), (left[keep], right[keep])), shape=(n, n))
        _, comp = connected_components(graph, directed=False)
        c_pred, c_tp = _cluster_counts(comp.astype(np.int64), truth)
        curve.append(
            {
                "threshold": t,
                "pairs": got,
                "precision": round(tp / max(1, got), 4),
                "recall": round(tp / max(1, true_pairs), 4),
                "components": {
                    "pairs": c_pred,
                    "precision": round(c_tp / max(1, c_pred), 4),
                    "recall": round(c_tp / max(1, true_pairs), 4),
                    "largest": int(np.bincount(comp).max()) if n else 0,
                },
            }
        )

    def best(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        ok = [r for r in rows if r["recall"] >= 0.30]
        return max(ok, key=lambda r: r["precision"]) if ok else None

    pair_best = best(curve)
    comp_best = best([{"threshold": r["threshold"], **r["components"]} for r in curve])
    # the same question over every possible threshold: pairs ranked by Jaccard, the precision at
    # the first rank where recall reaches 0.30
    order = np.argsort(-sims, kind="stable")
    hits = np.cumsum(same[order])
    reach = np.flatnonzero(hits >= 0.30 * true_pairs)
    exact = None
    if len(reach):
        k = int(reach[0])
        exact = {"jaccard": round(float(sims[order][k]), 4), "precision": round(int(hits[k]) / (k + 1), 4)}
    return {
        "true_pairs": true_pairs,
        "best_precision_at_recall_0_30": pair_best and {k: pair_best[k] for k in ("threshold", "precision", "recall")},
        "components_best_precision_at_recall_0_30": comp_best
        and {k: comp_best[k] for k in ("threshold", "precision", "recall")},
        "precision_where_pair_recall_first_reaches_0_30_any_threshold": exact,
        "curve": curve,
    }


def bench_text_frontier(
    ads: list[Ad], feats: list[AdFeatures], raw: list[dict[str, Any]], results: dict[str, Any]
) -> None:
    """How far text similarity alone goes: all pairs' exact Jaccard, for several representations."""
    started = time.perf_counter()
    truth = np.asarray([a["phone_group"] for a in raw], dtype=np.int64)
    n = len(ads)
    empty = np.zeros(0, dtype=np.uint32)
    masked_tokens = [f.tokens if f.tokens is not None else empty for f in feats]
    raw_tokens = [token_hashes(f"{ad.title} {ad.body}".lower()) for ad in ads]
    floor = min(FRONTIER_THRESHOLDS)

    def char_grams(text: str, size: int = 5) -> set[str]:
        text = " ".join(text.split())
        return {text[k : k + size] for k in range(max(1, len(text) - size + 1))} if text else set()

    matrices = {
        "masked_word_3_shingles": _incidence(shingle_sets(masked_tokens, int(rules()["templates"]["shingle_words"]))),
        "masked_words": _incidence(shingle_sets(masked_tokens, 1)),
        "masked_char_5_grams": _incidence_sets([char_grams(f.masked_text) for f in feats]),
        "raw_lowercased_word_3_shingles": _incidence(shingle_sets(raw_tokens, 3)),
    }
    out: dict[str, Any] = {"thresholds": list(FRONTIER_THRESHOLDS), "representations": {}}
    for name, x in matrices.items():
        left, right, sims = _similar_pairs(x, floor)
        out["representations"][name] = _frontier(n, left, right, sims, truth)
        if name == "masked_word_3_shingles":
            conflict = _in_text_conflicts(feats, left, right)
            variant = _frontier(n, left[~conflict], right[~conflict], sims[~conflict], truth)
            variant["pairs_dropped_at_lowest_threshold"] = int(conflict.sum())
            out["representations"]["masked_word_3_shingles_in_text_conflicts_dropped"] = variant
    out["seconds"] = round(time.perf_counter() - started, 1)
    results["text_only_templates_frontier"] = out
    for name, r in out["representations"].items():
        at = {row["threshold"]: row for row in r["curve"]}[0.5]
        print(
            f"text frontier, {name}: best P at pair R>=0.30 {r['best_precision_at_recall_0_30']};"
            f" any threshold {r['precision_where_pair_recall_first_reaches_0_30_any_threshold']};"
            f" components {r['components_best_precision_at_recall_0_30']};"
            f" t=0.5 pairs P/R {at['precision']}/{at['recall']}"
        )


# --- 4. speed of the whole screen -----------------------------------------------------------------


def _phases(raw: list[dict[str, Any]], settings: Settings) -> dict[str, float]:
    """Where the time of a 5,000-ad screen goes, each part measured on its own (seconds)."""
    import multiprocessing
    import pickle

    from signaal.ads.batch import BATCH, join_batches, screen_batch
    from signaal.ads.screen import screen_features
    from signaal.ingest.ads import SkipReport, read_ads

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "ads.jsonl"
        dump.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in raw), encoding="utf-8")
        t0 = time.perf_counter()
        ads = list(read_ads(dump, None, settings.ads_max_ad_bytes, SkipReport()))
        out["read_dump"] = time.perf_counter() - t0
    batches = [ads[k : k + BATCH] for k in range(0, len(ads), BATCH)]
    t0 = time.perf_counter()
    done = [screen_batch(b, "CA") for b in batches]
    out["per_ad_step_in_process"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for b, d in zip(batches, done, strict=True):
        pickle.loads(pickle.dumps(b))
        pickle.loads(pickle.dumps(d))
    out["pickling_batches_and_results"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(abs, [1, 2])
    out["worker_pool_start_and_stop"] = time.perf_counter() - t0
    feats = [f for d in done for f in d.features]
    t0 = time.perf_counter()
    screen_features(
        feats,
        max_group_size=settings.ads_max_group_size,
        movement_window_days=settings.ads_movement_window_days,
        sketched=join_batches([d.sketch for d in done]),
    )
    out["grouping_step"] = time.perf_counter() - t0
    return {k: round(v, 3) for k, v in out.items()}


def _calibration_seconds() -> float:
    """Seconds of a fixed pure-Python loop: how fast this machine runs Python code right now.

    On a shared virtual machine the same work takes up to a third longer from one minute to the
    next; printed beside each run, this tells a slow machine from slow code.
    """
    t0 = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i * i % 7
    return round(time.perf_counter() - t0, 3)


def _steal_seconds() -> float:
    """CPU time the hypervisor gave to other guests so far (the "steal" column of /proc/stat)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    return 0.0


def bench_speed(raw: list[dict[str, Any]], results: dict[str, Any], settings: Settings) -> None:
    from signaal.services.ads import screen_dump
    from signaal.services.ads_engine import warm

    warm()  # start-up: package data loaded and compiled
    runs: dict[int, list[float]] = {2: [], 1: []}
    cpu: dict[int, list[float]] = {2: [], 1: []}
    loads: list[str] = []
    calibration: list[float] = []
    steal: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "ads.jsonl"
        with dump.open("w", encoding="utf-8") as fh:
            for a in raw:
                fh.write(json.dumps(a, ensure_ascii=False) + "\n")
        for round_no in range(5):
            # alternated, so that other jobs on the machine hit both alike; in one process 3 times
            for workers in (2, 1) if round_no < 3 else (2,):
                if workers == 2:
                    calibration.append(_calibration_seconds())
                steal0 = _steal_seconds()
                loads.append(str(machine()["load_average_1min"]))
                c0 = time.process_time()
                ch0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                screen_dump(BENCH_ACTOR, dump, Path(tmp) / "out", settings, region="CA", html=False, workers=workers)
                runs[workers].append(round(time.perf_counter() - t0, 3))
                if workers == 2:
                    steal.append(round(_steal_seconds() - steal0, 2))
                ch1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[workers].append(
                    round(time.process_time() - c0 + (ch1.ru_utime - ch0.ru_utime) + (ch1.ru_stime - ch0.ru_stime), 3)
                )
    loads.append(str(machine()["load_average_1min"]))
    results["screen_5000"] = {
        "seconds_runs": runs[2],
        "best_seconds": min(runs[2]),
        "median_seconds": statistics.median(runs[2]),
        "cpu_seconds_runs": cpu[2],
        "workers": 2,
        "calibration_loop_seconds_before_each_run": calibration,
        "cpu_steal_seconds_during_each_run": steal,
        "in_process": {
            "seconds_runs": runs[1],
            "best_seconds": min(runs[1]),
            "median_seconds": statistics.median(runs[1]),
            "cpu_seconds_runs": cpu[1],
        },
        "load_average_1min_before_each_run_and_after": loads,
        "phases_seconds": _phases(raw, settings),
    }
    print(f"whole screen of {len(raw)} ads (no HTML): {json.dumps(results['screen_5000'])}")


# --- 5. ads-cmu-410 -------------------------------------------------------------------------------


def _cmu_kind(ours: set[str], ref: set[str], line: str) -> str:
    if not ref:
        return "only ours"
    if not ours:
        return "only reference"
    if ours < ref:
        extra = ref - ours
        if any(len(set(r)) <= 2 or len(r) < 10 for r in extra):
            return "reference adds a fragment or a repeated-digit number"
        return "reference adds a shifted reading of the same digits"
    if ref < ours:
        return "we add a number"
    return "different reading of the same digits"


def bench_cmu(results: dict[str, Any], details: dict[str, Any]) -> None:
    # the features file has one row per line of the text file, its header line included
    lines = (DATA / "ads-cmu-410.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    with (DATA / "ads-cmu-410-features.csv").open(encoding="utf-8") as fh:
        ref_rows = list(csv.DictReader(fh))
    agree = 0
    kinds = collections.Counter[str]()
    rows = []
    for i, (line, row) in enumerate(zip(lines, ref_rows, strict=False)):
        ours = {p.e164[2:] for p in find_phones(fold(line).text, "US") if p.e164.startswith("+1")}
        ref = {p for p in re.split(r"[;, ]+", row.get("PhoneNumber") or "") if p}
        if ours == ref:
            agree += 1
            continue
        kind = _cmu_kind(ours, ref, line)
        kinds[kind] += 1
        rows.append({"line": i + 1, "kind": kind, "ours": sorted(ours), "reference": sorted(ref)})
    results["cmu_410"] = {"rows": len(ref_rows), "agree": agree, "disagree": len(rows), "kinds": dict(kinds)}
    details["cmu_410"] = rows
    print(f"cmu-410: {agree} of {len(ref_rows)} agree; disagreements by kind: {dict(kinds)}")


# --- 6. one million synthetic ads -----------------------------------------------------------------


class RssSampler:
    """Peak resident memory of this process and its children, sampled from /proc."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> float:
        total = 0
        me = os.getpid()
        for pid in [me, *self._children(me)]:
            with contextlib.suppress(OSError):
                for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if ln.startswith("VmRSS:"):
                        total += int(ln.split()[1])
        return total / 1024

    @staticmethod
    def _children(pid: int) -> list[int]:
        with contextlib.suppress(OSError):
            return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return []

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_mb = max(self.peak_mb, self._rss())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bench_million(results: dict[str, Any], n: int) -> None:
    from signaal.ads.synthetic import generate_ads
    from signaal.services.ads import screen_dump

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "ads.jsonl"
        t0 = time.perf_counter()
        with dump.open("w", encoding="utf-8") as fh:
            for ad in generate_ads(n, seed=7):
                fh.write(json.dumps(ad, ensure_ascii=False) + "\n")
        generated = time.perf_counter() - t0
        with RssSampler() as sampler:
            started = time.perf_counter()
            cpu0 = time.process_time()
            summary = screen_dump(BENCH_ACTOR, dump, Path(tmp) / "out", Settings(), html=False, workers=2)
            seconds = time.perf_counter() - started
            main_cpu = time.process_time() - cpu0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results["synthetic_run"] = {
        "ads": summary.ads,
        "groups": summary.clusters,
        "hubs": summary.hubs,
        "seconds": round(seconds, 1),
        "cpu_seconds_main": round(main_cpu, 1),
        "cpu_seconds_workers": round(children.ru_utime + children.ru_stime, 1),
        "load_average_1min_after": machine()["load_average_1min"],
        "generation_seconds": round(generated, 1),
        "peak_rss_mb_all_processes_sampled": round(sampler.peak_mb),
        "peak_rss_mb_main": round(main_peak),
        "peak_rss_mb_largest_worker": round(child_peak),
        "workers": 2,
    }
    print("synthetic run:", results["synthetic_run"])


def main() -> None:
    out = RESULTS / "ads.json"
    previous: dict[str, Any] = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    # only the synthetic run is carried over from an earlier run (it takes minutes); with
    # --speed-only, every other figure is, and only the 5,000-ad screen is timed again
    speed_only = "--speed-only" in sys.argv
    results: dict[str, Any] = (
        dict(previous) if speed_only else {k: previous[k] for k in ("synthetic_run",) if k in previous}
    )
    results["machine"] = machine()
    details: dict[str, Any] = {}
    settings = Settings()
    if speed_only:
        raw = [json.loads(x) for x in (DATA / "ads-redthread.jsonl").open(encoding="utf-8")]
        bench_speed(raw, results, settings)
    elif "--million-only" not in sys.argv:
        raw = [json.loads(x) for x in (DATA / "ads-redthread.jsonl").open(encoding="utf-8")]
        bench_phones(raw, results, details)
        bench_contacts(raw, results, settings)
        stripped, feats = bench_templates(raw, results, settings)
        bench_text_frontier(stripped, feats, raw, results)
        bench_speed(raw, results, settings)
        bench_cmu(results, details)
    for flag in ("--million", "--million-only"):
        if flag in sys.argv:
            k = sys.argv.index(flag)
            n = int(sys.argv[k + 1]) if len(sys.argv) > k + 1 else 1_000_000
            bench_million(results, n)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if details:
        (RESULTS / "ads-details.local.json").write_text(json.dumps(details, indent=1), encoding="utf-8")
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
