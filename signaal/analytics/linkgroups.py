"""Groups of signals that share an identifier (phone, company, plate, account ...): a proxy for organised cases.

Until the linking work's networks are in the registry, a signal in a group of three or more
signals joined by shared identifiers counts as "possibly organised" in the monitor; the report
says it is a proxy. Union-find over (kind, value) keys; only group sizes leave this module.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ORGANISED_MIN_GROUP", "group_sizes"]

#: Smallest group of linked signals counted as "possibly organised".
ORGANISED_MIN_GROUP = 3


def group_sizes(keys: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """Size of the group of each signal that shares at least one identifier with another (others are left out)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    first_of: dict[tuple[str, str], str] = {}
    for sid, kind, value in keys:
        parent.setdefault(sid, sid)
        other = first_of.setdefault((kind, value), sid)
        a, b = find(sid), find(other)
        if a != b:
            parent[a] = b
    sizes: dict[str, int] = {}
    for sid in parent:
        root = find(sid)
        sizes[root] = sizes.get(root, 0) + 1
    return {sid: sizes[find(sid)] for sid in parent if sizes[find(sid)] > 1}
