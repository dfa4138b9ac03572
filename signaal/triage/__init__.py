"""Action perspective: routing facts to steps, contacts and questions; Delphi; meldcode; shelter figures.

Everything here is pure except :mod:`signaal.triage.loading`, which reads the bundled rule and
directory files.
"""

from __future__ import annotations

from signaal.triage.directory import CONTACT_IDS, Contact, Directory, Region, parse_directory
from signaal.triage.engine import OpenQuestion, Route, Step, route
from signaal.triage.facts import Facts, facts_from_mapping
from signaal.triage.loading import load_directory, load_rules
from signaal.triage.rules import RuleSet, parse_rules

__all__ = [
    "CONTACT_IDS",
    "Contact",
    "Directory",
    "Facts",
    "OpenQuestion",
    "Region",
    "Route",
    "RuleSet",
    "Step",
    "facts_from_mapping",
    "load_directory",
    "load_rules",
    "parse_directory",
    "parse_rules",
    "route",
]
