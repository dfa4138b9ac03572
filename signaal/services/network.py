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

from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.errors import InvalidInput, NotFound
from signaal.link.keys import LinkKey
from signaal.link.model import CaseRecord, PersonRecord
from signaal.link.network import Network, aggregates, build_graph, fired_facts, network_id, networks, roles
from signaal.link.persons import DEFAULT_THRESHOLD
from signaal.services import audit
from signaal.services.link import load_records
from signaal.services.link_access import CaseSight, case_sight
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


def _visible_node(sight: CaseSight, graph: nx.Graph[str], node: str) -> bool:
    """A case the actor may see; a person on a case whose persons they may see; an identifier on a
    case whose identifiers they may see, or used by a person they may see."""
    data = graph.nodes[node]
    if data["type"] in ("signal", "registration", "ad_group"):
        return sight.sees(node[5:])
    if data["type"] == "person":
        case_of = graph.graph["case_of"]
        return any(sight.sees(case_of[r], FieldGroup.PERSONS) for r in data["records"])
    return any(
        sight.sees(n[5:], FieldGroup.IDENTIFIERS) if n.startswith("case:") else _visible_node(sight, graph, n)
        for n in graph.neighbors(node)
        if not n.startswith("id:")
    )


def _about(sight: CaseSight, graph: nx.Graph[str], node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    if not _visible_node(sight, graph, node):
        return {"type": data["type"], "hidden": True}
    if data["type"] == "identifier":
        return {"type": "identifier", "kind": data["kind"], "value": data["value"]}
    return {"type": "person", "id": node.split(":", 1)[1], "role": data.get("role"), "records": len(data["records"])}


def _shown(sight: CaseSight, graph: nx.Graph[str], net: Network, rules: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the summary discloses, computed over the nodes the actor may see; the classification's
    label alone uses every case (computed, not disclosed), its reasons only what is seen."""
    everything = [*net.cases, *net.persons, *net.identifiers]
    seen = {n for n in everything if _visible_node(sight, graph, n)}
    hidden = sum(1 for c in net.cases if c not in seen)
    if len(seen) == len(everything):
        return {
            "nodes": seen, "facts": net.facts, "forms": net.forms, "crimes": net.crimes,
            "timeline": net.timeline, "roles": net.roles, "reasons": net.reasons, "hidden": 0,
        }  # fmt: skip
    shown = aggregates(graph, seen, rules)
    ranked = roles(graph, seen) if len(seen) <= 5000 else []
    return {
        **shown,
        "nodes": seen,
        "roles": ranked,
        "reasons": fired_facts(shown["facts"], rules, lang),
        "hidden": hidden,
    }


def _summary(
    sight: CaseSight, graph: nx.Graph[str], net: Network, rules: dict[str, Any], lang: str = "en"
) -> dict[str, Any]:
    signals: list[dict[str, Any]] = []
    registrations: list[dict[str, Any]] = []
    held: dict[str, int] = {}
    for case in net.cases:
        data = graph.nodes[case]
        if not sight.sees(case[5:]):
            held[data["org"]] = held.get(data["org"], 0) + 1
        elif data["type"] == "registration":
            registrations.append({"ref": case[5:], "org": data["org"], "source_id": data["source_id"]})
        else:
            shown = sight.source_id(case[5:], data["source_id"])
            signals.append({"id": case.split(":", 2)[2], "source_id": shown, "kind": data["type"]})
    part = _shown(sight, graph, net, rules, lang)
    nodes = part["nodes"]
    return {
        "id": net.id,
        "size": {
            "cases": sum(1 for n in nodes if n.startswith("case:")),
            "persons": sum(1 for n in nodes if n.startswith("person:")),
            "identifiers": sum(1 for n in nodes if n.startswith("id:")),
        },
        "signals": signals,
        "registrations": registrations,
        "held_by_other_organisations": [
            {"org": org, "cases": n, "contact": f"another organisation holds a match: contact {org}"}
            for org, n in sorted(held.items())
        ],
        "classification": {
            "label": net.classification,
            "reasons": part["reasons"],
            "also_counts_held_cases": part["hidden"],
        },
        "organisation_score": net.score,
        "facts": part["facts"],
        "forms": part["forms"],
        "other_crime": part["crimes"],
        "roles": [
            {"rank": i, "about": _about(sight, graph, r.node), "score": r.score, "evidence": list(r.evidence)}
            for i, r in enumerate(part["roles"][:20], 1)
        ],
        "timeline": part["timeline"],
        "note": "classification and roles are leads for an analyst, shown with their evidence; not findings",
    }


def _relevant(sight: CaseSight, net: Network) -> bool:
    """A network is shown to whoever may see at least one of its cases."""
    return any(sight.sees(c[5:]) for c in net.cases)


def list_networks(store: Store, actor: Actor, *, lang: str = "en", min_cases: int = 1) -> list[dict[str, Any]]:
    """Every network with a case the actor may see, largest and most organised first."""
    with store.session() as session:
        graph, sight = _graph(session, actor)
    found = [
        n
        for n in networks(graph, rules=store.knowledge.network_rules, lang=lang, min_cases=min_cases)
        if _relevant(sight, n)
    ]
    out = [_summary(sight, graph, n, store.knowledge.network_rules, lang) for n in found]
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
        if _visible_node(sight, graph, node):
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
        if net.id == network_id and _relevant(sight, net):
            summary = _summary(sight, graph, net, store.knowledge.network_rules, lang)
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
