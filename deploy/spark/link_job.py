"""spark-submit entry point: link registration files on the cluster spark-submit names (see docs/spark.md).

    spark-submit --master spark://master:7077 deploy/spark/link_job.py OUT_DIR INPUT [INPUT ...]

Each INPUT is a JSONL or CSV file or a Parquet folder of registrations (local, hdfs:// or s3a://);
OUT_DIR is a folder the driver and the executors share (the executors write the Parquet parts).
The acting user comes from SIGNAAL_USER, SIGNAAL_ORG, SIGNAAL_ROLE.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from signaal.domain.actor import Actor, Role
from signaal.errors import SignaalError, exit_code
from signaal.services.link_engine import link_on_spark
from signaal.settings import Settings


def main(argv: list[str]) -> int:
    """Run one linking run; a user's mistake is one line on stderr and the CLI's exit code."""
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = Settings()
    actor = Actor(user=settings.user, org=settings.org, role=Role(settings.role))
    try:
        run = link_on_spark(None, actor, settings, inputs=argv[1:], out_dir=Path(argv[0]))
    except SignaalError as exc:
        print(exc, file=sys.stderr)
        return exit_code(exc)
    print(
        f"{run.found.get('exact', 0)} exact and {run.found.get('person', 0)} person links, {run.networks} networks, "
        f"{run.skipped} rows skipped, in {run.seconds:.0f} s: {run.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
