"""Tests of Money."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import (
    CurrencyMismatchError,
    Money,
    PledgeDataError,
)
from p2c_pledges import strategies as pst
from p2c_pledges.money import LARGEST_AMOUNT, rounded, withdrawn_on


def issue_of(error: pytest.ExceptionInfo[PledgeDataError]) -> tuple[str, str]:
    (issue,) = error.value.issues
    return issue.code, issue.path


class TestConstruction:
    @pytest.mark.parametrize("amount", [0.1, 1.0, math.nan])
    def test_float_is_an_error(self, amount: float) -> None:
        """A float amount is value.float_money, never converted."""
        with pytest.raises(PledgeDataError, match="is a float") as caught:
            Money(amount, "USD")  # type: ignore[arg-type]
        assert ("value.float_money", "$.amount") == issue_of(caught)

    @pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
    def test_not_finite(self, amount: str) -> None:
        """NaN and infinity are value.not_finite."""
        with pytest.raises(PledgeDataError) as caught:
            Money(Decimal(amount), "USD")
        assert ("value.not_finite", "$.amount") == issue_of(caught)

    @pytest.mark.parametrize("amount", ["12", None, True])
    def test_wrong_type(self, amount: object) -> None:
        """A string, None or a bool is value.type naming the type."""
        with pytest.raises(PledgeDataError, match=type(amount).__name__) as caught:
            Money(amount, "USD")  # type: ignore[arg-type]
        assert ("value.type", "$.amount") == issue_of(caught)

    def test_int_is_exact(self) -> None:
        """An int becomes the equal Decimal."""
        assert Decimal(155_000_000) == Money(155_000_000, "EUR").amount

    @pytest.mark.parametrize("amount", ["1E+20", "0.0000000000000000001", "123456789012345678901"])
    def test_out_of_range(self, amount: str) -> None:
        """Amounts beyond 20 integer digits or 18 decimals are value.out_of_range."""
        with pytest.raises(PledgeDataError) as caught:
            Money(Decimal(amount), "USD")
        assert ("value.out_of_range", "$.amount") == issue_of(caught)

    def test_lower_case_currency(self) -> None:
        """A lower-case code is currency.unknown and suggests the upper-case one."""
        with pytest.raises(PledgeDataError, match="did you mean 'USD'") as caught:
            Money(Decimal(1), "usd")
        assert ("currency.unknown", "$.currency") == issue_of(caught)

    @pytest.mark.parametrize("code", ["XYZ", "", "EURO", "US$"])
    def test_unknown_currency(self, code: str) -> None:
        """A code babel does not know is currency.unknown naming it."""
        with pytest.raises(PledgeDataError, match=re.escape(repr(code))):
            Money(Decimal(1), code)

    def test_currency_not_a_string(self) -> None:
        """A currency that is not a string is value.type."""
        with pytest.raises(PledgeDataError) as caught:
            Money(Decimal(1), 840)  # type: ignore[arg-type]
        assert ("value.type", "$.currency") == issue_of(caught)


# Half the largest amount, so that sums of two stay within the limits.
HALF = Decimal(10) ** 19
EXACT = decimal.Context(prec=100, traps=[decimal.Inexact])


class TestArithmetic:
    @given(pst.money(["EUR"], max_value=HALF), pst.money(["EUR"], max_value=HALF))
    def test_addition_is_exact(self, a: Money, b: Money) -> None:
        """Sums within one currency are exact and commutative."""
        assert EXACT.add(a.amount, b.amount) == (a + b).amount
        assert a + b == b + a

    @given(pst.money(["EUR"], max_value=HALF), pst.money(["EUR"], max_value=HALF))
    def test_subtraction_inverts_addition(self, a: Money, b: Money) -> None:
        """(a + b) - b == a."""
        assert a == (a + b) - b

    @given(pst.money(["JPY"], max_value=Decimal(10) ** 16), st.integers(0, 1000))
    def test_multiplication_by_int(self, a: Money, factor: int) -> None:
        """Multiplying by an int is exact and commutes."""
        assert EXACT.multiply(a.amount, factor) == (a * factor).amount
        assert a * factor == factor * a

    def test_mixing_currencies(self) -> None:
        """Adding or comparing two currencies raises CurrencyMismatchError naming both."""
        usd, eur = Money(Decimal(1), "USD"), Money(Decimal(1), "EUR")
        with pytest.raises(CurrencyMismatchError, match="USD 1 and EUR 1"):
            usd + eur
        with pytest.raises(CurrencyMismatchError):
            usd < eur  # noqa: B015

    def test_different_currencies_are_unequal(self) -> None:
        """Equality across currencies is simply False."""
        assert Money(Decimal(1), "USD") != Money(Decimal(1), "EUR")

    def test_product_beyond_the_limits(self) -> None:
        """A product beyond the amount limits is value.out_of_range, not a rounded amount."""
        with pytest.raises(PledgeDataError, match=r"value\.out_of_range"):
            Money(Decimal(10) ** 19, "USD") * 10

    def test_float_factor_is_refused(self) -> None:
        """Multiplying by a float is a TypeError: it would make a float money."""
        with pytest.raises(TypeError):
            Money(Decimal(1), "USD") * 1.5  # type: ignore[operator]

    @given(pst.money(["USD"]), pst.money(["USD"]))
    def test_ordering_matches_amounts(self, a: Money, b: Money) -> None:
        """Ordering within a currency is the ordering of the amounts."""
        assert (a.amount < b.amount) == (a < b)
        assert (a.amount >= b.amount) == (a >= b)

    def test_neg_and_abs(self) -> None:
        """Negation and absolute value keep the currency."""
        assert Money(Decimal(-5), "CHF") == -Money(Decimal(5), "CHF")
        assert Money(Decimal(5), "CHF") == abs(Money(Decimal(-5), "CHF"))


class TestQuantize:
    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [
            ("2.675", "USD", "2.68"),
            ("2.665", "USD", "2.66"),
            ("2.5", "JPY", "2"),
            ("3.5", "JPY", "4"),
            ("1.23456", "BHD", "1.235"),
            ("7", "USD", "7.00"),
        ],
    )
    def test_half_even_to_minor_units(self, amount: str, currency: str, expected: str) -> None:
        """Rounding goes to babel's minor units, half to even."""
        assert expected == str(Money(Decimal(amount), currency).quantize().amount)

    @given(pst.money())
    def test_within_half_a_minor_unit(self, money: Money) -> None:
        """Quantizing moves an amount by at most half a minor unit, and is idempotent."""
        rounded = money.quantize()
        assert abs(rounded.amount - money.amount) <= Decimal(1).scaleb(-money.minor_units) / 2
        assert rounded == rounded.quantize()

    def test_rounding_up_past_the_input_limit(self) -> None:
        """Twenty nines and a half round to 21 digits: a derived value, not refused."""
        money = Money(Decimal("99999999999999999999.995"), "USD")
        assert Decimal("100000000000000000000.00") == money.quantize().amount


class TestRounded:
    @given(
        exact=st.decimals(allow_nan=False, allow_infinity=False, places=40).filter(
            lambda value: abs(value) < Decimal(10) ** 60
        )
    )
    def test_any_size_within_half_a_cent(self, exact: Decimal) -> None:
        """A computed value of any size rounds to cents, half to even, within half a cent."""
        result = rounded(exact, "USD")
        assert "USD" == result.currency
        assert abs(result.amount - exact) <= Decimal("0.005")
        assert -2 == result.amount.as_tuple().exponent

    def test_not_finite_or_unknown_currency(self) -> None:
        """Infinity and unknown codes are still refused."""
        with pytest.raises(PledgeDataError) as caught:
            rounded(Decimal("Infinity"), "usd")
        assert ["currency.unknown", "value.not_finite"] == caught.value.codes


class TestValueObject:
    @given(pst.money())
    def test_hash_follows_equality(self, money: Money) -> None:
        """Equal Money values hash equally and are frozen."""
        twin = Money(money.amount, money.currency)
        assert twin == money
        assert hash(twin) == hash(money)
        with pytest.raises(AttributeError):
            money.amount = Decimal(0)  # type: ignore[misc]

    def test_str(self) -> None:
        """str() shows the code and the exact amount."""
        assert "EUR 155000000.00" == str(Money(Decimal("155000000.00"), "EUR"))


class TestNotMoneyAndWithdrawn:
    @pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "CLF", "XBA"])
    def test_not_money_is_refused(self, code: str) -> None:
        """ISO codes that are no money for a pledge are refused with currency.not_money."""
        with pytest.raises(PledgeDataError) as caught:
            Money(Decimal(1), code)
        assert ["currency.not_money"] == caught.value.codes

    @pytest.mark.parametrize("code", ["XDR", "XUA", "DEM", "HRK"])
    def test_units_of_account_and_old_currencies_are_money(self, code: str) -> None:
        """SDR, the AfDB unit of account and withdrawn currencies are still Money."""
        assert code == Money(Decimal(1), code).currency

    @pytest.mark.parametrize(
        ("code", "ended"),
        [
            ("DEM", dt.date(2002, 5, 15)),
            ("HRK", dt.date(2023, 1, 14)),
            ("ANG", dt.date(2025, 6, 30)),
            ("USD", None),
            ("XCG", None),
        ],
    )
    def test_withdrawn_on(self, code: str, ended: dt.date | None) -> None:
        """The withdrawal day comes from babel's currency data; a current currency has none."""
        assert ended == withdrawn_on(code)


class TestMoneyHostileContext:
    @given(pst.money(["USD", "JPY", "KWD"]), st.integers(-1000, 1000))
    def test_arithmetic_ignores_the_callers_context(self, money: Money, factor: int) -> None:
        """Every Money operation gives under a 3-digit, Inexact-trapping context what it gives by default."""

        def outcome(operation: Callable[[], object]) -> object:
            # A result beyond the amount limits (twice the largest amount) must be
            # refused alike in both contexts.
            try:
                return operation()
            except PledgeDataError as error:
                return error.codes

        def results() -> list[object]:
            return [
                outcome(operation)
                for operation in (
                    lambda: money + money,
                    lambda: money - money,
                    lambda: money * factor,
                    lambda: -money,
                    lambda: abs(money),
                    money.quantize,
                    lambda: money <= abs(money),
                    lambda: Money.parse(f"{money.amount:f} {money.currency}"),
                )
            ]

        expected = results()
        hostile = decimal.Context(prec=3, traps=[decimal.Inexact, decimal.Rounded])
        with decimal.localcontext(hostile):
            assert expected == results()


class TestMoneyExactness:
    def test_negation_and_abs_keep_every_digit(self) -> None:
        """-x and abs(x) are exact for a 38-digit amount."""
        amount = Decimal("12345678901234567890.123456789012345678")
        assert amount.copy_negate() == (-Money(amount, "USD")).amount
        assert amount == abs(Money(amount.copy_negate(), "USD")).amount

    def test_quantize_ignores_the_callers_context(self) -> None:
        """quantize() rounds the same under a caller's low precision."""
        with decimal.localcontext(decimal.Context(prec=5, rounding=decimal.ROUND_DOWN)):
            assert Decimal("123456.79") == Money(Decimal("123456.789"), "USD").quantize().amount

    @pytest.mark.parametrize("factor", [Decimal("1E+999999999"), Decimal("1." + "1" * 70)])
    def test_product_out_of_range(self, factor: Decimal) -> None:
        """A product that cannot be exact is value.out_of_range, not a decimal exception."""
        with pytest.raises(PledgeDataError, match=r"value\.out_of_range"):
            Money(Decimal(1), "USD") * factor

    def test_ordering_with_other_types(self) -> None:
        """Comparing Money with a number is Python's TypeError, not an AttributeError."""
        with pytest.raises(TypeError):
            Money(Decimal(1), "USD") < 1  # type: ignore[operator]  # noqa: B015


class TestArithmeticErrors:
    @pytest.mark.parametrize(
        "operation",
        [
            lambda m: m + 0.1,
            lambda m: 0.1 + m,
            lambda m: m - 0.1,
            lambda m: 0.1 - m,
            lambda m: m * 0.5,
            lambda m: 0.5 * m,
        ],
        ids=["m + f", "f + m", "m - f", "f - m", "m * f", "f * m"],
    )
    def test_float_operand_says_why(self, operation: Callable[[Money], object]) -> None:
        """A float operand, either side, is a TypeError that says a float is never money."""
        with pytest.raises(TypeError, match=r"float is never money|float has already lost"):
            operation(Money(Decimal(1), "USD"))

    def test_sum_says_where_to_start(self) -> None:
        """sum() of moneys without a start says to start from Money(0, currency)."""
        with pytest.raises(TypeError, match=re.escape("start from Money(0, 'USD')")):
            sum([Money(Decimal(1), "USD")])
        assert Money(Decimal(3), "USD") == sum(
            [Money(Decimal(1), "USD"), Money(Decimal(2), "USD")], Money(Decimal(0), "USD")
        )

    @pytest.mark.parametrize("factor", ["NaN", "sNaN", "-Infinity"])
    def test_factor_not_finite(self, factor: str) -> None:
        """A NaN, signalling NaN or infinite factor is value.not_finite naming the factor."""
        with pytest.raises(PledgeDataError, match=re.escape(factor)) as caught:
            Money(Decimal(1), "USD") * Decimal(factor)
        assert ["value.not_finite"] == caught.value.codes


class TestSignedZero:
    @given(pst.money(["USD", "JPY", "BHD"]))
    def test_results_are_never_negative_zero(self, money: Money) -> None:
        """Negation and rounding never give a negative zero (no "USD -0.00")."""
        for result in (-money, money.quantize(), (-money).quantize()):
            assert not (result.amount.is_zero() and result.amount.is_signed())

    def test_small_negative_rounds_to_zero(self) -> None:
        """USD -0.004 rounds to USD 0.00, written without a sign."""
        assert "USD 0.00" == str(Money(Decimal("-0.004"), "USD").quantize())
        assert "USD 0" == str(-Money(Decimal(0), "USD"))

    def test_negative_zero_equals_zero(self) -> None:
        """A -0 amount given is kept as written, and equals and hashes as 0."""
        negative = Money(Decimal("-0"), "USD")
        assert (negative, hash(negative)) == (
            Money(Decimal(0), "USD"),
            hash(Money(Decimal(0), "USD")),
        )


class TestRoundedLimits:
    @pytest.mark.parametrize("exact", ["1E+999999", "1E+999999999", "-1E+200"])
    def test_huge_value_is_out_of_range(self, exact: str) -> None:
        """A value of 200 digits or more is value.out_of_range, not a decimal exception."""
        with pytest.raises(PledgeDataError) as caught:
            rounded(Decimal(exact), "USD")
        assert ["value.out_of_range"] == caught.value.codes

    def test_large_derived_value_is_rounded(self) -> None:
        """A value of 199 digits, far beyond the input limits, is still rounded."""
        assert Decimal("9" * 199 + ".00") == rounded(Decimal("9" * 199 + ".004"), "USD").amount


class TestLargestAmount:
    def test_the_largest_amount_is_the_last_the_limits_hold(self) -> None:
        """LARGEST_AMOUNT is a Money; the next amount up, at the finest scale, is refused."""
        assert LARGEST_AMOUNT == Money(LARGEST_AMOUNT, "USD").amount
        with pytest.raises(PledgeDataError):
            Money(LARGEST_AMOUNT + Decimal("1E-18"), "USD")
