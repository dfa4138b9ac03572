"""Scale of linking (part (c) of bench/link_bench.py): N SYNTHETIC registrations through the Splink
model, and one new signal linked against N stored ones through the service and its indexes."""

from __future__ import annotations

import csv
import resource
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import update

from signaal.knowledge import bundled


def _world(n: int, seed: int = 501) -> Any:
    from signaal.link.synthetic import generate

    # about 1.45 person records per background person and 11 per organised network; scale all kinds
    unit = max(1, n // 1000)
    return generate(seed, organised=unit, criminal=2 * unit, small=6 * unit, background=int(n / 1.6))


def scale(n: int, workdir: Path) -> dict[str, Any]:
    """Figures for N registrations: Splink run time, pairs found, peak memory; one new signal's link time."""
    from signaal.domain.actor import Actor, Role
    from signaal.domain.signal import IdentifierIn, PersonIn, SignalCreate
    from signaal.link.persons import predict_links
    from signaal.services.link import _write_records, import_registrations, link_new_signal, run_linking
    from signaal.services.signals import record_signal
    from signaal.settings import Settings
    from signaal.store import open_store
    from signaal.store.tables_link import LinkCaseRow

    started = time.perf_counter()
    world = _world(n)
    generated = time.perf_counter() - started
    persons = world.persons
    started, cpu = time.perf_counter(), time.process_time()
    links = predict_links(persons, model=bundled().person_model)
    splink_seconds, splink_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_splink = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    truth = world.truth.person_of
    right = sum(1 for x in links if truth[x.left] == truth[x.right])
    store = open_store(Settings(database_url=f"sqlite:///{workdir / f'scale-{n}.db'}"))
    admin = Actor("bench", "riec-bench", Role.ADMIN)
    started = time.perf_counter()
    with store.session() as session:
        for i in range(0, len(world.cases), 20000):
            part = {c.ref for c in world.cases[i : i + 20000]}
            _write_records(session, world.cases[i : i + 20000], [p for p in persons if p.case in part], admin)
        # the full Splink run above compared these; only what arrives now waits for linking
        session.execute(update(LinkCaseRow).values(linked=1))
    stored_seconds = time.perf_counter() - started
    phone = next(k.value for c in world.cases for k in c.keys if k.kind == "phone")
    times = []
    for i in range(5):
        signal = record_signal(
            store,
            Actor("bench", "care-bench", Role.REPORTER),
            SignalCreate(
                received_at=date(2026, 3, 1),
                reporter_org="care-bench",
                reporter_sector="care",
                region="Utrecht",
                persons=[PersonIn(role="victim", age=17)],
                identifiers=[IdentifierIn(kind="phone", value=phone)],
                source_id=f"scale-{i}",
            ),
        )
        started = time.perf_counter()
        run = link_new_signal(store, Actor("bench", "riec-bench", Role.ANALYST), signal.id)
        times.append(time.perf_counter() - started)
    reg_times = []
    for i in range(3):
        known = persons[(i + 1) * len(persons) // 4]
        row = {
            "source": "partner-bench",
            "case_id": f"new-{i}",
            "role": known.role,
            "name": known.name or "",
            "birth_date": known.birth_date or "",
            "sex": known.sex or "",
            "city": known.city or "",
            "phone": ";".join(k.value for k in known.keys if k.kind == "phone"),
        }
        path = workdir / f"new-{i}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(row))
            writer.writeheader()
            writer.writerow(row)
        started = time.perf_counter()
        import_registrations(store, admin, path)
        found = run_linking(store, Actor("bench", "riec-bench", Role.ANALYST))
        reg_times.append((round(time.perf_counter() - started, 3), found.person_links, found.exact_links))
    store.close()
    return {
        "one_registration_import_and_link": [
            {"seconds": t, "person_links": p, "exact_links": e} for t, p, e in reg_times
        ],
        "registrations": len(persons),
        "cases": len(world.cases),
        "generate_seconds": round(generated, 1),
        "splink_seconds": round(splink_seconds, 1),
        "splink_cpu_seconds": round(splink_cpu, 1),
        "splink_pairs_at_threshold": len(links),
        "splink_pairs_same_person": right,
        "peak_rss_mb_after_splink": round(peak_splink, 1),  # includes the generator's own peak
        "store_seconds": round(stored_seconds, 1),
        "one_signal_link_seconds": [round(t, 3) for t in times],
        "one_signal_exact_links": run.exact_links,
        "note": "2-core machine shared with other work while measured; times are noisy",
    }
