"""What every CLI command needs: settings, the acting user, and the opened store."""

from __future__ import annotations

from signaal.domain.actor import Actor, Role
from signaal.settings import Settings, load_settings


def settings() -> Settings:
    """Settings from the environment (validated; a ConfigError names the bad variable)."""
    return load_settings()


def actor(cfg: Settings | None = None) -> Actor:
    """The acting user from SIGNAAL_USER / SIGNAAL_ORG / SIGNAAL_ROLE."""
    cfg = cfg or settings()
    return Actor(user=cfg.user, org=cfg.org, role=Role(cfg.role))
