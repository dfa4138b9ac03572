"""Analytics services: refresh the pseudonymised events, answer the monitor's questions, build tables.

Who may do what: analysts, coordinators, admins and policy users read analytics; only analysts
see counts unsuppressed — every table, series and answer for anyone else passes small-cell
suppression (``SIGNAAL_SUPPRESSION_THRESHOLD``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from signaal.analytics.questions import answer_question, series_answer
from signaal.analytics.series import Series
from signaal.analytics.wording import Answer, Finding, num, say
from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, InvalidInput, SignaalError
from signaal.services.mse import estimate_registry
from signaal.services.warehouse import RefreshStats, Warehouse
from signaal.store import Store
from signaal.store.analytics import has_person_links

__all__ = [
    "WarehouseSource",
    "ask",
    "may_see_raw",
    "open_warehouse",
    "refresh_analytics",
    "require_analytics",
    "series_question",
]

#: Roles that read analytics ("policy" where the deployment defines it).
ANALYTICS_ROLES = frozenset({"analyst", "coordinator", "admin", "policy"})


def require_analytics(actor: Actor) -> None:
    """Refuse actors whose role does not read analytics."""
    if actor.role.value not in ANALYTICS_ROLES:
        raise Forbidden(
            f"role {actor.role.value} does not read analytics; analysts, coordinators, admins and policy users do"
        )


def may_see_raw(actor: Actor) -> bool:
    """Whether the actor sees counts without small-cell suppression (analysts only)."""
    return actor.role == Role.ANALYST


def pseudonym_key(store: Store) -> bytes:
    """The key of the signal pseudonyms, derived from the secret key with its own purpose."""
    return hashlib.sha256(b"signaal analytics pseudonym\0" + store.settings.secret_key.encode()).digest()


def open_warehouse(store: Store) -> Warehouse:
    """The analytics store of this registry's settings."""
    return Warehouse(store.settings.analytics_dir)


def refresh_analytics(store: Store, actor: Actor, *, full: bool = False) -> RefreshStats:
    """Bring the analytics events up to date (only signals changed since the last refresh, unless ``full``)."""
    require_analytics(actor)
    warehouse = open_warehouse(store)
    try:
        return warehouse.refresh(store, store.catalogue, pseudonym_key(store), full=full)
    finally:
        warehouse.close()


def complete_years(warehouse: Warehouse, through: int | None = None) -> tuple[str, ...]:
    """The years to analyse: up to ``through``, and the last year only when its December has events."""
    years = warehouse.periods("year")
    last = warehouse.last_month()
    if through is not None:
        years = [y for y in years if int(y) <= through]
    elif years and last and not last.endswith("-12"):
        years = years[:-1]  # a year still under way would look like a fall
    if not years:
        return ()
    return tuple(str(y) for y in range(int(years[0]), int(years[-1]) + 1))


@dataclass
class WarehouseSource:
    """The analytics events as a source of yearly series for the questions."""

    warehouse: Warehouse
    years: tuple[str, ...]
    description: dict[str, str] = field(default_factory=lambda: {"nl": "het register", "en": "the registry"})
    found_estimates: list[tuple[str, float, float | None, float | None]] = field(default_factory=list)

    def series(self, filters: dict[str, str], unit: str = "signals") -> Series | None:
        """Yearly counts matching the filters."""
        if not self.years:
            return None
        found = self.warehouse.counts(filters, None, unit=unit)
        counts = tuple(found.get((y, "all"), 0) for y in self.years)
        return Series(",".join(f"{k}={v}" for k, v in filters.items()) or "all", self.years, counts, dict(filters))

    def distribution(
        self, dimension: str, filters: dict[str, str], unit: str = "victims"
    ) -> tuple[tuple[str, ...], tuple[str, ...], list[list[int]]] | None:
        """Counts by year and category of one dimension."""
        if not self.years:
            return None
        by = "forms" if dimension == "forms" else dimension
        found = self.warehouse.counts(filters, by, unit=unit)
        cats = tuple(sorted({g for (_, g) in found}))
        return self.years, cats, [[found.get((y, c), 0) for c in cats] for y in self.years]

    def estimates(self) -> list[tuple[str, float, float | None, float | None]]:
        """No estimate of the hidden number from the events themselves."""
        return []


@dataclass
class _OneSeries:
    """A source holding one ready-made series (for ad-hoc questions)."""

    found: Series | None
    description: dict[str, str] = field(default_factory=lambda: {"nl": "het register", "en": "the registry"})

    def series(self, filters: dict[str, str], unit: str = "signals") -> Series | None:
        """The one series, whatever is asked."""
        return self.found

    def distribution(self, dimension: str, filters: dict[str, str], unit: str = "victims") -> None:
        """No distributions."""
        return None

    def estimates(self) -> list[tuple[str, float, float | None, float | None]]:
        """No estimates."""
        return []


def _guard(answer: Answer, threshold: int) -> Answer:
    """Hide counts under the threshold in an answer's data and withhold tests that rest on them."""
    small = False
    data = []
    for item in answer.data:
        item = dict(item)
        for key in ("counts", "part", "whole"):
            if key in item and item[key] is not None:
                values = list(item[key])
                if any(0 < v < threshold for v in values):
                    small = True
                item[key] = [None if 0 < v < threshold else v for v in values]
        if small:
            item.pop("share", None)
            item.pop("exposure", None)
        data.append(item)
    if not small:
        return answer
    note = Finding(
        "suppressed",
        say(
            f"Deze reeks heeft cellen onder {threshold}; de toetsen erop zijn alleen voor analisten zichtbaar.",
            f"This series has cells under {threshold}; its tests are shown to analysts only.",
        ),
        {"suppression_threshold": threshold},
    )
    return replace(answer, verdict="suppressed", findings=(note,), data=tuple(data))


def hidden_number(
    store: Store, actor: Actor, year: int
) -> tuple[list[tuple[str, float, float | None, float | None]], dict[str, str]]:
    """The multiple systems estimate of a year from the registry's linked persons, or why there is none."""
    with store.session() as session:
        linked = has_person_links(session)
    if not linked:
        return [], say(
            "Geen schatting van het verborgen aantal: het register heeft (nog) geen gekoppelde personen ('signaal link run').",
            "No estimate of the hidden number: the registry has no linked persons (yet) ('signaal link run').",
        )
    try:
        found, _ = estimate_registry(store, actor, year, "stepwise", "profile")
    except SignaalError as exc:
        return [], say(
            f"Geen schatting van het verborgen aantal voor {year}: {exc.message}",
            f"No estimate of the hidden number for {year}: {exc.message}",
        )
    low, high = found.interval
    doubts = "; ".join(found.warnings)
    text = say(
        f"Meervoudige-systeemschatting {year} (stapsgewijs model {', '.join(found.model) or 'onafhankelijk'}): "
        f"{num(found.estimate, 'nl')} (95 %-interval {num(low, 'nl')}–{num(high, 'nl')}) over {len(found.lists)} bronnen."
        + (f" Twijfels: {doubts}." if doubts else ""),
        f"Multiple systems estimate {year} (stepwise model {', '.join(found.model) or 'independence'}): "
        f"{num(found.estimate, 'en')} (95 % interval {num(low, 'en')}–{num(high, 'en')}) over {len(found.lists)} sources."
        + (f" Doubts: {doubts}." if doubts else ""),
    )
    return [(str(year), found.estimate, low, high)], text


def ask(store: Store, actor: Actor, question: str, *, through: int | None = None, refresh: bool = True) -> Answer:
    """Answer one named question on the registry's events."""
    require_analytics(actor)
    if refresh:
        refresh_analytics(store, actor)
    warehouse = open_warehouse(store)
    try:
        years = complete_years(warehouse, through)
        estimates: list[tuple[str, float, float | None, float | None]] = []
        if question == "hidden-third-country" and years:
            estimates, _ = hidden_number(store, actor, int(years[-1]))
        source = WarehouseSource(warehouse, years, found_estimates=estimates)
        answer = answer_question(question, source, store.knowledge.trend_breaks)
    finally:
        warehouse.close()
    return answer if may_see_raw(actor) else _guard(answer, store.settings.suppression_threshold)


def parse_filters(items: list[str]) -> dict[str, str]:
    """``["form=labour", "nationality_group=non_eu"]`` as a mapping; a bad item is named."""
    filters = {}
    for item in items:
        if "=" not in item:
            raise InvalidInput(f"filter {item!r} is not dimension=value")
        key, value = item.split("=", 1)
        filters[key.strip()] = value.strip()
    return filters


def series_question(
    store: Store,
    actor: Actor,
    filters: dict[str, str],
    *,
    by: str = "year",
    unit: str = "signals",
    per: dict[str, str] | None = None,
    refresh: bool = True,
) -> Answer:
    """An ad-hoc series (yearly or monthly) with every trend test; ``per`` names a denominator (an offset)."""
    require_analytics(actor)
    if by not in ("year", "month"):
        raise InvalidInput(f"--by {by!r}: use year or month")
    if refresh:
        refresh_analytics(store, actor)
    warehouse = open_warehouse(store)
    try:
        years = complete_years(warehouse)
        found = warehouse.counts(filters, None, period=by, unit=unit)
        periods = years if by == "year" else tuple(f"{y}-{m:02d}" for y in years for m in range(1, 13))
        exposure = None
        if per is not None:
            whole = warehouse.counts(per, None, period=by, unit=unit)
            # A period without a denominator has no rate: it is left out, not counted as zero.
            periods = tuple(p for p in periods if whole.get((p, "all"), 0) > 0)
            exposure = tuple(float(whole[(p, "all")]) for p in periods)
        name = ",".join(f"{k}={v}" for k, v in filters.items()) or "all"
        counts = tuple(found.get((p, "all"), 0) for p in periods)
        series = Series(name, periods, counts, dict(filters), exposure) if periods else None
        answer = series_answer(_OneSeries(series), filters, store.knowledge.trend_breaks, unit)
    finally:
        warehouse.close()
    return answer if may_see_raw(actor) else _guard(answer, store.settings.suppression_threshold)
