"""Loading several signals at once gives the same signals as loading each, in the order asked."""

from __future__ import annotations

import pytest
from test_signal_service import make  # synthetic signal of a 16-year-old

from signaal.domain.actor import Actor
from signaal.errors import NotFound
from signaal.services import signals as service
from signaal.store import Store
from signaal.store import signals as rows


def test_a_batch_equals_one_by_one_in_the_order_asked(store: Store, actor: Actor) -> None:
    first = service.record_signal(store, actor, make(source_id="B-1"))
    second = service.record_signal(
        store, actor, make(source_id="B-2", persons=[{"role": "victim", "age": 30}], identifiers=[])
    )
    with store.session() as session:
        batch = rows.load_signals(session, actor, [second.id, "missing", first.id, second.id])
        one_by_one = [rows.load_signal(session, actor, i) for i in (second.id, first.id)]
    assert batch == one_by_one
    assert [len(s.identifiers) for s in batch] == [0, 2]


def test_a_batch_leaves_out_what_the_actor_may_not_see(store: Store, actor: Actor, reporter_b: Actor) -> None:
    recorded = service.record_signal(store, actor, make())
    with store.session() as session:
        assert rows.load_signals(session, reporter_b, [recorded.id]) == []
        assert rows.load_signals(session, actor, []) == []


def test_reads_that_need_only_visibility_refuse_what_the_actor_may_not_see(
    store: Store, actor: Actor, reporter_b: Actor
) -> None:
    recorded = service.record_signal(store, actor, make())
    with store.session() as session:
        assert rows.signal_visible(session, actor, recorded.id)
        assert not rows.signal_visible(session, reporter_b, recorded.id)
        assert not rows.signal_visible(session, actor, "missing")
    assert [e.kind for e in service.signal_history(store, actor, recorded.id)] == ["created"]
    with pytest.raises(NotFound):
        service.signal_history(store, reporter_b, recorded.id)
