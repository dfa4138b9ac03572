"""One typed settings object, read from ``SIGNAAL_*`` environment variables and validated at start-up.

Tests build a :class:`Settings` directly; nothing patches module globals.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from signaal.errors import ConfigError

DEFAULT_SECRET = "change-me"
#: The shortest SIGNAAL_SECRET_KEY multi-user mode accepts (e.g. ``python -c 'import secrets; print(secrets.token_urlsafe(48))'``).
MIN_SECRET_LENGTH = 32


def secret_problem(secret: str) -> str | None:
    """Why a secret is too weak to sign sessions with, or None when it is strong enough."""
    if secret == DEFAULT_SECRET:
        return "is the default"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"has {len(secret)} characters; use at least {MIN_SECRET_LENGTH} random ones"
    if len(set(secret)) < 12:
        return "repeats too few different characters; use a random value"
    return None


def _https_or_loopback(url: str) -> bool:
    """Whether a URL is https, or plain http to this machine (a provider run for development)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"))


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "local"


class Settings(BaseSettings):
    """Every setting signaal reads; each field is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="SIGNAAL_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///signaal.db",
        description="SQLAlchemy URL of the registry; SQLite file by default, postgresql+psycopg://… for a region.",
    )
    user: str = Field(
        default_factory=_default_user,
        description="Display name of the single-user web mode; the history records the machine account.",
    )
    org: str = Field(default="local", description="Organisation of an embedded install (no users file).")
    role: str = Field(
        default="coordinator",
        description="Role of the local user of an embedded install (reporter, coordinator, analyst, moderator, admin).",
    )
    token: str | None = Field(
        default=None,
        description="Personal token the CLI authenticates with when there is a users file ('signaal token new').",
    )
    catalogue_dir: Path | None = Field(
        default=None, description="Directory with data files that override the bundled ones of the same name."
    )
    directory_file: Path | None = Field(
        default=None, description="YAML file with an organisation's own contact directory, overriding the bundled one."
    )
    referral_overdue_days: int = Field(
        default=14, ge=1, description="Days after which a referral without feedback is listed as overdue."
    )
    ads_max_ad_bytes: int = Field(
        default=65536, ge=256, description="Ads larger than this (title + body, UTF-8 bytes) are skipped and reported."
    )
    ads_max_group_size: int = Field(
        default=5000,
        ge=2,
        description="Largest group of linked ads kept; larger contact groups are split and reported.",
    )
    ads_movement_window_days: int = Field(
        default=14,
        ge=1,
        description="Window within which the same contact or template in several cities counts as movement.",
    )
    ads_job_dir: Path | None = Field(
        default=None,
        description="Folder of the web application's ad screening jobs (one folder of outputs per screen); "
        "default: a folder named after the registry in the system's temporary folder.",
    )
    ads_job_retention_days: int = Field(
        default=30,
        ge=1,
        description="Days a finished ad screening of the web application keeps its outputs (groups, ads, "
        "downloads); then they are removed and the screening is listed as expired.",
    )
    ads_index_file: Path | None = Field(
        default=None,
        description="index.json of an earlier ad screen that POST /api/ads/check screens new ads against "
        "(unless the request names a screening job).",
    )
    engine: str = Field(
        default="embedded",
        pattern="^(embedded|spark)$",
        description="Engine of ad screens and linking runs: embedded (this machine) or spark (extra signaal[spark]).",
    )
    spark_master: str = Field(
        default="local[2]",
        description="Spark master URL for the spark engine (local[N], spark://host:7077, k8s://...).",
    )
    spark_shuffle_partitions: int = Field(
        default=4, ge=1, description="Shuffle partitions of the spark engine's joins and group-bys."
    )
    spark_driver_memory: str = Field(
        default="2g",
        pattern=r"^[1-9][0-9]*[kmgt]$",
        description="Memory of the spark engine's driver JVM (spark.driver.memory, e.g. 2g); in local mode "
        "the executors run inside it. Ignored under spark-submit, whose --driver-memory holds.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web server listens on.")
    secret_key: str = Field(
        default=DEFAULT_SECRET,
        description="Secret for CSRF tokens and session cookies; must be set when not on 127.0.0.1.",
    )
    auth_users_file: Path | None = Field(
        default=None,
        description="YAML file of users (name, organisation, role, password hash); enables multi-user mode.",
    )
    lockout_failures: int = Field(
        default=10,
        ge=1,
        description="Failed sign-ins in a row after which an account is locked until an administrator unlocks it "
        "(beside the throttle, which only delays).",
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="Issuer URL of the organisation's OpenID Connect provider; enables single sign-on "
        "(and multi-user mode) beside or instead of the users file.",
    )
    oidc_client_id: str | None = Field(default=None, description="Client id of signaal at the OIDC provider.")
    oidc_client_secret: str | None = Field(
        default=None, description="Client secret of signaal at the OIDC provider (confidential client)."
    )
    oidc_redirect_url: str | None = Field(
        default=None,
        description="Public URL of /login/oidc/callback as registered at the provider (default: derived from "
        "the request).",
    )
    oidc_org_claim: str = Field(
        default="organisation", description="ID-token claim that names the user's organisation."
    )
    oidc_role_claim: str = Field(
        default="signaal_role",
        description="ID-token claim that names the user's signaal role (reporter, coordinator, analyst, "
        "moderator, admin).",
    )
    oidc_allowed_orgs: str = Field(
        default="",
        description="Comma-separated organisations whose users may sign in through the OIDC provider (empty: nobody).",
    )
    trusted_proxy: str | None = Field(
        default=None,
        description="Address of the reverse proxy in front of multi-user mode: from that peer only, the last "
        "X-Forwarded-For address is taken as the client's (for login throttling and the session list).",
    )
    insecure_cookies: bool = Field(
        default=False,
        description="Send session cookies without the Secure flag: only for development over plain HTTP, never in use.",
    )
    import_max_rows: int = Field(
        default=1_000_000, ge=1, description="Most records one imported file (CSV, JSONL, XLSX) may hold."
    )
    import_max_columns: int = Field(default=512, ge=8, description="Most columns one imported file may hold.")
    import_max_unpacked_bytes: int = Field(
        default=512 * 1024 * 1024,
        ge=1024 * 1024,
        description="Largest uncompressed size of an uploaded or imported XLSX workbook (all its parts).",
    )
    import_max_shared_strings_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024 * 1024,
        description="Largest shared-string table of an XLSX workbook (read whole before the first row).",
    )
    max_upload_bytes: int = Field(
        default=50 * 1024 * 1024, ge=1024, description="Largest upload the web application accepts."
    )
    language: str = Field(default="nl", description="Default interface language (nl or en).")
    key_dir: Path | None = Field(
        default=None,
        description="Directory of secret key files (pseudonym key and others), readable by this user only; "
        "see docs/keys.md.",
    )
    audit_anchor_file: Path | None = Field(
        default=None,
        description="File the chain heads are anchored in (`signaal audit anchor`) and verified against; "
        "keep it on another host or write-once storage.",
    )
    analytics_dir: Path = Field(
        default=Path("signaal-analytics"),
        description="Folder of the analytics store (DuckDB file and Parquet export of pseudonymised events).",
    )
    suppression_threshold: int = Field(
        default=10,
        ge=2,
        description="Cells under this count are suppressed in every table that leaves the analyst role.",
    )

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in ("nl", "en"):
            raise ValueError("language must be 'nl' or 'en'")
        return value

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        from signaal.domain.actor import Role

        if value not in {r.value for r in Role}:
            raise ValueError(f"unknown role {value!r}; use one of {', '.join(r.value for r in Role)}")
        return value

    @property
    def multi_user(self) -> bool:
        """Whether people sign in (a users file, single sign-on, or both) rather than one local user."""
        return self.auth_users_file is not None or bool(self.oidc_issuer)

    @property
    def oidc_orgs(self) -> frozenset[str]:
        """The organisations allowed to sign in through single sign-on."""
        return frozenset(o.strip() for o in self.oidc_allowed_orgs.split(",") if o.strip())

    @model_validator(mode="after")
    def _safe_server(self) -> Settings:
        local = self.host in ("127.0.0.1", "localhost", "::1")
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("SIGNAAL_OIDC_ISSUER needs SIGNAAL_OIDC_CLIENT_ID as well")
        if self.oidc_issuer and not _https_or_loopback(self.oidc_issuer):
            raise ValueError("SIGNAAL_OIDC_ISSUER must be an https:// URL (plain http only on this machine)")
        if not local and (not self.multi_user or self.secret_key == DEFAULT_SECRET):
            raise ValueError(
                "refusing to serve on a non-loopback address without authentication: "
                "set SIGNAAL_AUTH_USERS_FILE and a SIGNAAL_SECRET_KEY of your own"
            )
        return self


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (plus explicit overrides), raising ConfigError on bad values."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"SIGNAAL_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
