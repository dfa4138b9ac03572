"""The language check every page of the web tests passes: no text of the other language, no internal id.

The visible text of a page (scripts, styles, code and anything marked ``translate="no"`` — what a
person typed, quotes from it — left out) must not contain:

- an internal id from the catalogues or the interface (``sleeps_at_workplace``, ``in_triage``,
  ``route_step_done``, ``ad_available_24_7``): every id with an underscore that the catalogues, the
  routing rules, the ad risk lexicon, the ad screen's reason codes and hub roles and the message keys
  define;
- on a Dutch page an English interface text (from the message catalogue or the ad screen's reason
  texts, ``ad_reasons.yaml``) or a plainly English
  sentence (service messages are English); on an English page a Dutch interface text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

from signaal.ads.resources import lexicon
from signaal.knowledge import bundled
from signaal.triage.facts import FACT_NAMES, RESIDENCES
from signaal.web.i18n import load_messages

_SKIP = {"script", "style", "code", "pre", "title", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Words that are ordinary English and never Dutch: one of them in a Dutch page's text means an English sentence.
_ENGLISH = re.compile(
    r"\b(the|with|without|cannot|must|should|please|unknown|which|been|your|signals?|record(?:ed)?)\b", re.I
)
_DUTCH = re.compile(r"\b(het|een|niet|wordt|zijn|voor|geen|naar|signalen|bij|ook|nog|aangevraagd|gemeld)\b", re.I)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        hidden = tag in _SKIP or values.get("translate") == "no" or values.get("lang") not in (None, "")
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


#: Proper names that stay Dutch on an English page (organisations are called by their own name).
PROPER_NAMES: tuple[str, ...] = (
    "Raad voor de Kinderbescherming",
    "Meld Misdaad Anoniem",
    "Veilig Thuis",
    "Nederlandse Arbeidsinspectie",
)


def visible_text(html: str) -> str:
    """The text a reader sees, without what a person typed (``translate="no"``) or another language's bits."""
    body = html.split("<body", 1)[-1]
    parser = _Text()
    parser.feed("<body" + body)
    return " ".join(" ".join(parser.parts).split())


def _interface_texts() -> list[dict[str, str]]:
    """Every interface text in both languages: the web's messages and the ad screen's reason texts."""
    reasons = bundled().ads.reasons.sections
    return [*load_messages().values(), *(entry for section in reasons.values() for entry in section.values())]


@lru_cache(maxsize=1)
def internal_ids() -> frozenset[str]:
    """Every id with an underscore a page could leak: catalogue entries, facts, rules, flags, events, statuses."""
    catalogue = bundled().catalogue
    rules = bundled().routing_rules
    ids: set[str] = set()
    for table in (catalogue.indicators, catalogue.forms, catalogue.reporter_sectors, catalogue.sectors):
        ids.update(table)
    ids.update(FACT_NAMES)
    ids.update(RESIDENCES)
    ids.update(rules.flags)
    ids.update(r.id for r in rules.rules)
    ids.update(entry.id for entry in lexicon(("nl", "en")))
    for section in bundled().ads.reasons.sections.values():  # reason codes, hub roles, contact types
        ids.update(section)
    for key in load_messages():
        ids.update(part for part in key.split(".") if "_" in part)
    return frozenset(i for i in ids if "_" in i)


@lru_cache(maxsize=2)
def _other_texts(lang: str) -> tuple[str, ...]:
    """Interface texts of the other language that differ from this language's (long enough to be telling)."""
    other = "en" if lang == "nl" else "nl"
    mine = {texts[lang] for texts in _interface_texts()}
    found: set[str] = set()
    for texts in _interface_texts():
        if texts[other] == texts[lang]:
            continue
        for piece in re.split(r"\{[^}]*\}", texts[other]):
            piece = piece.strip(" .:;,–—-()")
            proper = any(piece in name for name in PROPER_NAMES)
            if len(piece) >= 14 and " " in piece and not proper and not any(piece in m for m in mine):
                found.add(piece)
    return tuple(sorted(found))


def language_problems(html: str, lang: str) -> list[str]:
    """What on a page is not in ``lang`` or is an internal id (empty when the page is clean)."""
    text = visible_text(html)
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    problems = [f"internal id {i!r}" for i in sorted(internal_ids()) if re.search(rf"\b{re.escape(i)}\b", text)]
    problems += [f"{'English' if lang == 'nl' else 'Dutch'} text {p!r}" for p in _other_texts(lang) if p in text]
    words = _ENGLISH if lang == "nl" else _DUTCH
    for match in words.finditer(text):
        around = text[max(0, match.start() - 40) : match.end() + 40]
        problems.append(f"{'English' if lang == 'nl' else 'Dutch'} word {match.group(0)!r} in …{around}…")
    return problems


def assert_language(html: str, lang: str, where: str = "") -> None:
    """Fail with every problem when a page is not wholly in ``lang``."""
    problems = language_problems(html, lang)
    assert not problems, f"{where or 'page'} in {lang}:\n  " + "\n  ".join(problems[:30])
