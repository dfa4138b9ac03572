"""Wire models of the signal routes: the worklist, the intake choices, a narrative's suggestions,
the signal page and its route, decisions and the meldcode checklist.

Each model describes a JSON answer exactly as the services build it (times as ISO 8601 text); a
field the model does not know is refused, so the OpenAPI cannot drift from what is sent.
"""

from __future__ import annotations

import builtins
from typing import Any

from pydantic import Field

from signaal.domain.signal import SignalPublic, SignalSummary
from signaal.services.signals import EventPublic
from signaal.web.api_models import ISO_TIME, WireModel
from signaal.web.wire_care import ReferralOut, SharingOut, ShelterOut

__all__ = [
    "ChecklistOut",
    "ContactOut",
    "DecisionOut",
    "FactsOut",
    "IntakeOut",
    "RouteDetailOut",
    "RouteOut",
    "SignalPageOut",
    "StepOut",
    "StepStateOut",
    "SuggestionsOut",
    "WorklistOut",
]


class ContactOut(WireModel):
    """A canonical contact: whom to call, the number and where it comes from."""

    id: str
    name: str
    phone: str | None
    url: str | None
    hours: str | None
    note: str
    source: str
    region: str | None = Field(description="None for the national entry")
    checked: str | None = Field(description="ISO date the entry was last checked against its source")


class StepOut(WireModel):
    """One step of a route: what to do, whom to call, why, and by when."""

    key: str = Field(description="Rule id and place in the rule, the same in every language")
    rule: str
    node: int
    title: str
    action: str
    contacts: list[ContactOut]
    reason: str
    because: list[str]
    record: str
    due_hours: int | None
    due_at: str | None = Field(description=ISO_TIME)
    shelter_type: str | None


class StepDoneOut(WireModel):
    """Who ticked a step off, when, and with what note."""

    user: str
    org: str
    at: str = Field(description=ISO_TIME)
    note: str


class StepStateOut(StepOut):
    """A step of the route with whether it is done, next or overdue."""

    done: StepDoneOut | None
    is_next: bool
    overdue: bool


class OpenQuestionOut(WireModel):
    """A missing fact whose answer would change the route."""

    fact: str
    question: str
    changes: str
    would_decide: list[str]


class RegionOut(WireModel):
    """Where a signal is handled."""

    police_unit: str | None
    municipality: str | None
    care_region: str | None


class RouteDetailOut(WireModel):
    """The route that holds for a set of facts, and what is still open."""

    contacts: list[str]
    steps: list[StepOut]
    open_questions: list[OpenQuestionOut]
    flags: list[str]
    flag_texts: dict[str, str] = Field(description="Each flag's text in the request's language")
    warnings: list[str]
    region: RegionOut | None
    shelter_types: list[str]
    stopped: bool


class FactsOut(WireModel):
    """The routing facts a route is computed on."""

    acute_danger: bool | None
    person_identifiable: bool | None
    age: int | None
    minor: bool | None
    forms: list[str]
    willing_to_talk_to_police: bool | None
    residence: str
    unaccompanied: bool | None
    complex_needs: bool | None
    needs_shelter: bool | None
    reporter_sector: str | None
    region: str | None
    indicators: list[str]


class RouteOut(WireModel):
    """The action perspective of a signal: the facts it was computed on and the route."""

    facts: FactsOut
    route: RouteDetailOut


class WorklistItemOut(SignalSummary):
    """A signal of the worklist with its next step and the steps past their deadline."""

    next_step: StepStateOut | None
    overdue: list[StepStateOut]


class WorklistOut(WireModel):
    """One page of the worklist, most urgent first, with the total and counts per status."""

    items: list[WorklistItemOut]
    total: int
    status_counts: dict[str, int]
    limit: int
    offset: int
    page: int
    pages: int
    filters: dict[str, str] = Field(description="The filters applied")


class LabelOut(WireModel):
    """A catalogue entry with its Dutch and English label."""

    id: str
    nl: str
    en: str


class IntakeOut(WireModel):
    """The choices of the intake form for one setting."""

    setting: str
    settings: list[str]
    indicators: list[LabelOut]
    reporter_sectors: list[LabelOut]
    forms: list[LabelOut]
    identifier_kinds: list[str]
    fact_fields: list[str]


class SpanOut(WireModel):
    """The words that support a suggestion, by character offsets."""

    start: int
    end: int
    text: str


class FormSuggestionOut(WireModel):
    """A suggested form of exploitation with the indicators and cue words behind it."""

    form: str
    confidence: float
    score: float
    indicators: list[str]
    cues: list[SpanOut]


class IndicatorSuggestionOut(WireModel):
    """An indicator found in the text, with how it is qualified."""

    id: str
    span: SpanOut
    negated: bool
    hedged: bool
    subject: str = Field(description='"person" for the person of concern, "other" for someone else')
    occurrences: int


class FactSuggestionOut(WireModel):
    """A routing fact the text supports."""

    fact: str
    value: Any
    span: SpanOut
    hedged: bool


class IdentifierSuggestionOut(WireModel):
    """A phone, e-mail, plate, KvK number, IBAN, address or postcode found in the text."""

    kind: str
    value: str
    span: SpanOut


class SuggestionsOut(WireModel):
    """What the narrative reader suggests, with evidence (empty lists for an unsupported language)."""

    id: str | None
    language: str
    supported: bool
    forms: list[FormSuggestionOut]
    form_scores: dict[str, float]
    indicators: list[IndicatorSuggestionOut]
    facts: list[FactSuggestionOut]
    identifiers: list[IdentifierSuggestionOut]
    notes: list[str]


class DecisionOut(WireModel):
    """A recorded routing decision."""

    signal_id: str
    decided_at: str = Field(description=ISO_TIME)
    decided_by: str
    decided_org: str
    route: str
    reason: str
    contacts: list[str]
    flags: list[str]


class ChecklistItemOut(WireModel):
    """One meldcode step and its completion."""

    number: int
    id: str
    title: str
    done: bool
    completed_by: str | None
    completed_at: str | None = Field(description=ISO_TIME)
    note: str


class ChecklistOut(WireModel):
    """The meldcode checklist of a signal and whether it is complete."""

    items: list[ChecklistItemOut]
    complete: bool


class MeldcodeOut(ChecklistOut):
    """The meldcode checklist on the signal page, with the step to do next."""

    next_step: str | None


class FactLineOut(WireModel):
    """One routing fact on the facts panel: its value, its source and who set it when."""

    name: str
    value: Any
    source: str = Field(description='"person", "record" or "unknown"')
    user: str | None
    org: str | None
    at: str | None = Field(description=ISO_TIME)
    editable: bool


class DimensionOut(WireModel):
    """One dimension of a Delphi list: the indicators found, by strength."""

    dimension: str
    positive: bool
    strong: list[str]
    medium: list[str]
    weak: list[str]


class DelphiOut(WireModel):
    """The assessment against one Delphi list."""

    list: str
    trafficked: bool
    explanation: str
    positive_dimensions: builtins.list[str]
    dimensions: builtins.list[DimensionOut]


class PageSignalOut(SignalPublic):
    """The signal as recorded, with its urgency."""

    urgency: int


class SignalPageOut(WireModel):
    """Everything on a signal's page, read at one moment, in the request's language."""

    signal: PageSignalOut
    facts: FactsOut
    fact_lines: list[FactLineOut]
    route: RouteDetailOut
    steps: list[StepStateOut]
    next_step: StepStateOut | None
    overdue: list[str] = Field(description="Keys of the steps past their deadline")
    decisions: list[DecisionOut]
    referrals: list[ReferralOut]
    meldcode: MeldcodeOut
    delphi: list[DelphiOut]
    shelter: list[ShelterOut]
    history: list[EventPublic]
    may_change: bool
    may_change_record: bool = Field(description="The user may change the record: indicators, forms")
    may_change_route: bool = Field(description="The user may act on the route: facts, status, decisions, ...")
    sharing: SharingOut
    now: str = Field(description=ISO_TIME)
