"""Action perspective: routing facts to steps, contacts and questions; Delphi; meldcode; shelter figures.

Everything here is pure: the rule and directory files are read by the one loader
(``signaal.knowledge``) and validated here. Texts come in Dutch (default) and English; ids, flags and contact ids do not.
"""

from __future__ import annotations

from signaal.triage.directory import CONTACT_IDS, Contact, ContactEntry, Directory, Region, parse_directory
from signaal.triage.engine import OpenQuestion, Route, Step, route
from signaal.triage.facts import Facts, facts_from_mapping
from signaal.triage.rules import RuleSet, parse_rules
from signaal.triage.texts import DEFAULT_LANGUAGE, LANGUAGES, Text

__all__ = [
    "CONTACT_IDS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Contact",
    "ContactEntry",
    "Directory",
    "Facts",
    "OpenQuestion",
    "Region",
    "Route",
    "RuleSet",
    "Step",
    "Text",
    "facts_from_mapping",
    "parse_directory",
    "parse_rules",
    "route",
]
