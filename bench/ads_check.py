"""One ad at posting time: ``check_ad`` and POST /api/ads/check against the index of an earlier
screen, on ads-redthread. Prints the figures and writes bench/results/ads_check.json.

The ads are put in order of posting (file order when a date does not parse); the first 80 % are
screened with ``screen_dump`` (region CA) into a temporary folder, and each of the remaining 20 %
is checked on its own against that screen's index, timing every call. A few hundred go through
the HTTP route, in process (FastAPI's TestClient) and to uvicorn in its own process (httpx), one
request after the other. Then: how often the answer is useful.

- contacts: for a held-out ad whose ``phone_group`` occurs among the screened ads, does
  ``known_clusters`` hold the cluster of a screened ad of that group (recall); for a held-out ad
  that gets a known cluster, is one of them such a cluster (precision); once on the whole ad and
  once with its contact field dropped (only the numbers the reader finds in the text can link it);
- templates: the same for ``template_clusters``, once on the whole ad and once with the phone
  fields dropped and every number taken out of the text (only the text can link it); and the
  ceiling: how many held-out ads are as similar as a template needs to an indexed ad of their
  group at all (the index holds only templates of two or more ads).

Reads the real data from ../shared/data at run time (override with SIGNAAL_SHARED_DATA). Only
aggregate figures and machine facts are written: no number, name or text of the data.

    python bench/ads_check.py [--http 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ads_bench import DATA, RESULTS, machine, strip_numbers, to_ad  # noqa: E402

from signaal.ads.check import check_ad  # noqa: E402
from signaal.ads.model import Ad  # noqa: E402
from signaal.domain.actor import Actor, Role  # noqa: E402
from signaal.services.ads import load_index, screen_dump  # noqa: E402
from signaal.settings import Settings  # noqa: E402

POSTED = "%a %d %b %Y %I:%M %p"  # how ads-redthread writes a posting time
FIELDS = ("id", "title", "body", "city", "posted", "url", "age", "phones")  # sent to the route


def ordered(raw: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """The ads in order of posting when every date parses, else in file order."""
    try:
        keys = [datetime.strptime(a["posted"], POSTED) for a in raw]
    except (TypeError, ValueError):
        return raw, "file order"
    return [a for _, a in sorted(zip(keys, raw, strict=True), key=lambda p: p[0])], "posted"


def latency(ms: list[float]) -> dict[str, float | int]:
    """p50/p95/p99/max of a list of milliseconds."""
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "calls": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(cuts[94], 3),
        "p99_ms": round(cuts[98], 3),
        "max_ms": round(max(ms), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


def text_only(a: dict[str, Any]) -> Ad:
    """The ad without its phone fields and with every one of its numbers taken out of the text."""
    numbers = set(a["phones_in_text"]) | set(a["phones"])
    return Ad(
        id=a["id"],
        title=strip_numbers(a["title"] or "", numbers),
        body=strip_numbers(a["body"] or "", numbers),
        city=a["city"] or "",
        posted=a["posted"] or "",
    )


def usefulness(
    held: list[dict[str, Any]], answers: list[list[str]], clusters_of_group: dict[int, set[str]]
) -> dict[str, Any]:
    """Recall and precision of the clusters a check names, against phone_group."""
    eligible = found = answered = right = named = named_right = 0
    for a, got in zip(held, answers, strict=True):
        truth = clusters_of_group.get(a["phone_group"], set())
        if truth:
            eligible += 1
            found += bool(truth & set(got))
        if got:
            answered += 1
            right += bool(truth & set(got))
            named += len(got)
            named_right += len(truth & set(got))
    return {
        "held_out_with_group_in_index": eligible,
        "recall": round(found / max(1, eligible), 4),
        "held_out_answered": answered,
        "precision": round(right / max(1, answered), 4),
        "clusters_named": named,
        "clusters_named_right": round(named_right / max(1, named), 4),
    }


def _post_each(client: Any, held: list[dict[str, Any]]) -> dict[str, Any]:
    """POST each ad to /api/ads/check one after the other; the first request reads the index."""
    ms: list[float] = []
    for a in held:
        body = {"ad": {k: a[k] for k in FIELDS}, "region": "CA"}
        t0 = time.perf_counter()
        response = client.post("/api/ads/check", json=body)
        ms.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"the route answered {response.status_code}")
    base: list[float] = []
    for _ in range(50):  # the same server's cost of any API request, for comparison
        t0 = time.perf_counter()
        client.get("/api/me")
        base.append((time.perf_counter() - t0) * 1000)
    return {
        "first_request_reads_index_ms": round(ms[0], 1),
        **latency(ms[1:]),
        "get_api_me_p50_ms": round(statistics.median(base), 3),
    }


def _touch(path: Path) -> None:
    """A new modification time: the route's next request reads the index again (its cold start)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def bench_http(index_path: Path, held: list[dict[str, Any]], work: Path) -> dict[str, Any]:
    """Time POST /api/ads/check through FastAPI's TestClient and through uvicorn with httpx."""
    import httpx
    from fastapi.testclient import TestClient
    from web_pages import free_port, start_server

    from signaal.web import create_app

    url = f"sqlite:///{work / 'registry.db'}"
    out: dict[str, Any] = {}
    _touch(index_path)
    with TestClient(
        create_app(Settings(database_url=url, ads_index_file=index_path)),
        base_url="http://127.0.0.1:8000",
        client=("127.0.0.1", 50000),
    ) as client:
        out["testclient"] = {"how": "FastAPI TestClient, in process", **_post_each(client, held)}
    print("POST /api/ads/check (TestClient):", out["testclient"])
    os.environ["SIGNAAL_ADS_INDEX_FILE"] = str(index_path)
    port = free_port()
    server = start_server(url, port)  # its first request reads the index: it is a new process
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            out["uvicorn"] = {
                "how": "uvicorn in its own process, one httpx client, keep-alive",
                **_post_each(client, held),
            }
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("POST /api/ads/check (uvicorn):", out["uvicorn"])
    return out


def template_ceiling(
    known: list[dict[str, Any]], held: list[dict[str, Any]], template_of: dict[str, str]
) -> dict[str, int]:
    """How many held-out ads (numbers out of the text) are as similar as a template needs to an
    indexed ad of their own phone_group, and how many of those ads are in an indexed template."""
    from signaal.ads.extract import extract
    from signaal.ads.resources import rules
    from signaal.ads.textsim import shingle_sets

    cfg = rules()["templates"]
    size, least = int(cfg["shingle_words"]), float(cfg["min_similarity"])
    members: dict[str, int] = defaultdict(int)
    for label in template_of.values():
        members[label] += 1
    by_group: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in known:
        by_group[a["phone_group"]].append(a)

    def shingles(ad: Ad) -> Any:
        f = extract(ad, "CA")
        return shingle_sets([f.tokens], size).values if f.tokens is not None and f.n_tokens else None

    similar = in_template = 0
    for a in held:
        mine = shingles(text_only(a)) if a["phone_group"] in by_group else None
        if mine is None:
            continue
        best, best_in_template = 0.0, False
        for b in by_group[a["phone_group"]]:
            theirs = shingles(to_ad(b))  # as it was screened
            if theirs is None:
                continue
            shared = len(set(mine.tolist()) & set(theirs.tolist()))
            sim = shared / (len(mine) + len(theirs) - shared)
            if sim > best:
                best, best_in_template = sim, members[template_of.get(b["id"], "")] >= 2
        similar += best >= least
        in_template += best >= least and best_in_template
    return {
        "held_out_similar_to_an_indexed_ad_of_their_group": similar,
        "of_which_that_ad_is_in_an_indexed_template": in_template,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--http", type=int, default=200, help="held-out ads sent through the HTTP route")
    args = parser.parse_args()
    source = DATA / "ads-redthread.jsonl"
    with source.open(encoding="utf-8") as fh:  # line by line: texts may hold other line separators
        raw = [json.loads(line) for line in fh if line.strip()]
    ads, order = ordered(raw)
    cut = int(len(ads) * 0.8)
    known, held = ads[:cut], ads[cut:]
    results: dict[str, Any] = {
        "machine": machine(),
        "data": {"file": source.name, "ads": len(ads), "indexed": len(known), "held_out": len(held), "order": order},
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dump = work / "known.jsonl"
        dump.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in known), encoding="utf-8")
        summary = screen_dump(
            Actor(user="bench", org="bench", role=Role.MODERATOR),
            dump,
            work / "out",
            Settings(),
            region="CA",
            html=False,
        )
        index_path = Path(summary.outputs["index"])
        t0 = time.perf_counter()
        index = load_index(index_path)
        load_ms = (time.perf_counter() - t0) * 1000
        results["screen"] = {
            "ads": summary.ads,
            "groups": summary.clusters,
            "hubs": summary.hubs,
            "seconds": round(summary.seconds, 2),
            "index_bytes": index_path.stat().st_size,
            "index_load_ms": round(load_ms, 1),
            "index_entries": {k: len(index[k]) for k in ("hubs", "contacts", "bands", "templates")},
        }
        print("screen of the first 80 %:", results["screen"])

        ms: list[float] = []
        full: list[dict[str, Any]] = []
        for a in held:
            ad = to_ad(a)
            t0 = time.perf_counter()
            full.append(check_ad(index, ad, "CA"))
            ms.append((time.perf_counter() - t0) * 1000)
        results["check_ad"] = {**latency(ms), "checks_per_second": round(len(ms) / (sum(ms) / 1000), 1)}
        print("check_ad, one at a time:", results["check_ad"])
        no_field = [check_ad(index, to_ad(a, with_phones=False), "CA") for a in held]
        stripped = [check_ad(index, text_only(a), "CA") for a in held]

        results["http_route"] = bench_http(index_path, held[: args.http], work)

        cluster_of: dict[str, str] = {}
        template_of: dict[str, str] = {}
        with (work / "out" / "ads.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                item = json.loads(line)
                cluster_of[item["id"]] = item["cluster"]
                template_of[item["id"]] = item["template_cluster"]
    clusters_of_group: dict[int, set[str]] = defaultdict(set)
    for a in known:
        if a["id"] in cluster_of:
            clusters_of_group[a["phone_group"]].add(cluster_of[a["id"]])
    results["known_clusters"] = usefulness(held, [r["known_clusters"] for r in full], clusters_of_group)
    results["known_clusters_text_contacts_only"] = usefulness(
        held, [r["known_clusters"] for r in no_field], clusters_of_group
    )
    results["known_hubs"] = {"held_out_with_a_known_hub": sum(bool(r["known_hubs"]) for r in full)}
    results["template_clusters_whole_ad"] = usefulness(held, [r["template_clusters"] for r in full], clusters_of_group)
    results["template_clusters_text_only"] = usefulness(
        held, [r["template_clusters"] for r in stripped], clusters_of_group
    )
    results["template_ceiling_text_only"] = template_ceiling(known, held, template_of)
    either = [sorted(set(r["known_clusters"]) | set(r["template_clusters"])) for r in full]
    results["known_or_template_clusters"] = usefulness(held, either, clusters_of_group)
    for key in (
        "known_clusters",
        "known_clusters_text_contacts_only",
        "known_hubs",
        "template_clusters_whole_ad",
        "template_clusters_text_only",
        "template_ceiling_text_only",
    ):
        print(f"{key}:", results[key])
    print("known_or_template_clusters:", results["known_or_template_clusters"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "ads_check.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
