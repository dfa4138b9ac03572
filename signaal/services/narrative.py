"""Narrative suggestions as a service: read a text, and turn the reading into suggested signal entries.

Suggestions are advice: :func:`apply_suggestions` adds them to a :class:`SignalCreate` marked
``origin="suggested"`` / ``set_by="suggestion"``, so they stay apart from what a person reported
or confirmed (``signaal.services.signals.confirm_indicator`` / ``confirm_form`` turn them into
confirmed entries) and are counted separately (:func:`count_by_origin`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from signaal.catalogue import Catalogue
from signaal.domain.actor import Actor
from signaal.domain.signal import (
    MAX_NARRATIVE_CHARS,
    Certainty,
    FormHypothesis,
    IndicatorOrigin,
    ObservedIndicator,
    SetBy,
    SignalCreate,
)
from signaal.errors import InvalidInput
from signaal.knowledge import Knowledge, knowledge_for
from signaal.settings import Settings, load_settings
from signaal.text import IndicatorProfile, Reading, read_narrative

__all__ = [
    "Suggestions",
    "apply_suggestions",
    "count_by_origin",
    "suggest",
]

#: What :func:`suggest` returns: the reading of one narrative.
Suggestions = Reading


def suggest(
    actor: Actor,
    text: str,
    narrative_id: str | None = None,
    *,
    catalogue: Catalogue | None = None,
    settings: Settings | None = None,
    knowledge: Knowledge | None = None,
) -> Suggestions:
    """Suggest indicators, forms, facts and identifiers for one narrative; nothing is stored.

    The lexicons and indicator weights are those of ``knowledge``; without it, of ``settings``
    (or of the environment), so an organisation's ``indicators.yaml`` and lexicons count here too.
    Forms are scored with the indicator weights of ``catalogue`` when one is given.
    """
    del actor  # reading stores and discloses nothing; the actor keeps the service signature uniform
    if len(text) > MAX_NARRATIVE_CHARS:  # the reader's time grows faster than the text: intake's limit
        raise InvalidInput(
            f"a narrative of {len(text):,} characters is longer than the {MAX_NARRATIVE_CHARS:,} intake takes"
        )
    if knowledge is None:
        knowledge = knowledge_for(settings or load_settings())
    in_force = catalogue is None or catalogue is knowledge.catalogue
    profiles = knowledge.indicator_profiles if catalogue is None or in_force else _profiles(catalogue)
    return read_narrative(text, knowledge.lexicons, knowledge.language_profiles, profiles, narrative_id=narrative_id)


def _profiles(catalogue: Catalogue) -> dict[str, IndicatorProfile]:
    """Forms and weight per indicator of a catalogue handed in (the only source of both)."""
    return {i.id: IndicatorProfile(tuple(i.forms), float(i.weight)) for i in catalogue.indicators.values()}


def apply_suggestions(data: SignalCreate, suggestions: Suggestions) -> SignalCreate:
    """A copy of ``data`` with the suggested indicators and forms added, marked as suggestions.

    Indicators or forms the person already recorded are left as they are; negated indicators and
    "unknown" are not added. Suggested facts go under ``facts["suggested"]`` (fact → value and
    evidence) and never overwrite a routing fact a person entered.
    """
    have = {i.indicator_id for i in data.indicators}
    indicators = list(data.indicators)
    for hit in suggestions.present_indicators:
        if hit.indicator_id in have:
            continue
        have.add(hit.indicator_id)
        indicators.append(
            ObservedIndicator(
                indicator_id=hit.indicator_id,
                words=hit.evidence.text[:2000],
                certainty=Certainty.POSSIBLE if hit.hedged else Certainty.PROBABLE,
                origin=IndicatorOrigin.SUGGESTED,
            )
        )
    forms = list(data.forms)
    have_forms = {f.form for f in forms}
    for form in suggestions.forms:
        if form.form != "unknown" and form.form not in have_forms:
            forms.append(FormHypothesis(form=form.form, set_by=SetBy.SUGGESTION))
    facts: dict[str, Any] = dict(data.facts)
    suggested: dict[str, Any] = {}
    for fact in suggestions.facts:
        suggested.setdefault(fact.fact, {"value": fact.value, "words": fact.evidence.text, "hedged": fact.hedged})
    if suggested:
        facts["suggested"] = suggested
    return data.model_copy(update={"indicators": indicators, "forms": forms, "facts": facts})


def count_by_origin(data: SignalCreate) -> dict[str, int]:
    """How many indicators and forms a signal holds per origin (suggested ones are counted apart)."""
    counts: Counter[str] = Counter()
    for indicator in data.indicators:
        counts[f"indicators_{IndicatorOrigin(indicator.origin).value}"] += 1
    for form in data.forms:
        counts[f"forms_{SetBy(form.set_by).value}"] += 1
    return dict(counts)
