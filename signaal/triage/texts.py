"""Texts in two languages: every user-facing text of the rules and the directory has Dutch and English.

Ids, flags and contact ids stay language-neutral; only the words a person reads are per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from signaal.errors import InvalidInput, Problem

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Text", "check_language", "parse_text"]

#: Languages every text must have; Dutch first because signaal's users are Dutch professionals.
LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


@dataclass(frozen=True)
class Text:
    """One text in Dutch and English."""

    nl: str
    en: str

    def __call__(self, lang: str) -> str:
        """The text in ``lang`` ("nl" or "en")."""
        return self.en if lang == "en" else self.nl

    def format_map(self, values: Mapping[str, str]) -> Text:
        """Both languages with ``{placeholders}`` filled in."""
        return Text(self.nl.format_map(values), self.en.format_map(values))

    @classmethod
    def same(cls, text: str) -> Text:
        """A text that reads the same in every language (a proper name)."""
        return cls(text, text)


def check_language(lang: str | None) -> str:
    """The language to use: ``None`` is the default; anything but nl or en is InvalidInput."""
    if lang is None:
        return DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        raise InvalidInput(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def _clean(value: Any) -> str:
    # Folded YAML keeps single newlines in some styles; a text is one paragraph.
    return " ".join(str(value).split())


def parse_text(
    raw: Any,
    where: str,
    field: str,
    file: str,
    problems: list[Problem],
    *,
    required: bool = True,
    plain_ok: bool = False,
) -> Text | None:
    """Read ``{nl: ..., en: ...}``; a missing language is a problem naming file, entry and field.

    ``plain_ok`` accepts a plain string as the same text in both languages (for proper names).
    """
    if raw is None or raw == "":
        if required:
            problems.append(Problem(f"{where}: missing {field} (needs nl and en)", file=file, field=field))
        return None
    if isinstance(raw, str | int | float) and not isinstance(raw, bool):
        if plain_ok:
            return Text.same(_clean(raw))
        problems.append(
            Problem(
                f"{where}: {field} needs a Dutch and an English text ({{nl: ..., en: ...}})", file=file, field=field
            )
        )
        return None
    if not isinstance(raw, Mapping):
        problems.append(Problem(f"{where}: {field} must be {{nl: ..., en: ...}}", file=file, field=field))
        return None
    unknown = sorted(str(k) for k in raw if k not in LANGUAGES)
    if unknown:
        problems.append(Problem(f"{where}: {field} has unknown languages {unknown}", file=file, field=field))
    missing = [lang for lang in LANGUAGES if not _clean(raw.get(lang) or "")]
    if missing:
        problems.append(
            Problem(f"{where}: {field} has no text in {', '.join(missing)}", file=file, field=f"{field}.{missing[0]}")
        )
        return None
    return Text(nl=_clean(raw["nl"]), en=_clean(raw["en"]))
