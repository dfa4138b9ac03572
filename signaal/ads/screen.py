"""The grouping step of a screen: contact links, templates, hubs, movement, clusters, scores.

Takes the per-ad features (and their MinHash signatures) and returns plain results; the service
layer reads and writes files around it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from signaal.ads.grouping import (
    ComponentFinder,
    UnionFind,
    edges_from_keys,
    group_by_key,
    label_components,
)
from signaal.ads.model import AdFeatures
from signaal.ads.resources import rules
from signaal.ads.rules_eval import Hub, Movement, detect_hub, detect_movement
from signaal.ads.scoring import phrase_points, score_cluster
from signaal.ads.textsim import band_keys

__all__ = ["Cluster", "ScreenResult", "screen_features"]


@dataclass(slots=True)
class Cluster:
    """A group of linked ads with its hubs, template, movement, score and reasons."""

    id: str
    ads: list[str]
    hubs: list[Hub]
    cities: list[str]
    contacts: list[str]
    names: list[str]
    score: float
    reasons: list[str]
    movement: Movement | None = None
    template_ads: int = 0

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (the clusters.jsonl line)."""
        return {
            "id": self.id,
            "ads": self.ads,
            "hubs": [h.as_dict() for h in self.hubs],
            "cities": self.cities,
            "contacts": self.contacts,
            "names": self.names,
            "movement": self.movement.as_dict() if self.movement else None,
            "score": self.score,
            "reasons": self.reasons,
        }


@dataclass(slots=True)
class ScreenResult:
    """Per-ad labels and scores, the clusters, and what the grouping step skipped."""

    contact_cluster: list[int]
    template_cluster: list[int]
    cluster: list[int]
    ad_scores: list[float]
    clusters: list[Cluster]
    oversized_keys: list[str] = field(default_factory=list)
    hubs: list[Hub] = field(default_factory=list)


def _template_labels(
    sigs: npt.NDArray[np.uint32] | None,
    eligible: Sequence[bool],
    cfg: dict[str, Any],
    max_group: int,
    finder: ComponentFinder,
) -> list[int]:
    n = len(eligible)
    if sigs is None or n == 0:
        return list(range(n))
    bands = int(cfg["bands"])
    threshold = float(cfg["min_similarity"])
    keys = [band_keys(sigs[i], bands) if eligible[i] else [] for i in range(n)]

    def verify(a: int, b: int) -> bool:
        return bool(float(np.count_nonzero(sigs[a] == sigs[b])) / sigs.shape[1] >= threshold)

    edges, _ = edges_from_keys(group_by_key(keys), max_group, verify)
    return finder.components(n, edges)


def screen_features(
    feats: Sequence[AdFeatures],
    sigs: npt.NDArray[np.uint32] | None,
    *,
    max_group_size: int,
    movement_window_days: int,
    finder: ComponentFinder | None = None,
) -> ScreenResult:
    """Link ads by contact and by template, find hubs and movement, and score the clusters."""
    finder = finder or UnionFind()
    cfg = rules()
    n = len(feats)
    contact_groups = group_by_key([f.contact_keys for f in feats])
    contact_edges, oversized = edges_from_keys(contact_groups, max_group_size)
    contact_labels = finder.components(n, contact_edges)
    eligible = [f.n_tokens >= int(cfg["templates"]["min_tokens"]) for f in feats]
    template_labels = _template_labels(sigs, eligible, cfg["templates"], max_group_size, finder)
    both = finder.components(n, [*contact_edges, *((i, t) for i, t in enumerate(template_labels) if i != t)])

    hubs_by_node: dict[int, list[Hub]] = {}
    all_hubs: list[Hub] = []
    for key, nodes in contact_groups.items():
        if len(nodes) < 2 or len(nodes) > max_group_size:
            continue
        hub = detect_hub(str(key), [feats[i] for i in nodes], cfg["hubs"])
        if hub is not None:
            all_hubs.append(hub)
            hubs_by_node.setdefault(both[nodes[0]], []).append(hub)

    per_hour = [p.per_hour for f in feats for p in f.prices if p.per_hour is not None]
    median = statistics.median(per_hour) if per_hour else None
    low_ratio = float(cfg["scoring"]["low_price_ratio"])
    template_members = label_components(template_labels)
    contact_members = label_components(contact_labels)
    clusters: list[Cluster] = []
    ad_scores = [0.0] * n
    for label, members in sorted(label_components(both).items()):
        group = [feats[i] for i in members]
        movement = None
        if len(members) > 1:
            for via_members, via in (
                (contact_members.get(contact_labels[members[0]], []), "contact"),
                (members, "cluster"),
            ):
                movement = detect_movement(
                    via,
                    [feats[i] for i in via_members],
                    movement_window_days,
                    int(cfg["movement"]["min_cities"]),
                )
                if movement:
                    break
        t_sizes = [(len(template_members[template_labels[i]]), template_labels[i]) for i in members]
        t_ads, t_label = max(t_sizes)
        t_group = [feats[i] for i in template_members[t_label]]
        t_names = len({f.names[0] for f in t_group if f.names} | {k for f in t_group for k in f.contact_keys[:1]})
        prices = [p.per_hour for f in group for p in f.prices if p.per_hour is not None]
        low = bool(median and prices and statistics.median(prices) < low_ratio * median)
        score, reasons = score_cluster(
            group, hubs_by_node.get(label, []), movement, t_ads, t_names, low, cfg["scoring"]
        )
        for i in members:
            own, minus, _ = phrase_points([feats[i]], cfg["scoring"])
            ad_scores[i] = score if len(members) > 1 else max(0.0, own - minus)
        clusters.append(
            Cluster(
                id=f"c{label}",
                ads=[f.ad_id for f in group],
                hubs=hubs_by_node.get(label, []),
                cities=sorted({f.city for f in group if f.city}),
                contacts=sorted({k for f in group for k in f.contact_keys}),
                names=sorted({f.names[0] for f in group if f.names}),
                score=score,
                reasons=reasons,
                movement=movement,
                template_ads=t_ads,
            )
        )
    clusters.sort(key=lambda c: (-c.score, -len(c.ads), c.id))
    return ScreenResult(
        contact_labels, template_labels, both, ad_scores, clusters, [str(k) for k in oversized], all_hubs
    )
