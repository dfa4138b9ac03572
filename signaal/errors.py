"""The error hierarchy: every error a user can cause carries a message meant for that user.

Each class maps to one CLI exit code and one HTTP status, in one table each
(:data:`EXIT_CODES`, :data:`HTTP_STATUS`), so shells never invent their own mapping.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One concrete problem in user input: where it is and why it is wrong."""

    reason: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    # The message key and its values for interfaces that speak the user's language (``reason`` is English).
    code: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [where] if where else []
        if self.field:
            parts.append(f"field {self.field!r}")
        prefix = ", ".join(parts)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class SignaalError(Exception):
    """Base of every error that is the user's to fix; ``str()`` is the message to show.

    ``code`` names the message for interfaces that speak the user's language (the web app looks up
    ``error.<code>`` with ``values``); the English ``message`` stays what the CLI and logs print.
    """

    def __init__(
        self,
        message: str,
        problems: list[Problem] | None = None,
        *,
        code: str | None = None,
        values: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])
        self.code = code
        self.values: dict[str, str] = dict(values or {})

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message, *(f"  {p}" for p in self.problems[:50])]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)


class InvalidInput(SignaalError):
    """Input that does not validate: a bad field, row, file or combination of facts."""


class CatalogueError(SignaalError):
    """A catalogue file (YAML/CSV) that does not load or validate."""


class NotFound(SignaalError):
    """A signal, request or other record that does not exist (or is not visible to the actor)."""


class Forbidden(SignaalError):
    """The actor's organisation or role does not allow this action."""


class Conflict(SignaalError):
    """The action clashes with the stored state (e.g. closing without a routing decision)."""


class StorageError(SignaalError):
    """The database is missing, locked, unreachable or at the wrong schema version."""


class ConfigError(SignaalError):
    """A setting is missing, malformed or unsafe."""


class Busy(SignaalError):
    """Too many attempts or requests at once (login throttling, one reading per user); try again later."""


EXIT_CODES: dict[type[SignaalError], int] = {
    InvalidInput: 2,
    CatalogueError: 3,
    NotFound: 4,
    Forbidden: 5,
    Conflict: 6,
    StorageError: 7,
    ConfigError: 8,
    Busy: 9,
}

HTTP_STATUS: dict[type[SignaalError], int] = {
    InvalidInput: 422,
    CatalogueError: 500,
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    StorageError: 503,
    ConfigError: 500,
    Busy: 429,
}


def exit_code(error: SignaalError) -> int:
    """CLI exit code for an error (1 for an unlisted subclass)."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


def http_status(error: SignaalError) -> int:
    """HTTP status for an error (400 for an unlisted subclass)."""
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400
