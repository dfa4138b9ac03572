"""The contact directory as use cases: read every entry with its source and date, and let an admin load
the organisation's own directory file (validated whole before anything is written)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from signaal.domain.actor import Actor, Role
from signaal.errors import ConfigError, Forbidden, InvalidInput
from signaal.knowledge import DataFiles, Knowledge, knowledge_for, parse_yaml
from signaal.services.signals import append_event
from signaal.settings import Settings
from signaal.store import Store
from signaal.triage.directory import ContactEntry, Directory, parse_directory, stale_entries

__all__ = ["DirectoryView", "directory_view", "load_organisation_directory"]

MAX_DIRECTORY_BYTES = 1_000_000


@dataclass(frozen=True)
class DirectoryView:
    """Every entry in force, the ones to check again, and whether an organisation's file is loaded."""

    entries: list[ContactEntry]
    stale: frozenset[tuple[str, str | None]]
    own_file: str | None
    may_load: bool


def directory_view(actor: Actor, settings: Settings, today: date | None = None) -> DirectoryView:
    """The directory in force (bundled, with the organisation's file applied) for the directory page."""
    directory = knowledge_for(settings).directory
    stale = stale_entries(directory, today or date.today())
    own = settings.directory_file
    return DirectoryView(
        entries=directory.entries(),
        stale=frozenset((e.id, e.region) for e in stale),
        own_file=own.name if own is not None and own.is_file() else None,
        may_load=actor.role == Role.ADMIN,
    )


def _parse_upload(content: bytes, filename: str, settings: Settings) -> Directory:
    """The uploaded file as a directory over the bundled one, or a CatalogueError naming the file and line."""
    if len(content) > MAX_DIRECTORY_BYTES:
        raise InvalidInput(f"{filename}: larger than {MAX_DIRECTORY_BYTES} bytes", code="directory_too_large")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{filename}: not UTF-8 text", code="directory_not_text", values={"file": filename}
        ) from None
    doc = parse_yaml(filename, filename, text)
    base = Knowledge.read(settings.catalogue_dir).directory  # the directory without any own file
    with DataFiles.located(doc):
        return parse_directory(doc.data, filename, base=base)


def load_organisation_directory(
    store: Store, actor: Actor, settings: Settings, content: bytes, filename: str
) -> Directory:
    """Validate an organisation's directory file and put it in force (admins only; written to
    ``SIGNAAL_DIRECTORY_FILE``). Nothing is written unless the whole file validates."""
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not load a contact directory", code="directory_admin_only")
    target = settings.directory_file
    if target is None:
        raise ConfigError(
            "set SIGNAAL_DIRECTORY_FILE to the path where the organisation's directory is kept",
            code="directory_no_setting",
        )
    directory = _parse_upload(content, filename, settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and moved into place, so a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".directory-", suffix=".yaml")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    Path(temporary).replace(target)  # a new file: knowledge_for reads it on the next call
    with store.session() as session:
        append_event(session, actor, None, "directory_loaded", {"file": filename, "entries": len(directory.entries())})
    return directory
