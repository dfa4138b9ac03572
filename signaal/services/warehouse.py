"""The analytics store: pseudonymised events in DuckDB (with a Parquet export), refreshed from the registry.

All SQL on the analytics store is here; column names come from :data:`EVENT_COLUMNS` and the
dimension whitelist, never from user text, and values are bound as parameters.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from signaal.analytics.events import EVENT_COLUMNS, event_rows, pseudonym
from signaal.analytics.linkgroups import group_sizes
from signaal.catalogue import Catalogue
from signaal.catalogue.model import FORM_IDS
from signaal.errors import InvalidInput, StorageError
from signaal.store import Store
from signaal.store.analytics import changed_signal_ids, event_watermark, identifier_keys, read_signal_facts, signal_ids

__all__ = ["DIMENSIONS", "RefreshStats", "Warehouse"]

#: Dimensions a series may be filtered or broken down by ("form" and "linked_group" are derived).
DIMENSIONS: tuple[str, ...] = (
    "form", "forms", "police_unit", "care_region", "veilig_thuis_region", "province", "age_band", "minor", "sex",
    "nationality_group", "world_region", "residence", "reporter_sector", "source_org", "referral_path",
    "shelter_type", "linked_group",
)  # fmt: skip
_COLUMNS = {name for name, _ in EVENT_COLUMNS}


@dataclass(frozen=True)
class RefreshStats:
    """What a refresh did."""

    full: bool
    signals_read: int
    rows: int
    watermark: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return self.__dict__.copy()


def _condition(dimension: str, value: str) -> tuple[str, list[Any]]:
    """A WHERE fragment and its parameters for one filter (values "a|b" mean either)."""
    if dimension not in DIMENSIONS:
        raise InvalidInput(f"unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
    values = [v for v in value.split("|") if v]
    if not values:
        raise InvalidInput(f"filter {dimension}= needs a value")
    if dimension == "form":
        unknown = [v for v in values if v not in FORM_IDS]
        if unknown:
            raise InvalidInput(f"unknown form {unknown[0]!r}; use one of {', '.join(FORM_IDS)}")
        return "(" + " OR ".join(f"form_{v}" for v in values) + ")", []
    if dimension == "linked_group":
        if not value.startswith(">=") or not value[2:].isdigit():
            raise InvalidInput("linked_group takes '>=N'")
        return "linked_group_size >= ?", [int(value[2:])]
    return f"{dimension} IN ({', '.join('?' for _ in values)})", values


class Warehouse:
    """The DuckDB file of pseudonymised events under the analytics folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = duckdb.connect(str(folder / "events.duckdb"))
        except (OSError, duckdb.Error) as exc:
            raise StorageError(f"analytics store {folder}: {exc}") from None
        columns = ", ".join(f"{name} {kind}" for name, kind in EVENT_COLUMNS)
        self.db.execute(f"CREATE TABLE IF NOT EXISTS events ({columns})")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.db.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def refresh(self, store: Store, catalogue: Catalogue, key: bytes, *, full: bool = False) -> RefreshStats:
        """Bring the events up to date with the registry: only signals with new events, unless ``full``."""
        started = time.perf_counter()
        fingerprint = hashlib.sha256(b"fingerprint" + key).hexdigest()[:16]
        last = self._meta("watermark")
        full = full or last is None or self._meta("key") != fingerprint
        nationalities = store.knowledge.nationalities
        with store.session() as session:
            upto = event_watermark(session)
            ids = signal_ids(session) if full else changed_signal_ids(session, int(last or 0), upto)
            facts = read_signal_facts(session, ids)
            # Group sizes change only when some signal changed; with nothing new there is nothing to do.
            sizes = group_sizes(identifier_keys(session)) if ids or full else None
        rows = [row for f in facts for row in event_rows(f, catalogue, nationalities, key)]
        self.db.execute("BEGIN")
        try:
            if full:
                self.db.execute("DELETE FROM events")
            elif ids:
                gone = pa.table({"k": [pseudonym(key, i) for i in ids]})
                self.db.register("gone", gone)
                self.db.execute("DELETE FROM events WHERE signal_key IN (SELECT k FROM gone)")
                self.db.unregister("gone")
            if rows:
                batch = pa.Table.from_pylist(rows, schema=_schema())
                self.db.register("batch", batch)
                self.db.execute(f"INSERT INTO events SELECT {', '.join(n for n, _ in EVENT_COLUMNS)} FROM batch")
                self.db.unregister("batch")
            if sizes is not None:
                self._update_groups(key, sizes)
            self._set_meta("watermark", str(upto))
            self._set_meta("key", fingerprint)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        total = self.db.execute("SELECT count(*) FROM events").fetchone()
        parquet = self.folder / "events.parquet"
        if sizes is not None or not parquet.exists():
            target = str(parquet).replace("'", "''")
            self.db.execute(f"COPY events TO '{target}' (FORMAT PARQUET)")
        return RefreshStats(full, len(ids), int(total[0]) if total else 0, upto, time.perf_counter() - started)

    def _update_groups(self, key: bytes, sizes: dict[str, int]) -> None:
        # Link groups can change for signals without a new event of their own (another signal joined
        # their group), so sizes are recomputed for all and written where they differ.
        groups = pa.table(
            {"k": [pseudonym(key, s) for s in sizes], "n": list(sizes.values())},
            schema=pa.schema([("k", pa.string()), ("n", pa.int32())]),
        )
        self.db.register("groups", groups)
        self.db.execute(
            "UPDATE events SET linked_group_size = coalesce(g.n, 1) FROM events e LEFT JOIN groups g ON g.k = e.signal_key "
            "WHERE events.signal_key = e.signal_key AND events.victim_no = e.victim_no "
            "AND events.linked_group_size IS DISTINCT FROM coalesce(g.n, 1)"
        )
        self.db.unregister("groups")

    def counts(
        self, filters: dict[str, str], by: str | None = None, *, period: str = "year", unit: str = "signals"
    ) -> dict[tuple[str, str], int]:
        """Counts per (period, category of ``by``) for the rows matching the filters."""
        if period not in ("year", "month"):
            raise InvalidInput(f"unknown period {period!r}; use year or month")
        if unit not in ("signals", "victims"):
            raise InvalidInput(f"unknown unit {unit!r}; use signals or victims")
        where, params = ["TRUE"], []
        for dimension, value in filters.items():
            fragment, values = _condition(dimension, value)
            where.append(fragment)
            params += values
        if unit == "victims":
            where.append("victim_no > 0")
        measure = "count(DISTINCT signal_key)" if unit == "signals" else "count(*)"
        period_sql = "CAST(year AS VARCHAR)" if period == "year" else "month"
        if by is None:
            group = "'all'"
        elif by == "form":
            group = "unnest(string_split(forms, ','))"
        elif by in DIMENSIONS and by in _COLUMNS:
            group = by
        else:
            raise InvalidInput(
                f"cannot break down by {by!r}; use one of {', '.join(d for d in DIMENSIONS if d != 'linked_group')}"
            )
        if by == "form":
            sql = f"SELECT p, g, {measure} FROM (SELECT {period_sql} AS p, {group} AS g, signal_key, victim_no FROM events WHERE {' AND '.join(where)}) GROUP BY p, g"
        else:
            sql = f"SELECT {period_sql} AS p, {group} AS g, {measure} FROM events WHERE {' AND '.join(where)} GROUP BY p, g"
        return {(str(p), str(g)): int(n) for p, g, n in self.db.execute(sql, params).fetchall()}

    def shelter_waits(self) -> dict[str, tuple[int, float]]:
        """Per year of the signal: placements started and the median days from request to start."""
        rows = self.db.execute(
            "SELECT CAST(year AS VARCHAR), count(*), median(shelter_wait_days) FROM events "
            "WHERE victim_no <= 1 AND shelter_wait_days IS NOT NULL GROUP BY 1"
        ).fetchall()
        return {str(y): (int(n), float(m)) for y, n, m in rows}

    def last_month(self) -> str | None:
        """The latest month with an event."""
        row = self.db.execute("SELECT max(month) FROM events").fetchone()
        return str(row[0]) if row and row[0] else None

    def periods(self, period: str = "year") -> list[str]:
        """Every period that has at least one event."""
        column = "CAST(year AS VARCHAR)" if period == "year" else "month"
        return [str(r[0]) for r in self.db.execute(f"SELECT DISTINCT {column} FROM events ORDER BY 1").fetchall()]


def _schema() -> pa.Schema:
    kinds = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_()}
    return pa.schema([(name, kinds[kind]) for name, kind in EVENT_COLUMNS])
