"""``signaal share grant|list|revoke`` and ``signaal assign`` as a coordinator of the owning
organisation, on both databases; a bad basis or scope is a message and an exit code, nothing stored.
All data synthetic."""

from __future__ import annotations

import json

import pytest

from signaal.cli import main
from signaal.errors import EXIT_CODES, InvalidInput

pytestmark = pytest.mark.storage


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _signal(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(
        capsys, "signals", "add", "--sector", "youth", "--region", "Utrecht", "--received", "2026-02-01",
        "--narrative", "[synthetisch] cli share", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    return str(json.loads(out)["id"])


def test_grant_list_and_revoke_from_the_command_line(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    signal_id = _signal(capsys)
    code, out, err = run(
        capsys, "share", "grant", signal_id, "--org", "org-b", "--basis", "wgs_convenant",
        "--purpose", "synthetic case meeting", "--scope", "narrative,route", "--until", "2099-01-01",
    )  # fmt: skip
    assert code == EXIT_CODES[InvalidInput], (code, out)  # more than 730 days is refused
    assert "at most 730 days" in err
    code, out, err = run(
        capsys, "share", "grant", signal_id, "--org", "org-b", "--basis", "wgs_convenant",
        "--purpose", "synthetic case meeting", "--scope", "narrative", "--scope", "route",
    )  # fmt: skip
    assert code == 0, err
    assert "-> org-b" in out and "narrative,route,summary" in out and "active" in out
    code, out, _ = run(capsys, "share", "list", signal_id, "--format", "json")
    [act] = json.loads(out)
    assert (act["org"], act["basis"], act["active"]) == ("org-b", "wgs_convenant", True)
    code, out, err = run(capsys, "share", "revoke", signal_id, act["id"], "--reason", "synthetic")
    assert code == 0, err
    assert "revoked" in out
    code, out, _ = run(capsys, "share", "list", signal_id, "--format", "json")
    assert [a["active"] for a in json.loads(out)] == [False]
    code, out, err = run(capsys, "assign", signal_id, "--person", "tester", "--team", "synthetic team")
    assert code == 0, err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--basis", "gut_feeling", "unknown legal basis"), ("--scope", "address", "unknown field group")],
)
def test_a_bad_basis_or_scope_is_refused_and_nothing_is_stored(
    cli_env: str, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    signal_id = _signal(capsys)
    argv = ["share", "grant", signal_id, "--org", "org-b", "--basis", "consent", "--purpose", "synthetic"]
    code, _, err = run(capsys, *argv, option, value)
    assert code == EXIT_CODES[InvalidInput] and message in err and "Traceback" not in err
    code, out, _ = run(capsys, "share", "list", signal_id, "--format", "json")
    assert json.loads(out) == []
