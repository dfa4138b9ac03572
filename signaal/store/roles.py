"""PostgreSQL roles: the application runs as a role that cannot rewrite history.

The owner role creates and migrates the schema (``signaal db upgrade``). The application role
gets what the services need and no more: no UPDATE, DELETE or TRUNCATE on the append-only tables,
no DELETE or TRUNCATE on the chain heads, no DDL — so it can neither disable a trigger (only an
owner can) nor switch to replica mode (only a superuser can).
"""

from __future__ import annotations

import re

from signaal.errors import InvalidInput
from signaal.store.guards import APPEND_ONLY

__all__ = ["app_role_grants"]

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_grants(role: str, schema: str = "public") -> list[str]:
    """The SQL statements an owner runs to give ``role`` the application's rights in ``schema``."""
    for label, name in (("role", role), ("schema", schema)):
        if not _NAME.match(name):
            raise InvalidInput(f"{label} {name!r} is not a plain PostgreSQL name (lower-case letters, digits, _)")
    append_only = ", ".join(APPEND_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {role}",
        f"REVOKE DELETE, TRUNCATE ON chain_heads FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
