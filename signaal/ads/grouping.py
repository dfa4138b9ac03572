"""The grouping step, apart from how it runs: blocking keys → edges → connected components.

Everything here works on plain sequences so that the same steps can run on a distributed engine
(a group-by on blocking keys, a pair verification, a connected-components job). The in-memory
implementation of components is :class:`UnionFind`; another engine implements
:class:`ComponentFinder`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

__all__ = [
    "ComponentFinder",
    "UnionFind",
    "centre_clusters",
    "cluster_centres",
    "edges_from_keys",
    "group_by_key",
    "label_components",
    "label_components_of",
]


class ComponentFinder(Protocol):
    """Connected components of n nodes under a stream of edges: one label per node."""

    def components(self, n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
        """A component label (the smallest member) for every node."""
        ...


class UnionFind:
    """In-memory union-find with path halving; the default ComponentFinder."""

    def components(self, n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
        """A component label (the smallest member) for every node."""
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in edges:
            ra, rb = find(a), find(b)
            if ra != rb:
                if ra < rb:
                    parent[rb] = ra
                else:
                    parent[ra] = rb
        return [find(i) for i in range(n)]


def group_by_key(keys_per_node: Sequence[Iterable[object]]) -> dict[object, list[int]]:
    """Blocking: every key with the nodes that carry it (a group-by on a distributed engine)."""
    groups: dict[object, list[int]] = defaultdict(list)
    for node, keys in enumerate(keys_per_node):
        for key in dict.fromkeys(keys):  # first-seen order, not a set's: the same output every run
            groups[key].append(node)
    return groups


def edges_from_keys(
    groups: dict[object, list[int]],
    max_group: int,
    verify: Callable[[int, int], bool] | None = None,
) -> tuple[list[tuple[int, int]], list[object]]:
    """Edges between nodes sharing a key, and the keys skipped as larger than max_group.

    Without ``verify`` each group becomes a star; with it, neighbours in the group are paired
    and each pair kept only if verified (linear in the group size, never quadratic).
    """
    edges: list[tuple[int, int]] = []
    skipped: list[object] = []
    for key, nodes in groups.items():
        if len(nodes) < 2:
            continue
        if len(nodes) > max_group:
            skipped.append(key)
            continue
        if verify is None:
            first = nodes[0]
            edges.extend((first, other) for other in nodes[1:])
        else:
            # each member is tried against its neighbour, then against the first member
            first = nodes[0]
            for prev, node in itertools.pairwise(nodes):
                if verify(prev, node):
                    edges.append((prev, node))
                elif prev != first and verify(first, node):
                    edges.append((first, node))
    return edges, skipped


def label_components(labels: Sequence[int]) -> dict[int, list[int]]:
    """Components as lists of members, keyed by label (singletons included)."""
    members: dict[int, list[int]] = defaultdict(list)
    for node, label in enumerate(labels):
        members[label].append(node)
    return members


def label_components_of(labels: Sequence[int] | Mapping[int, int], nodes: Iterable[int]) -> dict[int, list[int]]:
    """Components as lists of members, for the given nodes only (all members of a label that
    appear among them)."""
    members: dict[int, list[int]] = defaultdict(list)
    for node in nodes:
        members[labels[node]].append(node)
    return members


def centre_clusters(n: int, left: Sequence[int], right: Sequence[int], max_size: int = 0) -> list[int]:
    """Labels of :func:`cluster_centres` (the smallest member of each cluster)."""
    return cluster_centres(n, left, right, max_size)[0]


def cluster_centres(
    n: int, left: Sequence[int], right: Sequence[int], max_size: int = 0
) -> tuple[list[int], dict[int, int]]:
    """Clusters that do not chain: every member is directly linked to its cluster's centre.

    Nodes are taken by falling degree (ties: lower index); an unassigned node with unassigned
    neighbours becomes a centre and takes them. A is like B and B like C never puts A with C
    unless A is like the centre itself. ``max_size`` (0: none) caps a cluster; the rest of a
    centre's neighbours stay free for other centres. Labels are the smallest member; the
    second result gives each cluster's centre by its label (the member all others are like).
    """
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, b in zip(left, right, strict=True):
        neighbours[int(a)].append(int(b))
        neighbours[int(b)].append(int(a))
    label = list(range(n))
    centres: dict[int, int] = {}
    assigned = [False] * n
    for centre in sorted(neighbours, key=lambda v: (-len(neighbours[v]), v)):
        if assigned[centre]:
            continue
        members = [v for v in neighbours[centre] if not assigned[v]]
        if not members:
            continue
        if max_size:
            members = members[: max_size - 1]
        members.append(centre)
        smallest = min(members)
        centres[smallest] = centre
        for v in members:
            assigned[v] = True
            label[v] = smallest
    return label, centres
