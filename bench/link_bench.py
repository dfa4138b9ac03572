"""Linking benchmarks: real ad groups and generated signals, SYNTHETIC ground truth, and scale.

(a) real: ``../shared/data/ads-redthread.jsonl`` is screened (region CA) and every ad group is
    recorded as a promoted ad-group signal — the screen's groups of two or more ads through
    ``promote_groups``, every other ad as a one-ad group built the same way. For every third
    phone group (``phone_group % 3 == 0``) a partner signal is generated carrying that group's
    number (the ``phones`` field of its ads) written as a partner would, ``+1 AAA BBB CCCC``.
    ``signaal link run`` must then link each such signal to every ad group holding an ad of its
    phone group (recall 1.0), and to no ad group in which the number does not occur (0 false).
(b) synthetic: person-link precision/recall over thresholds (P/R curve), organised vs small-scale
    per network, the controller ranked first in criminal networks — on SYNTHETIC worlds of seeds
    the model was not trained on.
(c) scale (``--scale N``): N SYNTHETIC registrations linked by the Splink model (peak memory), and
    one new signal linked against N stored ones through the service.

Prints the figures and writes bench/results/link.json. No phone number of the data is written.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import peak_rss_mb, shared_data, write_results  # noqa: E402
from signaal.domain.actor import Actor, Role  # noqa: E402
from signaal.domain.signal import IdentifierIn, SignalCreate  # noqa: E402
from signaal.knowledge import bundled  # noqa: E402
from signaal.settings import Settings  # noqa: E402
from signaal.store import Store, open_store  # noqa: E402

ANALYST = Actor("bench", "riec-bench", Role.ANALYST)
SCREENER = Actor("bench", "platform-bench", Role.MODERATOR)
PARTNER = Actor("bench", "partner-bench", Role.REPORTER)


def _ad_group_signals(store: Store, out: Path) -> dict[str, str]:
    """Record every ad group as a signal; ad id -> signal id."""
    from signaal.services.ads import _identifiers, promote_groups
    from signaal.services.signals import record_signal

    clusters = [json.loads(line) for line in (out / "clusters.jsonl").open(encoding="utf-8")]
    ids = promote_groups(store, SCREENER, out, [c["id"] for c in clusters])
    signal_of_ad = {ad: sid for c, sid in zip(clusters, ids, strict=True) for ad in c["ads"]}
    for line in (out / "ads.jsonl").open(encoding="utf-8"):
        ad = json.loads(line)
        if ad["id"] in signal_of_ad or not ad["contacts"]:
            continue
        data = SignalCreate(
            received_at=date.today(),
            reporter_org=SCREENER.org,
            reporter_sector="platform",
            narrative="Ad screening: one ad (advice, not proof).",
            identifiers=_identifiers(ad["contacts"], [ad["url"]] if ad.get("url") else []),
            source_id=f"ads-screen:ad-{ad['id']}",
        )
        signal_of_ad[ad["id"]] = record_signal(store, SCREENER, data).id
    return signal_of_ad


def real(workdir: Path) -> dict[str, Any]:
    """(a) exact phone links between generated partner signals and the real ad groups."""
    from signaal.domain.identifiers import normalise_identifier
    from signaal.services.ads import screen_dump
    from signaal.services.link import run_linking
    from signaal.services.network import list_networks
    from signaal.services.signals import record_signal
    from signaal.store.signals import codec_of
    from signaal.store.tables_link import LinkRow

    path = shared_data() / "ads-redthread.jsonl"
    ads = [json.loads(line) for line in path.open(encoding="utf-8")]
    settings = Settings(database_url=f"sqlite:///{workdir / 'real.db'}")
    store = open_store(settings)
    started = time.perf_counter()
    screen_dump(SCREENER, path, workdir / "screen", settings, region="CA", html=False, workers=1)
    signal_of_ad = _ad_group_signals(store, workdir / "screen")
    recorded = time.perf_counter() - started
    numbers_in_ad: dict[str, set[str]] = defaultdict(set)
    group_phone: dict[int, set[str]] = defaultdict(set)
    group_ads: dict[int, list[str]] = defaultdict(list)
    for ad in ads:
        for raw in [*ad.get("phones", []), *ad.get("phones_in_text", [])]:
            try:
                numbers_in_ad[ad["id"]].add(normalise_identifier("phone", f"+1{raw}"))
            except ValueError:
                continue
        group_ads[ad["phone_group"]].append(ad["id"])
        for raw in ad.get("phones", []):
            group_phone[ad["phone_group"]].add(raw)
    partner: dict[str, tuple[int, str]] = {}
    unusable = 0
    for group in sorted(g for g in group_phone if g % 3 == 0):
        raw = sorted(group_phone[group])[0]
        written = f"+1 {raw[:3]} {raw[3:6]} {raw[6:]}"
        try:
            ident = IdentifierIn(kind="phone", value=written)
        except ValueError:
            unusable += 1
            continue
        data = SignalCreate(
            received_at=date.today(),
            reporter_org=PARTNER.org,
            reporter_sector="care",
            identifiers=[ident],
            source_id=f"partner-{group}",
        )
        partner[record_signal(store, PARTNER, data).id] = (group, ident.value)
    started = time.perf_counter()
    run = run_linking(store, ANALYST)
    link_seconds = time.perf_counter() - started
    with store.session() as session:
        exact = [
            (r.left_case, r.right_case, r.key_value) for r in session.query(LinkRow).filter(LinkRow.kind == "exact")
        ]
        # a link stores its key's lookup pseudonym, not the number (signaal.store.link_sealing)
        lookup = codec_of(session).lookup
        partner_key = {sid: lookup("phone", number) for sid, (_, number) in partner.items()}
    linked: dict[str, set[str]] = defaultdict(set)
    false_links = 0
    ads_of_signal: dict[str, set[str]] = defaultdict(set)
    for ad, sid in signal_of_ad.items():
        ads_of_signal[sid].add(ad)
    for left, right, value in exact:
        for mine, other in ((left, right), (right, left)):
            sid, oid = mine.split(":", 1)[1], other.split(":", 1)[1]
            if sid in partner and oid in ads_of_signal:
                linked[sid].add(oid)
                number = partner[sid][1]
                if value != partner_key[sid] or not any(number in numbers_in_ad[a] for a in ads_of_signal[oid]):
                    false_links += 1
    expected = found = 0
    for sid, (group, _) in partner.items():
        want = {signal_of_ad[a] for a in group_ads[group] if a in signal_of_ad}
        expected += len(want)
        found += len(want & linked[sid])
    nets = list_networks(store, ANALYST, min_cases=2)
    store.close()
    return {
        "ads": len(ads),
        "ad_group_signals": len(set(signal_of_ad.values())),
        "partner_signals": len(partner),
        "partner_groups_unusable_number": unusable,
        "expected_signal_to_group_links": expected,
        "found": found,
        "exact_phone_link_recall": round(found / expected, 4) if expected else None,
        "false_exact_links": false_links,
        "exact_links_total": run.exact_links,
        "hubs": len(run.hubs),
        "record_seconds": round(recorded, 1),
        "link_run_seconds": round(link_seconds, 2),
        "networks": len(nets),
        "networks_by_class": dict(Counter(n["classification"]["label"] for n in nets)),
        "largest_networks_cases": [n["size"]["cases"] for n in nets[:5]],
    }


def synthetic(seeds: list[int]) -> dict[str, Any]:
    """(b) person-link P/R curve, classification and controller ranking on SYNTHETIC worlds."""
    from signaal.link.network import build_graph, networks
    from signaal.link.persons import DEFAULT_THRESHOLD, predict_links
    from signaal.link.synthetic import generate

    thresholds = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]
    tp = Counter[float]()
    predicted = Counter[float]()
    true_total = 0
    correct = total = controller_first = criminal = 0
    confusion: Counter[str] = Counter()
    for seed in seeds:
        world = generate(seed, organised=10, criminal=20, small=60, background=300)
        links = predict_links(world.persons, model=bundled().person_model, floor=min(thresholds))
        by_person: dict[str, list[str]] = defaultdict(list)
        for ref, pid in world.truth.person_of.items():
            by_person[pid].append(ref)
        truth = {tuple(sorted(p)) for refs in by_person.values() for p in combinations(refs, 2)}
        true_total += len(truth)
        for t in thresholds:
            got = {(x.left, x.right) for x in links if x.match_probability >= t}
            predicted[t] += len(got)
            tp[t] += len(got & truth)
        kept = [(x.left, x.right) for x in links if x.match_probability >= DEFAULT_THRESHOLD]
        graph = build_graph(world.cases, world.persons, kept)
        found = networks(graph, rules=bundled().network_rules)
        by_case = {c[5:]: n for n in found for c in n.cases}
        for net, kind in world.truth.kind_of_network.items():
            if kind == "background":
                continue
            cases = [c for c, n in world.truth.network_of_case.items() if n == net]
            got_net = Counter(by_case[c].id for c in cases if c in by_case).most_common(1)
            label = next((n.classification for n in found if got_net and n.id == got_net[0][0]), "none")
            want = "small_scale" if kind == "small_scale" else "organised"
            total += 1
            correct += label == want
            confusion[f"{kind}->{label}"] += 1
            if kind == "criminal":
                criminal += 1
                net_obj = next((n for n in found if got_net and n.id == got_net[0][0]), None)
                top = next((r for r in net_obj.roles if r.kind == "person"), None) if net_obj else None
                if top is not None:
                    record = graph.nodes[top.node]["records"][0]
                    controller_first += world.truth.person_of[record] == world.truth.controller_of[net]
    curve = [
        {
            "threshold": t,
            "precision": round(tp[t] / predicted[t], 4) if predicted[t] else None,
            "recall": round(tp[t] / true_total, 4),
        }
        for t in thresholds
    ]
    chosen = next(c for c in curve if c["threshold"] == DEFAULT_THRESHOLD)
    return {
        "seeds": seeds,
        "true_person_pairs": true_total,
        "threshold": DEFAULT_THRESHOLD,
        "precision": chosen["precision"],
        "recall": chosen["recall"],
        "pr_curve": curve,
        "networks": total,
        "classification_correct": round(correct / total, 4),
        "classification_confusion": dict(confusion),
        "criminal_networks": criminal,
        "controller_ranked_first": round(controller_first / criminal, 4) if criminal else None,
    }


def main() -> None:
    """Run the parts asked for, print the figures and write bench/results/link.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--scale", type=int, default=0, help="also link N SYNTHETIC registrations (e.g. 100000)")
    args = parser.parse_args()
    path = ROOT / "bench" / "results" / "link.json"
    figures: dict[str, Any] = json.loads(path.read_text())["figures"] if path.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_real:
            figures["real"] = real(Path(tmp))
            print("real:", json.dumps(figures["real"], indent=2))
        if not args.skip_synthetic:
            figures["synthetic"] = synthetic([101, 102, 103])
            print("synthetic:", json.dumps(figures["synthetic"], indent=2))
        if args.scale:
            from bench.link_scale import scale

            figures[f"scale_{args.scale}"] = scale(args.scale, Path(tmp))
            print("scale:", json.dumps(figures[f"scale_{args.scale}"], indent=2))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print("written to", write_results("link", {"figures": figures}))


if __name__ == "__main__":
    main()
