"""Tests of exchange rates, policies, sources and conversion to USD."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import Money, PledgeDataError, fx
from p2c_pledges import strategies as pst
from p2c_pledges.fx import RateLookupError, RateTable


IMF_FILE = (
    Path(__file__).parent.parent.parent / "shared" / "data" / "imf_exchangerates_A_ENDA_USD.csv"
)
BUNDLED = fx.bundled_rates()
ECB_CURRENCIES = sorted(fx.ecb_rates().currencies())


class TestEcb:
    def test_eur_on_a_weekday(self) -> None:
        """EUR 155,000,000 on 2022-06-09 converts at that day's ECB rate, without fallback."""
        conversion = fx.to_usd(Money(Decimal(155_000_000), "EUR"), dt.date(2022, 6, 9), BUNDLED)
        assert (Decimal("1.0743"), dt.date(2022, 6, 9), False) == (
            conversion.rate,
            conversion.rate_date,
            conversion.fallback,
        )
        assert Money(Decimal("166516500.00"), "USD") == conversion.usd
        assert conversion.source.startswith("ECB euro reference rates")
        assert "on_or_before(7)" == conversion.rule

    def test_sunday_uses_friday(self) -> None:
        """On a Sunday the Friday rate is used and the fallback recorded."""
        conversion = fx.to_usd(Money(Decimal(155_000_000), "EUR"), dt.date(2022, 6, 12), BUNDLED)
        assert (dt.date(2022, 6, 10), True) == (conversion.rate_date, conversion.fallback)

    def test_exact_refuses_a_sunday(self) -> None:
        """The exact policy refuses a day without a rate, naming the nearest dates."""
        with pytest.raises(
            RateLookupError,
            match="nearest earlier date: 2022-06-10, nearest later date: 2022-06-13",
        ):
            fx.to_usd(Money(Decimal(1), "EUR"), dt.date(2022, 6, 12), BUNDLED, fx.exact())

    def test_rub_ended(self) -> None:
        """RUB after the ECB stopped is an error naming 2022-03-01 as the last known date."""
        with pytest.raises(RateLookupError, match="nearest earlier date: 2022-03-01") as caught:
            fx.to_usd(Money(Decimal(1), "RUB"), dt.date(2024, 1, 4), BUNDLED)
        assert ["rate.missing"] == caught.value.codes

    def test_kes_unknown_to_every_source(self) -> None:
        """KES, which no bundled source knows, is an error naming KES."""
        with pytest.raises(RateLookupError, match="no rate source knows KES") as caught:
            fx.to_usd(Money(Decimal(1), "KES"), dt.date(2022, 6, 9), BUNDLED)
        assert ["rate.no_source"] == caught.value.codes

    def test_cross_rate(self) -> None:
        """A currency's USD rate is USD per EUR over units per EUR, exact to 28 digits."""
        quote = fx.ecb_rates().quote("JPY", dt.date(2022, 6, 9), fx.exact())
        (rate,) = [
            r for r in fx.ecb_rates().rates() if r.currency == "JPY" and r.start == quote.rate_date
        ]
        assert rate.published is not None
        per_eur = Decimal(rate.published.split()[0])
        with decimal.localcontext(decimal.Context(prec=28)):
            assert Decimal("1.0743") / per_eur == quote.usd_per_unit

    def test_loaded_once(self) -> None:
        """The ECB table is read once."""
        assert fx.ecb_rates() is fx.ecb_rates()


class TestPegs:
    def test_xof_through_eur(self) -> None:
        """XOF is answered through the EUR rate of the day at 655.957 per EUR."""
        quote = BUNDLED.quote("XOF", dt.date(2022, 6, 12), fx.on_or_before())
        with decimal.localcontext(decimal.Context(prec=28)):
            assert Decimal("1.0578") / Decimal("655.957") == quote.usd_per_unit
        assert (dt.date(2022, 6, 10), True) == (quote.rate_date, quote.fallback)
        assert "655.957 XOF per 1 EUR" in quote.source

    def test_usd_peg(self) -> None:
        """SAR is 3.75 per USD every day, without fallback."""
        quote = fx.pegged_rates().quote("SAR", dt.date(2022, 6, 12), fx.on_or_before())
        assert (Decimal(1) / Decimal("3.75"), False) == (quote.usd_per_unit, quote.fallback)

    def test_before_the_peg(self) -> None:
        """Before its start date a peg answers nothing."""
        with pytest.raises(RateLookupError, match="holds from 1998-01-01"):
            fx.pegged_rates().quote("AED", dt.date(1990, 1, 1), fx.on_or_before())


class TestUsd:
    @given(st.dates())
    def test_identity(self, on: dt.date) -> None:
        """USD converts to itself at rate 1 and says so."""
        conversion = fx.to_usd(Money(Decimal("12.345"), "USD"), on, BUNDLED)
        assert (Decimal("12.345"), Decimal(1), "identity") == (
            conversion.usd_exact,
            conversion.rate,
            conversion.source,
        )


TABLE = RateTable.from_mapping(
    {"KES": {dt.date(2022, 6, 9): Decimal("116.9"), dt.date(2022, 6, 30): Decimal("117.8")}}
)


class TestPolicies:
    def test_mapping_in_units_per_usd(self) -> None:
        """Rates given in code are units per USD by default."""
        conversion = fx.to_usd(Money(Decimal(1169), "KES"), dt.date(2022, 6, 9), TABLE)
        assert Decimal(10) == conversion.usd.amount

    def test_monthly_average_from_daily(self) -> None:
        """The monthly average is the mean of the month's daily rates, with its count."""
        quote = TABLE.quote("KES", dt.date(2022, 6, 1), fx.monthly_average())
        expected = (Decimal(1) / Decimal("116.9") + Decimal(1) / Decimal("117.8")) / 2
        assert abs(expected - quote.usd_per_unit) < Decimal("1e-26")
        assert (2, (dt.date(2022, 6, 1), dt.date(2022, 6, 30))) == (
            quote.observations,
            quote.period,
        )

    def test_fixed(self) -> None:
        """A fixed rate converts without any source and says so."""
        conversion = fx.to_usd(
            Money(Decimal(100), "KES"), dt.date(2022, 6, 9), TABLE, fx.fixed(Decimal("0.01"))
        )
        assert (Decimal("1.00"), "fixed by the caller") == (
            conversion.usd_exact,
            conversion.source,
        )

    def test_fixed_refuses_a_float(self) -> None:
        """A float is never a rate."""
        with pytest.raises(ValueError, match="positive, finite Decimal"):
            fx.fixed(0.01)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("exact", "exact"),
            ("on_or_before", "on_or_before(7)"),
            ("on_or_before:30", "on_or_before(30)"),
            ("annual_average", "annual_average"),
        ],
    )
    def test_parse(self, text: str, expected: str) -> None:
        """Policies are read as the command line writes them."""
        assert expected == str(fx.Policy.parse(text))

    def test_parse_unknown(self) -> None:
        """An unknown policy is a ValueError listing the known ones."""
        with pytest.raises(ValueError, match="monthly_average"):
            fx.Policy.parse("nearest")

    @given(
        st.dates(dt.date(1999, 1, 1), dt.date(2026, 10, 30)),
        st.integers(0, 20),
        st.integers(0, 20),
    )
    def test_widening_never_fails(self, on: dt.date, narrow: int, extra: int) -> None:
        """Widening max_days never turns a success into a failure, nor changes the answer."""
        try:
            first = fx.ecb_rates().quote("CHF", on, fx.on_or_before(narrow))
        except RateLookupError:
            return
        wider = fx.ecb_rates().quote("CHF", on, fx.on_or_before(narrow + extra))
        assert (first.usd_per_unit, first.rate_date) == (wider.usd_per_unit, wider.rate_date)


class TestRoundTrips:
    @given(
        pst.money(ECB_CURRENCIES, max_value=Decimal(10) ** 15),
        st.dates(dt.date(2023, 1, 2), dt.date(2025, 12, 31)),
    )
    def test_there_and_back(self, money: Money, on: dt.date) -> None:
        """X to USD and back returns within one minor unit."""
        try:
            there = fx.to_usd(money, on, BUNDLED)
        except RateLookupError:
            return
        with decimal.localcontext(decimal.Context(prec=60)):
            back = there.usd_exact / there.rate
        assert abs(back - money.amount) <= Decimal(1).scaleb(-money.minor_units)

    @given(
        pst.money(["CHF", "GBP", "JPY"], max_value=Decimal(10) ** 12),
        st.sampled_from(["EUR", "SEK", "XOF"]),
        st.dates(dt.date(2023, 1, 2), dt.date(2025, 12, 31)),
    )
    def test_cross_equals_two_legs(self, money: Money, to: str, on: dt.date) -> None:
        """A cross conversion equals the two legs through USD."""
        try:
            cross = fx.convert(money, to, on, BUNDLED)
        except RateLookupError:
            return
        first = fx.to_usd(money, on, BUNDLED)
        second = BUNDLED.quote(to, on, fx.on_or_before())
        with decimal.localcontext(decimal.Context(prec=60)):
            assert first.usd_exact / second.usd_per_unit == cross.exact


class TestCsv:
    def write(self, tmp_path: Path, text: str, name: str = "rates.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_mapping_and_csv_agree(self, tmp_path: Path) -> None:
        """A table from a mapping and from a CSV of the same rates answer identically."""
        path = self.write(
            tmp_path, "currency,date,rate\nKES,2022-06-09,116.9\nKES,2022-06-30,117.8\n"
        )
        from_csv = RateTable.from_csv(path, name="rates given in code")
        for day in (dt.date(2022, 6, 9), dt.date(2022, 6, 12), dt.date(2022, 6, 30)):
            assert TABLE.quote("KES", day, fx.on_or_before()) == from_csv.quote(
                "KES", day, fx.on_or_before()
            )

    @given(
        st.dictionaries(
            st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
            st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**6), places=4),
            min_size=1,
            max_size=5,
        )
    )
    def test_mapping_and_csv_agree_generated(self, rates: dict[dt.date, Decimal]) -> None:
        """Generated rates read the same from code and from CSV."""
        import tempfile  # noqa: PLC0415 - Hypothesis and tmp_path do not mix

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "r.csv"
            path.write_text(
                "currency,date,rate\n" + "".join(f"CHF,{d},{r}\n" for d, r in rates.items()),
                encoding="utf-8",
            )
            from_csv = RateTable.from_csv(path, name="x")
        from_mapping = RateTable.from_mapping({"CHF": rates}, name="x")
        assert sorted(from_mapping.rates(), key=lambda r: r.start) == sorted(
            from_csv.rates(), key=lambda r: r.start
        )

    @pytest.mark.parametrize(
        ("row", "code", "column"),
        [
            ("KES,2022-06-09,-1", "rate.invalid", "rate"),
            ("KES,2022-06-09,0", "rate.invalid", "rate"),
            ("KES,2022-06-09,abc", "rate.not_number", "rate"),
            ("KES,2022-06-09,1e999999999", "rate.not_number", "rate"),
            ("XYZ,2022-06-09,1", "currency.unknown", "currency"),
            ("kes,2022-06-09,1", "currency.unknown", "currency"),
            ("KES,2022-02-30,1", "date.invalid", "date"),
        ],
    )
    def test_bad_rows_are_located(self, tmp_path: Path, row: str, code: str, column: str) -> None:
        """A bad cell fails with the file, the row and the column."""
        path = self.write(tmp_path, f"currency,date,rate\nKES,2022-06-08,116\n{row}\n")
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        (issue,) = caught.value.issues
        assert (code, str(path), 3, column) == (issue.code, issue.file, issue.row, issue.column)

    def test_missing_column(self, tmp_path: Path) -> None:
        """A header without the rate column names it."""
        path = self.write(tmp_path, "currency,date\nKES,2022-06-09\n")
        with pytest.raises(PledgeDataError, match="'rate'") as caught:
            RateTable.from_csv(path)
        assert ["column.missing"] == caught.value.codes

    def test_conflicting_duplicates(self, tmp_path: Path) -> None:
        """Two different rates of a currency on one day, with no deciding row, conflict."""
        path = self.write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,2.5,XCD,A,IMF,AG,Antigua\n2022-12-31,2.7,XCD,A,IMF,DM,Dominica\n",
        )
        with pytest.raises(PledgeDataError, match="rows 2 and 3") as caught:
            RateTable.from_csv(path)
        assert ["rate.conflict"] == caught.value.codes

    def test_union_row_decides(self, tmp_path: Path) -> None:
        """The union's own row (an IMF aggregate code) decides between member rows."""
        path = self.write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,0.951,EUR,A,IMF,ME,Montenegro\n2022-12-31,0.9496,EUR,A,IMF,U2,Euro Area\n",
        )
        quote = RateTable.from_csv(path).quote("EUR", dt.date(2022, 6, 9), fx.annual_average())
        assert "0.9496 EUR per USD" == next(RateTable.from_csv(path).rates()).published
        assert (dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == quote.period

    def test_bom_is_accepted(self, tmp_path: Path) -> None:
        """A UTF-8 BOM (Excel's export) reads like no BOM."""
        path = tmp_path / "bom.csv"
        path.write_bytes(b"\xef\xbb\xbfcurrency,date,rate\nKES,2022-06-09,116.9\n")
        assert 1 == len(RateTable.from_csv(path))

    @pytest.mark.skipif(
        not IMF_FILE.exists(), reason="the IMF reference file is not beside the project"
    )
    def test_real_imf_file(self) -> None:
        """The real IMF annual file reads with invalid='drop', listing what it left out."""
        table = RateTable.from_csv(IMF_FILE, invalid="drop")
        assert {"rate.conflict", "currency.unknown"} == {issue.code for issue in table.dropped}
        quote = table.quote("KES", dt.date(2022, 6, 9), fx.annual_average())
        assert (dt.date(2022, 12, 31), "IMF") == (quote.rate_date, quote.source)
        with pytest.raises(PledgeDataError):
            RateTable.from_csv(IMF_FILE)


class TestBulk:
    @given(
        st.lists(
            st.tuples(
                pst.money(["EUR", "JPY", "KES", "XOF", "USD"], max_value=Decimal(10) ** 12),
                st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
            ),
            max_size=20,
        )
    )
    def test_agrees_with_to_usd(self, items: list[tuple[Money, dt.date]]) -> None:
        """The bulk path gives exactly what to_usd gives, errors included."""
        result = fx.usd_amounts(
            [m.amount for m, _ in items],
            [m.currency for m, _ in items],
            [d for _, d in items],
            BUNDLED,
        )
        for index, (money, on) in enumerate(items):
            try:
                expected = fx.to_usd(money, on, BUNDLED).usd_exact
            except RateLookupError as error:
                assert error.issues[0].message == result.errors[index]
                assert result.usd[index] is None
            else:
                assert expected == result.usd[index]

    def test_float_amount_is_located(self) -> None:
        """A float in the bulk input is value.float_money at its index, not a TypeError."""
        with pytest.raises(PledgeDataError) as caught:
            fx.usd_amounts([Decimal(1), 0.5], ["EUR", "EUR"], [dt.date(2022, 6, 9)] * 2, BUNDLED)  # type: ignore[list-item]
        (issue,) = caught.value.issues
        assert ("value.float_money", "$[1]") == (issue.code, issue.path)

    def test_nan_amount_is_an_error_not_nan(self) -> None:
        """A NaN amount is reported, never passed on as a NaN dollar value."""
        result = fx.usd_amounts([Decimal("NaN")], ["EUR"], [dt.date(2022, 6, 9)], BUNDLED)
        assert ([None], ["the amount NaN is not a finite number"]) == (
            result.usd,
            list(result.errors.values()),
        )
