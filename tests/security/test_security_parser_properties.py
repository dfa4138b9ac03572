"""Property tests of the file readers: any bytes give rows, bad rows or an InvalidInput — never
another exception (hypothesis generates the files; all data synthetic)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signaal.errors import InvalidInput
from signaal.ingest.signals import row_to_signal
from signaal.ingest.tabular import BadRow, Row, read_rows

HEADER = b"received_at,reporter_org,reporter_sector,region,narrative,suspects,facts,phones\n"
PIECES = st.sampled_from(
    [
        b",",
        b";",
        b'"',
        b'""',
        b"\n",
        b"\r",
        b"\r\n",
        b"\x00",
        b"\t",
        b"=",
        b"9" * 50,
        b"[",
        b"{",
        b"}",
        b"]",
        b"2026-01-05",
        b"org-a",
        b"youth",
        b"Utrecht",
        b"\xff\xfe",
        "é".encode(),
        b"nan",
        b"-1e999",
        b" ",
    ]
)
NOISE = st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=60).map(b"".join)


def _read(data: bytes, suffix: str) -> list[Row | BadRow]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            rows = list(read_rows(path))
        except InvalidInput:
            return []
        for row in rows:
            if isinstance(row, Row):
                row_to_signal(row.values)  # problems come back as a list, never as an exception
        return rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOISE)
def test_any_csv_is_read_without_an_unexpected_exception(body: bytes) -> None:
    rows = _read(HEADER + body, ".csv")
    assert all(r.line >= 2 for r in rows)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOISE)
def test_any_header_is_read_without_an_unexpected_exception(head: bytes) -> None:
    _read(head + b"\n2026-01-05,org-a,youth,Utrecht\n", ".csv")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(NOISE, st.just(b'{"received_at": "2026-01-05", "suspects": 1e999}')), max_size=5))
def test_any_jsonl_is_read_without_an_unexpected_exception(lines: list[bytes]) -> None:
    _read(b"\n".join(lines), ".jsonl")


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["received_at", "suspects", "victim_age", "facts", "phones", "indicators"]),
        st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none()),
    )
)
def test_any_record_maps_to_a_signal_or_problems(values: dict[str, object]) -> None:
    result = row_to_signal(values)
    assert isinstance(result, list) or result.received_at is not None
