"""The outputs of the ad screen, kept and compared: are the groups, hubs, scores and readings the same?

``python bench/ads_same.py write NAME`` screens ``../shared/data/ads-redthread.jsonl`` (region CA)
and a synthetic dump (``generate_ads(N, seed=7)``, N from ``--synthetic N``, 20,000 by default)
and writes everything the screen says about them to ``bench/results/ads-same-NAME.local.json``
(git ignores it: it holds numbers of the data): every line of ads.jsonl and clusters.jsonl,
index.json, and each ad's readings from the per-ad step (contacts with their mode, own flag and
span, names, ages, prices, places, city, language, indicator hits with spans, masked text).

``python bench/ads_same.py compare NAME`` screens again and prints, per data set and per part,
how many entries differ from the kept snapshot and the first few differences; it exits 1 when
anything differs. Nothing is timed here: speed is ``ads_bench.py``'s.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signaal.ads.extract import extract  # noqa: E402
from signaal.ads.model import Ad, AdFeatures  # noqa: E402
from signaal.ads.synthetic import generate_ads  # noqa: E402
from signaal.domain.actor import Actor, Role  # noqa: E402
from signaal.settings import Settings  # noqa: E402

DATA = Path(os.environ.get("SIGNAAL_SHARED_DATA", ROOT / ".." / "shared" / "data"))
RESULTS = ROOT / "bench" / "results"
BENCH_ACTOR = Actor(user="bench", org="bench", role=Role.MODERATOR)


def _screen(dump: Path, out: Path, region: str) -> None:
    """One screen of ``dump`` into ``out`` through the service, as the CLI runs it."""
    from signaal.services import ads as service

    service.screen_dump(BENCH_ACTOR, dump, out, Settings(), region=region, html=False, workers=2)


def _readings(f: AdFeatures) -> dict[str, Any]:
    def span(s: Any) -> Any:
        return None if s is None else [s.field, s.start, s.end, s.text]

    return {
        "contacts": [[c.kind, c.value, c.mode, c.own, span(c.span)] for c in f.contacts],
        "names": f.names,
        "ages": f.ages,
        "prices": [[p.amount, p.currency, p.unit, span(p.span)] for p in f.prices],
        "places": f.places,
        "city": f.city,
        "language": f.language,
        "indicators": [[h.id, h.weight, h.counter, span(h.span)] for h in f.indicators],
        "masked_text": f.masked_text,
        "posted": str(f.posted),
        "n_tokens": f.n_tokens,
    }


def _ad(record: dict[str, Any]) -> Ad:
    phones = record.get("phones") or ()
    return Ad(
        id=str(record.get("id", "")),
        title=record.get("title") or "",
        body=record.get("body") or "",
        city=record.get("city") or "",
        posted=record.get("posted") or "",
        url=record.get("url") or "",
        name=record.get("name") or "",
        age=str(record.get("age") or ""),
        phones=tuple(phones) if isinstance(phones, list) else (str(phones),),
    )


def snapshot_of(records: list[dict[str, Any]], region: str) -> dict[str, Any]:
    """Everything the screen says about ``records``: output lines, index and per-ad readings."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        with dump.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        _screen(dump, Path(tmp) / "out", region)
        out = Path(tmp) / "out"
        ads = [json.loads(x) for x in (out / "ads.jsonl").read_text(encoding="utf-8").splitlines()]
        clusters = [json.loads(x) for x in (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
        index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    readings = {r["id"]: _readings(extract(_ad(r), region)) for r in records}
    return {"ads": ads, "clusters": clusters, "index": index, "readings": readings}


def data_sets(synthetic: int) -> dict[str, tuple[list[dict[str, Any]], str]]:
    """The two data sets: the real ads (region CA) and the synthetic dump (region NL)."""
    real = [json.loads(x) for x in (DATA / "ads-redthread.jsonl").open(encoding="utf-8")]
    for r in real:
        r.pop("phones_in_text", None)
        r.pop("phone_group", None)
    fake = list(generate_ads(synthetic, seed=7))
    return {"redthread": (real, "CA"), "synthetic": (fake, "NL")}


def _differences(before: Any, after: Any, path: str, out: list[str]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key not in after or key not in before:
                out.append(f"{path}.{key}: only {'before' if key in before else 'after'}")
            else:
                _differences(before[key], after[key], f"{path}.{key}", out)
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            _differences(b, a, f"{path}[{i}]", out)
    elif before != after:
        out.append(f"{path}: {json.dumps(before)[:160]} -> {json.dumps(after)[:160]}")


def compare(kept: dict[str, Any], now: dict[str, Any]) -> int:
    """Print the differences per data set and part; the number of differing entries."""
    total = 0
    for name in kept:
        for part in ("ads", "clusters", "index", "readings"):
            diffs: list[str] = []
            _differences(kept[name][part], now[name][part], f"{name}.{part}", diffs)
            total += len(diffs)
            print(f"{name} {part}: {len(diffs)} differences")
            for line in diffs[:8]:
                print("   ", line)
    return total


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in ("write", "compare"):
        raise SystemExit("usage: ads_same.py write|compare NAME [--synthetic N]")
    action, name = sys.argv[1], sys.argv[2]
    n = int(sys.argv[sys.argv.index("--synthetic") + 1]) if "--synthetic" in sys.argv else 20_000
    path = RESULTS / f"ads-same-{name}.local.json"
    now = {key: snapshot_of(records, region) for key, (records, region) in data_sets(n).items()}
    if action == "write":
        path.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"written to {path}")
        return
    kept = json.loads(path.read_text(encoding="utf-8"))
    differing = compare(kept, now)
    print("the same" if not differing else f"{differing} differences")
    raise SystemExit(1 if differing else 0)


if __name__ == "__main__":
    main()
