"""Dates as people and platforms write them: the one list of formats signaal reads."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["DATE_FORMATS", "parse_date"]

# Besides ISO 8601 (with or without a time): the forms a date is written in by registrations
# (day-month-year) and by ad platforms ("Tue 18 Jul 2017 02:29 PM", "18 Jul 2017").
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%a %d %b %Y %I:%M %p", "%d %b %Y")

# "Tue 18 Jul 2017 02:29 PM" and "18 Jul 2017", with English month names whatever the locale
_DAY_MONTH_YEAR = re.compile(r"(?:[A-Za-z]{3},? )?(\d{1,2}) ([A-Za-z]{3}) (\d{4})\b")
_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def parse_date(value: str) -> date | None:
    """The date written in ``value`` (ISO or one of DATE_FORMATS), or None when it is none."""
    value = value.strip()
    if not value:
        return None
    m = _DAY_MONTH_YEAR.match(value)
    if m and m.group(2).lower() in _MONTHS:
        try:
            return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
