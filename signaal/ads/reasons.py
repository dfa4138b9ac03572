"""The reasons of a screened group in the reader's language, and its contacts as a reader writes them.

The scoring gives each reason a code and values (:class:`signaal.ads.scoring.Reason`); the texts
are data (``ad_reasons.yaml``, read by the one loader, ``signaal.knowledge``, into the ad
resources in force), indicators are shown by their label in the risk lexicon of the language.
The web pages, the CSV downloads and the HTML report all write reasons with :func:`reason_lines`.
"""

from __future__ import annotations

import contextlib
import string
from dataclasses import dataclass
from typing import Any

import phonenumbers

from signaal.ads.resources import in_force, lexicon
from signaal.domain.formats import format_date
from signaal.errors import CatalogueError, Problem

__all__ = [
    "LANGUAGES",
    "REASON_CODES",
    "ReasonTexts",
    "contact_parts",
    "contact_shown",
    "hub_details",
    "hub_role",
    "indicator_label",
    "parse_reason_texts",
    "reason_lines",
]

LANGUAGES: tuple[str, ...] = ("nl", "en")
#: The codes of signaal.ads.scoring.Reason: each needs a text.
REASON_CODES: tuple[str, ...] = ("hub", "template", "movement", "strong", "phrases", "counter", "low_price")
# The sections of ad_reasons.yaml with the keys each must have.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "reasons": REASON_CODES,
    "words": ("hub_names", "hub_numbers", "hub_cities", "via_contact", "via_cluster"),
    "roles": (),
    "contact_types": (),
}


@dataclass(frozen=True, eq=False)
class ReasonTexts:
    """The texts of ad_reasons.yaml: per section, per key, one text per language."""

    sections: dict[str, dict[str, dict[str, str]]]

    def get(self, section: str, key: str, lang: str, **values: Any) -> str | None:
        """The text of ``key`` in ``lang`` with its placeholders filled in; None when there is none."""
        entry = self.sections.get(section, {}).get(key)
        if entry is None:
            return None
        text = entry.get(lang) or entry[LANGUAGES[0]]
        return text.format(**values) if values else text


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _entry(section: str, key: str, value: Any, file: str, problems: list[Problem]) -> dict[str, str] | None:
    where = f"{section}.{key}"
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGUAGES):
        problems.append(Problem(f"{where}: needs a text in each of {', '.join(LANGUAGES)}", file, field=where))
        return None
    texts = {lang: str(value[lang]) for lang in LANGUAGES}
    try:
        fields = {lang: _fields(text) for lang, text in texts.items()}
    except ValueError as exc:
        problems.append(Problem(f"{where}: bad placeholder: {exc}", file, field=where))
        return None
    if len({frozenset(f) for f in fields.values()}) > 1:
        shown = "; ".join(f"{lang}: {', '.join(sorted(f)) or 'none'}" for lang, f in fields.items())
        problems.append(Problem(f"{where}: the languages need the same placeholders ({shown})", file, field=where))
        return None
    return texts


def parse_reason_texts(data: Any, file: str = "ad_reasons.yaml") -> ReasonTexts:
    """The texts of ad_reasons.yaml, checked: each entry in Dutch and English with the same placeholders,
    a text for every reason code and every word a reason is built from."""
    if not isinstance(data, dict):
        raise CatalogueError(f"data file {file} has the wrong shape", [Problem("expected a mapping", file, 1)])
    problems: list[Problem] = []
    sections: dict[str, dict[str, dict[str, str]]] = {}
    for section, required in _REQUIRED.items():
        raw = data.get(section)
        raw = {} if raw is None else raw
        if not isinstance(raw, dict):
            problems.append(Problem(f"{section}: expected a mapping of key to texts", file, field=section))
            continue
        entries = {str(k): _entry(section, str(k), v, file, problems) for k, v in raw.items()}
        sections[section] = {k: v for k, v in entries.items() if v is not None}
        problems.extend(
            Problem(f"{section}: no text for {key!r}", file, field=section) for key in required if key not in raw
        )
    unknown = sorted(set(map(str, data)) - set(_REQUIRED))
    if unknown:
        problems.append(Problem(f"unknown section {unknown[0]!r}; use {', '.join(_REQUIRED)}", file, field=unknown[0]))
    if problems:
        raise CatalogueError(f"data file {file} does not validate", problems)
    return ReasonTexts(sections)


def _texts() -> ReasonTexts:
    return in_force().reasons


def _word(key: str, lang: str, **values: Any) -> str:
    return _texts().get("words", key, lang, **values) or key


def indicator_label(indicator_id: str, lang: str) -> str:
    """The label of an ad indicator in ``lang`` (the id only for an indicator no lexicon names)."""
    labels = {e.id: e.label for e in lexicon(("en", "nl"))}  # another language's label beats an id
    labels.update({e.id: e.label for e in lexicon((lang,))})
    return labels.get(indicator_id, indicator_id)


def contact_parts(key: str, lang: str) -> tuple[str, str]:
    """The type of a contact key in words and its value as a reader writes it:
    ``phone:+31612345678`` is ("telefoon", "+31 6 12345678"); a key without a type is ("", key)."""
    kind, _, value = key.partition(":")
    if not value:
        return "", key
    if kind == "phone" and value.startswith("+"):
        with contextlib.suppress(phonenumbers.NumberParseException):
            value = phonenumbers.format_number(phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return _texts().get("contact_types", kind, lang) or kind, value


def contact_shown(key: str, lang: str) -> str:
    """A contact key as a reader writes it: ``phone:+31612345678`` is "telefoon +31 6 12345678"."""
    return " ".join(filter(None, contact_parts(key, lang)))


def hub_role(role: str, lang: str) -> str:
    """The role of a hub in words ("gedeeld contact"); the code for a role without a text."""
    return _texts().get("roles", role, lang) or role


def hub_details(values: dict[str, Any], lang: str) -> str:
    """What makes a contact a hub: its role when it is not the plain one, names, numbers, cities."""
    details = []
    if values.get("role") == "text_only_beside_call_numbers":
        details.append(hub_role("text_only_beside_call_numbers", lang))
    for name in ("names", "numbers", "cities"):
        if int(values.get(name) or 0) >= (1 if name == "numbers" else 2):
            details.append(_word(f"hub_{name}", lang, n=values[name]))
    return ", ".join(details)


def _values(code: str, values: dict[str, Any], lang: str) -> dict[str, Any]:
    """The placeholders of one reason's text."""
    if code == "hub":
        return {"contact": contact_shown(str(values.get("contact", "")), lang), "details": hub_details(values, lang)}
    if code in ("phrases", "counter"):
        return {"labels": ", ".join(indicator_label(i, lang) for i in values.get("indicators", []))}
    if code == "strong":
        return {"label": indicator_label(str(values.get("indicator", "")), lang)}
    if code == "movement":
        return {
            "via": _word(f"via_{values.get('via')}", lang),
            "cities": " → ".join(values.get("cities", [])),
            "first": format_date(values.get("first"), lang),
            "last": format_date(values.get("last"), lang),
        }
    return {k: v for k, v in values.items() if isinstance(v, int | float | str)}


def reason_lines(group: dict[str, Any], lang: str) -> list[str]:
    """A group's reasons as sentences in ``lang``.

    A screen written before reasons had codes has only the English texts: those are shown as they are.
    """
    coded = group.get("reason_codes")
    if not coded:
        return [str(r) for r in group.get("reasons", [])]
    texts = _texts()
    lines = []
    for reason in coded:
        code = str(reason.get("code"))
        points = abs(int(reason.get("points") or 0))
        line = texts.get("reasons", code, lang, points=points, **_values(code, reason.get("values") or {}, lang))
        if line is not None:
            lines.append(line)
    return lines
