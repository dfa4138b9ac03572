"""What every CLI command needs: settings, the acting user, and the opened store."""

from __future__ import annotations

from signaal.domain.actor import Actor
from signaal.errors import Forbidden
from signaal.settings import Settings, load_settings


def settings() -> Settings:
    """Settings from the environment (validated; a ConfigError names the bad variable)."""
    return load_settings()


def actor(cfg: Settings | None = None) -> Actor:
    """The authenticated acting user: the owner of SIGNAAL_TOKEN when there is a users file, else the
    machine account of the embedded install (``local:<account>``); never a name from the environment."""
    from signaal.web.auth import Users, local_actor

    cfg = cfg or settings()
    if not cfg.multi_user:
        return local_actor(cfg)
    if cfg.auth_users_file is None:
        raise Forbidden(
            "this registry signs people in through SIGNAAL_OIDC_ISSUER, which does not reach the command line: "
            "keep a users file (SIGNAAL_AUTH_USERS_FILE) with personal tokens for the people who use the CLI"
        )
    if not cfg.token:
        raise Forbidden(
            "this registry has users (SIGNAAL_AUTH_USERS_FILE): set SIGNAAL_TOKEN to your personal token "
            "(an administrator makes one with 'signaal token new USER')"
        )
    record = Users(cfg).authenticate_token(cfg.token)
    if record is None:
        raise Forbidden("SIGNAAL_TOKEN is not a valid personal token of a user in SIGNAAL_AUTH_USERS_FILE")
    return record.actor


def log_engine_progress() -> None:
    """Show the Spark engine's stage lines (logger ``signaal.engines.spark``) on stderr."""
    import logging
    import sys

    logger = logging.getLogger("signaal.engines.spark")
    if not any(getattr(h, "signaal_progress", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        handler.signaal_progress = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
