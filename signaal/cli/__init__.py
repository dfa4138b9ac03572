"""The ``signaal`` command line: thin shells that parse input, call one service, and render.

Each area lives in its own module with a ``register(app)`` function; the modules are listed in
:data:`COMMAND_MODULES`. Errors of the :mod:`signaal.errors` hierarchy become a message on stderr
and the exit code of :func:`signaal.errors.exit_code`, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from signaal.errors import SignaalError, exit_code

COMMAND_MODULES: tuple[str, ...] = (
    "signaal.cli.signals",
    "signaal.cli.db",
    "signaal.cli.web",
    "signaal.cli.route",
    "signaal.cli.shelter",
    "signaal.cli.catalogue",
    "signaal.cli.ads",
    "signaal.cli.narrative",
    "signaal.cli.demo",
    "signaal.cli.keys",
    "signaal.cli.audit",
    "signaal.cli.mse",
    "signaal.cli.link",
    "signaal.cli.trends",
    "signaal.cli.report",
    "signaal.cli.share",
    "signaal.cli.orgs",
)

app = typer.Typer(
    name="signaal",
    help="signaal: record, read and route signals of human trafficking, and screen sex-ad dumps.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user errors into a message and an exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except SignaalError as exc:
        typer.echo(f"error: {exc}", err=True)
        return exit_code(exc)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except typer.Exit as exc:
        return int(exc.exit_code)
    except Exception as exc:
        # Usage errors (unknown option, missing argument) come from the parser Typer ships; they
        # know how to show themselves and which exit code they mean.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            return code
        raise
    return 0


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())
