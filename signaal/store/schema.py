"""The complete metadata: every module that defines tables is imported here, once.

Other areas register their tables on the same :class:`~signaal.store.tables.Base`; listing their
modules here keeps Alembic and the test fixtures aware of every table.
"""

from __future__ import annotations

import importlib

from signaal.store.tables import Base

TABLE_MODULES: tuple[str, ...] = (
    "signaal.store.tables",
    "signaal.store.tables_triage",
    "signaal.store.tables_security",
    "signaal.store.tables_link",
    "signaal.store.tables_sessions",
    "signaal.store.tables_ads",
    "signaal.store.tables_access",
)

for _module in TABLE_MODULES:
    importlib.import_module(_module)

target_metadata = Base.metadata

__all__ = ["TABLE_MODULES", "target_metadata"]
