"""The catalogues as data: forms, indicators (PPS/ILO/Delphi), sectors and regions.

The files are read by the one loader (``signaal.knowledge``: ``Knowledge.catalogue``), where an
organisation replaces any of them by a file of the same name; ``build_catalogue`` validates them
together, and a bad file raises ``CatalogueError`` naming the file, the line, the entry and the
reason.
"""

from signaal.catalogue.catalogue import Catalogue, build_catalogue
from signaal.catalogue.files import KNOWN_FILES
from signaal.catalogue.model import (
    DELPHI_DIMENSIONS,
    DELPHI_LISTS,
    DELPHI_STRENGTHS,
    EXPLOITATION_FORMS,
    FORM_IDS,
    INDICATOR_SETTINGS,
    CareRegion,
    DelphiRef,
    Form,
    Indicator,
    Municipality,
    PoliceUnit,
    Province,
    RegionRef,
    ReporterSector,
    Sector,
    VeiligThuisRegion,
)
from signaal.catalogue.regions import normalise_place
from signaal.errors import CatalogueError

__all__ = [
    "DELPHI_DIMENSIONS",
    "DELPHI_LISTS",
    "DELPHI_STRENGTHS",
    "EXPLOITATION_FORMS",
    "FORM_IDS",
    "INDICATOR_SETTINGS",
    "KNOWN_FILES",
    "CareRegion",
    "Catalogue",
    "CatalogueError",
    "DelphiRef",
    "Form",
    "Indicator",
    "Municipality",
    "PoliceUnit",
    "Province",
    "RegionRef",
    "ReporterSector",
    "Sector",
    "VeiligThuisRegion",
    "build_catalogue",
    "normalise_place",
]
