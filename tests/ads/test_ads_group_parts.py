"""The grouping step cut per group and per contact gives the whole screen's groups (SYNTHETIC ads).

A distributed engine scores each group alone (:func:`group_cluster`), finds each hub from its
contact's ads alone (:func:`hub_of`) and takes the median price from counts by value
(:func:`median_of_counts`); each must give what the whole-dump step gives.
"""

from __future__ import annotations

import collections
import random
import statistics

import pytest

from signaal.ads.batch import slim
from signaal.ads.extract import extract
from signaal.ads.grouping import group_by_key
from signaal.ads.model import Ad
from signaal.ads.resources import rules
from signaal.ads.screen import describe_templates, group_cluster, hub_of, median_of_counts, screen_features
from signaal.ads.synthetic import generate_ads


def _ads(n: int, seed: int) -> list[Ad]:
    fields = ("title", "body", "city", "posted", "url", "name", "age")
    return [
        Ad(id=str(d["id"]), phones=tuple(d.get("phones") or ()), **{k: str(d.get(k) or "") for k in fields})
        for d in generate_ads(n, seed=seed)
    ]


@pytest.mark.parametrize("seed", [3, 17])
def test_each_group_scored_alone_is_the_group_of_the_whole_screen(seed: int) -> None:
    full = [extract(ad) for ad in _ads(400, seed)]
    result = screen_features(full, max_group_size=40, movement_window_days=14)
    feats = [slim(f) for f in full]
    assert len(result.clusters) > 10 and result.hubs  # the synthetic set has groups and hubs
    median = statistics.median([p.per_hour for f in feats for p in f.prices if p.per_hour is not None])
    for cluster in result.clusters:
        label = int(cluster.id[1:])
        positions = [i for i, c in enumerate(result.cluster) if c == label]
        alone = group_cluster(
            {i: feats[i] for i in positions},
            {i: result.contact_cluster[i] for i in positions},
            {i: result.template_cluster[i] for i in positions},
            cluster.hubs,
            median,
            14,
        )
        describe_templates([alone], {i: full[i].masked_text for i in alone.template_members})
        assert alone.as_dict() == cluster.as_dict()
        assert alone.template_members == cluster.template_members


def test_each_hub_found_alone_is_the_hub_of_the_whole_screen() -> None:
    feats = [extract(ad) for ad in _ads(300, 5)]
    result = screen_features(feats, max_group_size=5, movement_window_days=14)  # some keys over the limit
    found = []
    for key, nodes in group_by_key([f.contact_keys for f in feats]).items():
        if len(nodes) >= 2:
            hub, touched = hub_of(
                str(key), [feats[i] for i in nodes], [result.cluster[i] for i in nodes], rules()["hubs"], 5
            )
            if hub is not None:
                found.append(hub)
                assert touched == sorted({result.cluster[i] for i in nodes})
    assert [h.as_dict() for h in found] == [h.as_dict() for h in result.hubs]
    assert any(not h.linked for h in found)  # a contact behind more ads than the limit is still a hub


def test_the_median_from_counts_is_statistics_median() -> None:
    rng = random.Random(7)
    for size in (1, 2, 3, 10, 11, 500):
        values = [rng.choice([50.0, 80.0, 100.0, 120.0, 150.0, 200.5]) for _ in range(size)]
        counts = list(collections.Counter(values).items())
        rng.shuffle(counts)
        assert median_of_counts(counts) == statistics.median(values)
    assert median_of_counts([]) is None
