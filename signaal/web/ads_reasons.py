"""A screen's reasons and indicators in the reader's language: codes and values from the scoring,
texts from ``messages_ads.yaml``, indicators by their label in the risk lexicon of that language."""

from __future__ import annotations

from typing import Any

from signaal.web.filters import format_date, format_number
from signaal.web.i18n import Translator

__all__ = ["contact_shown", "group_evidence", "group_narrative", "indicator_label", "reason_lines"]


def _labels(lang: str) -> dict[str, str]:
    from signaal.ads.resources import lexicon

    labels = {e.id: e.label for e in lexicon(("en", "nl"))}  # another language's label beats an id
    labels.update({e.id: e.label for e in lexicon((lang,))})
    return labels


def indicator_label(indicator_id: str, lang: str) -> str:
    """The label of an ad indicator in ``lang`` (the id only for an indicator no lexicon names)."""
    return _labels(lang).get(indicator_id, indicator_id)


def contact_shown(key: str) -> str:
    """A contact key as a reader writes it: ``phone:+31612345678`` → ``+31612345678``."""
    return key.split(":", 1)[-1]


def _hub(values: dict[str, Any], t: Translator) -> dict[str, Any]:
    details = []
    if values.get("role") == "text_only_beside_call_numbers":
        details.append(t("hub.text_only_beside_call_numbers"))
    for name in ("names", "numbers", "cities"):
        if int(values.get(name) or 0) >= (1 if name == "numbers" else 2):
            details.append(t(f"adsreason.hub_{name}", n=values[name]))
    return {"contact": contact_shown(str(values.get("contact", ""))), "details": ", ".join(details)}


def _values(code: str, values: dict[str, Any], t: Translator) -> dict[str, Any]:
    """The placeholders of one reason's message."""
    lang = t.lang
    if code == "hub":
        return _hub(values, t)
    if code in ("phrases", "counter"):
        return {"labels": ", ".join(indicator_label(i, lang) for i in values.get("indicators", []))}
    if code == "strong":
        return {"label": indicator_label(str(values.get("indicator", "")), lang)}
    if code == "movement":
        return {
            "via": t(f"adsreason.via_{values.get('via')}"),
            "cities": " → ".join(values.get("cities", [])),
            "first": format_date(values.get("first"), lang),
            "last": format_date(values.get("last"), lang),
        }
    return {k: v for k, v in values.items() if isinstance(v, int | float | str)}


def reason_lines(group: dict[str, Any], t: Translator) -> list[str]:
    """A group's reasons as sentences in the translator's language.

    A screen written before reasons had codes has only the English texts: those are shown as they are.
    """
    coded = group.get("reason_codes")
    if not coded:
        return [str(r) for r in group.get("reasons", [])]
    lines = []
    for reason in coded:
        code = str(reason.get("code"))
        if not t.has(f"adsreason.{code}"):
            continue
        points = abs(int(reason.get("points") or 0))
        lines.append(t(f"adsreason.{code}", points=points, **_values(code, reason.get("values") or {}, t)))
    return lines


def group_narrative(group: dict[str, Any], t: Translator) -> str:
    """The narrative of a signal promoted from a group, in the promoter's language."""
    cities = ", ".join(group.get("cities") or []) or t("adsweb.narrative_no_city")
    head = t("adsweb.narrative", id=group["id"], ads=len(group.get("ads", [])), cities=cities, score=format_number(group["score"], t.lang))
    return head + " " + " | ".join(reason_lines(group, t))


def group_evidence(group: dict[str, Any], t: Translator) -> dict[str, str]:
    """The words of a promoted group's suggested indicators (by indicator id) in the promoter's language."""
    words: dict[str, str] = {}
    hubs = []
    for h in group.get("hubs") or []:
        counts = {"names": len(h["names"]), "numbers": len(h["other_numbers"]), "cities": len(h["cities"])}
        hubs.append(f"{contact_shown(h['contact'])}: {_hub({'role': h['role'], **counts}, t)['details']}")
    if hubs:
        words["ad_shared_contact"] = "; ".join(hubs)
    coded = group.get("reason_codes") or []
    for code, indicator in (("movement", "ad_movement"), ("template", "ad_template_shared")):
        lines = reason_lines({"reason_codes": [r for r in coded if r.get("code") == code]}, t)
        if lines:
            words[indicator] = "; ".join(line.split(" ", 1)[-1] for line in lines)  # without the points
    return words
