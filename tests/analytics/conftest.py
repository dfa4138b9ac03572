"""Fixtures of the analytics tests: synthetic signals (signaal.analytics.synthetic) written to the test registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pytest

from signaal.domain.actor import Actor
from signaal.domain.signal import SignalCreate
from signaal.services.signals import prepare_signal
from signaal.store import Store
from signaal.store.signals import insert_signals

TODAY = date(2030, 1, 1)


def load_signals(store: Store, actor: Actor, items: Iterable[dict[str, Any]]) -> int:
    """Write synthetic signals straight to the registry (validated like an import); returns how many."""
    catalogue = store.catalogue
    prepared = [prepare_signal(catalogue, SignalCreate.model_validate(item), today=TODAY) for item in items]
    with store.session() as session:
        insert_signals(session, actor, prepared)
    return len(prepared)


@pytest.fixture
def load() -> Callable[[Store, Actor, Iterable[dict[str, Any]]], int]:
    """The writer of synthetic signals, as a fixture."""
    return load_signals
