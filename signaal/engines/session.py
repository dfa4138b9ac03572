"""The Spark session of the Spark engine, or a clear message naming what to install.

Local mode (``local[2]``) needs no cluster: PySpark starts a JVM on this machine. A cluster is
named by ``SIGNAAL_SPARK_MASTER`` or by spark-submit (see docs/spark.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from signaal.errors import ConfigError
from signaal.settings import Settings

__all__ = ["INSTALL_HINT", "require_spark", "spark_session"]

INSTALL_HINT = "install the Spark extra: pip install 'signaal[spark]'"


def require_spark() -> None:
    """Refuse with a clear message when PySpark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ConfigError(f"the spark engine needs PySpark, which is not installed: {INSTALL_HINT}") from None
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.path.exists(java):
        raise ConfigError(
            "the spark engine needs Java 17, which is not installed "
            "(Debian: apt-get install openjdk-17-jre-headless; or set JAVA_HOME)"
        )


def _similarity_jar() -> str | None:
    """The jar of string-similarity SQL functions that Splink ships, when Splink is installed."""
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError:
        return None
    path: str = similarity_jar_location()
    return path if os.path.exists(path) else None


# Input splits of at most this size: a per-ad row is several times its record (features, sketch,
# output lines), so a split of Spark's default 128 MB made partitions of about 750 MB that a 2 GB
# JVM could not cache (a 1,000,000-ad dump in four splits ran out of heap).
SPLIT_BYTES = "16m"


def _defaults(settings: Settings) -> dict[str, str]:
    """The Spark settings signaal starts a session with."""
    return {
        "spark.sql.shuffle.partitions": str(settings.spark_shuffle_partitions),
        "spark.default.parallelism": str(settings.spark_shuffle_partitions),
        "spark.sql.files.maxPartitionBytes": SPLIT_BYTES,
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.adaptive.enabled": "true",
        "spark.driver.memory": settings.spark_driver_memory,
    }


def _submitted(key: str) -> bool:
    """Whether spark-submit set ``key`` (its --conf, --driver-memory, or spark-defaults.conf)."""
    from pyspark import SparkConf

    return bool(SparkConf().contains(key))


def spark_session(settings: Settings, app: str = "signaal") -> Any:
    """The active Spark session, or a new one on ``settings.spark_master`` with small shuffles."""
    require_spark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app)
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # under spark-submit, its --master holds
        builder = builder.master(settings.spark_master)
        if settings.spark_master.startswith("local"):
            # the Python workers of local mode run this interpreter (with signaal installed)
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if not submitted:  # a session of the CLI or the tests: no UI (under spark-submit Spark's default, on)
        builder = builder.config("spark.ui.enabled", "false")
    for key, value in _defaults(settings).items():
        # under spark-submit its --conf holds; signaal's settings fill in only what it left unset
        if not (submitted and _submitted(key)):
            builder = builder.config(key, value)
    jar = _similarity_jar()
    if jar:  # Splink's string-similarity functions (Jaro-Winkler, Damerau-Levenshtein) for linking
        builder = builder.config("spark.jars", jar)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: name the cause, not a Java stack
        raise ConfigError(f"Spark did not start on {settings.spark_master!r}: {str(exc).splitlines()[0]}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark
