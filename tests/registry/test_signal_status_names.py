"""A status name is checked once, in the service: a typo gives a message, never a traceback or an empty list."""

from __future__ import annotations

import pytest
from test_signal_service import make  # synthetic signal of a 16-year-old

from signaal.domain.actor import Actor
from signaal.domain.signal import Status
from signaal.errors import InvalidInput
from signaal.services import signals as service
from signaal.store import Store
from signaal.store.signals import SignalQuery


def test_an_unknown_status_is_refused_when_changing(store: Store, actor: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    with pytest.raises(InvalidInput, match="unknown status 'triage'; use one of new, in_triage"):
        service.change_status(store, actor, recorded.id, "triage")
    assert service.get_signal(store, actor, recorded.id).status == Status.NEW


def test_an_unknown_status_filter_is_refused_not_an_empty_worklist(store: Store, actor: Actor) -> None:
    service.record_signal(store, actor, make())
    with pytest.raises(InvalidInput, match="unknown status 'nieuw'"):
        service.list_signals(store, actor, SignalQuery(status="nieuw"))
    with pytest.raises(InvalidInput, match="unknown status 'nieuw'"):
        list(service.export_signals(store, actor, SignalQuery(status="nieuw")))
    assert service.list_signals(store, actor, SignalQuery(status="new")).total == 1
