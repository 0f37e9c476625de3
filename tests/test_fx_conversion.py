"""Tests of to_usd and convert: inputs, rounding, round trips through USD."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import Money, PledgeDataError, fx
from p2c_pledges import strategies as pst
from p2c_pledges.fx import RateLookupError, RateTable


BUNDLED = fx.bundled_rates()
#: Currencies the bundled sources answer: ECB's, the pegs', and USD.
ANSWERED = sorted((fx.ecb_rates().currencies() | {"XOF", "XAF", "SAR", "AED", "BHD"}) - {"RUB"})
SINCE_2000 = st.dates(dt.date(2000, 1, 1), dt.date(2026, 10, 30))


ECB_CURRENCIES = sorted(fx.ecb_rates().currencies())


class TestInputs:
    @pytest.mark.parametrize(
        "on",
        [dt.datetime(2022, 6, 9, 12, 0, tzinfo=dt.UTC), "2022-06-09", None],
        ids=["datetime", "str", "none"],
    )
    def test_value_date_must_be_a_date(self, on: object) -> None:
        """A value date that is not a datetime.date is value.type, not a TypeError from inside."""
        with pytest.raises(PledgeDataError) as caught:
            fx.to_usd(Money(Decimal(1), "EUR"), on, BUNDLED)  # type: ignore[arg-type]
        assert ["value.type"] == caught.value.codes

    def test_money_must_be_money(self) -> None:
        """A float in place of Money is value.type, never converted."""
        with pytest.raises(PledgeDataError) as caught:
            fx.to_usd(1.5, dt.date(2022, 6, 9), BUNDLED)  # type: ignore[arg-type]
        assert ["value.type"] == caught.value.codes

    def test_convert_checks_its_date(self) -> None:
        """convert() checks the value date the same way."""
        with pytest.raises(PledgeDataError) as caught:
            fx.convert(Money(Decimal(1), "EUR"), "JPY", "2022-06-09", BUNDLED)  # type: ignore[arg-type]
        assert ["value.type"] == caught.value.codes


class TestRounding:
    TIES = RateTable.from_mapping(
        {"GBP": {dt.date(2022, 6, 9): Decimal("1.25")}}, direction="usd_per_unit", name="t"
    )

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [("0.02", "0.02"), ("0.002", "0.00"), ("0.006", "0.01"), ("0.01", "0.01")],
    )
    def test_half_even_once(self, amount: str, expected: str) -> None:
        """The USD value is rounded once, to cents, half to even (0.0025 to 0.00, 0.0075 to 0.01)."""
        conversion = fx.to_usd(Money(Decimal(amount), "GBP"), dt.date(2022, 6, 9), self.TIES)
        assert Decimal(expected) == conversion.usd.amount
        assert Decimal(amount) * Decimal("1.25") == conversion.usd_exact

    def test_exact_value_is_not_rounded(self) -> None:
        """usd_exact keeps every digit of amount times rate."""
        conversion = fx.to_usd(
            Money(Decimal("0.123456789"), "GBP"), dt.date(2022, 6, 9), self.TIES
        )
        assert Decimal("0.15432098625") == conversion.usd_exact


class TestUsdLegs:
    @given(pst.money(["USD"]), SINCE_2000)
    def test_usd_to_usd(self, money: Money, on: dt.date) -> None:
        """USD converts to USD exactly, at rate 1, whatever the sources know."""
        cross = fx.convert(money, "USD", on, RateTable.from_rates([], name="empty"))
        assert (money.amount, Decimal(1), "identity") == (
            cross.exact,
            cross.to_usd.rate,
            cross.from_usd.rule,
        )


class TestRoundTrips:
    @given(pst.money(ANSWERED, max_value=Decimal(10) ** 15), SINCE_2000)
    def test_there_and_back_through_convert(self, money: Money, on: dt.date) -> None:
        """X to USD to X with convert() returns within one minor unit of X, pegs included."""
        try:
            back = fx.convert(money, money.currency, on, BUNDLED)
        except RateLookupError:
            return
        assert abs(back.exact - money.amount) <= Decimal(1).scaleb(-money.minor_units)
        assert abs(back.result.amount - money.amount) <= Decimal(1).scaleb(-money.minor_units)

    @given(pst.money(ANSWERED, max_value=Decimal(10) ** 15), st.sampled_from(ANSWERED), SINCE_2000)
    def test_cross_records_both_legs(self, money: Money, to: str, on: dt.date) -> None:
        """A cross conversion's legs are to_usd of the money and the target's quote of the same date."""
        try:
            cross = fx.convert(money, to, on, BUNDLED)
        except RateLookupError:
            return
        assert fx.to_usd(money, on, BUNDLED) == cross.to_usd
        assert (to, on) == (cross.from_usd.currency, cross.from_usd.on)
        with decimal.localcontext(decimal.Context(prec=100)):
            back_in_usd = cross.exact * cross.from_usd.usd_per_unit
        assert abs(back_in_usd - cross.to_usd.usd_exact) < Decimal("1e-30")


class TestTheRuleName:
    """``rule`` is the one name of the rule of a conversion; ``method`` (0.1) still works, warned."""

    def conversion(self) -> fx.Conversion:
        return fx.to_usd(Money(Decimal(100), "EUR"), dt.date(2022, 6, 9), fx.bundled_rates())

    def test_rule_everywhere(self) -> None:
        conversion = self.conversion()
        assert conversion.rule == conversion.quote.rule == "on_or_before(7)"

    def test_method_is_deprecated(self) -> None:
        conversion = self.conversion()
        with pytest.warns(DeprecationWarning, match="the name is rule"):
            assert conversion.method == conversion.rule
        with pytest.warns(DeprecationWarning, match="the name is rule"):
            assert conversion.quote.method == conversion.rule

    def test_quote_built_with_the_old_name(self) -> None:
        quote = self.conversion().quote
        fields = {
            "currency": quote.currency,
            "on": quote.on,
            "usd_per_unit": quote.usd_per_unit,
            "rate_date": quote.rate_date,
            "period": quote.period,
            "source": quote.source,
        }
        with pytest.warns(DeprecationWarning, match="the name is rule"):
            old = fx.Quote(**fields, method=quote.rule)  # type: ignore[call-arg]
        assert old == fx.Quote(**fields, rule=quote.rule) == quote
        with (
            pytest.raises(TypeError, match="not both"),
            pytest.warns(DeprecationWarning, match="rule"),
        ):
            fx.Quote(**fields, rule="a", method="b")  # type: ignore[call-arg]


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


class TestConversionProperties:
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
