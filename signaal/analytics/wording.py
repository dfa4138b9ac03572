"""Numbers and findings in plain Dutch and English: decimal commas, percentages, p-values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["VERDICTS", "Answer", "Finding", "num", "pct", "pval", "say"]


#: How a verdict reads in each language (the JSON keeps the id).
VERDICTS: dict[str, dict[str, str]] = {
    "supported": {"nl": "ondersteund", "en": "supported"},
    "contradicted": {"nl": "weersproken", "en": "contradicted"},
    "mixed": {"nl": "gemengd", "en": "mixed"},
    "jumps": {"nl": "sprongen, geen gestage trend", "en": "jumps, no steady trend"},
    "no_trend": {"nl": "geen aantoonbare trend", "en": "no detectable trend"},
    "not_supported": {"nl": "niet aangetoond", "en": "not shown"},
    "too_few_points": {"nl": "te weinig punten", "en": "too few points"},
    "not_answerable": {"nl": "niet te beantwoorden met deze bron", "en": "not answerable from this source"},
    "suppressed": {"nl": "onderdrukt (kleine aantallen)", "en": "suppressed (small counts)"},
    "falling": {"nl": "dalend", "en": "falling"},
    "rising": {"nl": "stijgend", "en": "rising"},
}


def num(value: float | None, lang: str, digits: int = 0) -> str:
    """A number with the language's decimal and thousands marks."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "nl" else text


def pct(value: float | None, lang: str, digits: int = 0, signed: bool = False) -> str:
    """A share or change as a percentage ("+5 %")."""
    if value is None:
        return "–"
    text = num(value * 100, lang, digits)
    if signed and value > 0:
        text = "+" + text
    return f"{text} %"


def pval(p: float | None, lang: str) -> str:
    """A p-value as people read it ("p < 0,001", "p = 0,03")."""
    if p is None:
        return "p –"
    if p < 0.001:
        return "p < 0,001" if lang == "nl" else "p < 0.001"
    return f"p = {num(p, lang, 3 if p < 0.01 else 2)}"


def say(nl: str, en: str) -> dict[str, str]:
    """A text in both languages."""
    return {"nl": nl, "en": en}


@dataclass(frozen=True)
class Finding:
    """One test and what it says, in both languages, with its figures."""

    name: str
    text: dict[str, str]
    result: dict[str, Any]

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        """JSON-ready form (one language, or both)."""
        return {"name": self.name, "text": self.text[lang] if lang else self.text, "result": self.result}


@dataclass(frozen=True)
class Answer:
    """The answer to one question: a verdict, a summary, the findings behind it and the caveats."""

    question: str
    title: dict[str, str]
    verdict: str  # supported, contradicted, mixed, no_trend, not_supported, too_few_points, not_answerable
    summary: dict[str, str]
    findings: tuple[Finding, ...] = ()
    caveats: tuple[dict[str, str], ...] = ()
    data: tuple[dict[str, Any], ...] = field(default=())

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        """JSON-ready form (one language, or both)."""

        def pick(text: dict[str, str]) -> Any:
            return text[lang] if lang else text

        return {
            "question": self.question,
            "title": pick(self.title),
            "verdict": self.verdict,
            "summary": pick(self.summary),
            "findings": [f.as_dict(lang) for f in self.findings],
            "caveats": [pick(c) for c in self.caveats],
            "data": list(self.data),
        }

    def render_text(self, lang: str) -> str:
        """Plain text for a terminal."""
        verdict = VERDICTS.get(self.verdict, {}).get(lang, self.verdict)
        lines = [f"{self.title[lang]} [{verdict}]", self.summary[lang], ""]
        lines += [f"- {f.text[lang]}" for f in self.findings]
        if self.caveats:
            lines += ["", "Kanttekeningen:" if lang == "nl" else "Caveats:"]
            lines += [f"- {c[lang]}" for c in self.caveats]
        return "\n".join(lines)
