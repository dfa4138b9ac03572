"""Statistics for monitoring: pseudonymised events, trend tests, composition, suppression and the report model.

Pure: plain objects in, plain objects out; the analytics store and the registry are read by
:mod:`signaal.services.warehouse` and :mod:`signaal.store.analytics`.
"""

from signaal.analytics.models import fit_breaks, scan_change_point
from signaal.analytics.monotonic import mann_kendall
from signaal.analytics.questions import QUESTIONS, answer_question, series_answer
from signaal.analytics.series import Series, ShareSeries
from signaal.analytics.suppression import suppress_report, suppress_table
from signaal.analytics.tables import CountTable, PublishedTable
from signaal.analytics.wording import Answer, Finding

__all__ = [
    "QUESTIONS",
    "Answer",
    "CountTable",
    "Finding",
    "PublishedTable",
    "Series",
    "ShareSeries",
    "answer_question",
    "fit_breaks",
    "mann_kendall",
    "scan_change_point",
    "series_answer",
    "suppress_report",
    "suppress_table",
]
