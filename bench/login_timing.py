"""Sign-in cost for a known name with a wrong password against an unknown name, through
``Users.authenticate`` and through POST /login (FastAPI's TestClient, a temporary SQLite
registry). Prints the figures and writes bench/results/login_timing.json.

Every user and password is synthetic. Each attempt uses its own user and client address, so no
account or address reaches the throttling limit (a throttled attempt checks no password at all).

    python bench/login_timing.py [--attempts 40]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from signaal.settings import Settings
from signaal.web import create_app
from signaal.web.auth import Users
from signaal.web.passwords import hash_password

RESULTS = Path(__file__).parent / "results" / "login_timing.json"
SECRET = "synthetic-bench-secret-0123456789-abcdefghij"


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
    }


def main() -> None:
    """Measure and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="signaal-login-"))
    users = folder / "users.yaml"
    users.write_text(
        "".join(
            f"- name: user-{i}\n  org: org-a\n  role: reporter\n  password_hash: '{hash_password(f'synthetic-{i}-pw')}'\n"
            for i in range(args.attempts)
        ),
        encoding="utf-8",
    )
    settings = Settings(database_url=f"sqlite:///{folder / 'registry.db'}", auth_users_file=users, secret_key=SECRET)
    direct = Users(settings)
    known, unknown = [], []
    for i in range(args.attempts):
        for name, into in ((f"user-{i}", known), (f"nobody-{i}", unknown)):
            started = time.perf_counter()
            direct.authenticate(name, "wrong-password")
            into.append(time.perf_counter() - started)
    app = create_app(settings)
    http_known, http_unknown = [], []
    with TestClient(app, base_url="https://testserver"):
        for i in range(args.attempts):
            for name, into in ((f"user-{i}", http_known), (f"nobody-{i}", http_unknown)):
                client = TestClient(app, base_url="https://testserver", client=(f"127.1.{i}.{len(name)}", 50000))
                page = client.get("/login").text
                token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
                started = time.perf_counter()
                answer = client.post("/login", data={"csrf_token": token, "name": name, "password": "wrong-password"})
                into.append(time.perf_counter() - started)
                assert answer.status_code == 401, answer.status_code
    figures = {
        "attempts": args.attempts,
        "authenticate_known_wrong_password": _summary(known),
        "authenticate_unknown_name": _summary(unknown),
        "post_login_known_wrong_password": _summary(http_known),
        "post_login_unknown_name": _summary(http_unknown),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_1min": os.getloadavg()[0]},
    }
    ratio = figures["post_login_unknown_name"]["median_ms"] / figures["post_login_known_wrong_password"]["median_ms"]
    figures["unknown_over_known_median"] = round(ratio, 2)
    print(json.dumps(figures, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
