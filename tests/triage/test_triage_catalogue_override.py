"""The action-perspective services read the registry's catalogue, so an organisation's override
(SIGNAAL_CATALOGUE_DIR) counts in Delphi advice as it does when a signal is recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import signaal.catalogue
from signaal.domain.actor import Actor, Role
from signaal.domain.signal import SignalCreate
from signaal.knowledge import bundled
from signaal.services import signals as signal_service
from signaal.services import triage as service
from signaal.settings import Settings
from signaal.store import open_store

# Synthetic: an indicator that only the organisation's override catalogue knows.
EXTRA = """
  - id: synthetic_override_indicator
    nl: synthetische indicator van de eigen organisatie
    en: synthetic indicator of the organisation's own catalogue
    forms: [labour]
    weight: 0.5
    delphi: {adult_labour: {deceptive_recruitment: strong}}
    settings: [labour]
"""


def test_delphi_advice_uses_an_indicator_from_the_override_catalogue(settings: Settings, tmp_path: Path) -> None:
    bundled_file = Path(signaal.catalogue.__file__).parent / "data" / "indicators.yaml"
    (tmp_path / "indicators.yaml").write_text(bundled_file.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    own = settings.model_copy(update={"catalogue_dir": tmp_path})
    assert "synthetic_override_indicator" not in bundled().catalogue.indicators
    store = open_store(own)
    try:
        actor = Actor(user="tester", org="org-a", role=Role.COORDINATOR)
        signal = signal_service.record_signal(
            store,
            actor,
            SignalCreate(
                received_at=date(2026, 3, 2),
                reporter_org="org-a",
                reporter_sector="labour_inspectorate",
                region="Utrecht",
                narrative="[synthetisch] Beloofd werk bleek iets anders.",
                indicators=[{"indicator_id": "synthetic_override_indicator"}],  # type: ignore[list-item]
                persons=[{"role": "victim", "age": 30}],  # type: ignore[list-item]
            ),
        )
        advice = {a.list: a for a in service.delphi_for_signal(store, actor, signal.id)}
    finally:
        store.close()
    found = {d.dimension: d.strong for d in advice["adult_labour"].dimensions}
    assert found["deceptive_recruitment"] == ("synthetic_override_indicator",)
