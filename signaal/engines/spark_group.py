"""The grouping step of an ad screen on Spark: links, labels, hubs and groups, all on the executors.

The embedded engine groups a dump in one process (:func:`signaal.ads.screen.screen_features`).
Here every part of it is a DataFrame step, and the driver holds counts and a few small lists only:

- **contact links**: the ads' own contacts exploded and grouped by key; a key shared by two to
  ``max_group`` ads links each of them to its first ad (a star), a larger one links none and is
  reported as oversized;
- **template links**: the MinHash band keys exploded; each bucket's first ad leads it, and a member
  is linked to the leader of its first band whose pair verifies (estimate and exact Jaccard);
- **template clusters**: the centre clustering of :func:`signaal.ads.grouping.cluster_centres`
  runs per connected component of the template links (the greedy choice of centres never looks
  past a component), in the embedded engine's link order;
- **labels**: the connected components of the contact links, and of the contact and template
  links together (:mod:`signaal.engines.components`), each labelled by its smallest ad;
- **hubs**: per contact shared by two or more ads, :func:`signaal.ads.screen.hub_of` over those
  ads' features; each hub is attached to the groups it touches;
- **groups**: per group of two or more ads, or of one ad with a hub, the embedded engine's own
  :func:`signaal.ads.screen.group_cluster`, with the dump's median hourly price (counted by value
  on the executors, the median taken on the driver) and the hubs of the group.

The per-group functions run in ``mapInArrow`` over partitions hash-partitioned by the group's key
and sorted by it, so one Python call serves a partition, not a group. Positions are the ads' places
in line order (0, 1, …), as the embedded engine numbers them.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from signaal.ads.batch import to_json
from signaal.ads.grouping import cluster_centres
from signaal.ads.resources import AdResources, rules
from signaal.ads.resources import use as use_resources
from signaal.ads.screen import ESTIMATE_MARGIN, describe_templates, group_cluster, hub_of, median_of_counts
from signaal.engines.components import cut, min_label_components
from signaal.engines.rows import Schema, arrow_schema, ddl, runs

__all__ = ["SparkGroups", "group_on_spark"]


# The rows each per-run function gives: (name, Spark type) pairs.
_CENTRE_SCHEMA = (("pos", "long"), ("tlabel", "long"), ("centre", "boolean"))
_HUB_SCHEMA = (
    ("first_pos", "long"),
    ("first_idx", "long"),
    ("contact", "string"),
    ("hub", "binary"),
    ("hub_json", "binary"),
    ("touched", "array<long>"),
)
_GROUP_SCHEMA = (("label", "long"), ("score", "double"), ("n", "long"), ("members", "array<long>"), ("line", "binary"))


@dataclass
class SparkGroups:
    """What the grouping step made, as frames on the executors (and the few lists on the driver).

    ``labels``: pos, klabel, tlabel, clabel for every ad; ``templates``: pos, tlabel, centre for
    the ads of a template of two or more; ``hubs``: one row per hub; ``groups``: one row per group
    with its clusters.jsonl line; ``scores``: pos, score for every ad; ``contacts``: each own
    contact with its first ad.
    """

    labels: Any
    templates: Any
    hubs: Any
    groups: Any
    scores: Any
    contacts: Any
    oversized_keys: list[str]


def _per_run(
    fn: Callable[[Any, dict[str, list[Any]]], Iterator[dict[str, Any]]],
    key: str,
    schema: Schema,
    resources: AdResources,
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """A mapInArrow function: ``fn`` over each run of ``key``, with the screen's resources installed."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        arrow = arrow_schema(schema)
        rows: list[dict[str, Any]] = []
        with use_resources(resources):
            for value, cols in runs(batches, key):
                rows.extend(fn(value, cols))
                if len(rows) >= 2000:
                    yield pa.RecordBatch.from_pylist(rows, schema=arrow)
                    rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=arrow)

    return run


def _by_run(frame: Any, key: str, order: tuple[str, ...], partitions: int) -> Any:
    """The frame hash-partitioned by ``key`` and sorted by it (then by ``order``) within partitions."""
    return frame.repartition(partitions, key).sortWithinPartitions(key, *order)


def contact_links(ads: Any, max_group: int) -> tuple[Any, Any, list[str]]:
    """Contact links (a, b), each own contact with its first ad, and the keys over ``max_group``."""
    from pyspark.sql import functions as F

    own = ads.select("pos", F.posexplode("own_keys").alias("idx", "key"))
    keys = own.groupBy("key").agg(F.min(F.struct("pos", "idx")).alias("first"), F.count("*").alias("n"))
    keys = cut(keys)
    over = keys.where(F.col("n") > max_group).orderBy("first.pos", "first.idx").select("key").collect()
    shared = keys.where((F.col("n") >= 2) & (F.col("n") <= max_group)).select("key", F.col("first.pos").alias("a"))
    edges = own.join(shared, "key").where("pos != a").select("a", F.col("pos").alias("b"))
    contacts = keys.select("key", F.col("first.pos").alias("pos"), F.col("first.idx").alias("idx"))
    return edges, contacts, [str(row["key"]) for row in over]


def template_links(ads: Any, cfg: dict[str, Any]) -> Any:
    """Verified template links (leader, pos, band, key) as the embedded band loop finds them.

    Band by band the embedded engine pairs each open member of a bucket with the bucket's first ad
    and closes the members verified: a member's link is thus its first band with a verified pair.
    """
    from pyspark.sql import functions as F

    threshold = float(cfg["min_similarity"])
    perms = float(cfg["permutations"])
    eligible = ads.where(F.col("n_tokens") >= int(cfg["min_tokens"]))
    keyed = eligible.select("pos", F.posexplode("bands").alias("band", "key"))
    leaders = keyed.groupBy("band", "key").agg(F.min("pos").alias("leader"))
    pairs = keyed.join(leaders, ["band", "key"]).where("pos != leader")
    member = ads.select("pos", F.col("signature").alias("sig_m"), F.col("shingles").alias("sh_m"))
    leader = ads.select(
        F.col("pos").alias("leader"), F.col("signature").alias("sig_l"), F.col("shingles").alias("sh_l")
    )
    both = pairs.join(member, "pos").join(leader, "leader")
    same = F.aggregate(
        F.zip_with("sig_l", "sig_m", lambda x, y: F.when(x == y, 1).otherwise(0)), F.lit(0), lambda a, x: a + x
    )
    inter = F.size(F.array_intersect("sh_l", "sh_m"))
    union = F.size("sh_l") + F.size("sh_m") - inter
    jaccard = F.when(union > 0, inter / union).otherwise(F.lit(0.0))
    verified = both.where((same / F.lit(perms) >= F.lit(threshold - ESTIMATE_MARGIN)) & (jaccard >= F.lit(threshold)))
    first = verified.groupBy("pos").agg(F.min(F.struct("band", "key", "leader")).alias("first"))
    return cut(first.select("pos", "first.band", "first.key", "first.leader"))


def _centres(max_group: int) -> Callable[[Any, dict[str, list[Any]]], Iterator[dict[str, Any]]]:
    """Centre clustering of one component of template links, in the embedded engine's link order."""

    def fn(_: Any, cols: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
        leader = np.asarray(cols["leader"], dtype=np.int64)
        pos = np.asarray(cols["pos"], dtype=np.int64)
        key = np.asarray(cols["key"], dtype=np.int64).view(np.uint64)  # ordered as uint64, as embedded
        order = np.lexsort((pos, key, np.asarray(cols["band"], dtype=np.int64)))
        nodes = np.unique(np.concatenate([leader, pos]))  # local numbers keep the positions' order
        left = np.searchsorted(nodes, leader[order]).tolist()
        right = np.searchsorted(nodes, pos[order]).tolist()
        labels, centres = cluster_centres(len(nodes), left, right, max_group)
        chosen = set(centres.values())
        for v, label in enumerate(labels):
            if label in centres:
                yield {"pos": int(nodes[v]), "tlabel": int(nodes[label]), "centre": v in chosen}

    return fn


def template_clusters(links: Any, resources: AdResources, max_group: int, partitions: int) -> Any:
    """pos, tlabel, centre of every ad in a template of two or more (centre: the one all are like)."""
    from pyspark.sql import functions as F

    comps = min_label_components(links.select(F.col("leader").alias("a"), F.col("pos").alias("b")), partitions)
    rows = links.join(comps.select(F.col("node").alias("pos"), F.col("label").alias("comp")), "pos")
    fn = _per_run(_centres(max_group), "comp", _CENTRE_SCHEMA, resources)
    return cut(_by_run(rows, "comp", (), partitions).mapInArrow(fn, ddl(_CENTRE_SCHEMA)))


def ad_labels(ads: Any, contact_edges: Any, templates: Any, partitions: int) -> Any:
    """pos, klabel (contact group), tlabel (template), clabel (group) of every ad."""
    from pyspark.sql import functions as F

    template_edges = templates.where("pos != tlabel").select(F.col("tlabel").alias("a"), F.col("pos").alias("b"))
    contact = min_label_components(contact_edges, partitions)
    both = min_label_components(contact_edges.union(template_edges), partitions)
    labels = (
        ads.select("pos")
        .join(contact.select(F.col("node").alias("pos"), F.col("label").alias("k")), "pos", "left")
        .join(templates.select("pos", F.col("tlabel").alias("t")), "pos", "left")
        .join(both.select(F.col("node").alias("pos"), F.col("label").alias("c")), "pos", "left")
        .select(
            "pos",
            F.coalesce("k", "pos").alias("klabel"),
            F.coalesce("t", "pos").alias("tlabel"),
            F.coalesce("c", "pos").alias("clabel"),
            F.col("t").isNotNull().alias("in_template"),
        )
    )
    return cut(labels.repartition(partitions, "pos"))


def _hubs(max_group: int) -> Callable[[Any, dict[str, list[Any]]], Iterator[dict[str, Any]]]:
    def fn(key: Any, cols: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
        feats = [pickle.loads(b) for b in cols["feat"]]
        hub, touched = hub_of(str(key), feats, cols["clabel"], rules()["hubs"], max_group)
        if hub is not None:
            yield {
                "first_pos": cols["first_pos"][0],
                "first_idx": cols["first_idx"][0],
                "contact": hub.contact,
                "hub": pickle.dumps(hub, protocol=pickle.HIGHEST_PROTOCOL),
                "hub_json": to_json(hub.as_dict()),
                "touched": touched,
            }

    return fn


def hubs(ads: Any, labels: Any, resources: AdResources, max_group: int, partitions: int) -> Any:
    """One row per hub: its contact's first ad and place there, the hub, and the groups it touches."""
    from pyspark.sql import functions as F

    keyed = ads.select("pos", F.posexplode("all_keys").alias("idx", "key"))
    shared = keyed.groupBy("key").agg(F.count("*").alias("n"), F.min(F.struct("pos", "idx")).alias("first"))
    shared = shared.where("n >= 2").select(
        "key", F.col("first.pos").alias("first_pos"), F.col("first.idx").alias("first_idx")
    )
    rows = (
        keyed.join(shared, "key")
        .join(ads.select("pos", "feat"), "pos")
        .join(labels.select("pos", "clabel"), "pos")
        .select("key", "pos", "first_pos", "first_idx", "feat", "clabel")
    )
    fn = _per_run(_hubs(max_group), "key", _HUB_SCHEMA, resources)
    return cut(_by_run(rows, "key", ("pos",), partitions).mapInArrow(fn, ddl(_HUB_SCHEMA)))


def _groups(median: float | None, window_days: int) -> Callable[[Any, dict[str, list[Any]]], Iterator[dict[str, Any]]]:
    def fn(label: Any, cols: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
        positions = cols["pos"]
        members = {p: pickle.loads(b) for p, b in zip(positions, cols["feat"], strict=True)}
        contact = dict(zip(positions, cols["klabel"], strict=True))
        template = dict(zip(positions, cols["tlabel"], strict=True))
        # the group's first ad is its label: the hubs that touch the group are joined to it
        hubs = [pickle.loads(h["hub"]) for h in cols["hubs"][0] or []]
        cluster = group_cluster(members, contact, template, hubs, median, window_days)
        masked = dict(zip(positions, cols["masked"], strict=True))
        describe_templates([cluster], {i: masked[i] or "" for i in cluster.template_members})
        yield {
            "label": label,
            "score": cluster.score,
            "n": len(positions),
            "members": positions,
            "line": to_json({**cluster.as_dict(), "template_ads": cluster.template_ads}),
        }

    return fn


def median_per_hour(ads: Any) -> float | None:
    """The dump's median hourly price: the prices counted by value on the executors."""
    from pyspark.sql import functions as F

    counts = ads.select(F.explode("per_hour").alias("v")).groupBy("v").count().collect()
    return median_of_counts([(float(row["v"]), int(row["count"])) for row in counts])


def groups(ads: Any, labels: Any, hub_rows: Any, resources: AdResources, window_days: int, partitions: int) -> Any:
    """One row per group (two or more ads, or one ad with a hub): score, members, clusters.jsonl line."""
    from pyspark.sql import functions as F

    by_label = (
        hub_rows.select("first_pos", "first_idx", "hub", F.explode("touched").alias("label"))
        .groupBy("label")
        .agg(F.sort_array(F.collect_list(F.struct("first_pos", "first_idx", "hub"))).alias("hubs"))
    )
    sizes = labels.groupBy("clabel").agg(F.count("*").alias("size"))
    linked = sizes.where("size > 1").select("clabel").union(by_label.select(F.col("label").alias("clabel"))).distinct()
    rows = (
        labels.join(linked, "clabel")
        .join(ads.select("pos", "feat", "masked"), "pos")
        .join(by_label.withColumnRenamed("label", "pos"), "pos", "left")
        .select(
            "clabel",
            "pos",
            "feat",
            "klabel",
            "tlabel",
            F.when(F.col("in_template"), F.col("masked")).alias("masked"),
            "hubs",
        )
    )
    fn = _per_run(_groups(median_per_hour(ads), window_days), "clabel", _GROUP_SCHEMA, resources)
    return cut(_by_run(rows, "clabel", ("pos",), partitions).mapInArrow(fn, ddl(_GROUP_SCHEMA)))


def group_on_spark(
    ads: Any,
    cfg: dict[str, Any],
    resources: AdResources,
    limits: tuple[int, int],
    partitions: int,
    phase: Callable[..., None] = lambda name, **counts: None,
) -> SparkGroups:
    """The whole grouping step over the numbered ads frame (see the module's docstring).

    ``limits`` are the largest group a contact links and the movement window in days; ``phase``
    is told when each part is done (its frames are materialised by then), with its counts.
    """
    from pyspark.sql import functions as F

    max_group, window_days = limits
    contact_edges, contacts, oversized = contact_links(ads, max_group)
    contact_edges = cut(contact_edges)
    phase("contact links", links=contact_edges.count(), oversized=len(oversized))
    links = template_links(ads, cfg)
    phase("template links", links=links.count())
    templates = template_clusters(links, resources, max_group, partitions)
    phase("template clusters", ads=templates.count())
    labels = ad_labels(ads, contact_edges, templates, partitions)
    phase("components")
    hub_rows = hubs(ads, labels, resources, max_group, partitions)
    phase("hubs", hubs=hub_rows.count())
    group_rows = groups(ads, labels, hub_rows, resources, window_days, partitions)
    phase("groups", groups=group_rows.count())
    members = group_rows.select(F.explode("members").alias("pos"), F.col("score").alias("group_score"))
    scores = (
        ads.select("pos", "lone")
        .join(members, "pos", "left")
        .select("pos", F.coalesce("group_score", "lone").alias("score"))
    )
    return SparkGroups(labels, templates, hub_rows, group_rows, scores, contacts, oversized)
