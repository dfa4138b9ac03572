"""Dates, days, numbers and deadlines as people write them, in Dutch or English.

Dutch reads "5 dec. 2026 14:03", "8 dagen", "3,5" and "binnen 5 dagen — uiterlijk wo 10 dec. 12:00";
English "5 Dec 2026 14:03", "8 days", "3.5". Moments are stored in UTC and shown in Dutch time.
The web pages, the ad report and the reasons of a screen all write them this way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["ZONE", "format_date", "format_days", "format_due", "format_moment", "format_month", "format_number"]

ZONE = ZoneInfo("Europe/Amsterdam")
_MONTHS = {
    "nl": ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_WORDS = {
    "nl": {"day": "dag", "days": "dagen", "hour": "uur", "hours": "uur", "within": "binnen", "by": "uiterlijk"},
    "en": {"day": "day", "days": "days", "hour": "hour", "hours": "hours", "within": "within", "by": "by"},
}


def _lang(lang: str) -> str:
    return lang if lang in _MONTHS else "nl"


def _parse(value: Any) -> date | datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZONE) if moment.tzinfo else moment.replace(tzinfo=ZONE)


def format_date(value: Any, lang: str = "nl", weekday: bool = False) -> str:
    """A date as '5 dec. 2026' (nl) or '5 Dec 2026' (en); with ``weekday`` 'wo 10 dec. 2026'."""
    parsed = _parse(value)
    if parsed is None:
        return "–" if value in (None, "") else str(value)
    lang = _lang(lang)
    day = _local(parsed).date() if isinstance(parsed, datetime) else parsed
    text = f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[lang][day.weekday()]} {text}" if weekday else text


def format_month(value: str, lang: str = "nl") -> str:
    """A month "2026-12" as 'dec. 2026' (nl) or 'Dec 2026' (en); anything else as given."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return f"{_MONTHS[_lang(lang)][month - 1]} {year}"
    except (ValueError, IndexError):
        return value


def format_moment(value: Any, lang: str = "nl") -> str:
    """A moment as '5 dec. 2026 14:03' in Dutch time; a plain date without a time."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return format_date(value, lang)
    local = _local(parsed)
    return f"{format_date(local, lang)} {local:%H:%M}"


def format_number(value: Any, lang: str = "nl", digits: int = 1) -> str:
    """A number with a decimal comma in Dutch ('3,5'); whole numbers without decimals."""
    if value is None or value == "":
        return "–"
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}"
        return text.replace(",", ".") if _lang(lang) == "nl" else text
    text = f"{number:,.{digits}f}"
    if _lang(lang) == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def format_days(value: Any, lang: str = "nl") -> str:
    """A waiting time in whole days: '8 dagen', '1 dag' ('8 days' in English)."""
    if value is None or value == "":
        return "–"
    whole = int(float(value))
    words = _WORDS[_lang(lang)]
    return f"{whole} {words['day'] if whole == 1 else words['days']}"


def format_due(hours: Any, due_at: Any, lang: str = "nl") -> str:
    """A deadline as 'binnen 5 dagen — uiterlijk wo 10 dec. 12:00' ('within 24 hours — by …')."""
    if hours in (None, ""):
        return ""
    lang = _lang(lang)
    words = _WORDS[lang]
    count = int(hours)
    span = (
        f"{count // 24} {words['day'] if count == 24 else words['days']}"
        if count % 24 == 0
        else f"{count} {words['hour'] if count == 1 else words['hours']}"
    )
    parsed = _parse(due_at)
    if not isinstance(parsed, datetime):
        return f"{words['within']} {span}"
    local = _local(parsed)
    day = f"{_WEEKDAYS[lang][local.weekday()]} {local.day} {_MONTHS[lang][local.month - 1]}"
    return f"{words['within']} {span} — {words['by']} {day} {local:%H:%M}"
