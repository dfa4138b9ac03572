"""Linking use cases: import registrations, run linking, list/confirm/reject links, pseudonym overlap.

Object-level visibility of link cases is decided in :mod:`signaal.services.link_access`: a signal
follows the sharing acts, an imported registration the registry's rule (:func:`may_see`). A case
the actor may not see is shown only as "another organisation holds a match", naming that
organisation as the one to contact, never with its ids or values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput, NotFound, Problem
from signaal.ingest.registrations import read_registrations
from signaal.link.keys import LinkKey
from signaal.link.model import CaseRecord, PersonRecord
from signaal.link.persons import DEFAULT_THRESHOLD, predict_links
from signaal.services.signals import append_event
from signaal.store import Store
from signaal.store.link_records import load_records
from signaal.store.link_sealing import case_keys, name_key, seal_key_row, seal_person_row
from signaal.store.signals import codec_of, identifier_values
from signaal.store.tables import PersonRow, SignalFormRow, SignalRow
from signaal.store.tables_link import LinkCaseRow, LinkKeyRow, LinkPersonRow, LinkRow

__all__ = [
    "HUB_LIMIT",
    "LinkRun",
    "import_registrations",
    "link_new_signal",
    "load_records",
    "may_see",
    "run_linking",
]

#: A key on more cases than this is a hub: reported in the network, not linked pairwise.
HUB_LIMIT = 50
PSEUDONYM_FORMAT = "signaal-pseudonyms/1"


def may_see(actor: Actor, org: str) -> bool:
    """Whether the actor may see an imported registration of ``org`` with its identifiers and persons
    (the registry's linkers may); a signal's case follows the sharing acts instead."""
    return actor.sees_all_organisations or org == actor.org


def _require_linker(actor: Actor) -> None:
    if actor.role not in (Role.ANALYST, Role.COORDINATOR, Role.ADMIN):
        raise Forbidden(f"{actor} may not run or judge links (analyst, coordinator or admin)")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LinkRun:
    """What a linking run added."""

    cases_added: int = 0
    persons_added: int = 0
    exact_links: int = 0
    person_links: int = 0
    hubs: list[str] = field(default_factory=list)
    kept_as_written: list[str] = field(default_factory=list)


# --- writing cases, persons and keys ------------------------------------------------------------


def _key_rows(owner: str, case: str, org: str, keys: Iterable[LinkKey]) -> list[dict[str, Any]]:
    return [
        {"owner_ref": owner, "case_ref": case, "org": org, "kind": k.kind, "value": k.value, "problem": k.problem}
        for k in keys
    ]


def _write_records(
    session: Session,
    cases: Sequence[CaseRecord],
    persons: Sequence[PersonRecord],
    actor: Actor,
    signal_ids: dict[str, str] | None = None,
) -> None:
    """Write cases, persons and keys, names, dates of birth and identifiers sealed under each
    case's data key (a registration's is made here) with their lookup pseudonyms."""
    now = _now()
    signal_ids = signal_ids or {}
    codec = codec_of(session)
    sealing = case_keys(session, codec, [c.ref for c in cases] + [p.case for p in persons], now)
    if cases:
        session.execute(
            insert(LinkCaseRow),
            [
                {
                    "ref": c.ref,
                    "kind": c.kind,
                    "org": c.org,
                    "source_id": c.source_id,
                    "signal_id": signal_ids.get(c.ref),
                    "date": c.date,
                    "city": c.city,
                    "forms": ",".join(c.forms),
                    "crimes": ",".join(c.crimes),
                    "imported_by": str(actor),
                    "imported_at": now,
                }
                for c in cases
            ],
        )
    if persons:
        session.execute(
            insert(LinkPersonRow),
            [
                seal_person_row(
                    sealing,
                    codec,
                    {
                        "ref": p.ref,
                        "case_ref": p.case,
                        "org": p.org,
                        "role": p.role,
                        "name": p.name,
                        "birth_date": p.birth_date,
                        "birth_year": p.birth_year,
                        "sex": p.sex,
                        "nationality": p.nationality,
                        "city": p.city,
                        "minor": None if p.minor is None else int(p.minor),
                    },
                )
                for p in persons
            ],
        )
    keys = [r for c in cases for r in _key_rows(c.ref, c.ref, c.org, c.keys)]
    keys += [r for p in persons for r in _key_rows(p.ref, p.case, p.org, p.keys)]
    if keys:
        session.execute(insert(LinkKeyRow), [seal_key_row(sealing, codec, r) for r in keys])


def import_registrations(store: Store, actor: Actor, path: Path, fmt: str | None = None) -> dict[str, Any]:
    """Import another organisation's registrations (all rows or none); the counts and what was kept as written."""
    if actor.role not in (Role.ANALYST, Role.ADMIN):
        raise Forbidden(f"{actor} may not import other organisations' registrations (analyst or admin)")
    data = read_registrations(path, fmt)
    store.codec  # noqa: B018  (the keys are loaded before anything is read or written)
    with store.session() as session:
        refs = list(data.cases)
        existing = (
            set(session.scalars(select(LinkCaseRow.ref).where(LinkCaseRow.ref.in_(refs))).all()) if refs else set()
        )
        if existing:
            raise InvalidInput(
                f"{path}: {len(existing)} case(s) were imported before, e.g. {sorted(existing)[0]!r}; nothing imported",
                [Problem("case already imported", str(path), None, "case_id")],
            )
        _write_records(session, list(data.cases.values()), data.persons, actor)
        append_event(
            session,
            actor,
            None,
            "registrations_imported",
            {"file": path.name, "cases": len(data.cases), "persons": len(data.persons)},
        )
    return {
        "file": str(path),
        "rows": data.rows,
        "cases": len(data.cases),
        "persons": len(data.persons),
        "kept_as_written": [str(p) for p in data.kept_as_written],
    }


def _signal_records(session: Session, ids: list[str]) -> tuple[list[CaseRecord], list[PersonRecord], list[str]]:
    """Signals as link cases and persons (persons have no names: role, age, sex, nationality)."""
    signals = session.scalars(select(SignalRow).where(SignalRow.id.in_(ids))).all()
    forms: dict[str, list[str]] = defaultdict(list)
    for row in session.scalars(select(SignalFormRow).where(SignalFormRow.signal_id.in_(ids))):
        forms[row.signal_id].append(row.form)
    keys: dict[str, list[LinkKey]] = defaultdict(list)
    kept: list[str] = []
    for signal_id, kind, value in identifier_values(session, ids):  # stored encrypted
        keys[signal_id].append(LinkKey(kind, value))
    persons: list[PersonRecord] = []
    cases: list[CaseRecord] = []
    years = {s.id: s.received_at.year for s in signals}
    places = {s.id: s.municipality for s in signals if s.municipality}
    for n, person in enumerate(session.scalars(select(PersonRow).where(PersonRow.signal_id.in_(ids)))):
        persons.append(
            PersonRecord(
                ref=f"signal:{person.signal_id}:{n}",
                case=f"signal:{person.signal_id}",
                org="",
                role=person.role,
                birth_year=years[person.signal_id] - person.age if person.age is not None else None,
                city=places.get(person.signal_id),
                sex=person.gender,
                nationality=person.nationality,
                minor=person.age < 18 if person.age is not None else None,
            )
        )
    # an administrator's import of several organisations' signals links each as its reporting organisation
    orgs = {s.id: s.reporter_org for s in signals}
    persons = [PersonRecord(**{**p.__dict__, "org": orgs[p.case.split(":")[1]]}) for p in persons]
    for s in signals:
        kind = "ad_group" if (s.source_id or "").startswith("ads-screen:") else "signal"
        cases.append(
            CaseRecord(
                ref=f"signal:{s.id}",
                org=s.reporter_org,
                kind=kind,
                date=(s.observed_at or s.received_at).isoformat(),
                city=s.municipality or s.police_unit,
                forms=tuple(sorted(forms[s.id])),
                keys=tuple(dict.fromkeys(keys[s.id])),
                source_id=s.source_id,
            )
        )
    return cases, persons, kept


def _sync_signals(session: Session, actor: Actor, only: list[str] | None = None) -> list[str]:
    """Mirror signals not yet in link_cases; the refs of the cases added."""
    query = (
        select(SignalRow.id)
        .outerjoin(LinkCaseRow, LinkCaseRow.signal_id == SignalRow.id)
        .where(LinkCaseRow.ref.is_(None))
    )
    if only is not None:
        query = query.where(SignalRow.id.in_(only))
    missing = list(session.scalars(query))
    added: list[str] = []
    for start in range(0, len(missing), 2000):
        batch = missing[start : start + 2000]
        cases, persons, _ = _signal_records(session, batch)
        _write_records(session, cases, persons, actor, {c.ref: c.ref.split(":", 1)[1] for c in cases})
        added += [c.ref for c in cases]
    return added


# --- reading back and linking ---------------------------------------------------------------------


def _exact_links(session: Session, new_cases: set[str] | None, run: LinkRun) -> list[dict[str, Any]]:
    """Pairs of cases sharing a normalised key (for new cases only, when given); hubs reported, not paired."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    # joined on the keys' lookup pseudonyms: nothing is decrypted
    query = select(LinkKeyRow.kind, LinkKeyRow.pseudonym, LinkKeyRow.case_ref).where(LinkKeyRow.problem.is_(None))
    if new_cases is not None:
        if not new_cases:
            return []
        wanted = select(LinkKeyRow.kind, LinkKeyRow.pseudonym).where(LinkKeyRow.case_ref.in_(list(new_cases)))
        query = query.where(tuple_(LinkKeyRow.kind, LinkKeyRow.pseudonym).in_(wanted))
    for kind, value, case in session.execute(query):
        groups[(kind, value)].add(case)
    out = []
    now = _now()
    for (kind, value), cases in groups.items():
        if len(cases) < 2:
            continue
        if len(cases) > HUB_LIMIT:
            run.hubs.append(f"{kind}:{value[:12]}… on {len(cases)} cases")  # the pseudonym, never the value
            continue
        ordered = sorted(cases)
        for i, left in enumerate(ordered):
            for right in ordered[i + 1 :]:
                if new_cases is not None and left not in new_cases and right not in new_cases:
                    continue
                out.append(
                    {
                        "kind": "exact",
                        "left_ref": left,
                        "right_ref": right,
                        "left_case": left,
                        "right_case": right,
                        "key_kind": kind,
                        "key_value": value,
                        "match_weight": None,
                        "match_probability": 1.0,
                        "evidence": {"agreed": [kind]},
                        "status": "suggested",
                        "created_at": now,
                    }
                )
    return out


def _person_links(
    model: dict[str, Any],
    persons: list[PersonRecord],
    new: list[PersonRecord] | None,
    threshold: float,
    size: int | None,
) -> list[dict[str, Any]]:
    case_of = {p.ref: p.case for p in persons + (new or [])}
    asked = new is None or bool(new)  # an empty list of new records links nothing
    found = predict_links(persons, model=model, new=new, threshold=threshold, population=size) if asked else []
    now = _now()
    return [
        {
            "kind": "person",
            "left_ref": r.left,
            "right_ref": r.right,
            "left_case": case_of[r.left],
            "right_case": case_of[r.right],
            "key_kind": "",
            "key_value": "",
            "match_weight": r.match_weight,
            "match_probability": r.match_probability,
            "evidence": {"agreed": list(r.agreed), "disagreed": list(r.disagreed), "levels": r.levels},
            "status": "suggested",
            "created_at": now,
        }
        for r in found
        if case_of[r.left] != case_of[r.right]
    ]


def _store_links(session: Session, links: list[dict[str, Any]]) -> int:
    """Insert links not stored yet (a decided link keeps its decision); the number added."""
    if not links:
        return 0
    have: set[tuple[Any, ...]] = set(
        tuple(row)
        for row in session.execute(
            select(LinkRow.kind, LinkRow.left_ref, LinkRow.right_ref, LinkRow.key_kind, LinkRow.key_value).where(
                LinkRow.left_ref.in_(list({link["left_ref"] for link in links}))
            )
        )
    )
    fresh = []
    for link in links:
        ident = (link["kind"], link["left_ref"], link["right_ref"], link["key_kind"], link["key_value"])
        if ident not in have:
            have.add(ident)
            fresh.append(link)
    if fresh:
        session.execute(insert(LinkRow), fresh)
    return len(fresh)


def run_linking(store: Store, actor: Actor, *, full: bool = False, threshold: float = DEFAULT_THRESHOLD) -> LinkRun:
    """Bring new signals into linking and add the exact and person links of every case not compared before."""
    _require_linker(actor)
    model = store.knowledge.person_model
    run = LinkRun()
    with store.session() as session:
        run.cases_added = len(_sync_signals(session, actor))
        pending = set(session.scalars(select(LinkCaseRow.ref).where(LinkCaseRow.linked == 0)))
        total = session.scalar(select(func.count()).select_from(LinkCaseRow)) or 0
        # most of the registry new (the first run, a large import): one full comparison is cheaper
        scope = None if full or 2 * len(pending) > total else pending
        run.exact_links = _store_links(session, _exact_links(session, scope, run))
        if scope is None:
            _, persons = load_records(session)
            run.persons_added = sum(1 for p in persons if p.case in pending)
            run.person_links = _store_links(session, _person_links(model, persons, None, threshold, None))
        else:
            # only the new cases' persons, against stored candidates that share a blocking key
            _, new = load_records(session, sorted(scope))
            run.persons_added = len(new)
            stored = _candidates(session, new) + new  # new against stored, and the new ones among themselves
            population = session.scalar(select(func.count()).select_from(LinkPersonRow))
            run.person_links = _store_links(session, _person_links(model, stored, new, threshold, population))
        _mark_linked(session, pending)
        append_event(
            session,
            actor,
            None,
            "links_run",
            {
                "cases_added": run.cases_added,
                "cases_compared": len(pending),
                "exact_links": run.exact_links,
                "person_links": run.person_links,
                "hubs": run.hubs[:20],
            },
        )
    return run


def _mark_linked(session: Session, refs: Iterable[str]) -> None:
    ordered = sorted(refs)
    for start in range(0, len(ordered), 5000):
        session.execute(update(LinkCaseRow).where(LinkCaseRow.ref.in_(ordered[start : start + 5000])).values(linked=1))


def link_new_signal(store: Store, actor: Actor, signal_id: str, *, threshold: float = DEFAULT_THRESHOLD) -> LinkRun:
    """Link one signal against everything stored, through the key index and blocked candidates only."""
    _require_linker(actor)
    model = store.knowledge.person_model
    run = LinkRun()
    with store.session() as session:
        added = set(_sync_signals(session, actor, only=[signal_id]))
        case = f"signal:{signal_id}"
        if not added and session.get(LinkCaseRow, case) is None:
            raise NotFound(f"no signal {signal_id!r}")
        run.cases_added = len(added)
        run.exact_links = _store_links(session, _exact_links(session, {case}, run))
        _, new = load_records(session, [case])
        candidates = _candidates(session, new)
        population = session.scalar(select(func.count()).select_from(LinkPersonRow))
        run.person_links = _store_links(session, _person_links(model, candidates, new, threshold, population))
        _mark_linked(session, [case])
    return run


def _candidates(session: Session, new: list[PersonRecord]) -> list[PersonRecord]:
    """Stored persons that share a blocking key with the new ones, found through indexed columns:
    a phone or postcode (of the person or the case), the birth date (also with day and month
    swapped), or the name. The model's name-prefix blocks are not used here (no index serves them)."""
    if not new:
        return []
    cases = {p.case for p in new}
    rows = [p.splink_row() for p in new]
    codec = codec_of(session)  # blocking keys are searched by their lookup pseudonyms
    keys = sorted({codec.lookup(k.kind, k.value) for p in new for k in p.keys if k.kind in ("phone", "postcode")})
    births = sorted(
        {codec.lookup("birth_date", r[c]) for r in rows for c in ("birth_date", "birth_date_swapped") if r[c]}
    )
    names = sorted({codec.lookup("name", name_key(p.name)) for p in new if p.name})
    refs: set[str] = set()
    if keys:
        refs |= set(session.scalars(select(LinkKeyRow.case_ref).where(LinkKeyRow.pseudonym.in_(keys))))
    if births:
        refs |= set(session.scalars(select(LinkPersonRow.case_ref).where(LinkPersonRow.birth_lookup.in_(births))))
    if names:
        refs |= set(session.scalars(select(LinkPersonRow.case_ref).where(LinkPersonRow.name_lookup.in_(names))))
    refs -= cases
    if not refs:
        return []
    _, persons = load_records(session, sorted(refs)[:20000])
    return persons
