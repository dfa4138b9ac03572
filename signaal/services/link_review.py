"""Looking at links and judging them: list, show, confirm, reject, and "linked to" of one signal.

A case the actor may not see (:mod:`signaal.services.link_access`: a signal without a sharing act
granting the evidence's field group, a registration of another registry) appears only as ``{"hidden": true, "org": …,
"contact": …}``: another organisation holds a match, and whom to contact; never its ids or values.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from signaal.domain.access import FieldGroup
from signaal.domain.actor import Actor
from signaal.errors import Conflict, InvalidInput, NotFound
from signaal.services import audit
from signaal.services.link import _require_linker
from signaal.services.link_access import CaseSight, case_sight
from signaal.services.signals import append_event, require_visible
from signaal.store import Store
from signaal.store.codec import ERASED
from signaal.store.link_sealing import KEY, open_value, owner_of
from signaal.store.signals import codec_of
from signaal.store.tables_link import LinkCaseRow, LinkKeyRow, LinkRow

__all__ = ["confirm_link", "get_link", "linked_to", "list_links", "reject_link"]

STATUSES = ("suggested", "confirmed", "rejected")


def _group(link: LinkRow) -> FieldGroup:
    """What part of a case a link's evidence discloses: identifiers (exact) or persons (person)."""
    return FieldGroup.IDENTIFIERS if link.kind == "exact" else FieldGroup.PERSONS


def _case_view(sight: CaseSight, case: LinkCaseRow | None, group: FieldGroup) -> dict[str, Any]:
    if case is None:
        return {"hidden": True, "org": None, "contact": None}
    if not sight.sees(case.ref, group):
        return {"hidden": True, "org": case.org, "contact": f"another organisation holds a match: contact {case.org}"}
    return {
        "hidden": False,
        "ref": case.ref,
        "kind": case.kind,
        "org": case.org,
        "signal_id": case.signal_id,
        "source_id": sight.source_id(case.ref, case.source_id),
        "date": case.date,
        "city": case.city,
    }


def _view(session: Session, sight: CaseSight, link: LinkRow, cases: dict[str, LinkCaseRow]) -> dict[str, Any]:
    left, right = cases.get(link.left_case), cases.get(link.right_case)
    group = _group(link)
    both = all(c is not None and sight.sees(c.ref, group) for c in (left, right))
    key = f"{link.key_kind}:{_key_value(session, link)}" if link.kind == "exact" and both else link.key_kind or None
    return {
        "id": link.id,
        "kind": link.kind,
        "status": link.status,
        "left": _case_view(sight, left, group),
        "right": _case_view(sight, right, group),
        "key": key,
        "match_weight": link.match_weight,
        "match_probability": link.match_probability,
        "evidence": link.evidence if both else {"agreed": link.evidence.get("agreed", [])},
        "decided_by": link.decided_by,
        "decided_at": link.decided_at.isoformat() if link.decided_at else None,
    }


def _key_value(session: Session, link: LinkRow) -> str:
    """The identifier an exact link shares, decrypted from the left case's key (the link keeps its
    lookup pseudonym only); "[erased]" when that case's key was destroyed."""
    stored = session.scalar(
        select(LinkKeyRow.value)
        .where(
            LinkKeyRow.case_ref == link.left_case,
            LinkKeyRow.kind == link.key_kind,
            LinkKeyRow.pseudonym == link.key_value,
        )
        .limit(1)
    )
    keys = codec_of(session).load(session, [owner_of(link.left_case)])
    return open_value(keys, link.left_case, KEY, stored) or ERASED


def _cases(session: Session, links: list[LinkRow]) -> dict[str, LinkCaseRow]:
    refs = {r for link in links for r in (link.left_case, link.right_case)}
    return (
        {c.ref: c for c in session.scalars(select(LinkCaseRow).where(LinkCaseRow.ref.in_(list(refs))))} if refs else {}
    )


def _sight(session: Session, actor: Actor, cases: dict[str, LinkCaseRow]) -> CaseSight:
    return case_sight(session, actor, [(c.ref, c.org) for c in cases.values()])


def _signals(cases: dict[str, LinkCaseRow], sight: CaseSight) -> list[str]:
    """The signals among the cases the actor sees (what the access audit names)."""
    return sorted(c.signal_id for c in cases.values() if c.signal_id and sight.sees(c.ref))


def list_links(
    store: Store, actor: Actor, *, status: str | None = None, kind: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Links the actor may judge, strongest first, with their evidence."""
    _require_linker(actor)
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown link status {status!r}; use {', '.join(STATUSES)}")
    if kind is not None and kind not in ("exact", "person"):
        raise InvalidInput(f"unknown link kind {kind!r}; use exact or person")
    if not 1 <= limit <= 10000:
        raise InvalidInput("limit must be between 1 and 10000")
    query = select(LinkRow)
    if status:
        query = query.where(LinkRow.status == status)
    if kind:
        query = query.where(LinkRow.kind == kind)
    query = query.order_by(LinkRow.match_probability.desc(), LinkRow.id).limit(limit)
    with store.session() as session:
        links = list(session.scalars(query))
        cases = _cases(session, links)
        sight = _sight(session, actor, cases)
        views = [_view(session, sight, link, cases) for link in links]
        audit.record_access(session, actor, "link_list", _signals(cases, sight), {"status": status, "kind": kind})
        return views


def get_link(store: Store, actor: Actor, link_id: int) -> dict[str, Any]:
    """One link with its evidence."""
    _require_linker(actor)
    with store.session() as session:
        link = session.get(LinkRow, link_id)
        if link is None:
            raise NotFound(f"no link {link_id}")
        cases = _cases(session, [link])
        sight = _sight(session, actor, cases)
        audit.record_access(session, actor, "link_read", _signals(cases, sight), {"link": link_id})
        return _view(session, sight, link, cases)


def _decide(store: Store, actor: Actor, link_id: int, status: str, reason: str) -> dict[str, Any]:
    _require_linker(actor)
    with store.session() as session:
        link = session.get(LinkRow, link_id)
        cases = _cases(session, [link]) if link is not None else {}
        if link is None or not _judgeable(_sight(session, actor, cases), link, cases):
            # A link the actor may not judge gets the answer of one that does not exist.
            raise NotFound(f"no link {link_id}")
        if link.status == status:
            raise Conflict(f"link {link_id} is already {status}")
        previous = link.status
        link.status = status
        link.decided_by = str(actor)
        link.decided_at = datetime.now(UTC)
        data = {
            "link_id": link_id,
            "kind": link.kind,
            "from": previous,
            "to": status,
            "reason": reason,
            "left": link.left_case,
            "right": link.right_case,
        }
        signals: list[str | None] = [c.signal_id for c in cases.values() if c.signal_id]
        for signal_id in signals or [None]:
            append_event(session, actor, signal_id, f"link_{status}", data)
        session.flush()
        return _view(session, _sight(session, actor, cases), link, cases)


def _judgeable(sight: CaseSight, link: LinkRow, cases: dict[str, LinkCaseRow]) -> bool:
    """A decision needs the evidence: both cases, and the part of each the link rests on, in sight."""
    group = _group(link)
    return all(ref in cases and sight.sees(ref, group) for ref in (link.left_case, link.right_case))


def confirm_link(store: Store, actor: Actor, link_id: int, reason: str = "") -> dict[str, Any]:
    """An analyst confirms a suggested link; an event on each signal it joins."""
    return _decide(store, actor, link_id, "confirmed", reason)


def reject_link(store: Store, actor: Actor, link_id: int, reason: str = "") -> dict[str, Any]:
    """An analyst rejects a link; it no longer joins networks, and the rejection is an event."""
    return _decide(store, actor, link_id, "rejected", reason)


def linked_to(store: Store, actor: Actor, signal_id: str) -> list[dict[str, Any]]:
    """What one signal is linked to (not rejected): shared identifiers and the other cases, as the actor may see them."""
    with store.session() as session:
        require_visible(session, actor, signal_id)
        case = f"signal:{signal_id}"
        links = list(
            session.scalars(
                select(LinkRow)
                .where(or_(LinkRow.left_case == case, LinkRow.right_case == case), LinkRow.status != "rejected")
                .order_by(LinkRow.match_probability.desc(), LinkRow.id)
                .limit(200)
            )
        )
        cases = _cases(session, links)
        sight = _sight(session, actor, cases)
        audit.record_access(session, actor, "link_list", _signals(cases, sight), {"links_of": signal_id})
        out = []
        for link in links:
            view = _view(session, sight, link, cases)
            other = view["right"] if link.left_case == case else view["left"]
            out.append(
                {
                    "link": view["id"],
                    "kind": link.kind,
                    "status": link.status,
                    "key": view["key"],
                    "match_probability": link.match_probability,
                    "evidence": view["evidence"],
                    "other": other,
                }
            )
        return out
