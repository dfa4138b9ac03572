"""The grouping step of a screen: contact links, templates, hubs, movement, clusters, scores.

Takes the per-ad features and returns plain results; the service layer reads and writes files
around it. Three groupings come out:

- ``contact_cluster``: ads linked by an own contact they share (connected components). An ad's
  own contacts are its contact field, or, without one, the contacts in its text; a contact in the
  text beside a different number in the field is co-listed and does not link (see model.Contact).
- ``template_cluster``: near-duplicate masked texts, clustered around centres so that they do not
  chain (every member's shingle set is similar to its centre's; see grouping.centre_clusters).
- ``cluster``: both together. A hub (one contact behind several names, cities or numbers, own or
  co-listed) is reported on every cluster it touches, with its evidence; it does not merge them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from signaal.ads.batch import sketch_features
from signaal.ads.grouping import (
    ComponentFinder,
    UnionFind,
    cluster_centres,
    edges_from_keys,
    group_by_key,
    label_components_of,
)
from signaal.ads.model import AdFeatures
from signaal.ads.resources import Rules, rules
from signaal.ads.rules_eval import Hub, Movement, detect_hub, detect_movement
from signaal.ads.scoring import Reason, lone_ad_points, score_cluster
from signaal.ads.textsim import Shingles, Sketch, band_keys, band_pairs, estimated_similarity, jaccard, slots

T = TypeVar("T")

__all__ = [
    "ESTIMATE_MARGIN",
    "TEMPLATE_TEXTS",
    "Cluster",
    "ScreenResult",
    "TemplateIndex",
    "describe_templates",
    "group_cluster",
    "hub_of",
    "median_of_counts",
    "screen_features",
    "template_groups",
]


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
    reasons: list[str]  # in English, as the CLI and the report print them
    movement: Movement | None = None
    template_ads: int = 0
    template_members: list[int] = field(default_factory=list)  # ad indices (a few) of its template
    template: str = ""  # the shared text of the template, varying words as "…"
    slots: list[str] = field(default_factory=list)  # the words that vary between its ads
    reason_codes: list[Reason] = field(default_factory=list)  # the reasons as codes and values

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
            "template": {"ads": self.template_ads, "text": self.template, "slots": self.slots}
            if self.template
            else None,
            "score": self.score,
            "reasons": self.reasons,
            "reason_codes": [r.as_dict() for r in self.reason_codes],
        }


# Members of a template whose masked texts make its shared text and slots.
TEMPLATE_TEXTS = 10


def describe_templates(clusters: Sequence[Cluster], masked: Mapping[int, str]) -> None:
    """Fill each cluster's shared template text and varying slots from its members' masked texts.

    ``masked`` holds the masked text of (at least) every index in the clusters'
    ``template_members``; clusters whose template has one ad get none.
    """
    for cluster in clusters:
        texts = [masked[i] for i in cluster.template_members if masked.get(i)]
        if len(texts) >= 2:
            cluster.template, cluster.slots = slots(texts)


@dataclass(slots=True)
class TemplateIndex:
    """What the template step learnt: labels, verified links to centres, band keys, shingles."""

    labels: list[int]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    keys: npt.NDArray[np.uint64] | None = None
    shingles: Shingles | None = None
    eligible: npt.NDArray[np.bool_] | None = None
    centres: dict[int, int] = field(default_factory=dict)  # each cluster's centre, by its label


@dataclass(slots=True)
class ScreenResult:
    """Per-ad labels and scores, the clusters, and what the grouping step skipped."""

    contact_cluster: list[int]
    template_cluster: list[int]
    cluster: list[int]
    ad_scores: list[float]
    clusters: list[Cluster]  # groups of two or more ads, and lone ads with a hub
    oversized_keys: list[str] = field(default_factory=list)
    hubs: list[Hub] = field(default_factory=list)
    templates: TemplateIndex | None = None


# A candidate pair whose MinHash estimate falls this far below the threshold is not verified
# exactly: with 64 permutations the estimate's standard deviation is at most 0.0625. A distributed
# engine verifies with the same margin.
ESTIMATE_MARGIN = 0.2


def template_groups(
    lengths: npt.NDArray[np.int64], cfg: dict[str, Any], max_group: int, sketched: Sketch
) -> TemplateIndex:
    """Template clusters: LSH candidates, exact Jaccard of shingle sets, centre clustering.

    ``lengths`` holds how many words each ad's masked text has, ``sketched`` the ads' shingles and
    MinHash signatures (see batch.sketch_features).
    """
    n = len(lengths)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return TemplateIndex([], empty, empty)
    threshold = float(cfg["min_similarity"])
    sh, sigs = sketched.shingles, sketched.signatures
    keys = band_keys(sigs, int(cfg["bands"]))
    eligible = lengths >= int(cfg["min_tokens"])
    # Band by band: a member verified against one bucket leader needs no further candidates,
    # so the exact comparisons stay close to one per ad however alike the texts are.
    open_ = eligible.copy()
    lefts: list[npt.NDArray[np.int64]] = []
    rights: list[npt.NDArray[np.int64]] = []
    for b in range(keys.shape[1]):
        left, right = band_pairs(keys[:, b], eligible, open_)
        likely = estimated_similarity(sigs, left, right) >= threshold - ESTIMATE_MARGIN
        left, right = left[likely], right[likely]
        keep = jaccard(sh, left, right) >= threshold
        lefts.append(left[keep])
        rights.append(right[keep])
        open_[right[keep]] = False
    left, right = np.concatenate(lefts), np.concatenate(rights)
    labels, centres = cluster_centres(n, left.tolist(), right.tolist(), max_group)
    # the links that hold a cluster together: each member to its cluster's label
    lab = np.asarray(labels, dtype=np.int64)
    members = np.flatnonzero(lab != np.arange(n))
    return TemplateIndex(labels, lab[members], members.astype(np.int64), keys, sh, eligible, centres)


def screen_features(
    feats: Sequence[AdFeatures],
    *,
    max_group_size: int,
    movement_window_days: int,
    finder: ComponentFinder | None = None,
    sketched: Sketch | None = None,
    templates: TemplateIndex | None = None,
) -> ScreenResult:
    """Link ads by contact and by template, find hubs and movement, and score the groups.

    ``sketched`` holds the ads' shingles and signatures when the per-batch step made them (see
    batch.screen_batch); without it they are made here from the features' word hashes. An engine
    that found the template links itself (a distributed one) hands them in as ``templates``.
    """
    finder = finder or UnionFind()
    cfg = rules()
    n = len(feats)
    all_keys = [f.contact_keys for f in feats]
    own_keys = [f.own_keys for f in feats]
    contact_edges, oversized = edges_from_keys(group_by_key(own_keys), max_group_size)
    contact_labels = finder.components(n, contact_edges)
    lengths = np.fromiter((f.n_tokens for f in feats), dtype=np.int64, count=n)
    if templates is None:
        templates = template_groups(lengths, cfg["templates"], max_group_size, sketched or sketch_features(feats))
    template_edges = zip(templates.left.tolist(), templates.right.tolist(), strict=True)
    both = finder.components(n, [*contact_edges, *template_edges])
    hubs_by_label, all_hubs = _hubs(feats, all_keys, both, cfg["hubs"], max_group_size)
    ad_scores = [0.0] * n
    # A lone ad is scored on its phrases and gets no Cluster object: in a large dump most ads
    # stand alone, so the member lists below are built for the linked ads only.
    sizes = np.bincount(np.asarray(both, dtype=np.int64), minlength=n)
    linked = [i for i in range(n) if sizes[both[i]] > 1 or both[i] in hubs_by_label]
    for i in np.flatnonzero(sizes[np.asarray(both, dtype=np.int64)] == 1).tolist():
        if both[i] not in hubs_by_label:
            ad_scores[i] = lone_ad_points(feats[i], cfg["scoring"])
    labels = _Labels(contact_labels, templates.labels, both, own_keys, all_keys)
    members_of = {
        "template": label_components_of(templates.labels, linked),
        "contact": label_components_of(contact_labels, linked),
    }
    context = _GroupContext(feats, labels, members_of, hubs_by_label, _median_per_hour(feats), cfg)
    clusters: list[Cluster] = []
    for label, members in sorted(label_components_of(both, linked).items()):
        cluster = _group(context, label, members, movement_window_days)
        for i in members:
            ad_scores[i] = cluster.score
        clusters.append(cluster)
    clusters.sort(key=lambda c: (-c.score, -len(c.ads), c.id))
    if any(f.masked_text for f in feats):  # full features (in memory) carry their masked text
        describe_templates(clusters, {i: feats[i].masked_text for c in clusters for i in c.template_members})
    return ScreenResult(
        contact_labels, templates.labels, both, ad_scores, clusters, [str(k) for k in oversized], all_hubs, templates
    )


def _hubs(
    feats: Sequence[AdFeatures], all_keys: list[list[str]], both: list[int], cfg: dict[str, Any], max_group_size: int
) -> tuple[dict[int, list[Hub]], list[Hub]]:
    """The hubs among the contacts shared by two or more ads, by the groups they touch, and all."""
    hubs_by_label: dict[int, list[Hub]] = {}
    all_hubs: list[Hub] = []
    for key, nodes in group_by_key(all_keys).items():
        if len(nodes) < 2:
            continue
        hub, touched = hub_of(str(key), [feats[i] for i in nodes], [both[i] for i in nodes], cfg, max_group_size)
        if hub is not None:
            all_hubs.append(hub)
            for label in touched:
                hubs_by_label.setdefault(label, []).append(hub)
    return hubs_by_label, all_hubs


def hub_of(
    key: str, ads: Sequence[AdFeatures], labels: Sequence[int], cfg: dict[str, Any], max_group_size: int
) -> tuple[Hub | None, list[int]]:
    """The hub behind one contact shared by ``ads`` (in dump order), and the group labels it touches.

    ``labels`` holds each ad's group label. A contact behind more ads than the limit links none of
    them, but it is the widest fan-out of all: it is still a hub, reported with its evidence on the
    groups it touches.
    """
    hub = detect_hub(key, list(ads), cfg)
    if hub is None:
        return None, []
    hub.linked = len(ads) <= max_group_size
    touched = sorted(set(labels))
    hub.clusters = [f"c{label}" for label in touched]
    return hub, touched


def group_cluster(
    members: Mapping[int, AdFeatures],
    contact: Mapping[int, int],
    template: Mapping[int, int],
    hubs: list[Hub],
    median_per_hour: float | None,
    movement_window_days: int,
) -> Cluster:
    """One group scored on its own: the same Cluster as :func:`screen_features` makes for it.

    ``members`` holds the group's ads by position in the dump (all of them: a group holds whole
    contact and template groups), ``contact`` and ``template`` their contact and template labels,
    ``hubs`` the hubs that touch it (in the order of their contacts' first ads), and
    ``median_per_hour`` the whole dump's median hourly price. A distributed engine calls this per
    group; the label is the group's smallest position.
    """
    positions = sorted(members)
    own = {i: members[i].own_keys for i in positions}
    keys = {i: members[i].contact_keys for i in positions}
    labels = _Labels(contact, template, {}, own, keys)
    members_of = {
        "template": label_components_of(template, positions),
        "contact": label_components_of(contact, positions),
    }
    context = _GroupContext(members, labels, members_of, {positions[0]: hubs}, median_per_hour, rules())
    return _group(context, positions[0], positions, movement_window_days)


def _median_per_hour(feats: Sequence[AdFeatures]) -> float | None:
    per_hour = [p.per_hour for f in feats for p in f.prices if p.per_hour is not None]
    return statistics.median(per_hour) if per_hour else None


def median_of_counts(counts: Sequence[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how often), as ``statistics.median`` gives it.

    A distributed engine counts the hourly prices by value and hands the counts to the driver.
    """
    ordered = sorted(counts)
    n = sum(c for _, c in ordered)
    if not n:
        return None
    wanted = [n // 2] if n % 2 else [n // 2 - 1, n // 2]
    found: list[float] = []
    seen = 0
    for value, count in ordered:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2


# By position in the dump: a list over the whole dump, or a mapping over one group's positions.
_ByPosition = Sequence[T] | Mapping[int, T]


@dataclass(slots=True)
class _Labels:
    contact: _ByPosition[int]
    template: _ByPosition[int]
    both: _ByPosition[int]
    own_keys: _ByPosition[list[str]]
    all_keys: _ByPosition[list[str]]


@dataclass(slots=True)
class _GroupContext:
    """What scoring one group needs to know about the whole screen."""

    feats: _ByPosition[AdFeatures]
    labels: _Labels
    members_of: dict[str, dict[int, list[int]]]  # "template"/"contact" label -> linked members
    hubs_by_label: dict[int, list[Hub]]
    median_per_hour: float | None
    cfg: Rules


def _movement(context: _GroupContext, members: list[int], window_days: int) -> Movement | None:
    """Movement of the group's contact group, else of the whole group."""
    feats, min_cities = context.feats, int(context.cfg["movement"]["min_cities"])
    contact_members = context.members_of["contact"].get(context.labels.contact[members[0]], [])
    for via_members, via in ((contact_members, "contact"), (members, "cluster")):
        movement = detect_movement(via, [feats[i] for i in via_members], window_days, min_cities)
        if movement:
            return movement
    return None


def _group(context: _GroupContext, label: int, members: list[int], window_days: int) -> Cluster:
    """One group of linked ads with its hubs, movement, template, score and reasons."""
    feats, labels = context.feats, context.labels
    group = [feats[i] for i in members]
    hubs = context.hubs_by_label.get(label, [])
    movement = _movement(context, members, window_days) if len(members) > 1 else None
    template_members = context.members_of["template"]
    t_ads, t_label = max((len(template_members[labels.template[i]]), labels.template[i]) for i in members)
    t_group = [feats[i] for i in template_members[t_label]]
    t_names = len({f.names[0] for f in t_group if f.names})
    t_contacts = len({labels.own_keys[i][0] for i in template_members[t_label] if labels.own_keys[i]})
    prices = [p.per_hour for f in group for p in f.prices if p.per_hour is not None]
    median, low_ratio = context.median_per_hour, float(context.cfg["scoring"]["low_price_ratio"])
    low = bool(median and prices and statistics.median(prices) < low_ratio * median)
    score, reasons = score_cluster(
        group, hubs, movement, t_ads, t_names, low, context.cfg["scoring"], template_contacts=t_contacts
    )
    return Cluster(
        id=f"c{label}",
        ads=[f.ad_id for f in group],
        hubs=hubs,
        cities=sorted({f.city for f in group if f.city}),
        contacts=sorted({k for i in members for k in labels.all_keys[i]}),
        names=sorted({f.names[0] for f in group if f.names}),
        score=score,
        reasons=[r.text for r in reasons],
        reason_codes=reasons,
        movement=movement,
        template_ads=t_ads,
        template_members=template_members[t_label][:TEMPLATE_TEXTS] if t_ads >= 2 else [],
    )
