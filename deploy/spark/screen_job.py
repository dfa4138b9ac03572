"""spark-submit entry point: screen an ad dump on the cluster spark-submit names (see docs/spark.md).

    spark-submit --master spark://master:7077 deploy/spark/screen_job.py SOURCE OUT_DIR [REGION]

SOURCE is a JSONL or CSV file or a Parquet folder (local, hdfs:// or s3a://); OUT_DIR is a folder
on the driver's file system. The acting user comes from SIGNAAL_USER, SIGNAAL_ORG, SIGNAAL_ROLE.
"""

from __future__ import annotations

import sys
from pathlib import Path

from signaal.domain.actor import Actor, Role
from signaal.engines.spark_ads import screen_on_spark
from signaal.errors import SignaalError, exit_code
from signaal.settings import Settings


def main(argv: list[str]) -> int:
    """Run one screen; a user's mistake is one line on stderr and the CLI's exit code."""
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    settings = Settings()
    actor = Actor(user=settings.user, org=settings.org, role=Role(settings.role))
    try:
        summary = screen_on_spark(actor, argv[0], Path(argv[1]), settings, region=(argv[2:] or ["NL"])[0])
    except SignaalError as exc:
        print(exc, file=sys.stderr)
        return exit_code(exc)
    print(f"{summary.ads} ads screened in {summary.seconds:.0f} s: {summary.clusters} groups, {summary.hubs} hubs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
