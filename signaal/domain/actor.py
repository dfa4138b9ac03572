"""Who is acting: every service call carries an :class:`Actor`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles in the chain; access rules in the services are written against these."""

    REPORTER = "reporter"  # records signals for their own organisation
    COORDINATOR = "coordinator"  # regional care coordinator: triage, routing, shelter
    ANALYST = "analyst"  # police / inspectorate / RIEC analyst: linking, screening
    MODERATOR = "moderator"  # platform trust-and-safety: ad screening
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """The acting user, their organisation and their role."""

    user: str
    org: str
    role: Role

    @property
    def sees_all_organisations(self) -> bool:
        """Coordinators, analysts and admins work across organisations' link cases (registrations
        brought together for linking); signals follow sharing acts (:mod:`signaal.domain.access`)."""
        return self.role in (Role.COORDINATOR, Role.ANALYST, Role.ADMIN)

    def __str__(self) -> str:
        return f"{self.user}@{self.org} ({self.role.value})"
