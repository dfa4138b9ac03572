"""Checking one new ad against what a screen learnt: its index of hubs, contacts and templates (pure).

A screen writes its index (:func:`build_index`, as JSON); a check reads one new ad against it
(:func:`check_ad`): the ad's known hubs, the groups its own contacts belong to, the templates its
text matches, and its score with the reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from signaal.ads.extract import extract
from signaal.ads.model import Ad, AdFeatures
from signaal.ads.resources import rules
from signaal.ads.scoring import phrase_points, strong_points
from signaal.ads.screen import ScreenResult
from signaal.ads.textsim import band_keys, minhash, shingle_sets

__all__ = ["INDEX_KEYS", "build_index", "check_ad", "usable_index"]

# The parts every index has; "scores" (each group's score) is there too but not needed for a check.
INDEX_KEYS = ("hubs", "contacts", "bands", "templates")


def build_index(feats: Sequence[AdFeatures], result: ScreenResult) -> dict[str, Any]:
    """Known hubs, own contacts by group, and template band keys with their centres' shingles."""
    contacts: dict[str, str] = {}
    for i, f in enumerate(feats):
        for key in f.own_keys:
            contacts.setdefault(key, f"c{result.cluster[i]}")
    bands: dict[str, int] = {}
    centres: dict[str, list[int]] = {}
    t = result.templates
    if t is not None and t.keys is not None and t.shingles is not None:
        sizes: dict[int, int] = {}
        for label in t.labels:
            sizes[label] = sizes.get(label, 0) + 1
        for label, size in sizes.items():
            if size < 2:
                continue
            # every member is like the centre (not like each other): a new ad is compared with it
            centre = t.centres.get(label, label)
            sh = t.shingles
            centres[str(label)] = sh.values[sh.offsets[centre] : sh.offsets[centre + 1]].tolist()
            for b, key in enumerate(t.keys[centre].tolist()):
                bands.setdefault(f"{b}:{key}", label)
    return {
        "hubs": {h.contact: h.as_dict() for h in result.hubs},
        "contacts": contacts,
        "bands": bands,
        "templates": {
            label: {"cluster": f"c{result.cluster[int(label)]}", "shingles": shingles}
            for label, shingles in centres.items()
        },
        "scores": {c.id: c.score for c in result.clusters},
    }


def usable_index(index: object) -> dict[str, Any] | None:
    """An index read from JSON, ready for checks (the templates' shingles as arrays), or None
    when it is not an index written by a screen."""
    if not isinstance(index, dict) or any(not isinstance(index.get(k), dict) for k in INDEX_KEYS):
        return None
    for template in index["templates"].values():
        template["shingles"] = np.asarray(template["shingles"], dtype=np.uint32)
    return index


def _known_templates(index: dict[str, Any], f: AdFeatures) -> list[str]:
    cfg = rules()["templates"]
    if f.tokens is None or f.n_tokens < int(cfg["min_tokens"]) or not index.get("templates"):
        return []
    sh = shingle_sets([f.tokens], int(cfg["shingle_words"]))
    keys = band_keys(minhash(sh, int(cfg["permutations"])), int(cfg["bands"]))[0].tolist()
    labels = {str(index["bands"][k]) for b, key in enumerate(keys) if (k := f"{b}:{key}") in index["bands"]}
    found: set[str] = set()
    for label in labels:
        centre = np.asarray(index["templates"][label]["shingles"], dtype=np.uint32)
        inter = len(np.intersect1d(sh.values, centre, assume_unique=True))
        union = len(sh.values) + len(centre) - inter
        if union and inter / union >= float(cfg["min_similarity"]):
            found.add(index["templates"][label]["cluster"])
    return sorted(found)


def check_ad(index: dict[str, Any], ad: Ad, region: str = "NL") -> dict[str, Any]:
    """One new ad against an index: its contacts, known hubs and groups, templates, hits, score, reasons."""
    scoring = rules()["scoring"]
    f = extract(ad, region)
    hubs = [index["hubs"][k] for k in f.contact_keys if k in index.get("hubs", {})]
    known = sorted({index["contacts"][k] for k in f.own_keys if k in index.get("contacts", {})})
    templates = _known_templates(index, f)
    plus, minus, phrase_reasons = phrase_points([f], scoring)
    strong, strong_reasons = strong_points([f], scoring)
    score = max(0.0, plus - minus) + strong
    reasons = [r.text for r in strong_reasons + phrase_reasons]
    if hubs:
        score += float(scoring["hub_points"])
        reasons.insert(0, f"+{scoring['hub_points']} contact is a known hub")
    if templates:
        score += float(scoring["template_points"])
        reasons.insert(0, f"+{scoring['template_points']} text matches known template(s) {', '.join(templates)}")
    return {
        "id": ad.id,
        "contacts": f.contact_keys,
        "known_hubs": hubs,
        "known_clusters": known,
        "template_clusters": templates,
        "indicators": [h.as_dict() for h in f.indicators],
        "score": min(100.0, score),
        "reasons": reasons,
    }
