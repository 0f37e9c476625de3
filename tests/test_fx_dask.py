"""The columnar path on a Dask cluster started here: the same result as one process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from p2c_pledges import fx
from p2c_pledges.fx.columnar import usd_frame, usd_schema


dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

ROWS = 200_000
PARTITIONS = 8


def as_plain_table(result: pd.DataFrame) -> pa.Table:
    """The result as an Arrow table with dictionary columns decoded to strings."""
    table = pa.Table.from_pandas(result, preserve_index=False)
    plain = [
        pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(plain))


def rate_table() -> fx.RateTable:
    """Weekday rates of 2022 for five currencies, as units per USD (28-digit inverses inside)."""
    start = dt.date(2022, 1, 1)
    weekdays = [start + dt.timedelta(days=n) for n in range(365)]
    weekdays = [day for day in weekdays if day.weekday() < 5]
    per_usd = {"EUR": "0.93", "JPY": "131.5", "GBP": "0.81", "CHF": "0.95", "INR": "78.6"}
    return fx.RateTable.from_mapping(
        {
            code: {day: Decimal(rate) + Decimal(n) / 1000 for n, day in enumerate(weekdays)}
            for code, rate in per_usd.items()
        },
        name="a test table",
    )


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """Two worker processes of one thread each, closed after the module."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """200,000 rows: 7 currencies (KES without a rate), every day of 2022, some nulls."""
    rng = np.random.default_rng(8)
    cents = rng.integers(-(10**12), 10**12, ROWS)
    codes = np.array(["EUR", "JPY", "GBP", "CHF", "USD", "INR", "KES"])
    first = (dt.date(2022, 1, 1) - dt.date(1970, 1, 1)).days
    days = pa.array(rng.integers(first, first + 365, ROWS).astype(np.int32)).view(pa.date32())
    nulls = rng.random(ROWS) < 0.001
    units = pa.array(cents, mask=nulls).cast(pa.decimal128(20, 0))
    # The same 128-bit integers read as cents.
    amounts = pa.Array.from_buffers(pa.decimal128(20, 2), ROWS, units.buffers())
    return pd.DataFrame(
        {
            "amount": pd.array(amounts, dtype=pd.ArrowDtype(amounts.type)),
            "currency": pd.array(
                codes[rng.integers(0, len(codes), ROWS)], dtype=pd.ArrowDtype(pa.string())
            ),
            "value_date": pd.array(days, dtype=pd.ArrowDtype(pa.date32())),
        }
    )


@pytest.mark.slow
class TestDask:
    def test_partitions_on_a_cluster_equal_one_process(
        self, client: distributed.Client, frame: pd.DataFrame
    ) -> None:
        """map_partitions over 8 partitions on 2 worker processes gives the one-process result."""
        rates = rate_table()
        # The rate table goes to each worker once, not once per task.
        [shared] = client.scatter([rates], broadcast=True)
        meta = usd_schema().empty_table().to_pandas(types_mapper=pd.ArrowDtype)
        partitions = dd.from_pandas(frame, npartitions=PARTITIONS)
        assert PARTITIONS == partitions.npartitions
        distributed_result = partitions.map_partitions(usd_frame, shared, meta=meta).compute()
        expected = usd_frame(frame, rates)
        assert ROWS == len(distributed_result)
        assert expected.index.equals(distributed_result.index)
        # Compared in Arrow (fast), with the partitions' own dictionaries decoded.
        assert as_plain_table(expected).equals(as_plain_table(distributed_result))
        # Not vacuous: most rows converted, KES rows carry a reason.
        assert expected["usd"].notna().sum() > ROWS // 2
        reasons = [reason for reason in expected["error"].tolist() if isinstance(reason, str)]
        assert any(reason.startswith("no rate source knows KES") for reason in reasons)
        assert any(fallback is True for fallback in expected["fallback"].tolist())
