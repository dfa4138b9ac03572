"""Ad screening benchmarks: phone extraction, contact and text-only grouping on ads-redthread,
the time of the whole screen of its 5,000 ads, obfuscated numbers on ads-cmu-410, and a run on
1,000,000 synthetic ads (``--million``). Prints the figures and writes bench/results/ads.json.

Reads the real data from ../shared/data at run time (override with SIGNAAL_SHARED_DATA).
"""

from __future__ import annotations

import collections
import contextlib
import csv
import itertools
import json
import os
import platform
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from signaal.ads.model import Ad  # noqa: E402
from signaal.ads.normalise import fold  # noqa: E402
from signaal.ads.phones import find_phones  # noqa: E402
from signaal.settings import Settings  # noqa: E402

DATA = Path(os.environ.get("SIGNAAL_SHARED_DATA", ROOT / ".." / "shared" / "data"))


def machine() -> dict[str, object]:
    cpu = ""
    with contextlib.suppress(OSError):
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "")
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def pairs(labels: list[object]) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = collections.defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return {p for m in groups.values() for p in itertools.combinations(sorted(m), 2)}


def pr(pred: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    tp = len(pred & truth)
    return round(tp / max(1, len(pred)), 4), round(tp / max(1, len(truth)), 4)


def bench_redthread(results: dict[str, object]) -> None:
    raw = [json.loads(x) for x in (DATA / "ads-redthread.jsonl").open(encoding="utf-8")]
    # 1. phones from title + body alone vs phones_in_text
    tp = fp = fn = 0
    tp_q = fp_q = fn_q = 0
    decoded_only = 0
    for a in raw:
        strict: set[str] = set()
        quirk: set[str] = set()
        decoded: set[str] = set()
        for field in ("title", "body"):
            folded = fold(a[field] or "")
            for p in find_phones(folded.text, "CA"):
                if not p.e164.startswith("+1"):
                    continue
                n = p.e164[2:]
                written = folded.text[p.start : p.end]
                strict.add(n)
                # label quirk: a "1" glued to a ten-digit number is labelled as its first ten digits
                quirk.add(written.lstrip("+")[:10] if re.fullmatch(r"\+?1\d{10}", written) else n)
                if re.sub(r"\D", "", written) != ("1" + n if len(re.sub(r"\D", "", written)) == 11 else n):
                    decoded.add(n)
        ref = set(a["phones_in_text"])
        tp += len(strict & ref)
        fp += len(strict - ref)
        fn += len(ref - strict)
        tp_q += len(quirk & ref)
        fp_q += len(quirk - ref)
        fn_q += len(ref - quirk)
        decoded_only += len((quirk - ref) & decoded)
    results["phones_strict"] = {"precision": round(tp / (tp + fp), 4), "recall": round(tp / (tp + fn), 4)}
    results["phones_label_quirk_aligned"] = {
        "precision": round(tp_q / (tp_q + fp_q), 4),
        "recall": round(tp_q / (tp_q + fn_q), 4),
        "false_positives": fp_q,
        "false_positives_decoded_from_letters_or_words": decoded_only,
        "precision_without_decoded": round(tp_q / (tp_q + fp_q - decoded_only), 4),
    }
    print("phones (title+body) strict:", results["phones_strict"])
    print("phones label-quirk aligned:", results["phones_label_quirk_aligned"])

    from signaal.services.ads import screen_ads

    settings = Settings()
    ads = [
        Ad(
            id=a["id"],
            title=a["title"] or "",
            body=a["body"] or "",
            city=a["city"] or "",
            posted=a["posted"] or "",
            url=a["url"] or "",
            age=a["age"] or "",
            phones=tuple(a["phones"]),
        )
        for a in raw
    ]
    truth = pairs([a["phone_group"] for a in raw])
    started = time.perf_counter()
    _, _, (result, _) = screen_ads(ads, settings, "CA")
    seconds = time.perf_counter() - started
    results["screen_5000_seconds"] = round(seconds, 3)
    results["contact_grouping"] = dict(
        zip(("precision", "recall"), pr(pairs(result.contact_cluster), truth), strict=True)
    )
    print(f"whole screen of {len(ads)} ads (no HTML): {seconds:.2f} s")
    print("contact grouping vs phone_group:", results["contact_grouping"])
    text_only = [Ad(id=a.id, title=a.title, body=a.body, city=a.city, posted=a.posted) for a in ads]
    _, _, (result2, _) = screen_ads(text_only, settings, "CA")
    results["text_only_templates"] = dict(
        zip(("precision", "recall"), pr(pairs(result2.template_cluster), truth), strict=True)
    )
    print("text-only templates vs phone_group:", results["text_only_templates"])


def bench_cmu(results: dict[str, object]) -> None:
    # the features file has one row per line of the text file, its header line included
    lines = (DATA / "ads-cmu-410.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    with (DATA / "ads-cmu-410-features.csv").open(encoding="utf-8") as fh:
        ref_rows = list(csv.DictReader(fh))
    agree = ours_only = ref_only = differ = 0
    disagreements = []
    for i, (line, row) in enumerate(zip(lines, ref_rows, strict=False)):
        ours = {p.e164[2:] for p in find_phones(fold(line).text, "US") if p.e164.startswith("+1")}
        ref = {p for p in re.split(r"[;, ]+", row.get("PhoneNumber") or "") if p}
        if ours == ref:
            agree += 1
            continue
        if ours and not ref:
            ours_only += 1
        elif ref and not ours:
            ref_only += 1
        else:
            differ += 1
        disagreements.append({"line": i + 1, "ours": sorted(ours), "reference": sorted(ref)})
    results["cmu_410"] = {
        "ads": len(ref_rows),
        "agree": agree,
        "only_ours": ours_only,
        "only_reference": ref_only,
        "different": differ,
        "disagreements": disagreements,
    }
    print(f"cmu-410: {agree} agree, {ours_only} only ours, {ref_only} only reference, {differ} differ")


def bench_million(results: dict[str, object], n: int) -> None:
    from signaal.ads.synthetic import generate_ads
    from signaal.services.ads import screen_dump

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "ads.jsonl"
        with dump.open("w", encoding="utf-8") as fh:
            for ad in generate_ads(n, seed=7):
                fh.write(json.dumps(ad, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        summary = screen_dump(dump, Path(tmp) / "out", Settings(), html=False)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["synthetic_run"] = {"ads": summary.ads, "seconds": round(seconds, 1), "peak_rss_mb": round(peak)}
    print(f"{summary.ads} synthetic ads screened in {seconds:.1f} s, peak RSS {peak:.0f} MB")


def main() -> None:
    results: dict[str, object] = {"machine": machine()}
    bench_redthread(results)
    bench_cmu(results)
    if "--million" in sys.argv:
        n = (
            int(sys.argv[sys.argv.index("--million") + 1])
            if len(sys.argv) > sys.argv.index("--million") + 1
            else 1_000_000
        )
        bench_million(results, n)
    out = ROOT / "bench" / "results" / "ads.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
