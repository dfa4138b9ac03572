"""The message catalogue: every interface text in Dutch (default) and English, loaded from ``messages.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from signaal.errors import CatalogueError, Problem

__all__ = ["LANGUAGES", "Translator", "load_messages"]

LANGUAGES: tuple[str, ...] = ("nl", "en")
MESSAGES = Path(__file__).parent / "messages.yaml"


@lru_cache(maxsize=1)
def load_messages(path: Path = MESSAGES) -> dict[str, dict[str, str]]:
    """Read and validate the catalogue (``messages.yaml`` and the ``messages_*.yaml`` beside it, one per
    part of the interface): every key needs a text in every language, and no key is defined twice."""
    problems: list[Problem] = []
    messages: dict[str, dict[str, str]] = {}
    for file in [path, *sorted(path.parent.glob(f"{path.stem}_*.yaml"))]:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if not isinstance(texts, dict) or any(not isinstance(texts.get(lang), str) for lang in LANGUAGES):
                problems.append(
                    Problem(f"message needs a text for each of {', '.join(LANGUAGES)}", file=file.name, field=str(key))
                )
                continue
            if str(key) in messages:
                problems.append(Problem("message is defined twice", file=file.name, field=str(key)))
                continue
            messages[str(key)] = {lang: texts[lang] for lang in LANGUAGES}
    if problems:
        raise CatalogueError("the message catalogue does not load", problems)
    return messages


class Translator:
    """Looks texts up in one language; an unknown key shows itself so a gap is visible, not fatal."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else LANGUAGES[0]
        self._messages = load_messages()

    def __call__(self, key: str, **values: Any) -> str:
        """The text for ``key`` with ``{name}`` placeholders filled in."""
        entry = self._messages.get(key)
        text = entry[self.lang] if entry else key
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Whether the catalogue has this key."""
        return key in self._messages

    def label(self, item: Any) -> str:
        """The catalogue label of a form, indicator or sector in this language (nl/en attributes)."""
        return str(getattr(item, self.lang, None) or getattr(item, "nl", None) or getattr(item, "id", item))
