"""``signaal serve`` (the web application) and ``signaal hash-password`` (for the users file)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from signaal.cli import context
from signaal.errors import InvalidInput
from signaal.settings import Settings, load_settings

__all__ = ["register", "serve_app"]


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default SIGNAAL_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default SIGNAAL_PORT, 8000).")] = None,
) -> None:
    """Serve the web application (single-user on 127.0.0.1; elsewhere only with authentication configured)."""
    base = context.settings()
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    # Re-validating with the overrides is what refuses a non-loopback host without authentication.
    cfg = load_settings(**{**base.model_dump(), **overrides}) if overrides else base
    serve_app(cfg)


def serve_app(cfg: Settings) -> None:
    """Run the web application on ``cfg.host``/``cfg.port`` until interrupted (also used by ``signaal demo --serve``)."""
    import uvicorn

    from signaal.web import create_app

    app = create_app(cfg)
    mode = "single-user" if not cfg.multi_user else f"users from {cfg.auth_users_file}"
    shown = f"[{cfg.host}]" if ":" in cfg.host else cfg.host
    typer.echo(f"signaal web on http://{shown}:{cfg.port}/ ({mode}; database {app.state.signaal.store.dialect})")
    uvicorn.run(app, host=cfg.host, port=cfg.port, log_level="warning", proxy_headers=False, server_header=False)


def hash_password(
    password_stdin: Annotated[bool, typer.Option("--stdin", help="Read the password from standard input.")] = False,
) -> None:
    """Print an argon2id hash of a password (peppered when SIGNAAL_KEY_DIR holds a login-pepper key) for the users file."""
    from signaal.web.passwords import hash_password as make_hash
    from signaal.web.passwords import pepper_of

    if password_stdin:
        password = typer.get_text_stream("stdin").readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
    if len(password) < 10:
        raise InvalidInput("a password needs at least 10 characters")
    typer.echo(make_hash(password, pepper_of(context.settings())[1]))


token_app = typer.Typer(
    help="Personal tokens with which the CLI acts as a user of the users file.", no_args_is_help=True
)


@token_app.command("new")
def token_new(user: Annotated[str, typer.Argument(help="Name of the user in SIGNAAL_AUTH_USERS_FILE.")]) -> None:
    """Print a new personal token (give it to the user) and the token_hash line for their users-file entry."""
    from signaal.web.auth import new_token

    if not user.strip() or "." in user:
        raise InvalidInput("a user name for a token is not empty and has no '.'")
    token, token_hash = new_token(user.strip())
    typer.echo(f"token (for SIGNAAL_TOKEN; shown once): {token}")
    typer.echo(f"users-file line for {user.strip()}:   token_hash: '{token_hash}'")


totp_app = typer.Typer(help="One-time codes (TOTP) as the second sign-in factor of a user.", no_args_is_help=True)


@totp_app.command("new")
def totp_new(user: Annotated[str, typer.Argument(help="Name of the user in SIGNAAL_AUTH_USERS_FILE.")]) -> None:
    """Print a new TOTP secret for a user's authenticator app and the totp_secret line for their entry."""
    import pyotp

    secret = pyotp.random_base32()
    typer.echo(f"authenticator URI: {pyotp.TOTP(secret).provisioning_uri(name=user, issuer_name='signaal')}")
    typer.echo(f"users-file line for {user}:   totp_secret: '{secret}'")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``hash-password`` and ``token`` to the root command."""
    app.command("serve")(serve)
    app.command("hash-password")(hash_password)
    app.add_typer(token_app, name="token")
    app.add_typer(totp_app, name="totp")
