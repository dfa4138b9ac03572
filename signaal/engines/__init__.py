"""Where a screen or linking run runs: the embedded engine (this machine) or Spark (a cluster).

The choice is made in one place, :func:`choose_engine`: the ``--engine`` option when given, else
the ``SIGNAAL_ENGINE`` setting. The Spark engine needs the extra ``signaal[spark]`` and Java 17;
:func:`signaal.engines.session.spark_session` says so when either is missing.
"""

from __future__ import annotations

from signaal.errors import ConfigError
from signaal.settings import Settings

__all__ = ["ENGINES", "choose_engine"]

ENGINES = ("embedded", "spark")


def choose_engine(option: str | None, settings: Settings) -> str:
    """The engine a run uses: the option when given, else the setting."""
    engine = (option or settings.engine).strip().lower()
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    return engine
