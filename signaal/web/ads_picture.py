"""A small picture of one group of ads: its ads, their contacts and cities as a graph for Cytoscape,
and the same as lists that need no JavaScript (contacts with their ads and names, cities in the order
the ads ran there)."""

from __future__ import annotations

from typing import Any

from signaal.ads.reasons import contact_shown

__all__ = ["group_picture"]


def _cities(ads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each city with the first and last date an ad ran there and its number of ads, first city first."""
    seen: dict[str, dict[str, Any]] = {}
    for ad in ads:
        if not ad.get("city"):
            continue
        posted = str(ad.get("posted") or "")[:10]
        city = seen.setdefault(ad["city"], {"city": ad["city"], "first": posted, "last": posted, "ads": 0})
        city["ads"] += 1
        if posted:
            city["first"] = min(filter(None, (city["first"], posted)))
            city["last"] = max(city["last"], posted)
    return sorted(seen.values(), key=lambda c: (c["first"] or "9999", c["city"]))


def group_picture(group: dict[str, Any], ads: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Nodes and edges of a group's ads (``ads`` as ``group_detail`` gives them), hub contacts marked,
    with the contacts and cities as lists (contacts as a reader of ``lang`` writes them)."""
    hubs = {h["contact"] for h in group.get("hubs", [])}
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, str]] = []
    contacts: dict[str, dict[str, Any]] = {}
    for ad in ads:
        ad_node = f"ad:{ad['id']}"
        nodes[ad_node] = {"id": ad_node, "type": "ad", "label": ad.get("name") or ad["id"]}
        for key in ad.get("contacts", []):
            kind = "hub" if key in hubs else "contact"
            nodes.setdefault(
                f"contact:{key}", {"id": f"contact:{key}", "type": kind, "label": contact_shown(key, lang)}
            )
            edges.append({"source": ad_node, "target": f"contact:{key}"})
            entry = contacts.setdefault(
                key, {"contact": contact_shown(key, lang), "hub": key in hubs, "ads": 0, "names": []}
            )
            entry["ads"] += 1
            if ad.get("name") and ad["name"] not in entry["names"]:
                entry["names"].append(ad["name"])
        if ad.get("city"):
            nodes.setdefault(f"city:{ad['city']}", {"id": f"city:{ad['city']}", "type": "city", "label": ad["city"]})
            edges.append({"source": ad_node, "target": f"city:{ad['city']}"})
    listed = sorted(contacts.values(), key=lambda c: (not c["hub"], -c["ads"], c["contact"]))
    return {"graph": {"nodes": list(nodes.values()), "edges": edges}, "contacts": listed, "cities": _cities(ads)}
