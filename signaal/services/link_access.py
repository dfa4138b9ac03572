"""What an actor may see of link cases: signals follow the sharing acts, registrations their registry.

A link case that is a signal (``signal:<id>``, also an ad group made from screening) is seen as
:mod:`signaal.services.access` decides: by the owning organisation, or by another organisation
through an active sharing act — its identifiers only when the act grants ``identifiers`` (in clear),
its persons only when it grants ``persons``. A case from imported registrations (``reg:…``) keeps
the registry's rule (:func:`signaal.services.link.may_see`): the linkers of the registry that
imported it see it. What may not be seen is shown as "another organisation holds a match".
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from signaal.domain.access import OWNER_SCOPE, FieldGroup
from signaal.domain.actor import Actor
from signaal.link.disclosure import CaseSight
from signaal.services.access import accesses
from signaal.services.link import may_see

__all__ = ["CaseSight", "case_sight"]

SIGNAL = "signal:"


def case_sight(session: Session, actor: Actor, cases: Iterable[tuple[str, str]]) -> CaseSight:
    """What the actor may see of each case, given as ``(ref, org)`` pairs."""
    pairs = list(cases)
    signal_ids = [ref[len(SIGNAL) :] for ref, _ in pairs if ref.startswith(SIGNAL)]
    allowed = accesses(session, actor, signal_ids) if signal_ids else {}
    scopes: dict[str, frozenset[FieldGroup]] = {}
    for ref, org in pairs:
        if ref.startswith(SIGNAL):
            access = allowed.get(ref[len(SIGNAL) :])
            scopes[ref] = access.scope if access is not None else frozenset()
        else:
            scopes[ref] = OWNER_SCOPE if may_see(actor, org) else frozenset()
    return CaseSight(scopes)
