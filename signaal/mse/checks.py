"""What a capture-pattern table must satisfy before estimation, and what makes an estimate doubtful.

Refused (the estimate would be meaningless): a list with nobody on it, a list that shares no
person with any other list (its persons could be anyone's: the unseen count is unbounded), a list
that holds every person seen, fewer persons than lists.

Warned (the estimate stands, but rests on an assumption the data question): pairs of lists that
never overlap, one list holding most of the persons, an unseen number far above the seen one,
two lists only (independence cannot be checked).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from signaal.errors import InvalidInput, Problem
from signaal.mse.models import Model
from signaal.mse.table import CaptureTable

__all__ = ["DOMINANT_SHARE", "LARGE_RATIO", "data_warnings", "estimate_warnings", "validate_table"]

#: A list holding more than this share of the persons seen dominates the estimate.
DOMINANT_SHARE = 0.75
#: An estimate above this multiple of the persons seen rests on very few overlaps.
LARGE_RATIO = 10.0


def _where(table: CaptureTable, source: str) -> str:
    return f"{source} (stratum {table.stratum})" if table.stratum else source


def validate_table(table: CaptureTable, source: str) -> None:
    """Refuse a table whose lists cannot support an estimate, naming each list and why."""
    where = _where(table, source)
    problems: list[Problem] = []
    totals = table.list_totals()
    seen = table.observed
    if seen < table.n_lists:
        raise InvalidInput(f"{where}: only {seen} persons seen on {table.n_lists} lists; too few to estimate anything")
    for i, name in enumerate(table.lists):
        if totals[name] == 0:
            problems.append(Problem("nobody is on this list; drop it", where, None, name))
            continue
        others = sum(table.overlap((1 << i) | (1 << j)) for j in range(table.n_lists) if j != i)
        if others == 0:
            problems.append(
                Problem(
                    "this list shares no person with any other list, so the number it did not see cannot be "
                    "estimated; merge it with another list or leave it out",
                    where,
                    None,
                    name,
                )
            )
        elif totals[name] == seen:
            problems.append(
                Problem(
                    "every person seen is on this list, so it says nothing about the unseen; drop it", where, None, name
                )
            )
    if problems:
        raise InvalidInput(f"{where}: the lists cannot support an estimate", problems)


def data_warnings(table: CaptureTable) -> list[str]:
    """Doubtful assumptions visible in the table itself."""
    out = list(table.notes)
    prefix = f"stratum {table.stratum}: " if table.stratum else ""
    if table.n_lists == 2:
        out.append(prefix + "two lists only: the estimate assumes they are independent, which two lists cannot check")
    empty = [
        f"{table.lists[i]}-{table.lists[j]}"
        for i, j in combinations(range(table.n_lists), 2)
        if table.overlap((1 << i) | (1 << j)) == 0
    ]
    if empty:
        out.append(
            prefix + f"{len(empty)} pairs of lists never saw the same person ({', '.join(empty)}); "
            "an interaction between such a pair, if selected, is fitted at minus infinity"
        )
    for name, total in table.list_totals().items():
        share = total / table.observed
        if share > DOMINANT_SHARE:
            out.append(
                prefix
                + f"list {name} holds {share:.0%} of the persons seen: the estimate rests mostly on its overlaps with the "
                "other lists, and on the assumption that it does not miss the same persons they miss"
            )
    return out


def estimate_warnings(table: CaptureTable, model: Model, boundary: Sequence[int], estimate: float) -> list[str]:
    """Doubts about one fitted estimate."""
    out = []
    prefix = f"stratum {table.stratum}: " if table.stratum else ""
    if boundary:
        names = [":".join(table.lists[i] for i in range(table.n_lists) if (m >> i) & 1) for m in boundary]
        out.append(
            prefix
            + f"the model holds terms of lists that never overlap ({', '.join(names)}), fitted at minus infinity: "
            "the estimate assumes those lists cannot see the same person"
        )
    if estimate > LARGE_RATIO * table.observed:
        out.append(
            prefix
            + f"the estimate is {estimate / table.observed:.0f} times the number seen: it rests on few overlaps and "
            "is very sensitive to the model"
        )
    return out
