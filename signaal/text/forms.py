"""Form scoring: combine indicator weights and form cue words into a confidence per form (multi-label).

Each form is explained by the indicators and cue words behind it. Nationality never enters a
form score (it is a routing fact only).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from signaal.catalogue.model import EXPLOITATION_FORMS
from signaal.text.model import Evidence, FormSuggestion, IndicatorHit

__all__ = ["FORMS", "CueHit", "IndicatorProfile", "score_forms"]

# The forms a cue can support are the catalogue's exploitation forms ("unknown" supports nothing).
FORMS: tuple[str, ...] = EXPLOITATION_FORMS
#: A form is suggested when its score reaches MIN_SCORE and RELATIVE of the best form's score:
#: forms run through each other, but a passing mention ("she once picked tomatoes") should not
#: turn a clear case of sexual exploitation into a mixed one.
MIN_SCORE = 1.0
RELATIVE = 0.35
#: Scale of the score-to-confidence curve: a score of SCALE gives confidence 0.63.
SCALE = 2.0
HEDGED = 0.7  # "zou", "mogelijk", "volgens de buurman"
OTHER_PERSON = 0.5  # the situation of someone else than the person of concern


@dataclass(frozen=True)
class IndicatorProfile:
    """What an indicator supports: its forms and its weight (from the indicator catalogue)."""

    forms: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class CueHit:
    """A form cue word or sector word found in the text (not negated).

    ``shared`` holds every form of a setting that fits several (a drug lab: criminal and labour; a
    massage salon: labour and sexual): such a word says where, not which form, so its weight is
    shared like that of an indicator of several forms.
    """

    form: str
    weight: float
    key: str
    evidence: Evidence
    shared: tuple[str, ...] = ()


def score_forms(
    hits: Iterable[IndicatorHit],
    cues: Iterable[CueHit],
    profiles: Mapping[str, IndicatorProfile],
) -> tuple[list[FormSuggestion], dict[str, float]]:
    """Suggested forms (or "unknown") with their evidence, and the raw score of every form."""
    top = max((p.weight for p in profiles.values()), default=1.0) or 1.0
    score = dict.fromkeys(FORMS, 0.0)
    behind: dict[str, list[str]] = {f: [] for f in FORMS}
    seen: set[tuple[str, str]] = set()
    cue_evidence: dict[str, list[Evidence]] = {f: [] for f in FORMS}
    shared_cues: dict[str, CueHit] = {}
    for cue in cues:
        # Each distinct cue counts once: a ruling that says "prostitutie" ten times is one cue.
        if cue.form not in score or (cue.form, cue.key) in seen:
            continue
        seen.add((cue.form, cue.key))
        if len(cue.shared) > 1:
            shared_cues.setdefault(cue.key, cue)
            continue
        score[cue.form] += cue.weight
        cue_evidence[cue.form].append(cue.evidence)
    generic: list[tuple[IndicatorHit | CueHit, list[str], float]] = [
        (cue, [f for f in cue.shared if f in score], cue.weight) for cue in shared_cues.values()
    ]
    for hit in hits:
        profile = profiles.get(hit.indicator_id)
        if profile is None or not hit.present:
            continue
        forms = [f for f in profile.forms if f in score]
        if not forms:
            continue
        mass = profile.weight / top
        mass *= HEDGED if hit.hedged else 1.0
        mass *= OTHER_PERSON if hit.subject == "other" else 1.0
        if len(forms) == 1:
            score[forms[0]] += mass
            behind[forms[0]].append(hit.indicator_id)
        else:
            generic.append((hit, forms, mass))
    # An indicator that supports several forms (threats, violence, retained documents) says that
    # something is wrong, not which form: its weight is shared in proportion to the form-specific
    # evidence (evenly when there is none), so it adds confidence without mixing up the forms.
    # The shares are taken over the evidence for all forms: in a begging case with one passing
    # sexual word, "excessive hours" supports the begging (not in its list), not the sexual form.
    specific = dict(score)
    everything = sum(specific.values())
    for source, forms, mass in generic:
        for form in forms:
            share = specific[form] / everything if everything else 1.0 / len(forms)
            if share > 0:
                score[form] += mass * share
                if isinstance(source, CueHit):
                    cue_evidence[form].append(source.evidence)
                else:
                    behind[form].append(source.indicator_id)
    best = max(score.values())
    chosen = [
        FormSuggestion(
            form=f,
            confidence=1.0 - math.exp(-score[f] / SCALE),
            score=score[f],
            indicators=tuple(dict.fromkeys(behind[f])),
            cues=tuple(cue_evidence[f]),
        )
        for f in FORMS
        if score[f] >= MIN_SCORE and score[f] >= RELATIVE * best
    ]
    chosen.sort(key=lambda s: -s.score)
    if not chosen:
        chosen = [FormSuggestion(form="unknown", confidence=0.0, score=0.0)]
    return chosen, {f: round(s, 3) for f, s in score.items()}
