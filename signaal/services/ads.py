"""Ad screening service: read a dump → per-ad work → grouping → outputs; one ad at posting time.

``screen_dump`` writes ads.jsonl, clusters.jsonl, index.json (known hubs and templates, for
``screen_ad``) and report.html. ``promote_clusters`` turns chosen groups into signals.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from signaal.ads.extract import extract
from signaal.ads.model import Ad, AdFeatures
from signaal.ads.report import render_report
from signaal.ads.resources import rules
from signaal.ads.scoring import phrase_points
from signaal.ads.screen import screen_features
from signaal.ads.textsim import band_keys, signature
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, NotFound
from signaal.ingest.ads import SkipReport, read_ads
from signaal.settings import Settings

__all__ = ["ScreenSummary", "promote_clusters", "screen_ad", "screen_ads", "screen_dump"]


@dataclass
class ScreenSummary:
    """What a screen did: counts, timings, skip report and the paths written."""

    ads: int
    clusters: int
    hubs: int
    skipped: SkipReport
    seconds: float
    outputs: dict[str, str] = field(default_factory=dict)
    oversized_keys: list[str] = field(default_factory=list)


def _ad_line(ad: AdFeatures, c: int, t: int, g: int, score: float) -> dict[str, Any]:
    return {
        "id": ad.ad_id,
        "contacts": ad.contact_keys,
        "contact_cluster": f"k{c}",
        "template_cluster": f"t{t}",
        "cluster": f"c{g}",
        "names": ad.names,
        "city": ad.city,
        "language": ad.language,
        "indicators": [h.as_dict() for h in ad.indicators],
        "score": score,
    }


def screen_ads(
    ads: Iterable[Ad],
    settings: Settings,
    region: str = "NL",
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Ad], list[AdFeatures], Any]:
    """Per-ad work and grouping in memory: the ads, their features and the ScreenResult."""
    cfg = rules()["templates"]
    kept: list[Ad] = []
    feats: list[AdFeatures] = []
    sigs: list[Any] = []
    for ad in ads:
        f = extract(ad, region)
        kept.append(ad)
        feats.append(f)
        sigs.append(signature(f.masked_text, int(cfg["shingle_words"]), int(cfg["permutations"])))
        if progress is not None:
            progress(1)
    matrix = np.stack(sigs) if sigs else None
    result = screen_features(
        feats,
        matrix,
        max_group_size=settings.ads_max_group_size,
        movement_window_days=settings.ads_movement_window_days,
    )
    return kept, feats, (result, matrix)


def screen_dump(
    path: Path,
    out_dir: Path,
    settings: Settings,
    *,
    mapping: dict[str, str] | None = None,
    region: str = "NL",
    min_score: float = 0.0,
    html: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ScreenSummary:
    """Screen a dump file and write ads.jsonl, clusters.jsonl, index.json and report.html."""
    started = time.perf_counter()
    report = SkipReport()
    ads_iter = read_ads(path, mapping, settings.ads_max_ad_bytes, report)
    kept, feats, (result, matrix) = screen_ads(ads_iter, settings, region, progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "ads.jsonl").open("w", encoding="utf-8") as fh:
        for i, f in enumerate(feats):
            line = _ad_line(
                f, result.contact_cluster[i], result.template_cluster[i], result.cluster[i], result.ad_scores[i]
            )
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    multi = [c for c in result.clusters if len(c.ads) > 1 and c.score >= min_score]
    with (out_dir / "clusters.jsonl").open("w", encoding="utf-8") as fh:
        for c in multi:
            fh.write(json.dumps(c.as_dict(), ensure_ascii=False) + "\n")
    index = build_index(feats, result, matrix)
    (out_dir / "index.json").write_text(json.dumps(index), encoding="utf-8")
    outputs = {"ads": str(out_dir / "ads.jsonl"), "clusters": str(out_dir / "clusters.jsonl")}
    if html:
        by_id = {a.id: (a, f) for a, f in zip(kept, feats, strict=True)}
        stats = {"ads": len(kept), "skipped": report.skipped, "clusters": len(multi)}
        page = render_report([c.as_dict() for c in multi[:200]], by_id, stats)
        (out_dir / "report.html").write_text(page, encoding="utf-8")
        outputs["report"] = str(out_dir / "report.html")
    outputs["index"] = str(out_dir / "index.json")
    return ScreenSummary(
        ads=len(kept),
        clusters=len(multi),
        hubs=len(result.hubs),
        skipped=report,
        seconds=time.perf_counter() - started,
        outputs=outputs,
        oversized_keys=result.oversized_keys,
    )


def build_index(feats: list[AdFeatures], result: Any, matrix: Any) -> dict[str, Any]:
    """Known hubs, contacts by cluster, and template band keys, for screening single new ads."""
    cfg = rules()["templates"]
    scores = {c.id: c.score for c in result.clusters}
    contacts: dict[str, str] = {}
    for i, f in enumerate(feats):
        for key in f.contact_keys:
            contacts.setdefault(key, f"c{result.cluster[i]}")
    bands: dict[str, str] = {}
    if matrix is not None:
        for i, f in enumerate(feats):
            if f.n_tokens >= int(cfg["min_tokens"]):
                for key in band_keys(matrix[i], int(cfg["bands"])):
                    bands.setdefault(str(key), f"c{result.cluster[i]}")
    return {
        "hubs": {h.contact: h.as_dict() for h in result.hubs},
        "contacts": contacts,
        "bands": bands,
        "scores": scores,
    }


def screen_ad(index: dict[str, Any], ad: Ad, region: str = "NL") -> dict[str, Any]:
    """Screen one new ad against a saved index of known hubs, contacts and templates."""
    cfg = rules()
    f = extract(ad, region)
    hubs = [index["hubs"][k] for k in f.contact_keys if k in index.get("hubs", {})]
    known = sorted({index["contacts"][k] for k in f.contact_keys if k in index.get("contacts", {})})
    templates: list[str] = []
    if f.n_tokens >= int(cfg["templates"]["min_tokens"]):
        sig = signature(f.masked_text, int(cfg["templates"]["shingle_words"]), int(cfg["templates"]["permutations"]))
        templates = sorted(
            {
                index["bands"][str(k)]
                for k in band_keys(sig, int(cfg["templates"]["bands"]))
                if str(k) in index.get("bands", {})
            }
        )
    plus, minus, reasons = phrase_points([f], cfg["scoring"])
    score = max(0.0, plus - minus)
    if hubs:
        score += float(cfg["scoring"]["hub_points"])
        reasons.insert(0, f"+{cfg['scoring']['hub_points']} contact is a known hub")
    if templates:
        score += float(cfg["scoring"]["template_points"])
        reasons.insert(0, f"+{cfg['scoring']['template_points']} text matches known template(s) {', '.join(templates)}")
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


def promote_clusters(store: Any, actor: Actor, out_dir: Path, cluster_ids: list[str]) -> list[str]:
    """Record the chosen clusters of a screen (read from clusters.jsonl) as signals; their ids."""
    from signaal.domain.signal import FormHypothesis, IdentifierIn, ObservedIndicator, SignalCreate
    from signaal.services.signals import record_signal

    path = out_dir / "clusters.jsonl"
    if not path.is_file():
        raise InvalidInput(f"{path}: no clusters.jsonl; run 'signaal ads screen' first")
    wanted = set(cluster_ids)
    found: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            c = json.loads(line)
            if c["id"] in wanted:
                found[c["id"]] = c
    missing = wanted - set(found)
    if missing:
        raise NotFound(f"cluster(s) not in {path.name}: {', '.join(sorted(missing))}")
    ads_by_id: dict[str, str] = {}
    ids: list[str] = []
    for cid in cluster_ids:
        c = found[cid]
        identifiers = [
            IdentifierIn(
                kind="phone" if k.startswith("phone:") else "email" if k.startswith("email:") else "handle",
                value=k.split(":", 1)[1],
            )
            for k in c["contacts"][:50]
        ]
        identifiers += [IdentifierIn(kind="url", value=u) for u in ads_by_id.values()][:50]
        indicators = []
        if c["hubs"]:
            words = "; ".join(e for h in c["hubs"] for e in h["evidence"])[:2000]
            indicators.append(
                ObservedIndicator(
                    indicator_id="ad_shared_contact", words=words, certainty="possible", origin="suggested"
                )
            )
        if c.get("movement"):
            m = c["movement"]
            indicators.append(
                ObservedIndicator(
                    indicator_id="ad_movement",
                    words=f"{', '.join(m['cities'])} between {m['first']} and {m['last']}",
                    certainty="possible",
                    origin="suggested",
                )
            )
        narrative = (
            f"Ad screening group {cid}: {len(c['ads'])} ads in {', '.join(c['cities']) or 'unknown cities'}; "
            f"score {c['score']} (advice, not proof). Evidence: " + " | ".join(c["reasons"])
        )[:20000]
        signal = record_signal(
            store,
            actor,
            SignalCreate(
                received_at=date.today(),
                observed_at=None,
                reporter_org=actor.org,
                reporter_sector="platform",
                region=None,
                narrative=narrative,
                indicators=indicators,
                forms=[FormHypothesis(form="sexual", set_by="suggestion")],
                identifiers=identifiers,
                source_id=f"ads-screen:{cid}",
            ),
        )
        ids.append(signal.id)
    return ids
