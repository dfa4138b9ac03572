"""The language the ad screen writes to ads.jsonl, kept and compared: which ads change language?

``python bench/language_compare.py write NAME`` screens ``../shared/data/ads-redthread.jsonl``
(region CA) and a synthetic dump (``generate_ads(N, seed=7)``, N from ``--synthetic N``, 5,000 by
default) through the service, as ``signaal ads screen`` does, and keeps the ``language`` of every
line of ads.jsonl in ``bench/results/language-NAME.local.json`` (git ignores it).

``python bench/language_compare.py compare NAME [--show N]`` screens again and prints, per data
set, the languages before and after, how many ads changed language and the changes by pair
(``nl -> other``: 14). ``--show N`` also prints up to N changed ads of each pair with the start of
their text, to judge which guess is right; that goes to the terminal only, never into a file.
"""

from __future__ import annotations

import collections
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from ads_same import BENCH_ACTOR, DATA, RESULTS

from signaal.ads.synthetic import generate_ads
from signaal.settings import Settings


def languages(records: list[dict[str, Any]], region: str) -> dict[str, str]:
    """The language of each ad as the screen writes it to ads.jsonl, by ad id."""
    from signaal.services import ads as service

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        with dump.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        out = Path(tmp) / "out"
        service.screen_dump(BENCH_ACTOR, dump, out, Settings(), region=region, html=False, workers=2)
        lines = [json.loads(x) for x in (out / "ads.jsonl").read_text(encoding="utf-8").splitlines()]
    return {str(line["id"]): str(line["language"]) for line in lines}


def data_sets(synthetic: int) -> dict[str, tuple[list[dict[str, Any]], str]]:
    """The real ads (region CA) and a synthetic dump (region NL)."""
    real = [json.loads(x) for x in (DATA / "ads-redthread.jsonl").open(encoding="utf-8")]
    return {"redthread": (real, "CA"), "synthetic": (list(generate_ads(synthetic, seed=7)), "NL")}


def report(name: str, before: dict[str, str], after: dict[str, str], texts: dict[str, str], show: int) -> int:
    """Print the figures of one data set; the number of ads whose language changed."""
    pairs = collections.Counter((before[i], after[i]) for i in before if i in after and before[i] != after[i])
    changed = sum(pairs.values())
    print(f"{name}: {len(before)} ads, {changed} changed language")
    print(f"  before: {dict(collections.Counter(before.values()).most_common())}")
    print(f"  after:  {dict(collections.Counter(after.values()).most_common())}")
    for (old, new), count in pairs.most_common():
        print(f"  {old} -> {new}: {count}")
        if show:
            ids = sorted(i for i in before if before[i] == old and after.get(i) == new)
            for i in random.Random(1).sample(ids, min(show, len(ids))):
                print(f"      {i}: {' '.join(texts.get(i, '').split())[:140]!r}")
    return changed


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in ("write", "compare"):
        raise SystemExit("usage: language_compare.py write|compare NAME [--synthetic N] [--show N]")
    action, name = sys.argv[1], sys.argv[2]
    n = int(sys.argv[sys.argv.index("--synthetic") + 1]) if "--synthetic" in sys.argv else 5_000
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    path = RESULTS / f"language-{name}.local.json"
    sets = data_sets(n)
    now = {key: languages(records, region) for key, (records, region) in sets.items()}
    if action == "write":
        path.write_text(json.dumps(now), encoding="utf-8")
        print(f"written to {path}")
        return
    kept = json.loads(path.read_text(encoding="utf-8"))
    for key, (records, _region) in sets.items():
        texts = {str(r.get("id")): str(r.get("body") or r.get("title") or "") for r in records}
        report(key, kept[key], now[key], texts, show)


if __name__ == "__main__":
    main()
