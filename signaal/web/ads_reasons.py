"""The narrative and evidence of a signal promoted from a screened group, in the promoter's language.

The reasons themselves, indicator labels and contacts as a reader writes them are the core's
(:mod:`signaal.ads.reasons`); these texts are the web's own (``messages_ads.yaml``).
"""

from __future__ import annotations

from typing import Any

from signaal.ads.reasons import contact_shown, hub_details, reason_lines
from signaal.domain.formats import format_number
from signaal.web.i18n import Translator

__all__ = ["group_evidence", "group_narrative"]


def group_narrative(group: dict[str, Any], t: Translator) -> str:
    """The narrative of a signal promoted from a group, in the promoter's language."""
    cities = ", ".join(group.get("cities") or []) or t("adsweb.narrative_no_city")
    head = t(
        "adsweb.narrative",
        id=group["id"],
        ads=len(group.get("ads", [])),
        cities=cities,
        score=format_number(group["score"], t.lang),
    )
    return head + " " + " | ".join(reason_lines(group, t.lang))


def group_evidence(group: dict[str, Any], t: Translator) -> dict[str, str]:
    """The words of a promoted group's suggested indicators (by indicator id) in the promoter's language."""
    words: dict[str, str] = {}
    hubs = []
    for h in group.get("hubs") or []:
        counts = {"names": len(h["names"]), "numbers": len(h["other_numbers"]), "cities": len(h["cities"])}
        hubs.append(f"{contact_shown(h['contact'], t.lang)}: {hub_details({'role': h['role'], **counts}, t.lang)}")
    if hubs:
        words["ad_shared_contact"] = "; ".join(hubs)
    coded = group.get("reason_codes") or []
    for code, indicator in (("movement", "ad_movement"), ("template", "ad_template_shared")):
        lines = reason_lines({"reason_codes": [r for r in coded if r.get("code") == code]}, t.lang)
        if lines:
            words[indicator] = "; ".join(line.split(" ", 1)[-1] for line in lines)  # without the points
    return words
