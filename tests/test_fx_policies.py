"""Tests of the conversion policies: what each accepts, and the errors outside them."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import KES_TABLE as TABLE
from p2c_pledges import Money, fx
from p2c_pledges.fx import RateLookupError


BUNDLED = fx.bundled_rates()
ECB = fx.ecb_rates()
#: ECB currencies, one that stopped (RUB), pegs to EUR and to USD.
CURRENCIES = st.sampled_from(["EUR", "JPY", "CHF", "RUB", "ISK", "XOF", "KMF", "SAR", "DJF"])
DATES = st.dates(dt.date(1998, 12, 1), dt.date(2026, 11, 30))
NEAREST = re.compile(r"nearest earlier date: ([^\s,;]+), nearest later date: ([^\s,;]+)")


def answer(currency: str, on: dt.date, policy: fx.Policy) -> fx.Quote | None:
    try:
        return BUNDLED.quote(currency, on, policy)
    except RateLookupError:
        return None


class TestOnOrBefore:
    @given(CURRENCIES, DATES, st.integers(0, 10), st.integers(1, 30))
    def test_widening_never_fails(
        self, currency: str, on: dt.date, narrow: int, extra: int
    ) -> None:
        """Widening max_days never turns a success into a failure, nor changes the rate chosen."""
        first = answer(currency, on, fx.on_or_before(narrow))
        if first is None:
            return
        wider = answer(currency, on, fx.on_or_before(narrow + extra))
        assert wider is not None
        assert (first.usd_per_unit, first.rate_date) == (wider.usd_per_unit, wider.rate_date)

    @given(CURRENCIES, DATES, st.integers(0, 30))
    def test_exact_is_the_narrowest(self, currency: str, on: dt.date, days: int) -> None:
        """Whatever exact() answers, on_or_before answers alike, without a fallback."""
        first = answer(currency, on, fx.exact())
        if first is None:
            return
        other = answer(currency, on, fx.on_or_before(days))
        assert (first.usd_per_unit, first.rate_date, False) == (
            other.usd_per_unit if other else None,
            other.rate_date if other else None,
            first.fallback,
        )

    def test_the_limit_is_inclusive(self) -> None:
        """Seven days after RUB's last rate is accepted; eight is not."""
        last = dt.date(2022, 3, 1)
        assert last == BUNDLED.quote("RUB", dt.date(2022, 3, 8), fx.on_or_before(7)).rate_date
        assert None is answer("RUB", dt.date(2022, 3, 9), fx.on_or_before(7))

    def test_method_and_fallback_are_recorded(self) -> None:
        """A Saturday value date records the Friday rate, the rule and the fallback."""
        conversion = fx.to_usd(Money(Decimal(100), "CHF"), dt.date(2022, 6, 11), BUNDLED)
        assert (dt.date(2022, 6, 10), True, "on_or_before(7)") == (
            conversion.rate_date,
            conversion.fallback,
            conversion.rule,
        )


class TestErrors:
    @given(st.sampled_from(["EUR", "JPY", "ISK"]), DATES)
    def test_nearest_dates_bracket_the_value_date(self, currency: str, on: dt.date) -> None:
        """A refused date names the nearest earlier and later dates, and nothing lies between."""
        try:
            ECB.quote(currency, on, fx.exact())
        except RateLookupError as error:
            (issue,) = error.issues
            assert ("rate.missing", True) == (issue.code, currency in issue.message)
            assert str(on) in issue.message
            found = NEAREST.search(issue.message)
            assert found is not None
            earlier, later = (
                None if text == "none" else dt.date.fromisoformat(text) for text in found.groups()
            )
            for day in (earlier, later):
                if day is not None:
                    assert day == ECB.quote(currency, day, fx.exact()).rate_date
            low = earlier or dt.date.min
            high = later or dt.date.max
            assert low < on < high
            if earlier is not None and later is not None:
                # No rate lies between: the latest before `later` is `earlier`.
                before_later = later - dt.timedelta(days=1)
                widest = fx.on_or_before((later - earlier).days)
                assert earlier == ECB.quote(currency, before_later, widest).rate_date

    def test_kes_names_kes_and_the_sources(self) -> None:
        """A currency no source knows is rate.no_source naming it and every source asked."""
        with pytest.raises(RateLookupError) as caught:
            fx.to_usd(Money(Decimal(1), "KES"), dt.date(2022, 6, 9), BUNDLED)
        (issue,) = caught.value.issues
        assert ("rate.no_source", "KES") == (issue.code, issue.value)
        assert "ECB" in issue.message
        assert "legal pegs" in issue.message


class TestAverages:
    @pytest.mark.parametrize("policy", [fx.monthly_average(), fx.annual_average()], ids=str)
    def test_mean_of_the_daily_rates(self, policy: fx.Policy) -> None:
        """An average from daily data is the mean of every daily rate of the period, counted."""
        quote = ECB.quote("JPY", dt.date(2022, 6, 15), policy)
        first, last = quote.period
        daily = []
        day = first
        while day <= last:
            with contextlib.suppress(RateLookupError):
                daily.append(ECB.quote("JPY", day, fx.exact()).usd_per_unit)
            day += dt.timedelta(days=1)
        with decimal.localcontext(decimal.Context(prec=60)):
            total = sum(daily, Decimal(0))
        expected = decimal.Context(prec=fx.RATE_PRECISION).divide(total, len(daily))
        assert (expected, len(daily)) == (quote.usd_per_unit, quote.observations)

    def test_partly_covered_period_says_so(self) -> None:
        """An average of a year the data covers only in part counts its rates and ends on the last one.

        RUB's 2022 "annual average" is made of the 42 rates up to 2022-03-01: the
        quote does not refuse it, but its provenance shows it (see docs/currency.md).
        """
        quote = BUNDLED.quote("RUB", dt.date(2022, 6, 15), fx.annual_average())
        assert (42, dt.date(2022, 3, 1)) == (quote.observations, quote.rate_date)

    def test_euro_peg_average(self) -> None:
        """A euro peg's monthly average is the EUR monthly average over the parity."""
        eur = BUNDLED.quote("EUR", dt.date(2022, 6, 15), fx.monthly_average())
        xof = BUNDLED.quote("XOF", dt.date(2022, 6, 15), fx.monthly_average())
        with decimal.localcontext(decimal.Context(prec=fx.RATE_PRECISION)):
            assert eur.usd_per_unit / Decimal("655.957") == xof.usd_per_unit
        assert eur.observations == xof.observations


class TestAverageSources:
    def table(self, folder: Path) -> fx.RateTable:
        """KES from two sources in June 2022: a central bank to the 15th, another bank after."""
        rows = ["currency,date,rate,source"]
        rows += [
            f"KES,2022-06-{day:02d},{100 if day <= 15 else 200},"
            + ("Central Bank of Kenya" if day <= 15 else "Some bank")
            for day in range(1, 31)
        ]
        path = folder / "kes.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        return fx.RateTable.from_csv(path)

    @pytest.mark.parametrize("policy", [fx.monthly_average(), fx.annual_average()], ids=str)
    def test_a_mean_names_every_source(self, tmp_path: Path, policy: fx.Policy) -> None:
        """A mean over the rates of two sources names both, with how many rates each gave, not only the first."""
        quote = self.table(tmp_path).quote("KES", dt.date(2022, 6, 20), policy)
        assert ("Central Bank of Kenya (15 rates); Some bank (15 rates)", 30) == (
            quote.source,
            quote.observations,
        )

    def test_a_mean_of_one_source_names_it_alone(self, tmp_path: Path) -> None:
        """A mean of one source's rates names that source as a daily rate does."""
        quote = self.table(tmp_path).quote("KES", dt.date(2022, 6, 20), fx.on_or_before())
        mean = ECB.quote("JPY", dt.date(2022, 6, 20), fx.monthly_average())
        assert ("Some bank", ECB.name) == (quote.source, mean.source)


class TestFixed:
    @given(st.sampled_from(["EUR", "KES", "XOF"]), DATES)
    def test_any_currency_any_date(self, currency: str, on: dt.date) -> None:
        """A fixed rate converts without asking any source and says it came from the caller."""
        conversion = fx.to_usd(
            Money(Decimal(200), currency), on, BUNDLED, fx.fixed(Decimal("0.005"))
        )
        assert (Decimal("1.000"), "fixed by the caller", False) == (
            conversion.usd_exact,
            conversion.source,
            conversion.fallback,
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
