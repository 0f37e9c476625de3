"""Every public value type pickles, copies and deep-copies to an equal object (issue 14, defect 1).

Values go to other processes (multiprocessing, Dask, Spark) by pickle, and
programs deep-copy what they keep: both must give back what was there.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import fx
from p2c_pledges import strategies as pst
from p2c_pledges.aggregate import Cell
from p2c_pledges.errors import Severity


CURRENCIES = ["EUR", "KES", "USD"]
DAYS = [dt.date(2022, 6, 1) + dt.timedelta(days=offset) for offset in range(3)]
RATES = fx.RateTable.from_mapping(
    {"EUR": dict.fromkeys(DAYS, Decimal("0.93")), "KES": dict.fromkeys(DAYS, Decimal("116.9"))},
    name="test rates",
)


def twins(value: object) -> list[object]:
    """The value through pickle (every protocol), copy and deepcopy."""
    pickled = [
        pickle.loads(pickle.dumps(value, protocol))  # noqa: S301 - our own bytes
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1)
    ]
    return [*pickled, copy.copy(value), copy.deepcopy(value)]


def assert_same(value: object) -> None:
    """Every twin equals the value, and hashes alike when the value is hashable."""
    try:
        expected_hash: int | None = hash(value)
    except TypeError:  # a value that holds a list or a dict (fx's BulkResult) has no hash
        expected_hash = None
    for twin in twins(value):
        assert type(value) is type(twin)
        assert value == twin
        if expected_hash is not None:
            assert expected_hash == hash(twin)


pledges_dated = pst.pledges(currencies=CURRENCIES, announced_between=(DAYS[0], DAYS[-1]))
issues = st.builds(
    p2c.Issue,
    code=st.sampled_from(["text.empty", "currency.unknown"]),
    message=st.text(max_size=20),
    value=st.none() | st.integers() | st.text(max_size=5) | pst.money(),
    path=st.just("$.title"),
    severity=st.sampled_from(Severity),
    file=st.none() | st.text(max_size=5),
    row=st.none() | st.integers(min_value=1, max_value=9),
    column=st.none() | st.text(max_size=5),
)


class TestPickle:
    @given(pst.pledges().flatmap(lambda p: pst.extras().map(lambda e: attrs.evolve(p, extras=e))))
    def test_pledge(self, pledge: p2c.Pledge) -> None:
        """A pledge (with any extras) and its parts come back equal, with equal hashes."""
        assert_same(pledge)
        assert_same(pledge.pledger)
        assert_same(pledge.extras)
        for part in (pledge.amount, *pledge.targets, *pledge.co_pledgers):
            if part is not None:
                assert_same(part)

    @given(pst.pledgers(), pst.targets(), pst.money())
    def test_parts(self, pledger: p2c.Pledger, target: p2c.Target, money: p2c.Money) -> None:
        """Pledger, Target and Money come back equal."""
        for value in (pledger, target, money):
            assert_same(value)

    @given(st.lists(issues, min_size=1, max_size=3))
    def test_issues_and_error(self, found: list[p2c.Issue]) -> None:
        """Issue and PledgeDataError come back equal (the error by its issues and message)."""
        for issue in found:
            assert_same(issue)
        error = p2c.PledgeDataError(found)
        for twin in twins(error):
            assert isinstance(twin, p2c.PledgeDataError)
            assert (error.issues, str(error)) == (twin.issues, str(twin))

    @given(pst.money(currencies=CURRENCIES), st.sampled_from(DAYS))
    def test_conversion_and_quote(self, money: p2c.Money, day: dt.date) -> None:
        """A Conversion and the Quote in it come back equal."""
        conversion = p2c.to_usd(money, day, RATES)
        assert_same(conversion)
        quote = (
            RATES.quote(money.currency, day, fx.DEFAULT_POLICY)
            if money.currency != "USD"
            else None
        )
        if quote is not None:
            assert_same(quote)

    @given(st.lists(pledges_dated, max_size=4, unique_by=lambda pledge: pledge.id))
    def test_normalized_and_summary(self, pledges: list[p2c.Pledge]) -> None:
        """Normalized, Summary and Cell come back equal."""
        assert_same(p2c.normalize(pledges, RATES))
        summary = p2c.summarize(pledges, "focus_area", RATES)
        hash(summary)  # frozen all the way down: assert_same then compares the hashes too
        assert_same(summary)
        assert_same(summary.total)
        assert isinstance(summary.total, Cell)

    def test_rate_table(self) -> None:
        """A RateTable comes back equal: the same name, dropped rows and rates."""
        assert_same(RATES)
        assert RATES != fx.RateTable.from_rates(RATES.rates(), name="other")

    def test_lazy_rate_table(self) -> None:
        """A table built per currency on first use (the ECB's) comes back equal, as its rates."""
        table = fx.RateTable.lazily(["KES"], lambda _: list(RATES.rates())[3:], name="lazy")
        assert_same(table)


def _public_attrs_classes() -> set[type]:
    found = set()
    for module in (p2c, fx):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value) and attrs.has(value):
                found.add(value)
    return found


def _fx_values() -> list[object]:
    """One value of each public attrs class of fx that the tests above do not build."""
    day = DAYS[0]
    kes = p2c.Money(Decimal(1000), "KES")
    try:
        p2c.to_usd(kes, dt.date(2020, 1, 1), RATES)
    except fx.RateLookupError as error:
        lookup_error = error
    return [
        next(iter(RATES.rates())),
        fx.on_or_before(3),
        fx.fixed(Decimal("0.5")) if "fixed" in fx.__all__ else fx.exact(),
        fx.convert(kes, "EUR", day, RATES),
        fx.usd_amounts([Decimal(1), Decimal(2)], ["EUR", "XXX"], [day, day], RATES),
        fx.pegged_rates(RATES),
        next(iter(fx.pegged_rates(RATES).pegs.values())),
        fx.euro_legacy_rates(RATES),
        *fx.ecb_files()[:1],
        lookup_error,
    ]


FX_VALUES = _fx_values()


class TestFx:
    @pytest.mark.parametrize("value", FX_VALUES, ids=lambda value: type(value).__name__)
    def test_comes_back_equal(self, value: object) -> None:
        """Each fx value type comes back equal (an exception: by its issues)."""
        if isinstance(value, Exception):
            for twin in twins(value):
                assert (type(value), value.issues) == (type(twin), twin.issues)  # type: ignore[attr-defined]
        else:
            assert_same(value)

    def test_every_public_class_is_pickled_here(self) -> None:
        """Each public attrs class of p2c_pledges and p2c_pledges.fx has a pickle test in this module."""
        covered = {
            p2c.Pledge, p2c.Pledger, p2c.Target, p2c.Money, p2c.Issue, p2c.PledgeDataError,
            p2c.Conversion, fx.Quote, p2c.Normalized, p2c.Summary,
        } | {type(value) for value in FX_VALUES}  # fmt: skip
        assert set() == _public_attrs_classes() - covered
