"""The one loader of data files: :class:`DataFiles` reads them, :class:`Knowledge` holds them as objects.

Every data file the package ships (catalogue, routing rules, directory, lexicons, ad resources,
link data, monitoring data) is read through :class:`DataFiles`, which applies an organisation's
overrides one way for all of them, and validated with file and line. Services get the result
from :func:`knowledge_for` and hand it to the core.
"""

from signaal.knowledge.files import BUNDLED, DataFiles, Document, Record, SourceFile, parse_yaml
from signaal.knowledge.knowledge import Knowledge, bundled, knowledge_for

__all__ = [
    "BUNDLED",
    "DataFiles",
    "Document",
    "Knowledge",
    "Record",
    "SourceFile",
    "bundled",
    "knowledge_for",
    "parse_yaml",
]
