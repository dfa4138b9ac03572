"""The network: cases, persons and identifiers as one graph; components, classification, roles.

Person records joined by person links become one person node. Edges are typed and keep their
evidence: ``on_case`` (a person on a case, with the role), ``contact`` (an identifier on a case),
``uses`` (an identifier recorded with the person). Each connected component is a candidate case,
classified by the stated rule in ``data/network_rules.yaml`` (handed in: ``Knowledge.network_rules``) and explained by the facts that fired.
Roles are leads for an analyst, never findings.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from signaal.link.model import CaseRecord, PersonRecord

__all__ = [
    "Network",
    "Role",
    "aggregates",
    "build_graph",
    "classify",
    "fired_facts",
    "network_id",
    "network_record",
    "networks",
    "person_clusters",
]


@dataclass(frozen=True)
class Role:
    """A lead about one person or identifier: its score and the evidence behind it."""

    node: str
    kind: str  # person | identifier
    label: str
    score: float
    evidence: tuple[str, ...]


@dataclass
class Network:
    """One connected component with its facts, classification and ranked roles."""

    id: str
    cases: list[str]
    persons: list[str]
    identifiers: list[str]
    facts: dict[str, Any]
    classification: str
    reasons: list[str]
    roles: list[Role] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    crimes: list[str] = field(default_factory=list)
    timeline: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0


def person_clusters(persons: Sequence[PersonRecord], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each person record's cluster id (the smallest record ref of its linked group)."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(p.ref for p in persons)
    graph.add_edges_from(pairs)
    out: dict[str, str] = {}
    for component in nx.connected_components(graph):
        head = min(component)
        for ref in component:
            out[ref] = head
    return out


def build_graph(
    cases: Sequence[CaseRecord], persons: Sequence[PersonRecord], person_pairs: Iterable[tuple[str, str]]
) -> nx.Graph[str]:
    """The graph of cases, merged persons and identifiers with typed, evidenced edges."""
    graph: nx.Graph[str] = nx.Graph()
    for case in cases:
        graph.add_node(
            f"case:{case.ref}",
            type=case.kind,
            org=case.org,
            date=case.date,
            city=case.city,
            forms=case.forms,
            crimes=case.crimes,
            source_id=case.source_id or case.ref,
        )
        for key in case.keys:
            node = f"id:{key.kind}:{key.value}"
            graph.add_node(node, type="identifier", kind=key.kind, value=key.value)
            graph.add_edge(f"case:{case.ref}", node, type="contact", org=case.org, date=case.date)
    cluster = person_clusters(persons, person_pairs)
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for person in persons:
        node = f"person:{cluster[person.ref]}"
        if not graph.has_node(node):
            graph.add_node(node, type="person", records=[], orgs=set(), nationalities=set(), minor=False)
        data = graph.nodes[node]
        data["records"].append(person.ref)
        data["orgs"].add(person.org)
        if person.nationality:
            data["nationalities"].add(person.nationality)
        data["minor"] = data["minor"] or bool(person.minor)
        roles[node][person.role] += 1
        if graph.has_node(f"case:{person.case}"):
            graph.add_edge(f"case:{person.case}", node, type="on_case", role=person.role, org=person.org)
        for key in person.keys:
            ident = f"id:{key.kind}:{key.value}"
            graph.add_node(ident, type="identifier", kind=key.kind, value=key.value)
            graph.add_edge(node, ident, type="uses", org=person.org)
    for node, counts in roles.items():
        graph.nodes[node]["role"] = "suspect" if counts["suspect"] else counts.most_common(1)[0][0]
    return graph


def _facts(graph: nx.Graph[str], nodes: set[str], hub_min: int) -> dict[str, Any]:
    cases = [n for n in nodes if n.startswith("case:")]
    persons = [n for n in nodes if n.startswith("person:")]
    idents = [n for n in nodes if n.startswith("id:")]
    dates = sorted(graph.nodes[c]["date"] for c in cases if graph.nodes[c].get("date"))
    duration = (date.fromisoformat(dates[-1]) - date.fromisoformat(dates[0])).days if dates else 0
    foreign_people = sum(1 for p in persons if any(n != "NL" for n in graph.nodes[p]["nationalities"]))
    foreign_numbers = sum(
        1
        for i in idents
        if graph.nodes[i]["kind"] == "phone"
        and not graph.nodes[i]["value"].startswith("+31")
        and graph.nodes[i]["value"].startswith("+")
    )
    hubs = [i for i in idents if sum(1 for n in graph.neighbors(i) if n.startswith("case:")) >= hub_min]
    return {
        "cases": len(cases),
        "suspects": sum(1 for p in persons if graph.nodes[p].get("role") == "suspect"),
        "victims": sum(1 for p in persons if graph.nodes[p].get("role") == "victim"),
        "minors": sum(1 for p in persons if graph.nodes[p].get("minor")),
        "cities": len({str(graph.nodes[c]["city"]).casefold() for c in cases if graph.nodes[c].get("city")}),
        "cross_border": foreign_people + foreign_numbers,
        "duration_days": duration,
        "hub_contacts": len(hubs),
        "organisations": len({graph.nodes[c]["org"] for c in cases}),
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
    }


def fired_facts(facts: dict[str, Any], rules: dict[str, Any], lang: str = "en") -> list[str]:
    """The organised facts that hold, each with its value, in ``lang``."""
    return [
        str(f["text"][lang]).format(value=facts[f["fact"]])
        for f in rules["organised"]["facts"]
        if facts[f["fact"]] >= f["at_least"]
    ]


def aggregates(graph: nx.Graph[str], nodes: set[str], rules: dict[str, Any]) -> dict[str, Any]:
    """Facts, forms, other crime and timeline over ``nodes`` only (and the edges among them)."""
    sub = graph.subgraph(nodes)
    cases = sorted(n for n in nodes if n.startswith("case:"))
    return {
        "facts": _facts(sub, set(nodes), int(rules.get("hub_min_cases", 3))),
        "forms": sorted({f for c in cases for f in graph.nodes[c]["forms"]}),
        "crimes": sorted({f for c in cases for f in graph.nodes[c]["crimes"]}),
        "timeline": _timeline(graph, cases),
    }


def classify(facts: dict[str, Any], rules: dict[str, Any], lang: str = "en") -> tuple[str, list[str]]:
    """``organised``, ``small_scale`` or ``unknown`` by the stated rule, with the reasons."""
    if facts["suspects"] == 0 and facts["victims"] == 0:
        return "unknown", [rules["unknown"]["text"][lang]]
    fired = fired_facts(facts, rules, lang)
    if len(fired) >= rules["organised"]["min_points"]:
        return "organised", fired
    small = rules["small_scale"]
    if not fired and all(facts[c["fact"]] <= c["at_most"] for c in small["conditions"]):
        return "small_scale", [str(small["text"][lang])]
    return "unknown", [str(rules["unknown"]["mixed"][lang]), *fired]


def _label(graph: nx.Graph[str], node: str) -> str:
    data = graph.nodes[node]
    if data["type"] == "identifier":
        return f"{data['kind']}:{data['value']}"
    return f"{data.get('role', 'person')} {node.split(':', 1)[1]} ({len(data['records'])} records)"


def _victims_behind(graph: nx.Graph[str], ident: str) -> set[str]:
    """Victim persons an identifier reaches: they use it, or it is a contact on their case."""
    out = set()
    for n in graph.neighbors(ident):
        if n.startswith("person:") and graph.nodes[n].get("role") == "victim":
            out.add(n)
        elif n.startswith("case:"):
            out |= {p for p in graph.neighbors(n) if p.startswith("person:") and graph.nodes[p].get("role") == "victim"}
    return out


def _attributed(graph: nx.Graph[str], person: str) -> set[str]:
    """Identifiers a person uses, and, for a suspect, the contacts on the cases they are a suspect in."""
    own = {n for n in graph.neighbors(person) if n.startswith("id:")}
    if graph.nodes[person].get("role") == "suspect":
        for case in (n for n in graph.neighbors(person) if n.startswith("case:")):
            own |= {n for n in graph.neighbors(case) if n.startswith("id:")}
    return own


def roles(graph: nx.Graph[str], nodes: set[str]) -> list[Role]:
    """Leads ranked: who reaches the most victims through the contacts they use, then who connects the rest."""
    sub = graph.subgraph(nodes)
    projection: nx.Graph[str] = nx.Graph()
    for person in (n for n in nodes if n.startswith("person:")):
        for ident in _attributed(sub, person):
            projection.add_edge(person, ident)
    for ident in (n for n in nodes if n.startswith("id:")):
        for victim in _victims_behind(sub, ident):
            projection.add_edge(ident, victim)
    between = nx.betweenness_centrality(projection) if 2 < projection.number_of_nodes() <= 3000 else {}
    out = []
    for node in projection.nodes:
        if node.startswith("person:"):
            reach: set[str] = set()
            evidence = []
            for ident in sorted(_attributed(sub, node)):
                victims = _victims_behind(sub, ident) - {node}
                if victims:
                    reach |= victims
                    evidence.append(f"{_label(sub, ident)} reaches {len(victims)} victim(s)")
            if not reach and sub.nodes[node].get("role") != "suspect":
                continue
        else:
            reach = _victims_behind(sub, node)
            users = [
                n for n in sub.neighbors(node) if n.startswith("person:") and sub.nodes[n].get("role") == "suspect"
            ]
            evidence = [f"on the cases of {len(reach)} victim(s)"] + [f"used by {_label(sub, u)}" for u in users[:3]]
            if len(reach) < 2:
                continue
        b = between.get(node, 0.0)
        evidence.append(f"betweenness {b:.2f}, degree {projection.degree(node)}")
        kind = "person" if node.startswith("person:") else "identifier"
        out.append(Role(node, kind, _label(sub, node), round(len(reach) + b, 3), tuple(evidence)))
    out.sort(key=lambda r: (-r.score, r.kind != "person", r.node))
    return out


def networks(graph: nx.Graph[str], *, rules: dict[str, Any], min_cases: int = 1, lang: str = "en") -> list[Network]:
    """Every component with a case and a person or a second case, classified and with its roles, largest first."""
    out = []
    for component in nx.connected_components(graph):
        cases = sorted(n for n in component if n.startswith("case:"))
        persons = sorted(n for n in component if n.startswith("person:"))
        if len(cases) < max(1, min_cases) or (len(cases) < 2 and len(persons) < 2):
            continue
        facts = _facts(graph, component, int(rules.get("hub_min_cases", 3)))
        label, reasons = classify(facts, rules, lang)
        forms = sorted({f for c in cases for f in graph.nodes[c]["forms"]})
        crimes = sorted({f for c in cases for f in graph.nodes[c]["crimes"]})
        ranked = roles(graph, component) if len(component) <= 5000 else []
        score = len(reasons) if label == "organised" else 0
        out.append(
            Network(
                id="",
                cases=cases,
                persons=persons,
                identifiers=sorted(n for n in component if n.startswith("id:")),
                facts=facts,
                classification=label,
                reasons=reasons,
                roles=ranked,
                forms=forms,
                crimes=crimes,
                timeline=_timeline(graph, cases),
                score=float(score),
            )
        )
    out.sort(key=lambda n: (-len(n.cases), -n.score, n.cases[0]))
    for net in out:
        net.id = network_id(net.cases)
    return out


def network_id(cases: Iterable[str]) -> str:
    """The stable id of a network: from its first case node, so it survives a re-run."""
    return "net-" + hashlib.sha1(min(cases).encode()).hexdigest()[:10]


def _timeline(graph: nx.Graph[str], cases: list[str]) -> dict[str, Any]:
    """When the network was seen, and where it appeared first."""
    dated = sorted((graph.nodes[c]["date"], graph.nodes[c].get("city")) for c in cases if graph.nodes[c].get("date"))
    first_seen: dict[str, str] = {}
    seen: set[str] = set()
    for when, city in dated:
        if city and city.casefold() not in seen:
            seen.add(city.casefold())
            first_seen[city] = when
    months = Counter(when[:7] for when, _ in dated)
    return {"cities_first_seen": first_seen, "cases_per_month": dict(sorted(months.items()))}


def network_record(net: Network) -> dict[str, Any]:
    """One network as plain data (JSON): what a linking run writes, on either engine."""
    return {
        "id": net.id,
        "cases": net.cases,
        "persons": net.persons,
        "identifiers": net.identifiers,
        "facts": net.facts,
        "classification": net.classification,
        "reasons": net.reasons,
        "score": net.score,
        "roles": [
            {"node": r.node, "kind": r.kind, "label": r.label, "score": r.score, "evidence": list(r.evidence)}
            for r in net.roles
        ],
        "forms": net.forms,
        "crimes": net.crimes,
        "timeline": net.timeline,
    }
