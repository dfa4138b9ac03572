"""Networks: the graph of everything linked, its components classified and explained, and exports.

Person links count when suggested above the threshold or confirmed, never when rejected; a
rejected exact link keeps its identifier from joining the two cases. The graph and its
classification use every case (computed, not disclosed); what the actor may not see
(:mod:`signaal.services.link_access`: another organisation's signal without a sharing act, its
identifiers or persons outside the act's scope, another registry's registration) is shown as hidden.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, NotFound
from signaal.link.disclosure import CaseSight, network_summary, relevant, visible_node
from signaal.link.keys import LinkKey
from signaal.link.model import CaseRecord, PersonRecord
from signaal.link.network import Network, build_graph, network_id, networks
from signaal.link.persons import DEFAULT_THRESHOLD
from signaal.services import audit
from signaal.services.link import load_records
from signaal.services.link_access import case_sight
from signaal.store import Store
from signaal.store.signals import codec_of
from signaal.store.tables_link import LinkRow

__all__ = [
    "DRAW_LIMIT",
    "export_network",
    "graph_inputs",
    "list_networks",
    "network_graph",
    "show_network",
    "signal_network",
]

#: Largest component the web page draws; larger ones are offered as an export.
DRAW_LIMIT = 800


def _graph(session: Session, actor: Actor) -> tuple[nx.Graph[str], CaseSight]:
    """The whole graph (classification uses every case) and what the actor may see of its cases."""
    cases, persons, pairs = graph_inputs(session)
    graph = build_graph(cases, persons, pairs)
    graph.graph["case_of"] = {p.ref: p.case for p in persons}
    return graph, case_sight(session, actor, [(c.ref, c.org) for c in cases])


def graph_inputs(session: Session) -> tuple[list[CaseRecord], list[PersonRecord], list[tuple[str, str]]]:
    """What the network graph is built from: the cases (an identifier of a rejected exact link made
    distinct on that case), the persons, and the person links that count (any engine builds it)."""
    cases, persons = load_records(session)
    pairs = []
    rejected: set[tuple[str, str, str]] = set()
    for link in session.scalars(select(LinkRow).where(LinkRow.status != "suggested", LinkRow.kind == "exact")):
        if link.status == "rejected":
            rejected.add((link.right_case, link.key_kind, link.key_value))
    for left, right, prob, status in session.execute(
        select(LinkRow.left_ref, LinkRow.right_ref, LinkRow.match_probability, LinkRow.status).where(
            LinkRow.kind == "person", LinkRow.status != "rejected"
        )
    ):
        if status == "confirmed" or (prob or 0) >= DEFAULT_THRESHOLD:
            pairs.append((left, right))
    if rejected:
        codec = codec_of(session)  # a rejected exact link names its key by the lookup pseudonym
        cases = [
            CaseRecord(
                **{
                    **c.__dict__,
                    "keys": tuple(
                        LinkKey(k.kind, f"{k.value}#not:{c.ref}")
                        if (c.ref, k.kind, codec.lookup(k.kind, k.value)) in rejected
                        else k
                        for k in c.keys
                    ),
                }
            )
            for c in cases
        ]
    return cases, persons, pairs


def list_networks(store: Store, actor: Actor, *, lang: str = "en", min_cases: int = 1) -> list[dict[str, Any]]:
    """Every network with a case the actor may see, largest and most organised first."""
    with store.session() as session:
        graph, sight = _graph(session, actor)
    found = [
        n
        for n in networks(graph, rules=store.knowledge.network_rules, lang=lang, min_cases=min_cases)
        if relevant(sight, n)
    ]
    out = [network_summary(sight, graph, n, store.knowledge.network_rules, lang) for n in found]
    _audit(store, actor, "network_list", out, {"networks": len(out)})
    return out


def _audit(store: Store, actor: Actor, action: str, nets: list[dict[str, Any]], detail: dict[str, Any]) -> None:
    """One access record naming the signals shown."""
    with store.session() as session:
        audit.record_access(session, actor, action, sorted({s["id"] for n in nets for s in n["signals"]}), detail)


def _held_by(graph: nx.Graph[str], node: str) -> str:
    """The organisation a hidden node is shown as held by: its case's, its records', its edges'."""
    data = graph.nodes[node]
    if data.get("org"):
        return str(data["org"])
    orgs = data.get("orgs") or {e.get("org") for _, _, e in graph.edges(node, data=True)}
    return min(str(o) for o in orgs if o) if any(orgs) else "?"


def _picture(sight: CaseSight, graph: nx.Graph[str], net: Network, held: dict[str, int]) -> nx.Graph[str]:
    """The network's subgraph as the actor may see it: what they may not see becomes one node per
    organisation ("k matches held by other organisations: contact ORG"), edges to it without detail."""
    nodes = set(net.cases) | set(net.persons) | set(net.identifiers)
    sub: nx.Graph[str] = nx.Graph()
    names: dict[str, str] = {}
    for node in sorted(nodes):
        data = graph.nodes[node]
        if visible_node(sight, graph, node):
            names[node] = node
            if node.startswith("case:"):
                data = {**data, "source_id": sight.source_id(node[5:], data["source_id"])}
            attrs = {
                k: (",".join(sorted(v)) if isinstance(v, set | list | tuple) else v)
                for k, v in data.items()
                if v is not None
            }
            attrs["label"] = _label(node, data)
        else:
            org = _held_by(graph, node)
            names[node] = f"held:{org}"
            count = held.get(org, 0)
            label = f"{count} match(es) held by another organisation: contact {org}"
            attrs = {"type": "held", "org": org, "cases": count, "label": label, "hidden": True}
        sub.add_node(names[node], **attrs)
    for a, b, edge in graph.subgraph(nodes).edges(data=True):
        if names[a] == names[b]:
            continue
        shown = edge if a == names[a] and b == names[b] else {"type": edge.get("type")}
        sub.add_edge(names[a], names[b], **{k: v for k, v in shown.items() if v is not None})
    return sub


def network_graph(
    store: Store, actor: Actor, network_id: str, lang: str = "en"
) -> tuple[dict[str, Any], nx.Graph[str]]:
    """One network's summary and its subgraph with what may not be seen held by its organisations."""
    with store.session() as session:
        graph, sight = _graph(session, actor)
    for net in networks(graph, rules=store.knowledge.network_rules, lang=lang):
        if net.id == network_id and relevant(sight, net):
            summary = network_summary(sight, graph, net, store.knowledge.network_rules, lang)
            held = {h["org"]: h["cases"] for h in summary["held_by_other_organisations"]}
            return summary, _picture(sight, graph, net, held)
    raise NotFound(f"no network {network_id!r}")


def _label(node: str, data: dict[str, Any]) -> str:
    if data["type"] == "identifier":
        return f"{data['kind']}: {data['value']}"
    if data["type"] == "person":
        return f"{data.get('role', 'person')} ({len(data['records'])})"
    return f"{data['type']} {data.get('source_id') or node[5:]}"


def show_network(store: Store, actor: Actor, network_id: str, lang: str = "en") -> dict[str, Any]:
    """One network with its nodes and typed edges (and their evidence)."""
    summary, sub = network_graph(store, actor, network_id, lang)
    summary["nodes"] = [{"id": n, **d} for n, d in sub.nodes(data=True)]
    summary["edges"] = [{"source": a, "target": b, **d} for a, b, d in sub.edges(data=True)]
    summary["drawable"] = sub.number_of_nodes() <= DRAW_LIMIT
    _audit(store, actor, "network_read", [summary], {"network": network_id})
    return summary


def export_network(store: Store, actor: Actor, network_id: str, fmt: str) -> bytes:
    """One network as GraphML (Gephi, i2-style tools) or JSON."""
    if fmt not in ("graphml", "json"):
        raise InvalidInput(f"unknown export format {fmt!r}; use graphml or json")
    if fmt == "json":
        shown = show_network(store, actor, network_id)
        _audit(store, actor, "network_export", [shown], {"network": network_id, "format": fmt})
        return json.dumps(shown, indent=2, default=str).encode()
    summary, sub = network_graph(store, actor, network_id)
    _audit(store, actor, "network_export", [summary], {"network": network_id, "format": fmt})
    for _, data in sub.nodes(data=True):
        for k, v in list(data.items()):
            if not isinstance(v, str | int | float | bool):
                data[k] = str(v)
    buffer = io.BytesIO()
    nx.write_graphml(sub, buffer)
    return buffer.getvalue()


def signal_network(store: Store, actor: Actor, signal_id: str) -> str | None:
    """The id of the network a signal is part of (None when it is linked to nothing)."""
    from signaal.services.signals import require_visible

    with store.session() as session:
        require_visible(session, actor, signal_id)
        graph, _ = _graph(session, actor)
    node = f"case:signal:{signal_id}"
    if not graph.has_node(node):
        return None
    component = nx.node_connected_component(graph, node)
    cases = [n for n in component if n.startswith("case:")]
    persons = [n for n in component if n.startswith("person:")]
    if len(cases) < 2 and len(persons) < 2:
        return None
    return network_id(cases)
