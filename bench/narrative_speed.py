"""Throughput of narrative reading on one core: narratives of about 200 words per second.

Usage: .venv/bin/python bench/narrative_speed.py [--seconds 10]
Narratives are built at run time from the sentences of ../shared/data/rulings-dev.jsonl
(shuffled, about 200 words each) so that the vocabulary is realistic; nothing is copied.
Writes bench/results/narrative_speed.json.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time

from common import shared_data, write_results

from signaal.domain.actor import Actor, Role
from signaal.knowledge import bundled
from signaal.services.narrative import suggest

WORDS = 200


def narratives(count: int) -> list[str]:
    """``count`` texts of about WORDS words, each a random mix of real sentences."""
    path = shared_data() / "rulings-dev.jsonl"
    sentences: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", json.loads(line)["text"]) if s]
    rng = random.Random(20260101)
    texts = []
    for _ in range(count):
        words: list[str] = []
        while len(words) < WORDS:
            words += rng.choice(sentences).split()
        texts.append(" ".join(words[:WORDS]))
    return texts


def main() -> int:
    """Time the reading and print the figures."""
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 10.0
    actor = Actor("bench", "bench", Role.ANALYST)
    _ = bundled().lexicons  # compile once, outside the timing, as a server would at start-up
    catalogue = bundled().catalogue  # handed in as the web app and the benches do
    texts = narratives(2000)
    for text in texts[:50]:
        suggest(actor, text, catalogue=catalogue)  # warm the per-word cache as a running server would have it
    done = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        suggest(actor, texts[done % len(texts)], catalogue=catalogue)
        done += 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rate = done / elapsed
    # Without a catalogue handed in, each call reads the settings to find an organisation's catalogue.
    plain = 0
    plain_start = time.process_time()
    while time.process_time() - plain_start < seconds / 4:
        suggest(actor, texts[plain % len(texts)])
        plain += 1
    plain_rate = plain / (time.process_time() - plain_start)
    cold_start = time.perf_counter()
    big = " ".join(texts[:500])[:100_000]
    suggest(actor, big, catalogue=catalogue)
    big_seconds = time.perf_counter() - cold_start
    result = {
        "narratives": done,
        "words_each": WORDS,
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "narratives_per_second": round(rate, 1),
        "narratives_per_cpu_second": round(done / cpu, 1),
        "narratives_per_cpu_second_settings_read_per_call": round(plain_rate, 1),
        "text_100kb_seconds": round(big_seconds, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print(f"{rate:.1f} narratives of {WORDS} words per second on one core ({done} in {elapsed:.1f} s)")
    print(f"{done / cpu:.1f} per CPU second; {plain_rate:.1f} per CPU second when each call reads the settings")
    print(f"load average while measuring: {result['load_average_1min']}")
    print(f"one 100 KB text: {big_seconds:.3f} s")
    write_results("narrative_speed", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
