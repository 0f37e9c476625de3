"""Tests of the columnar path p2c_pledges.fx.columnar: equivalence with to_usd, inputs, batches."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import decimal
import pickle
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import Money, PledgeDataError, fx
from p2c_pledges import strategies as pst
from p2c_pledges.fx.columnar import (
    MISSING_AMOUNT,
    MISSING_CURRENCY,
    MISSING_DATE,
    usd_batches,
    usd_columns,
    usd_frame,
    usd_schema,
)


BUNDLED = fx.bundled_rates()
ON = dt.date(2022, 6, 9)
# ECB rates (EUR, JPY, IDR: 28-digit cross rates), a peg through the euro (XOF), a
# USD peg (SAR), identity (USD), no source at all (KES), and RUB, whose data ends.
CURRENCIES = ["EUR", "JPY", "IDR", "XOF", "SAR", "USD", "KES", "RUB", "GBP"]
# Weekends, a date before any ECB rate, and the end of RUB.
DATES = st.one_of(
    st.dates(dt.date(2022, 2, 20), dt.date(2022, 6, 30)),
    st.sampled_from([dt.date(1998, 12, 31), dt.date(2022, 6, 12), dt.date(2024, 1, 4)]),
)
SMALL_TABLE = fx.RateTable.from_mapping(
    {
        "KES": {dt.date(2022, 6, 9): Decimal("116.9"), dt.date(2022, 6, 13): Decimal("117.05")},
        "EUR": {dt.date(2022, 6, 10): Decimal("0.9455")},
        "JPY": {dt.date(2022, 6, 9): Decimal("134.1234567891234567891234567")},
    },
    name="a small table",
)


def _imf_table() -> fx.RateTable:
    """A table read from an IMF-layout file: daily, monthly and annual rates of two currencies."""
    lines = ["Date,Rate,Currency,Frequency"]
    lines += [f"{year}-06-30,{100 + year % 17}.{year % 7}5,NGN,A" for year in range(1995, 2025)]
    lines += [f"{year}-{month:02d}-15,{70 + month}.{year % 10}1,KES,M" for year in range(2008, 2013) for month in range(1, 13)]  # fmt: skip
    lines += [
        f"2022-06-{day:02d},{110 + day}.0{day % 10},KES,D" for day in range(1, 30) if day % 6
    ]
    folder = Path(tempfile.mkdtemp(prefix="p2c-columnar-"))
    path = folder / "imf.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return fx.RateTable.from_csv(path)


class EvenDays:
    """A source of the caller's own: GHS on even days of the month only (asked day by day)."""

    name = "even days"

    def knows(self, currency: str) -> bool:
        return currency == "GHS"

    def quote(self, currency: str, on: dt.date, policy: fx.Policy) -> fx.Quote:
        if currency != "GHS" or on.day % 2:
            raise fx.RateLookupError.single(
                code="rate.missing", message=f"no GHS rate on {on}", value=on.isoformat()
            )
        return fx.Quote(
            currency="GHS", on=on, usd_per_unit=Decimal("0.0812") + on.day, rate_date=on,
            period=(on, on), source=self.name, rule=str(policy),
        )  # fmt: skip

    def __or__(self, other: fx.RateSource) -> fx.RateSource:
        return fx.RateTable.from_rates([], name="unused") | other


def _two_sources_table() -> fx.RateTable:
    """A table whose KES and NGN rates of 2022 come from two sources, by half-month."""
    lines = ["currency,date,rate,source"]
    lines += [
        f"{currency},{day},{rate}.{day.day},{'a central bank' if day.day <= 15 else 'a bank'}"
        for currency, rate in (("KES", 116), ("NGN", 415))
        for day in (dt.date(2022, 2, 1) + dt.timedelta(days=n) for n in range(150))
        if day.weekday() < 5
    ]
    folder = Path(tempfile.mkdtemp(prefix="p2c-columnar-"))
    path = folder / "two_sources.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return fx.RateTable.from_csv(path)


IMF_TABLE = _imf_table()
TWO_SOURCES = _two_sources_table()
SOURCES = st.sampled_from(
    [
        BUNDLED,
        SMALL_TABLE,
        SMALL_TABLE | BUNDLED,
        IMF_TABLE | BUNDLED,
        EvenDays() | BUNDLED,  # type: ignore[operator]
        TWO_SOURCES | BUNDLED,
    ]
)
POLICIES = st.sampled_from(
    [
        fx.DEFAULT_POLICY,
        fx.exact(),
        fx.on_or_before(1),
        fx.monthly_average(),
        fx.annual_average(),
        fx.fixed(Decimal("0.0085")),
    ]
)
# Dates over decades, legacy euro currencies (DEM, BGN), a peg through an ECB
# currency (NAD), a source of the caller's own (GHS) and currencies no source knows.
SPREAD_CURRENCIES = [*CURRENCIES, "NGN", "GHS", "DEM", "BGN", "NAD", "TZS"]
SPREAD_DATES = st.one_of(DATES, st.dates(dt.date(1985, 1, 1), dt.date(2032, 12, 31)))
ROWS = st.one_of(
    st.lists(st.tuples(pst.money(CURRENCIES), DATES), max_size=12),
    st.lists(st.tuples(pst.money(SPREAD_CURRENCIES), SPREAD_DATES), max_size=40),
)
# usd_amounts gives exact values only; rows within Money's limits compare with it.
ROWS_IN_RANGE = st.lists(
    st.tuples(pst.money(CURRENCIES, max_value=Decimal(10**15)), DATES), max_size=12
)


def columns(rows: list[tuple[Money, dt.date]]) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The three input columns of rows of (Money, value date)."""
    return (
        pa.array([money.amount for money, _ in rows], type=pa.decimal128(38, 18)),
        pa.array([money.currency for money, _ in rows], type=pa.string()),
        pa.array([on for _, on in rows], type=pa.date32()),
    )


def expected_row(money: Money, on: dt.date, rates: fx.RateSource, policy: fx.Policy) -> dict:
    """What to_usd says about one row, in the columns of usd_columns."""
    try:
        conversion = p2c.to_usd(money, on, rates, policy)
    except fx.RateLookupError as error:
        return dict.fromkeys(
            ["usd", "usd_exact", "rate_usd_per_unit", "rate_date", "source", "rule", "fallback"]
        ) | {"error": error.issues[0].message}
    return {
        "usd": conversion.usd.amount,
        "usd_exact": conversion.usd_exact,
        "rate_usd_per_unit": str(conversion.rate),
        "rate_date": conversion.rate_date,
        "source": conversion.source,
        "rule": conversion.rule,
        "fallback": conversion.fallback,
        "error": None,
    }


class TestEquivalence:
    @given(ROWS, SOURCES, POLICIES)
    def test_every_row_as_to_usd(
        self, rows: list[tuple[Money, dt.date]], rates: fx.RateSource, policy: fx.Policy
    ) -> None:
        """Every row has to_usd's cents, exact value, rate, provenance, or its error reason."""
        expected = [expected_row(money, on, rates, policy) for money, on in rows]
        table = usd_columns(*columns(rows), rates, policy, usd_exact=True)
        assert expected == table.to_pylist()
        # Without usd_exact the cents come from the 64-bit paths where they fit.
        rounded = usd_columns(*columns(rows), rates, policy)
        without_exact = [{k: v for k, v in row.items() if k != "usd_exact"} for row in expected]
        assert without_exact == rounded.to_pylist()

    @given(ROWS_IN_RANGE, SOURCES)
    def test_agrees_with_usd_amounts(
        self, rows: list[tuple[Money, dt.date]], rates: fx.RateSource
    ) -> None:
        """The exact values and the reasons are usd_amounts' ones."""
        bulk = fx.usd_amounts(
            [m.amount for m, _ in rows],
            [m.currency for m, _ in rows],
            [on for _, on in rows],
            rates,
        )
        table = usd_columns(*columns(rows), rates, usd_exact=True)
        assert bulk.usd == table.column("usd_exact").to_pylist()
        assert [bulk.errors.get(i) for i in range(len(rows))] == table.column("error").to_pylist()

    @given(
        st.lists(st.decimals(places=2, min_value=-(10**12), max_value=10**12), max_size=20),
        st.sampled_from(["EUR", "JPY", "USD"]),
    )
    def test_narrow_and_wide_paths_agree(self, amounts: list[Decimal], currency: str) -> None:
        """The int64 path (decimal128(15, 2)) and the decimal256 path give the same values."""
        on = [ON] * len(amounts)
        codes = [currency] * len(amounts)
        narrow = usd_columns(
            pa.array(amounts, pa.decimal128(15, 2)),
            pa.array(codes),
            pa.array(on),
            BUNDLED,
            usd_exact=True,
        )
        wide = usd_columns(
            pa.array(amounts, pa.decimal256(60, 2)),
            pa.array(codes),
            pa.array(on),
            BUNDLED,
            usd_exact=True,
        )
        assert narrow.column("usd").to_pylist() == wide.column("usd").to_pylist()
        assert narrow.column("usd_exact").to_pylist() == wide.column("usd_exact").to_pylist()

    @given(st.integers(-(10**6), 10**6), st.integers(1, 10**8))
    def test_half_cents_round_to_even(self, cents: int, rate_units: int) -> None:
        """Rounding of the int64 path is Decimal's ROUND_HALF_EVEN, ties included."""
        amount = Decimal(cents).scaleb(-3)
        rate = Decimal(rate_units).scaleb(-4)
        table = usd_columns(
            pa.array([amount], pa.decimal128(10, 3)),
            pa.array(["KES"]),
            pa.array([ON]),
            BUNDLED,
            fx.fixed(rate),
        )
        exact = amount * rate
        assert [exact.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN)] == table.column(
            "usd"
        ).to_pylist()

    @given(
        st.lists(st.integers(-(10**15), 10**15), min_size=1, max_size=20),
        st.integers(1, 10**28 - 1),
        st.integers(0, 3),
    )
    def test_long_rates_round_as_decimal(self, cents: list[int], digits: int, shift: int) -> None:
        """The fixed-point path for 28-digit rates rounds as Decimal does, ties included."""
        rate = Decimal(digits).scaleb(-28 + shift)
        amounts = [Decimal(c).scaleb(-2) for c in cents]
        table = usd_columns(
            pa.array(amounts, pa.decimal128(18, 2)),
            pa.array(["KES"] * len(amounts)),
            pa.array([ON] * len(amounts)),
            BUNDLED,
            fx.fixed(rate),
        )
        expected = [
            decimal.Context(prec=80)
            .multiply(a, rate)
            .quantize(Decimal("0.01"), decimal.ROUND_HALF_EVEN)
            for a in amounts
        ]
        assert expected == table.column("usd").to_pylist()

    def test_long_rate_ties(self) -> None:
        """Half cents at a rate of 28 decimals go to the even cent."""
        half = fx.fixed(Decimal("0.5000000000000000000000000000"))
        amounts = pa.array([Decimal("0.01"), Decimal("0.03"), Decimal("-0.01"), Decimal("-0.03")])
        table = usd_columns(amounts, pa.array(["KES"] * 4), pa.array([ON] * 4), BUNDLED, half)
        assert [
            Decimal("0.00"),
            Decimal("0.02"),
            Decimal("-0.00"),
            Decimal("-0.02"),
        ] == table.column("usd").to_pylist()


class TestExamples:
    def test_ghana_eur_155_million(self) -> None:
        """EUR 155,000,000 on 2022-06-09 is USD 166,516,500.00 at the ECB's 1.0743."""
        table = usd_columns(
            pa.array([Decimal(155_000_000)], pa.decimal128(20, 2)),
            pa.array(["EUR"]),
            pa.array([ON]),
            BUNDLED,
        )
        (row,) = table.to_pylist()
        assert (Decimal("166516500.00"), "1.0743", ON, False, "on_or_before(7)", None) == (
            row["usd"], row["rate_usd_per_unit"], row["rate_date"], row["fallback"], row["rule"], row["error"]
        )  # fmt: skip

    def test_weekend_fallback(self) -> None:
        """A Sunday takes Friday's rate and says it is a fallback."""
        table = usd_columns(
            pa.array([Decimal(155_000_000)]),
            pa.array(["EUR"]),
            pa.array([dt.date(2022, 6, 12)]),
            BUNDLED,
        )
        (row,) = table.to_pylist()
        assert (Decimal("163959000.00"), dt.date(2022, 6, 10), True) == (
            row["usd"], row["rate_date"], row["fallback"]
        )  # fmt: skip

    def test_kes_has_no_source(self) -> None:
        """KES converts to null with to_usd's reason, and the other rows still convert."""
        table = usd_columns(
            pa.array([Decimal(1), Decimal(2)]),
            pa.array(["KES", "USD"]),
            pa.array([ON, ON]),
            BUNDLED,
        )
        with pytest.raises(fx.RateLookupError) as raised:
            p2c.to_usd(Money(Decimal(1), "KES"), ON, BUNDLED)
        assert [None, Decimal("2.00")] == table.column("usd").to_pylist()
        assert [raised.value.issues[0].message, None] == table.column("error").to_pylist()

    def test_float_amounts_are_refused(self) -> None:
        """A float64 amount column is value.float_money, not converted."""
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(pa.array([0.1]), pa.array(["EUR"]), pa.array([ON]), BUNDLED)
        (issue,) = raised.value.issues
        assert ("value.float_money", "$.amount", "amount") == (
            issue.code,
            issue.path,
            issue.column,
        )

    @pytest.mark.parametrize(
        ("amount", "currency", "on", "reason"),
        [
            (None, "EUR", ON, MISSING_AMOUNT),
            (Decimal(1), None, ON, MISSING_CURRENCY),
            (Decimal(1), "EUR", None, MISSING_DATE),
        ],
    )
    def test_nulls_give_a_reason(
        self, amount: Decimal | None, currency: str | None, on: dt.date | None, reason: str
    ) -> None:
        """A null input is a null result with a reason; the next row converts."""
        table = usd_columns(
            pa.array([amount, Decimal(1)], pa.decimal128(10, 2)),
            pa.array([currency, "USD"]),
            pa.array([on, ON], pa.date32()),
            BUNDLED,
        )
        assert [None, Decimal("1.00")] == table.column("usd").to_pylist()
        assert [reason, None] == table.column("error").to_pylist()
        assert [None, "identity"] == table.column("source").to_pylist()

    def test_all_null(self) -> None:
        """A column of nulls only gives reasons, not an error."""
        table = usd_columns(pa.nulls(2), pa.array(["EUR", "EUR"]), pa.array([ON, ON]), BUNDLED)
        assert [MISSING_AMOUNT, MISSING_AMOUNT] == table.column("error").to_pylist()

    def test_empty(self) -> None:
        """No rows give an empty table of the schema."""
        table = usd_columns(
            pa.array([], pa.decimal128(10, 2)),
            pa.array([], pa.string()),
            pa.array([], pa.date32()),
            BUNDLED,
        )
        assert (0, usd_schema()) == (table.num_rows, table.schema)

    def test_decimal_strings(self) -> None:
        """Amounts as decimal strings convert as the Decimals they spell."""
        table = usd_columns(
            pa.array(["155000000", "-0.005"]),
            pa.array(["EUR", "USD"]),
            pa.array([ON, ON]),
            BUNDLED,
        )
        assert [Decimal("166516500.00"), Decimal("-0.00")] == table.column("usd").to_pylist()

    def test_bad_strings_are_located(self) -> None:
        """A string that is not a decimal is value.invalid at its row."""
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(pa.array(["1", "abc"]), pa.array(["EUR"] * 2), pa.array([ON] * 2), BUNDLED)
        (issue,) = raised.value.issues
        assert ("value.invalid", "$.amount[1]", "abc") == (issue.code, issue.path, issue.value)

    def test_wrong_column_types(self) -> None:
        """A currency column of integers and a value date of strings are value.type."""
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(pa.array([Decimal(1)]), pa.array([1]), pa.array([ON]), BUNDLED)
        assert ["value.type"] == [issue.code for issue in raised.value.issues]
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(
                pa.array([Decimal(1)]), pa.array(["EUR"]), pa.array(["2022-06-09"]), BUNDLED
            )
        assert ["$.value_date"] == [issue.path for issue in raised.value.issues]

    def test_lengths_differ(self) -> None:
        """Columns of different lengths are one located value.invalid."""
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(pa.array([Decimal(1)]), pa.array(["EUR", "EUR"]), pa.array([ON]), BUNDLED)
        assert ["value.invalid"] == [issue.code for issue in raised.value.issues]

    def test_dictionary_currencies_and_chunks(self) -> None:
        """Dictionary-encoded codes and chunked columns give the plain result."""
        amounts = pa.chunked_array([[Decimal(1)], [Decimal(2), Decimal(3)]], pa.decimal128(5, 0))
        codes = pa.array(["EUR", "JPY", "EUR"]).dictionary_encode()
        plain = usd_columns(
            amounts.combine_chunks(), pa.array(["EUR", "JPY", "EUR"]), pa.array([ON] * 3), BUNDLED
        )
        assert plain == usd_columns(amounts, codes, pa.chunked_array([[ON] * 3]), BUNDLED)

    def test_a_null_in_the_dictionary_is_a_missing_currency(self) -> None:
        """A row whose dictionary entry is null has no currency, as a null index has (not a currency named None)."""
        dictionary = pa.array(["EUR", None, "eur"])
        # Without a null index Arrow counts no null at all; with one, it counts one.
        for indices in ([0, 1, 2, 1], [0, 1, 2, None]):
            codes = pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), dictionary)
            result = usd_columns(pa.array([Decimal(1)] * 4), codes, pa.array([ON] * 4), BUNDLED)
            errors = result.column("error").to_pylist()
            assert [None, MISSING_CURRENCY, MISSING_CURRENCY] == [errors[0], errors[1], errors[3]]
            assert errors[2].startswith("no rate source knows eur")
            assert [Decimal("1.07"), None, None, None] == result.column("usd").to_pylist()

    @pytest.mark.parametrize("policy", [fx.monthly_average(), fx.annual_average()], ids=str)
    def test_a_mean_of_two_sources_names_both(self, policy: fx.Policy) -> None:
        """The columnar source of a mean over two sources' rates is to_usd's, naming both."""
        on = dt.date(2022, 3, 9)
        result = usd_columns(
            pa.array([Decimal(1000)]), pa.array(["KES"]), pa.array([on]), TWO_SOURCES, policy
        )
        (source,) = result.column("source").to_pylist()
        assert p2c.to_usd(Money(Decimal(1000), "KES"), on, TWO_SOURCES, policy).source == source
        assert "a central bank (" in source
        assert "; a bank (" in source

    def test_lookups_once_per_pair(self) -> None:
        """Each distinct (currency, date) is asked of the source once."""
        asked: list[tuple[str, dt.date]] = []

        class Counting:
            name = "counting"

            def knows(self, currency: str) -> bool:
                return BUNDLED.knows(currency)

            def quote(self, currency: str, on: dt.date, policy: fx.Policy) -> fx.Quote:
                asked.append((currency, on))
                return BUNDLED.quote(currency, on, policy)

            def __or__(self, other: fx.RateSource) -> fx.RateSource:
                return NotImplemented

        usd_columns(
            pa.array([Decimal(1)] * 1000),
            pa.array(["EUR", "JPY"] * 500),
            pa.array([ON] * 1000),
            Counting(),
        )
        assert [("EUR", ON), ("JPY", ON)] == sorted(asked)


class TestReviewFinds:
    @pytest.mark.parametrize("cell", ["1_000", " 1.5", "1.5\n", "+1", "\u0661\u0662", "0x10"])
    def test_amount_text_not_a_json_number(self, cell: str) -> None:
        """Amount text the JSON reader refuses is a located value.invalid, not a bare ValueError."""
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(
                pa.array(["2.50", cell]), pa.array(["EUR"] * 2), pa.array([ON] * 2), BUNDLED
            )
        assert [("value.invalid", "$.amount[1]")] == [
            (issue.code, issue.path) for issue in raised.value.issues
        ]

    def test_scale_beyond_eighteen(self) -> None:
        """Amounts of scale 30 that are whole cents convert (NumPy's int64 overflowed)."""
        amounts = pa.array([Decimal(0), Decimal("1.50")], pa.decimal128(38, 30))
        table = usd_columns(amounts, pa.array(["USD"] * 2), pa.array([ON] * 2), BUNDLED)
        assert [Decimal("0.00"), Decimal("1.50")] == table.column("usd").to_pylist()

    def test_date_beyond_the_calendar(self) -> None:
        """A date32 no datetime.date can hold is a reason on its row, not an OverflowError."""
        days = pa.array([3_000_000, 19_152], pa.int32()).view(pa.date32())
        table = usd_columns(
            pa.array([Decimal(1), Decimal(1)]), pa.array(["EUR"] * 2), days, BUNDLED
        )
        errors = table.column("error").to_pylist()
        assert errors[0] is not None
        assert "not a calendar date" in errors[0]
        assert None is errors[1]


class TestExactness:
    def test_largest_product_is_exact(self) -> None:
        """A 38-digit amount times a 28-digit rate (66 digits) is exact in decimal256."""
        amount = Decimal("99999999999999999999.999999999999999999")
        rate = Decimal("0.00006712345678901234567890123456")  # 28 significant digits
        rates = fx.RateTable.from_mapping({"IDR": {ON: rate}}, direction="usd_per_unit")
        table = usd_columns(
            pa.array([amount, amount.copy_negate()], pa.decimal128(38, 18)),
            pa.array(["IDR"] * 2),
            pa.array([ON] * 2),
            rates,
            usd_exact=True,
        )
        product = decimal.Context(prec=80).multiply(amount, rate)
        assert [product, product.copy_negate()] == table.column("usd_exact").to_pylist()
        assert pa.types.is_decimal256(table.schema.field("usd_exact").type)
        assert table.schema.field("usd_exact").type.precision <= 76

    def test_beyond_decimal256(self) -> None:
        """A 60-digit amount times a 28-digit rate is value.out_of_range, not a decimal error."""
        amount = Decimal(10) ** 59
        rates = fx.RateTable.from_mapping(
            {"IDR": {ON: Decimal("0.00006712345678901234567890123456")}}, direction="usd_per_unit"
        )
        with pytest.raises(PledgeDataError) as raised:
            usd_columns(
                pa.array([amount], pa.decimal256(60, 0)), pa.array(["IDR"]), pa.array([ON]), rates
            )
        assert ["value.out_of_range"] == [issue.code for issue in raised.value.issues]

    def test_narrowest_type(self) -> None:
        """Cents times a four-digit rate stays in decimal128."""
        table = usd_columns(
            pa.array([Decimal("1.25")]), pa.array(["EUR"]), pa.array([ON]), BUNDLED, usd_exact=True
        )
        assert pa.types.is_decimal128(table.schema.field("usd_exact").type)

    def test_usd_beyond_twenty_digits_as_to_usd(self) -> None:
        """A USD value of 21 integer digits converts, as Conversion.usd gives it (was null)."""
        amount = Decimal("99999999999999999999.99")
        conversion = p2c.to_usd(Money(amount, "EUR"), ON, BUNDLED)
        assert 21 == len(str(conversion.usd.amount).split(".")[0])
        table = usd_columns(
            pa.array([amount, Decimal(1)]), pa.array(["EUR", "EUR"]), pa.array([ON, ON]), BUNDLED
        )
        assert [conversion.usd.amount, Decimal("1.07")] == table.column("usd").to_pylist()
        assert [None, None] == table.column("error").to_pylist()
        assert ["1.0743", "1.0743"] == table.column("rate_usd_per_unit").to_pylist()


class TestFrames:
    def test_pandas(self) -> None:
        """A pandas frame with Arrow-backed columns gives a frame with its index."""
        frame = pd.DataFrame(
            {
                "amount": pd.array(
                    [Decimal(155_000_000), Decimal(5)], dtype=pd.ArrowDtype(pa.decimal128(20, 2))
                ),
                "currency": pd.array(["EUR", "KES"], dtype=pd.ArrowDtype(pa.string())),
                "value_date": pd.array([ON, ON], dtype=pd.ArrowDtype(pa.date32())),
            },
            index=[10, 20],
        )
        result = usd_frame(frame, BUNDLED)
        assert [10, 20] == list(result.index)
        assert Decimal("166516500.00") == result.loc[10, "usd"]
        assert result.loc[20, "error"].startswith("no rate source knows KES")

    def test_pandas_float_refused(self) -> None:
        """A pandas float64 amount column is value.float_money."""
        frame = pd.DataFrame({"amount": [0.1], "currency": ["EUR"], "value_date": [ON]})
        with pytest.raises(PledgeDataError) as raised:
            usd_frame(frame, BUNDLED)
        assert ["value.float_money"] == [issue.code for issue in raised.value.issues]

    def test_polars(self) -> None:
        """A Polars frame gives a Polars frame."""
        frame = pl.DataFrame(
            {"amount": [Decimal("155000000.00")], "currency": ["EUR"], "day": [ON]},
            schema={"amount": pl.Decimal(20, 2), "currency": pl.String, "day": pl.Date},
        )
        result = usd_frame(frame, BUNDLED, value_date="day")
        assert isinstance(result, pl.DataFrame)
        assert [Decimal("166516500.00")] == result["usd"].to_list()

    def test_pandas_mixed_objects(self) -> None:
        """An object column of Decimals and floats is a located value.type, not an Arrow error."""
        frame = pd.DataFrame(
            {"amount": [Decimal(1), 0.5], "currency": ["EUR"] * 2, "value_date": [ON] * 2}
        )
        with pytest.raises(PledgeDataError) as raised:
            usd_frame(frame, BUNDLED)
        assert [("value.type", "amount")] == [(i.code, i.column) for i in raised.value.issues]

    def test_missing_column(self) -> None:
        """A frame without the named column is column.missing."""
        with pytest.raises(PledgeDataError) as raised:
            usd_frame(pd.DataFrame({"amount": [Decimal(1)]}), BUNDLED)
        assert ["currency", "value_date"] == [issue.column for issue in raised.value.issues]


class TestBatches:
    def test_parquet_in_batches(self, tmp_path: pytest.TempPathFactory) -> None:
        """Batches of a Parquet file give the one-table result, batch by batch."""
        amounts = [Decimal(i).scaleb(-2) for i in range(1000)]
        table = pa.table(
            {
                "amount": pa.array(amounts, pa.decimal128(12, 2)),
                "currency": pa.array(["EUR", "JPY", "KES", "USD"] * 250),
                "value_date": pa.array([ON + dt.timedelta(days=i % 9) for i in range(1000)]),
            }
        )
        path = tmp_path / "rows.parquet"
        pq.write_table(table, path)
        batches = list(usd_batches(pq.ParquetFile(path).iter_batches(batch_size=128), BUNDLED))
        whole = usd_columns(table["amount"], table["currency"], table["value_date"], BUNDLED)
        assert 8 == len(batches)
        assert whole.to_pylist() == pa.Table.from_batches(batches).to_pylist()

    def test_missing_column(self) -> None:
        """A batch without the amount column is column.missing."""
        batch = pa.record_batch({"currency": ["EUR"], "value_date": pa.array([ON])})
        with pytest.raises(PledgeDataError) as raised:
            list(usd_batches([batch], BUNDLED))
        assert ["column.missing"] == [issue.code for issue in raised.value.issues]


class TestPackage:
    def test_import_is_lazy(self) -> None:
        """Importing p2c_pledges and p2c_pledges.fx does not import pyarrow."""
        code = "import sys, p2c_pledges, p2c_pledges.fx; print('pyarrow' in sys.modules)"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "False" == out.stdout.strip()

    def test_without_pyarrow(self) -> None:
        """Without pyarrow the import error says how to install it."""
        code = (
            "import sys; sys.modules['pyarrow'] = None\n"
            "try:\n    import p2c_pledges.fx.columnar\nexcept ImportError as e:\n    print(e)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "pip install p2c-pledges[arrow]" in out.stdout

    @pytest.mark.slow
    def test_rate_table_pickles(self) -> None:
        """The bundled rates pickle, as a Dask or Spark broadcast needs."""
        copy = pickle.loads(pickle.dumps(BUNDLED))  # noqa: S301 - bytes the test made
        assert Decimal("1.0743") == copy.quote("EUR", ON, fx.DEFAULT_POLICY).usd_per_unit


def test_the_old_flag_name_still_works_with_a_warning() -> None:
    """``exact=`` was the flag's name before 0.2; it is ``usd_exact=``, the column it adds."""
    arguments = (pa.array([Decimal("1.25")]), pa.array(["EUR"]), pa.array([ON]), BUNDLED)
    with pytest.warns(DeprecationWarning, match="usd_exact="):
        old = usd_columns(*arguments, exact=True)
    assert old.equals(usd_columns(*arguments, usd_exact=True))
    assert "usd_exact" in old.column_names
    with pytest.warns(DeprecationWarning, match="usd_exact="):
        assert "usd_exact" in usd_schema(exact=True).names


@given(
    st.lists(
        st.decimals(min_value=Decimal("1E-30"), max_value=Decimal("1E+12"), places=None).filter(
            lambda rate: rate.is_finite() and rate > 0
        ),
        max_size=20,
    )
)
def test_rate_units_are_the_rates_exactly(rates: list[Decimal]) -> None:
    """The rates' texts and their integers at one scale: each integer is the rate times 10**scale."""
    from p2c_pledges.fx._lookup import Gathered, RateColumns  # noqa: PLC0415 - the private helpers tested

    columns = RateColumns.of([(rate, "a source") for rate in rates])
    gathered = Gathered([(columns, np.arange(len(rates)), "a rule")])
    texts, (units, scale) = gathered.text.tolist(), gathered.units
    assert [str(rate) for rate in rates] == texts
    assert scale >= 0
    exactly = decimal.Context(prec=200, traps=[decimal.Inexact])
    assert all(
        Decimal(unit).scaleb(-scale, context=exactly) == rate
        for unit, rate in zip(units, rates, strict=True)
    )
    # The scale is the smallest that holds every rate's digits.
    assert scale == max([0, *(-int(rate.as_tuple().exponent) for rate in rates)])


# Rates of a table made per example: its bands have kept nothing yet.
FRESH_RATES = st.dictionaries(
    st.sampled_from(["KES", "EUR", "JPY"]),
    st.dictionaries(
        st.dates(dt.date(2022, 5, 20), dt.date(2022, 6, 30)),
        st.decimals(min_value=Decimal("1E-9"), max_value=Decimal("1E+9"), places=None).filter(
            lambda rate: rate.is_finite() and rate > 0
        ),
        min_size=1,
        max_size=8,
    ),
    min_size=1,
)


class TestKeptColumns:
    """The rates' columns a table keeps after a first call: later calls give the same rows."""

    @given(
        st.lists(st.tuples(pst.money(["KES", "EUR", "JPY", "XOF", "USD"]), DATES), max_size=30),
        FRESH_RATES,
        st.sampled_from([fx.DEFAULT_POLICY, fx.exact(), fx.on_or_before(30)]),
    )
    def test_first_and_later_calls_agree(
        self,
        rows: list[tuple[Money, dt.date]],
        rates: dict[str, dict[dt.date, Decimal]],
        policy: fx.Policy,
    ) -> None:
        """A fresh table's first call, its later calls and to_usd agree row by row, peg included."""
        table = fx.RateTable.from_mapping(rates, name="fresh") | fx.pegged_rates()
        expected = [
            {k: v for k, v in expected_row(money, on, table, policy).items() if k != "usd_exact"}
            for money, on in rows
        ]
        first = usd_columns(*columns(rows), table, policy)
        assert expected == first.to_pylist()
        # A subset first, then all: rates already kept beside rates made now.
        assert (
            first.slice(0, 3).to_pylist()
            == usd_columns(*(column[:3] for column in columns(rows)), table, policy).to_pylist()
        )
        assert first.equals(usd_columns(*columns(rows), table, policy))

    def test_kept_columns_do_not_pickle(self) -> None:
        """What a table keeps for the columnar path is not in its pickle (broadcasts stay small)."""
        table = fx.RateTable.from_mapping(
            {"KES": {ON - dt.timedelta(days=day): Decimal(110 + day) for day in range(200)}}
        )
        before = pickle.dumps(table)
        usd_columns(
            pa.array([Decimal(1)] * 200),
            pa.array(["KES"] * 200),
            pa.array([ON - dt.timedelta(days=day) for day in range(200)]),
            table,
        )
        assert before == pickle.dumps(table)

    def test_threads_at_once_agree(self) -> None:
        """Threads converting on one fresh table at once get the single-threaded rows."""
        days = [ON - dt.timedelta(days=day) for day in range(400)]
        table = fx.RateTable.from_mapping(
            {"KES": {day: Decimal(100) + Decimal(index) / 7 for index, day in enumerate(days)}}
        )
        arguments = (
            pa.array([Decimal("12.34")] * len(days)),
            pa.array(["KES"] * len(days)),
            pa.array(days),
        )
        expected = usd_columns(
            *arguments,
            fx.RateTable.from_mapping(
                {"KES": {day: Decimal(100) + Decimal(index) / 7 for index, day in enumerate(days)}}
            ),
        )
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: usd_columns(*arguments, table), range(16)))
        assert all(result.equals(expected) for result in results)


class TestSecondReview:
    """What a review of the kept columns found (two, one of them older than them)."""

    @pytest.mark.parametrize(
        ("kind", "currency", "written"),
        [("pegged", "XAF", ("1", "1.0")), ("legacy", "DEM", ("1.95583", "1.955830"))],
    )
    def test_pegs_written_otherwise_keep_their_own_text(
        self, kind: str, currency: str, written: tuple[str, str]
    ) -> None:
        """Two pegs equal as numbers but written otherwise give each its own text, as to_usd."""
        day = dt.date(2024, 1, 2)
        anchor = fx.RateTable.from_mapping(
            {"EUR": {day: Decimal("1.2")}}, direction="usd_per_unit"
        )
        for number in written:
            legacy = kind == "legacy"
            peg = fx.Peg(
                currency=currency, anchor="EUR", start=dt.date(1999, 1, 1), end=None,
                units=Decimal(number) if legacy else Decimal(2),
                anchor_units=Decimal(1) if legacy else Decimal(number), authority="a law",
            )  # fmt: skip
            source: fx.RateSource = (
                fx.EuroLegacyRates({currency: peg}, anchor=anchor)
                if legacy
                else fx.PeggedRates({currency: peg}, anchor=anchor)
            )
            row = usd_columns(
                pa.array([Decimal("10.00")]), pa.array([currency]), pa.array([day]), source
            ).to_pylist()[0]
            expected = p2c.to_usd(Money(Decimal("10.00"), currency), day, source)
            assert (str(expected.rate), expected.source) == (
                row["rate_usd_per_unit"],
                row["source"],
            )

    def test_arrow_rounding_checked(self) -> None:
        """A product pyarrow 26's round gets wrong (-1374389534.7175 to ...71) is rounded right."""
        day = dt.date(2021, 5, 5)
        table = fx.RateTable.from_mapping(
            {
                "KES": {day: Decimal("0.125")},
                "JPY": {day: Decimal("0.1234567890123456789012345678")},
            },
            direction="usd_per_unit",
        )
        amounts = [Decimal("-10995116277.74"), Decimal("0.01")]
        got = usd_columns(
            pa.array(amounts, pa.decimal128(20, 2)),
            pa.array(["KES", "JPY"]),
            pa.array([day, day]),
            table,
            usd_exact=True,
        )
        assert [
            p2c.to_usd(Money(amount, code), day, table).usd.amount
            for amount, code in zip(amounts, ["KES", "JPY"], strict=True)
        ] == got.column("usd").to_pylist()


@given(
    st.lists(
        st.tuples(st.integers(-(10**30), 10**30), st.none() | st.integers(10, 100)),
        min_size=1,
        max_size=30,
    ),
    st.integers(3, 30),
    st.booleans(),
)
@example([(-(975 * 10**18), 37)], 22, False)  # -1374389534.7175: 2**37 cents less a quarter
def test_round_cents_is_decimal_half_even(
    units: list[tuple[int, int | None]], scale: int, wide: bool
) -> None:
    """Rounding products to cents equals Decimal's ROUND_HALF_EVEN, ties and powers of two included."""
    from p2c_pledges.fx.columnar import _round_cents  # noqa: PLC0415 - the private helper tested

    # A power given: the value is that many cents as a power of two, give or take a
    # sliver (pyarrow's round was seen to fail next to 2**37 cents).
    sliver = 10 ** (scale - 1)
    values = [
        Decimal(
            unit
            if power is None
            else (-1 if unit < 0 else 1)
            * (2**power * 10 ** (scale - 2) + abs(unit) % (2 * sliver) - sliver)
        ).scaleb(-scale, context=decimal.Context(prec=100))
        for unit, power in units
    ]
    kind = pa.decimal256(60, scale) if wide else pa.decimal128(38, scale)
    values = [value for value in values if value.adjusted() < kind.precision - kind.scale]
    got = _round_cents(pa.array([*values, None], kind)).to_pylist()
    exactly = decimal.Context(prec=100)
    assert [
        value.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN, context=exactly)
        for value in values
    ] + [None] == got
