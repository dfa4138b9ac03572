"""Word globs: ``paspoort*``, ``*schuld*``, ``ingenomen`` — matched against one folded token.

Dutch inflection and compounds are written as globs in the lexicon ("*schuld*" covers
"schulden", "reisschuld", "schuldenlast"); :class:`GlobIndex` answers, for one token, which
globs match it, bucketing by affix so that a text costs one dictionary probe per new word.
"""

from __future__ import annotations

import re

__all__ = ["GLOB_CHARS", "GlobIndex", "check_glob"]

#: Characters a glob may contain after folding.
GLOB_CHARS = re.compile(r"^[a-z0-9*'\-.€]+$")
_CACHE_LIMIT = 200_000


def check_glob(glob: str) -> str | None:
    """Reason why a glob is unusable, or None when it is fine."""
    if not GLOB_CHARS.match(glob):
        return f"glob {glob!r} has characters other than letters, digits, ' - . € and *"
    if "**" in glob:
        return f"glob {glob!r} has a double '*'"
    if "*" in glob and len(glob.replace("*", "")) < 2:
        return f"glob {glob!r} needs at least two literal characters besides '*'"
    return None


class GlobIndex:
    """All globs of a lexicon, indexed for fast lookup of the globs one token matches."""

    def __init__(self) -> None:
        self.globs: list[str] = []
        self._ids: dict[str, int] = {}
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[tuple[str, int]]] = {}
        self._suffix: dict[str, list[tuple[str, int]]] = {}
        self._infix: list[tuple[str, int]] = []
        self._other: list[tuple[re.Pattern[str], int]] = []
        self._cache: dict[str, tuple[int, ...]] = {}

    def add(self, glob: str) -> int:
        """Register a glob (once) and return its id."""
        if glob in self._ids:
            return self._ids[glob]
        gid = len(self.globs)
        self.globs.append(glob)
        self._ids[glob] = gid
        stars = glob.count("*")
        core = glob.strip("*")
        if stars == 0:
            self._exact.setdefault(glob, []).append(gid)
        elif stars == 1 and glob.endswith("*"):
            self._prefix.setdefault(core[:2], []).append((core, gid))
        elif stars == 1 and glob.startswith("*"):
            self._suffix.setdefault(core[-2:], []).append((core, gid))
        elif stars == 2 and glob.startswith("*") and glob.endswith("*"):
            self._infix.append((core, gid))
        else:
            regex = "".join(".*" if c == "*" else re.escape(c) for c in glob)
            self._other.append((re.compile(regex + r"\Z"), gid))
        self._cache.clear()
        return gid

    def lookup(self, token: str) -> tuple[int, ...]:
        """Ids of the globs that match a folded token (cached per distinct token)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        found: list[int] = list(self._exact.get(token, ()))
        for core, gid in self._prefix.get(token[:2], ()):
            if token.startswith(core):
                found.append(gid)
        for core, gid in self._suffix.get(token[-2:], ()):
            if token.endswith(core):
                found.append(gid)
        for core, gid in self._infix:
            if core in token:
                found.append(gid)
        for regex, gid in self._other:
            if regex.match(token):
                found.append(gid)
        result = tuple(found)
        if len(self._cache) >= _CACHE_LIMIT:
            # A bounded cache: a long-running server must not grow without end.
            self._cache.clear()
        self._cache[token] = result
        return result
