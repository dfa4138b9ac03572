"""What an actor is shown of a network: the pure part, used by the web and by the Spark engine alike.

The graph and the classification's label use every case (computed, not disclosed). What is shown —
size, facts, forms, timeline, roles, the reasons of the classification — is computed over the
nodes the actor may see (:class:`CaseSight`); hidden cases count per organisation as "k matches
held by other organisations: contact ORG".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from signaal.domain.access import FieldGroup
from signaal.link.network import Network, aggregates, fired_facts, roles

__all__ = ["CaseSight", "about", "network_summary", "relevant", "shown", "visible_node"]


@dataclass(frozen=True)
class CaseSight:
    """Per link case ref: the field groups of it the actor may see (empty: hidden)."""

    scopes: dict[str, frozenset[FieldGroup]]

    def sees(self, ref: str, group: FieldGroup = FieldGroup.SUMMARY) -> bool:
        """Whether the case (and with ``group``, that part of it) is the actor's to see."""
        return group in self.scopes.get(ref, frozenset())

    def source_id(self, ref: str, source_id: str | None) -> str | None:
        """The reporter's case number points at the person: shown as a shared signal's page shows it."""
        return source_id if self.sees(ref, FieldGroup.NARRATIVE) and self.sees(ref, FieldGroup.PERSONS) else None


def visible_node(sight: CaseSight, graph: nx.Graph[str], node: str) -> bool:
    """A case the actor may see; a person on a case whose persons they may see; an identifier on a
    case whose identifiers they may see, or used by a person they may see."""
    data = graph.nodes[node]
    if data["type"] in ("signal", "registration", "ad_group"):
        return sight.sees(node[5:])
    if data["type"] == "person":
        case_of = graph.graph["case_of"]
        return any(sight.sees(case_of[r], FieldGroup.PERSONS) for r in data["records"])
    return any(
        sight.sees(n[5:], FieldGroup.IDENTIFIERS) if n.startswith("case:") else visible_node(sight, graph, n)
        for n in graph.neighbors(node)
        if not n.startswith("id:")
    )


def about(sight: CaseSight, graph: nx.Graph[str], node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    if not visible_node(sight, graph, node):
        return {"type": data["type"], "hidden": True}
    if data["type"] == "identifier":
        return {"type": "identifier", "kind": data["kind"], "value": data["value"]}
    return {"type": "person", "id": node.split(":", 1)[1], "role": data.get("role"), "records": len(data["records"])}


def shown(sight: CaseSight, graph: nx.Graph[str], net: Network, rules: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the summary discloses, computed over the nodes the actor may see; the classification's
    label alone uses every case (computed, not disclosed), its reasons only what is seen."""
    everything = [*net.cases, *net.persons, *net.identifiers]
    seen = {n for n in everything if visible_node(sight, graph, n)}
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


def network_summary(
    sight: CaseSight, graph: nx.Graph[str], net: Network, rules: dict[str, Any], lang: str = "en"
) -> dict[str, Any]:
    """One network as the actor is shown it (the web's summary, the Spark engine's ``network``)."""
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
            source_id = sight.source_id(case[5:], data["source_id"])
            signals.append({"id": case.split(":", 2)[2], "source_id": source_id, "kind": data["type"]})
    part = shown(sight, graph, net, rules, lang)
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
            {"rank": i, "about": about(sight, graph, r.node), "score": r.score, "evidence": list(r.evidence)}
            for i, r in enumerate(part["roles"][:20], 1)
        ],
        "timeline": part["timeline"],
        "note": "classification and roles are leads for an analyst, shown with their evidence; not findings",
    }


def relevant(sight: CaseSight, net: Network) -> bool:
    """A network is shown to whoever may see at least one of its cases."""
    return any(sight.sees(c[5:]) for c in net.cases)
