"""Wire models of the analysis routes: networks, what a signal is linked to, and the monitor.

A network's facts, a graph's node and edge attributes and a statistical test's figures differ by
kind: the models declare the fields every one has and let the others through (a hidden case or
node carries ``hidden: true`` and nothing that identifies it).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from signaal.web.api_models import OpenWireModel, WireModel

__all__ = ["LinkedOut", "MonitorOut", "NetworkDetailOut", "NetworkOut"]


class NetworkSizeOut(WireModel):
    """How many cases, persons and identifiers a network holds."""

    cases: int
    persons: int
    identifiers: int


class NetworkSignalOut(WireModel):
    """A signal (or ad group) of a network the user may see."""

    id: str
    source_id: str | None
    kind: str


class RegistrationOut(WireModel):
    """A registration of a network the user may see."""

    ref: str
    org: str
    source_id: str | None


class HeldElsewhereOut(WireModel):
    """Cases of a network held by another organisation: how many, and whom to contact."""

    org: str
    cases: int
    contact: str


class ClassificationOut(WireModel):
    """A network's label (over every case) with the reasons for it (over the cases the user sees)."""

    label: str
    reasons: list[str]
    also_counts_held_cases: int = Field(
        default=0, description="Cases held by other organisations the label counts but the answer does not show"
    )


class AboutOut(OpenWireModel):
    """Whom a role is about: an identifier (kind, value), a person (id, role, records), or hidden."""

    type: str


class RoleOut(WireModel):
    """A ranked role in a network, with its evidence (empty for what the user may not see)."""

    rank: int
    about: AboutOut
    score: float
    evidence: list[str]


class NetworkFactsOut(OpenWireModel):
    """The counts a network's classification rests on (cases, victims, suspects, cities, first, last...)."""


class TimelineOut(OpenWireModel):
    """When a network's cases came in, and where it was first seen."""

    cases_per_month: dict[str, int] = Field(default_factory=dict)
    cities_first_seen: dict[str, str] = Field(default_factory=dict)


class NetworkOut(WireModel):
    """A network: its cases, classification with reasons, ranked roles with evidence and timeline."""

    id: str
    size: NetworkSizeOut
    signals: list[NetworkSignalOut]
    registrations: list[RegistrationOut]
    held_by_other_organisations: list[HeldElsewhereOut]
    classification: ClassificationOut
    organisation_score: float
    facts: NetworkFactsOut
    forms: list[str]
    other_crime: list[str]
    roles: list[RoleOut]
    timeline: TimelineOut
    note: str


class NodeOut(OpenWireModel):
    """A node of the network's picture: a case, person or identifier, with its attributes."""

    id: str
    type: str
    label: str | None = None


class EdgeOut(OpenWireModel):
    """An edge of the network's picture, typed (contact, on_case, uses...), with its attributes."""

    source: str
    target: str
    type: str | None = None


class NetworkDetailOut(NetworkOut):
    """A network with the nodes and typed edges its picture draws."""

    nodes: list[NodeOut]
    edges: list[EdgeOut]
    drawable: bool = Field(description="False for a network too large to draw")


class LinkedCaseOut(OpenWireModel):
    """The other side of a link: the case (ref, kind, org, signal_id, source_id, date, city), or hidden
    with the organisation to contact."""

    hidden: bool
    org: str | None


class LinkOut(WireModel):
    """A link of a signal that is not rejected: how it links and to what."""

    link: int
    kind: str
    status: str
    key: str | None
    match_probability: float | None
    evidence: dict[str, Any]
    other: LinkedCaseOut


class LinkedOut(WireModel):
    """What a signal is linked to, and the network it is part of."""

    links: list[LinkOut]
    network: str | None


class KeyFigureOut(WireModel):
    """A key figure of the monitor's year."""

    label: str
    value: str


class TableRowOut(WireModel):
    """A row of a monitor table; suppressed cells are null and marked."""

    category: str
    label: str
    values: list[int | None]
    suppressed: list[bool]


class TableOut(WireModel):
    """A monitor table after suppression."""

    id: str
    title: str
    dimension: str
    unit: str
    additive: bool
    columns: list[str]
    rows: list[TableRowOut]
    suppression_threshold: int


class StatResultOut(OpenWireModel):
    """The figures of one statistical test; which ones depend on ``test``."""

    test: str
    reason: str | None = Field(default=None, description="Why the test gave no answer, if it did not")


class FindingOut(WireModel):
    """One test and what it says."""

    name: str
    text: str
    result: StatResultOut


class SeriesOut(OpenWireModel):
    """A series a question's answer rests on (counts, or part and whole, per period)."""

    name: str
    periods: list[str]


class AnswerOut(WireModel):
    """The answer to one monitor question: a verdict, a summary, the findings behind it and the caveats."""

    question: str
    title: str
    verdict: str
    summary: str
    findings: list[FindingOut]
    caveats: list[str]
    data: list[SeriesOut]


class MonitorOut(WireModel):
    """The monitor of a year: key figures, the suppressed tables and the tests' answers."""

    year: int
    suppression_threshold: int
    key_figures: list[KeyFigureOut]
    tables: list[TableOut]
    answers: list[AnswerOut]
