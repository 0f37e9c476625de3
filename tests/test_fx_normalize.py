"""Tests of normalize() over pledges and of the bulk path usd_amounts()."""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import Money, PledgeDataError, fx
from p2c_pledges import strategies as pst
from p2c_pledges.fx import RateLookupError


BUNDLED = fx.bundled_rates()
CURRENCIES = ["EUR", "JPY", "KES", "XOF", "USD", "SAR"]
PLEDGES = st.lists(
    pst.pledges(
        currencies=CURRENCIES, announced_between=(dt.date(2021, 9, 1), dt.date(2025, 12, 31))
    ),
    max_size=8,
)
BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "bench_fx.py"


def pledge(amount: Money | None, *, value_date: dt.date | None = None) -> p2c.Pledge:
    return p2c.Pledge(
        id=f"P-{amount}",
        title="A pledge",
        pledger=p2c.Pledger(name="A pledger", sector=p2c.Sector.GOVERNMENT, country="GH"),
        pledge_types=[p2c.PledgeType.FINANCIAL],
        focus_areas=[p2c.FocusArea.ACCESS],
        announced_on=dt.date(2022, 6, 12),
        amount=amount,
        value_date=value_date,
    )


class TestNormalize:
    @given(PLEDGES)
    def test_every_pledge_is_accounted_for(self, pledges: list[p2c.Pledge]) -> None:
        """Each pledge with an amount has a conversion or a reason, never both, never neither."""
        result = p2c.normalize(pledges, BUNDLED)
        assert len(pledges) == len(result)
        for item in result:
            if item.pledge.amount is None:
                assert (None, None) == (item.conversion, item.reason)
            else:
                assert (item.conversion is None) != (item.reason is None)

    @given(PLEDGES)
    def test_value_date_else_announcement(self, pledges: list[p2c.Pledge]) -> None:
        """The value date is used when given, else the announcement date, and the entry says which."""
        for item in p2c.normalize(pledges, BUNDLED):
            expected = "value_date" if item.pledge.value_date is not None else "announced_on"
            assert (expected, item.pledge.conversion_date) == (item.date_from, item.date_used)
            if item.conversion is not None:
                assert item.date_used == item.conversion.on

    @given(PLEDGES)
    def test_agrees_with_to_usd(self, pledges: list[p2c.Pledge]) -> None:
        """Each conversion is exactly what to_usd gives for the pledge's amount and date."""
        for item in p2c.normalize(pledges, BUNDLED):
            if item.conversion is not None and item.pledge.amount is not None:
                assert fx.to_usd(item.pledge.amount, item.date_used, BUNDLED) == item.conversion

    def test_one_bad_pledge_does_not_stop_the_batch(self) -> None:
        """A KES pledge records its reason; the EUR pledge beside it converts."""
        result = p2c.normalize(
            [pledge(Money(Decimal(100), "KES")), pledge(Money(Decimal(100), "EUR"))], BUNDLED
        )
        assert (1, 1) == (len(result.converted), len(result.failures))
        (failure,) = result.failures
        assert failure.reason is not None
        assert "KES" in failure.reason

    def test_strict_raises_with_every_failure(self) -> None:
        """With strict=True the failures raise together, each located by the pledge's index."""
        pledges = [
            pledge(Money(Decimal(1), "KES")),
            pledge(Money(Decimal(1), "EUR")),
            pledge(Money(Decimal(1), "RUB")),
        ]
        with pytest.raises(PledgeDataError) as caught:
            p2c.normalize(pledges, BUNDLED, strict=True)
        assert [
            ("rate.no_source", "$.pledges[0].amount.currency"),
            ("rate.missing", "$.pledges[2].amount.currency"),
        ] == [(issue.code, issue.path) for issue in caught.value.issues]

    def test_total_is_rounded_once(self) -> None:
        """Three half cents total one cent after an exact sum, where rounding each would give none."""
        pledges = [
            pledge(Money(Decimal("0.005"), "USD"), value_date=dt.date(2022, 6, i))
            for i in (1, 2, 3)
        ]
        result = p2c.normalize(pledges, BUNDLED)
        assert Decimal("0.00") == sum(
            item.conversion.usd.amount for item in result.converted if item.conversion
        )
        assert (Decimal("0.015"), Money(Decimal("0.02"), "USD")) == (
            result.total_exact,
            result.total,
        )

    @given(st.lists(pst.money(["JPY", "CHF", "XOF"], max_value=Decimal(10) ** 12), max_size=12))
    def test_total_is_exact(self, amounts: list[Money]) -> None:
        """total_exact is the exact sum of the unrounded values, however many digits they have."""
        result = p2c.normalize(
            [pledge(money, value_date=dt.date(2022, 6, 10)) for money in amounts], BUNDLED
        )
        with decimal.localcontext(decimal.Context(prec=200)):
            expected = sum(
                (item.conversion.usd_exact for item in result.converted if item.conversion),
                Decimal(0),
            )
        assert expected == result.total_exact


class TestOutputsOfAnySize:
    def test_largest_bhd_amount_converts_and_totals(self) -> None:
        """BHD 99999999999999999999 (valid input) has a 21-digit USD value, which every output gives."""
        big = pledge(Money(Decimal(99999999999999999999), "BHD"))
        conversion = fx.to_usd(big.amount, big.conversion_date, BUNDLED)  # type: ignore[arg-type]
        expected = conversion.usd_exact.quantize(Decimal("0.01"), context=decimal.Context(prec=60))
        assert 21 == len(str(expected).split(".")[0])
        assert expected == conversion.usd.amount
        normalized = p2c.normalize([big], BUNDLED)
        assert expected == normalized.total.amount
        assert str(expected) == normalized.records()[0]["usd"]
        summary = p2c.summarize([big], "focus_area", BUNDLED)
        assert (expected, expected) == (
            summary.total.usd_rounded.amount,
            summary.cells[0].usd_rounded.amount,
        )


class TestBulk:
    def test_failures_are_reasons(self) -> None:
        """An amount that cannot convert is None with its reason; the others convert."""
        on = dt.date(2022, 6, 10)
        result = fx.usd_amounts([Decimal(100), Decimal(100)], ["EUR", "KES"], [on, on], BUNDLED)
        assert Decimal("105.7800") == result.usd[0]
        assert None is result.usd[1]
        assert "KES" in result.errors[1]

    def test_one_quote_per_currency_and_date(self) -> None:
        """The provenance of a batch is one quote per (currency, date), not one per amount."""
        on = dt.date(2022, 6, 10)
        result = fx.usd_amounts([Decimal(1)] * 1000, ["EUR", "JPY"] * 500, [on] * 1000, BUNDLED)
        assert {("EUR", on), ("JPY", on)} == set(result.quotes)

    def test_benchmark_runs(self) -> None:
        """The benchmark script runs at a small size and prints its ratio (no time is asserted)."""
        finished = subprocess.run(
            [sys.executable, str(BENCHMARK), "2000", "1"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        assert "ratio:" in finished.stdout


HOSTILE_CONTEXTS = [
    decimal.Context(prec=6),
    decimal.Context(prec=28, traps=[decimal.Inexact, decimal.Rounded]),
    decimal.Context(prec=3, rounding=decimal.ROUND_UP),
    decimal.Context(prec=28, rounding=decimal.ROUND_FLOOR, Emax=10, Emin=-10),
]


class TestHostileContext:
    @pytest.mark.parametrize("context", HOSTILE_CONTEXTS, ids=repr)
    @given(st.lists(pst.money(["JPY", "CHF", "XOF"], max_value=Decimal(10) ** 12), max_size=6))
    def test_results_do_not_depend_on_the_callers_context(
        self, context: decimal.Context, amounts: list[Money]
    ) -> None:
        """normalize, total_exact and total give under any context what they give by default."""
        pledges = [pledge(money, value_date=dt.date(2022, 6, 10)) for money in amounts]
        expected = p2c.normalize(pledges, BUNDLED)
        with decimal.localcontext(context):
            result = p2c.normalize(pledges, BUNDLED)
            actual = (result.items, result.total_exact, result.total)
        assert (expected.items, expected.total_exact, expected.total) == actual


class TestUsdAmounts:
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
