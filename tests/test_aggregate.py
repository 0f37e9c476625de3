"""Tests of grouping, allocation, cumulative series and target totals."""

from __future__ import annotations

import datetime as dt
import decimal
import random
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import pledge
from p2c_pledges import (
    CountryGroup,
    FocusArea,
    Metric,
    Money,
    Pledger,
    Region,
    Sector,
    Target,
    fx,
)
from p2c_pledges import strategies as pst
from p2c_pledges.aggregate import (
    Unconverted,
    cumulate,
    cumulative,
    group,
    split_evenly,
    summarize,
    target_totals,
)
from p2c_pledges.model import Pledge
from p2c_pledges.query import Dimension, query, values_of


TWO_AREAS = pledge(
    id="two",
    focus_areas=[FocusArea.ACCESS, FocusArea.ADOPTION],
    amount=Money(Decimal("100.01"), "USD"),
)
ONE_AREA = pledge(id="one", amount=Money(Decimal(50), "USD"))
NO_AMOUNT = pledge(id="none", amount=None, focus_areas=[FocusArea.ADOPTION])
SAMPLE = Path(str(files("p2c_pledges") / "data" / "sample_pledges.json"))


def usd_of(pledges: list[Pledge]) -> list[Decimal | None]:
    """Treat every amount as if it were USD already (grouping does not care)."""
    return [p.amount.amount if p.amount is not None else None for p in pledges]


class TestSplitEvenly:
    def test_many_digits_stay_exact(self) -> None:
        """A 60-digit value splits exactly (the default 28-digit context would round it)."""
        value = Decimal("123456789012345678901234567890.123456789012345678901234567891")
        shares = split_evenly(value, 3)
        with decimal.localcontext(decimal.Context(prec=200)):
            assert value == sum(shares, Decimal(0))

    def test_remainder_to_the_first(self) -> None:
        """100.01 in two is 50.01 and 50.00."""
        assert [Decimal("50.01"), Decimal("50.00")] == split_evenly(Decimal("100.01"), 2)

    @given(
        st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
        st.integers(1, 17),
    )
    def test_shares_add_up_exactly(self, value: Decimal, parts: int) -> None:
        """Shares add up exactly to the value and differ by at most one unit."""
        shares = split_evenly(value, parts)
        assert value == sum(shares, Decimal(0))
        assert len(shares) == parts
        assert max(shares) - min(shares) <= Decimal(1).scaleb(
            min(int(value.as_tuple().exponent), 0)
        )


class TestGroup:
    def test_full_allocation_overlaps(self) -> None:
        """With full allocation each group holds the whole value, and the summary says so."""
        pledges = [TWO_AREAS, ONE_AREA, NO_AMOUNT]
        summary = group(pledges, usd_of(pledges), {}, [Dimension.FOCUS_AREA], "full")
        access, adoption = summary.cells
        assert ((FocusArea.ACCESS,), Decimal("150.01"), 2) == (
            access.key,
            access.usd,
            access.pledges,
        )
        assert (Decimal("100.01"), 2, 1) == (
            adoption.usd,
            adoption.pledges,
            adoption.without_amount,
        )
        assert Decimal("150.01") == summary.total.usd
        assert summary.overlapping

    def test_split_allocation_adds_up(self) -> None:
        """With split allocation the groups add up to the grand total."""
        pledges = [TWO_AREAS, ONE_AREA]
        summary = group(pledges, usd_of(pledges), {}, [Dimension.FOCUS_AREA], "split")
        assert [Decimal("100.01"), Decimal("50.00")] == [c.usd for c in summary.cells]
        assert not summary.overlapping

    def test_unconverted_reported_in_its_cells(self) -> None:
        """A pledge that could not be converted is listed with its reason, not counted as zero."""
        kes = pledge(id="kes", amount=Money(Decimal(1000), "KES"))
        failure = Unconverted(pledge_id="kes", amount=kes.amount, reason="no rate for KES")
        summary = group([kes], [None], {0: failure}, [Dimension.FOCUS_AREA], "full")
        (cell,) = summary.cells
        assert (failure,) == cell.unconverted
        assert {"KES": Decimal(1000)} == cell.by_currency
        assert (failure,) == summary.total.unconverted

    def test_joint_pledge_counts_once_in_total(self) -> None:
        """A joint pledge counts once in the total and in each pledger's cell."""
        partner = Pledger(name="Partner", sector=Sector.PRIVATE_SECTOR)
        joint = attrs.evolve(ONE_AREA, co_pledgers=[partner])
        summary = group([joint], usd_of([joint]), {}, [Dimension.PLEDGER], "split")
        assert (1, 2, Decimal(50)) == (
            summary.total.pledges,
            summary.total.pledgers,
            summary.total.usd,
        )
        assert [Decimal(25), Decimal(25)] == [c.usd for c in summary.cells]

    def test_ungrouped(self) -> None:
        """Pledges with no value on a dimension are in the total and in ungrouped."""
        summary = group(
            [ONE_AREA], usd_of([ONE_AREA]), {}, [Dimension.BENEFICIARY_COUNTRY], "full"
        )
        assert () == summary.cells
        assert 1 == summary.ungrouped.pledges

    def test_two_dimensions(self) -> None:
        """Grouping by two dimensions keys cells by pairs."""
        summary = group(
            [TWO_AREAS], usd_of([TWO_AREAS]), {}, [Dimension.FOCUS_AREA, Dimension.SECTOR], "full"
        )
        assert [
            (FocusArea.ACCESS, Sector.GOVERNMENT),
            (FocusArea.ADOPTION, Sector.GOVERNMENT),
        ] == [c.key for c in summary.cells]

    def test_rounded_once(self) -> None:
        """Totals are rounded once, half to even."""
        halves = [pledge(id=str(i), amount=Money(Decimal("0.005"), "USD")) for i in range(3)]
        summary = group(halves, usd_of(halves), {}, [Dimension.STATUS], "full")
        assert Money(Decimal("0.02"), "USD") == summary.total.usd_rounded


DIMENSIONS = st.sampled_from(list(Dimension))


class TestProperties:
    @given(pst.pledge_lists(), DIMENSIONS)
    def test_split_groups_add_up(self, pledges: list[Pledge], dimension: Dimension) -> None:
        """With split allocation, cells plus ungrouped add up exactly to the grand total."""
        summary = group(pledges, usd_of(pledges), {}, [dimension], "split")
        with decimal.localcontext(decimal.Context(prec=200)):
            assert summary.total.usd == sum((c.usd for c in summary.cells), summary.ungrouped.usd)

    @given(pst.pledge_lists(), DIMENSIONS)
    def test_full_cell_is_sum_over_its_pledges(
        self, pledges: list[Pledge], dimension: Dimension
    ) -> None:
        """With full allocation each cell equals the sum over the pledges filtered into it."""
        summary = group(pledges, usd_of(pledges), {}, [dimension], "full")
        for cell in summary.cells:
            members = [p for p in pledges if cell.key[0] in values_of(p, dimension)]
            with decimal.localcontext(decimal.Context(prec=200)):
                expected = sum((v for v in usd_of(members) if v is not None), Decimal(0))
            assert expected == cell.usd
            assert len(members) == cell.pledges

    @given(pst.pledge_lists(), DIMENSIONS, st.randoms(use_true_random=False))
    def test_shuffle_invariant(
        self, pledges: list[Pledge], dimension: Dimension, rng: random.Random
    ) -> None:
        """Counts and totals do not depend on the order of the input."""
        shuffled = pledges[:]
        rng.shuffle(shuffled)
        first = group(pledges, usd_of(pledges), {}, [dimension], "split")
        second = group(shuffled, usd_of(shuffled), {}, [dimension], "split")
        assert [(c.key, c.pledges, c.pledgers) for c in first.cells] == [
            (c.key, c.pledges, c.pledgers) for c in second.cells
        ]
        assert first.total.usd == second.total.usd

    @given(pst.pledge_lists(), st.sampled_from(FocusArea))
    def test_filter_then_summarize(self, pledges: list[Pledge], area: FocusArea) -> None:
        """Filtering then summarizing equals summarizing then picking the group."""
        picked = group(pledges, usd_of(pledges), {}, [Dimension.FOCUS_AREA], "full").cell(area)
        filtered = query(pledges, focus_areas=[area])
        total = group(filtered, usd_of(filtered), {}, [Dimension.FOCUS_AREA], "full").total
        if picked is None:
            assert 0 == total.pledges
        else:
            assert (picked.pledges, picked.usd, picked.by_currency) == (
                total.pledges,
                total.usd,
                total.by_currency,
            )


class TestHostileContext:
    @pytest.mark.parametrize(
        "context",
        [decimal.Context(prec=3), decimal.Context(traps=[decimal.Inexact, decimal.Rounded])],
        ids=["prec3", "inexact-trapped"],
    )
    def test_rounded_totals_ignore_the_callers_context(self, context: decimal.Context) -> None:
        """usd_rounded of a cell and of a cumulative point is the same under any context."""
        rich = [pledge(id=str(i), amount=Money(Decimal("123456.785"), "USD")) for i in range(3)]
        summary = group(rich, usd_of(rich), {}, [Dimension.STATUS], "full")
        points = cumulate(rich, usd_of(rich))
        with decimal.localcontext(context):
            actual = (summary.total.usd_rounded, points[-1].usd_rounded)
        assert (Money(Decimal("370370.36"), "USD"),) * 2 == actual


class TestCumulate:
    def test_milestones(self) -> None:
        """Counts and values accumulate by announcement date."""
        day1 = pledge(id="1", announced_on=dt.date(2022, 6, 6), amount=Money(Decimal(10), "USD"))
        day2 = pledge(id="2", announced_on=dt.date(2022, 6, 9), amount=Money(Decimal(5), "USD"))
        later = pledge(id="3", announced_on=dt.date(2022, 6, 9), amount=None)
        points = cumulate([later, day2, day1], usd_of([later, day2, day1]))
        assert [(dt.date(2022, 6, 6), 1, Decimal(10)), (dt.date(2022, 6, 9), 3, Decimal(15))] == [
            (p.on, p.pledges, p.usd) for p in points
        ]


class TestTargets:
    def test_fibre_in_km_whatever_the_unit(self) -> None:
        """Miles and metres are summed as kilometres."""
        in_miles = pledge(
            id="a", targets=[Target(metric=Metric.FIBRE_KM, value=Decimal(10), unit="mi")]
        )
        in_metres = pledge(
            id="b", targets=[Target(metric=Metric.FIBRE_KM, value=Decimal(1000), unit="m")]
        )
        total = target_totals([in_miles, in_metres])[Metric.FIBRE_KM]
        assert Decimal("17.09344") == total.magnitude
        assert "kilometer" == str(total.units)

    def test_bandwidth_in_bits_per_second(self) -> None:
        """Gbit/s and Mbit/s are summed in bit/s."""
        fast = pledge(
            id="a", targets=[Target(metric=Metric.BANDWIDTH, value=Decimal(1), unit="Gbit/s")]
        )
        slow = pledge(
            id="b", targets=[Target(metric=Metric.BANDWIDTH, value=Decimal(5), unit="Mbit/s")]
        )
        assert Decimal(1_005_000_000) == target_totals([fast, slow])[Metric.BANDWIDTH].magnitude

    @pytest.mark.parametrize("metric", [Metric.SCHOOLS_CONNECTED])
    def test_absent_metric(self, metric: Metric) -> None:
        """A metric no pledge has is absent."""
        assert metric not in target_totals([ONE_AREA])


#: Contexts a caller may have set: few digits, rounding or inexactness trapped.
HOSTILE_CONTEXTS = [
    decimal.Context(prec=3),
    decimal.Context(traps=[decimal.Inexact]),
    decimal.Context(traps=[decimal.Rounded]),
    decimal.Context(prec=3, rounding=decimal.ROUND_UP, traps=[decimal.Inexact, decimal.Rounded]),
]
HOSTILE_IDS = ["prec3", "inexact-trapped", "rounded-trapped", "prec3-up-both-trapped"]


class TestTargetTotalsContext:
    @pytest.mark.parametrize("context", HOSTILE_CONTEXTS, ids=HOSTILE_IDS)
    def test_sample_totals(self, context: decimal.Context) -> None:
        """The sample's target totals (94,512,413 people connected) are the same under any context."""
        pledges = p2c.load(SAMPLE)
        expected = target_totals(pledges)
        with decimal.localcontext(context):
            actual = target_totals(pledges)
        assert Decimal(94_512_413) == expected[Metric.PEOPLE_CONNECTED].magnitude
        assert _exactly(expected) == _exactly(actual)

    @pytest.mark.parametrize("context", HOSTILE_CONTEXTS, ids=HOSTILE_IDS)
    @pytest.mark.parametrize(
        ("metric", "unit"),
        [
            (Metric.BANDWIDTH, "kbit/h"),  # a division by 3,600: inexact in any precision
            (Metric.FIBRE_KM, "ft"),
            (Metric.FIBRE_KM, "survey_mile"),
        ],
    )
    def test_inexact_conversions(
        self, context: decimal.Context, metric: Metric, unit: str
    ) -> None:
        """A conversion that must round rounds as it does by default, and raises nothing."""
        pledges = [
            pledge(id=str(i), targets=[Target(metric=metric, value=Decimal(value), unit=unit)])
            for i, value in enumerate(["1234567.891", "98765432109876543.21"])
        ]
        expected = target_totals(pledges)
        with decimal.localcontext(context):
            actual = target_totals(pledges)
        assert _exactly(expected) == _exactly(actual)

    @pytest.mark.parametrize("context", HOSTILE_CONTEXTS, ids=HOSTILE_IDS)
    @given(st.lists(pst.pledges(), max_size=4))
    def test_any_pledges(self, context: decimal.Context, pledges: list[Pledge]) -> None:
        """target_totals gives under any context what it gives by default, digit for digit."""
        expected = target_totals(pledges)
        with decimal.localcontext(context):
            actual = target_totals(pledges)
        assert _exactly(expected) == _exactly(actual)


def _exactly(totals: dict[Metric, Any]) -> dict[Metric, tuple[str, str]]:
    # The text of each magnitude: 9.49E+7 and 94512413 differ, and so do 1.0 and 1.00.
    return {metric: (str(q.magnitude), str(q.units)) for metric, q in totals.items()}


class TestSummarize:
    def test_unconvertible_currency_is_reported_not_zero(self) -> None:
        """A pledge in a currency no source knows is listed with its reason in its cell."""
        kes = pledge(id="kes", amount=Money(Decimal(1000), "KES"))
        eur = pledge(id="eur", amount=Money(Decimal(100), "EUR"), announced_on=dt.date(2022, 6, 9))
        summary = summarize([kes, eur], by="focus_area", rates=fx.bundled_rates())
        (cell,) = summary.cells
        (failure,) = cell.unconverted
        assert "kes" == failure.pledge_id
        assert "KES" in failure.reason
        assert "rate.no_source" == failure.code
        assert Decimal("107.43") == cell.usd
        assert {"EUR": Decimal(100), "KES": Decimal(1000)} == cell.by_currency

    def test_records_its_policy_and_sources(self) -> None:
        """A summary says under which policy it converted, and which sources answered."""
        eur = pledge(id="eur", amount=Money(Decimal(100), "EUR"), announced_on=dt.date(2022, 6, 9))
        usd = pledge(id="usd", amount=Money(Decimal(100), "USD"))
        policy = fx.on_or_before(max_days=3)
        summary = summarize([eur, usd], by="focus_area", rates=fx.bundled_rates(), policy=policy)
        expected = sorted(
            {
                fx.to_usd(p.amount, p.conversion_date, fx.bundled_rates(), policy).quote.source
                for p in (eur, usd)
                if p.amount
            }
        )
        assert (policy, tuple(expected)) == (summary.policy, summary.sources)
        assert 2 == len(summary.sources)

    def test_by_name_and_two_dimensions(self) -> None:
        """Dimensions are given by name; two are allowed, three are not."""
        summary = summarize([ONE_AREA], by=["focus_area", "sector"], rates=fx.bundled_rates())
        assert (Dimension.FOCUS_AREA, Dimension.SECTOR) == summary.by
        with pytest.raises(ValueError, match="one or two"):
            summarize([ONE_AREA], by=["focus_area", "sector", "sdg"], rates=fx.bundled_rates())
        with pytest.raises(ValueError, match="'colour'"):
            summarize([ONE_AREA], by="colour", rates=fx.bundled_rates())

    def test_cumulative(self) -> None:
        """The cumulative series converts with the same rules."""
        eur = pledge(id="eur", amount=Money(Decimal(100), "EUR"), announced_on=dt.date(2022, 6, 9))
        (point,) = cumulative([eur], fx.bundled_rates())
        assert (1, Decimal("107.43")) == (point.pledges, point.usd)


class TestBeneficiaryGroups:
    def test_group_pledge_is_its_own_row(self) -> None:
        """A pledge to the LDCs is one row by country and by region, not spread over members."""
        ldc = pledge(
            id="ldc",
            amount=Money(Decimal(155), "USD"),
            beneficiary_groups=[CountryGroup.LDC],
        )
        haiti = pledge(id="ht", amount=Money(Decimal(10), "USD"), beneficiary_countries=["HT"])
        pledges = [ldc, haiti]
        for dimension, named in (
            (Dimension.BENEFICIARY_COUNTRY, "HT"),
            (Dimension.BENEFICIARY_REGION, Region.AMERICAS),
        ):
            summary = group(pledges, usd_of(pledges), {}, [dimension], "split")
            assert [((named,), Decimal(10)), ((CountryGroup.LDC,), Decimal(155))] == [
                (cell.key, cell.usd) for cell in summary.cells
            ]

    @given(pst.pledge_lists(), st.sampled_from(CountryGroup))
    def test_group_row_holds_the_pledges_naming_it(
        self, pledges: list[Pledge], wanted: CountryGroup
    ) -> None:
        """The group's row by beneficiary country counts exactly the pledges that name the group."""
        summary = group(pledges, usd_of(pledges), {}, [Dimension.BENEFICIARY_COUNTRY], "full")
        counted = {cell.key: cell.pledges for cell in summary.cells}
        naming = [p for p in pledges if wanted in p.beneficiary_groups]
        assert len(naming) == counted.get((wanted,), 0)


class TestSummaryCounts:
    def test_repeated_ids_still_count(self) -> None:
        """Three pledges sharing an id count as three, with their amounts and gaps."""
        values = [
            pledge(id="x", amount=Money(Decimal(10), "USD")),
            pledge(id="x", amount=None),
            pledge(id="x", amount=Money(Decimal(5), "USD")),
        ]
        total = summarize(values, by="focus_area", rates=fx.bundled_rates()).total
        assert (3, Decimal(15), 1) == (total.pledges, total.usd, total.without_amount)


class TestSplitRefuses:
    @pytest.mark.parametrize(
        ("value", "parts"), [(Decimal(1), 0), (Decimal(1), -1), (Decimal("NaN"), 2)]
    )
    def test_split_refuses(self, value: Decimal, parts: int) -> None:
        """split_evenly refuses what it cannot split exactly, and never loses the value."""
        with pytest.raises(ValueError, match="split"):
            split_evenly(value, parts)


class TestSummaryIsFrozen:
    def test_by_currency_cannot_change(self) -> None:
        """A cell's amounts per currency are read-only: the frozen summary stays as computed."""
        summary = summarize([TWO_AREAS, ONE_AREA], "focus_area", fx.bundled_rates())
        with pytest.raises(TypeError):
            summary.total.by_currency["USD"] = Decimal(0)  # type: ignore[index]
        assert {"USD": Decimal("150.01")} == summary.total.by_currency

    @given(st.lists(pst.pledges(currencies=["USD"]), max_size=4, unique_by=lambda p: p.id))
    def test_summary_hashes_as_it_equals(self, pledges: list[Pledge]) -> None:
        """A summary and its cells are hashable, and equal summaries hash alike."""
        rates = fx.bundled_rates()
        first, second = (summarize(pledges, "sector", rates) for _ in range(2))
        assert first == second
        assert hash(first) == hash(second)
        assert {cell.key: cell for cell in first.cells} == {
            cell.key: cell for cell in second.cells
        }

    def test_a_dict_given_is_copied(self) -> None:
        """A Cell built from a dict keeps its own read-only copy."""
        amounts = {"USD": Decimal(1)}
        cell = p2c.aggregate.Cell(
            key=(), pledges=1, pledgers=1, usd=Decimal(1), by_currency=amounts,
            without_amount=0, unconverted=(),
        )  # fmt: skip
        amounts["USD"] = Decimal(2)
        assert Decimal(1) == cell.by_currency["USD"]


class TestByIsChecked:
    @pytest.mark.parametrize(
        ("by", "message"),
        [
            (None, "by is a dimension"),
            (5, "by is a dimension"),
            (["sector", "sector"], "sector twice"),
            (["sector", Dimension.SECTOR], "sector twice"),
            ("FOCUS_AREA", "the dimensions are focus_area"),
            ([["sector"]], "the dimensions are"),
        ],
    )
    def test_wrong_by(self, by: object, message: str) -> None:
        """A by= that is not one or two distinct dimensions is a ValueError that says what is wrong."""
        with pytest.raises(ValueError, match=message):
            summarize([ONE_AREA], by, fx.bundled_rates())  # type: ignore[arg-type]

    def test_unhashable_allocation(self) -> None:
        """An allocation that is not 'full' or 'split' is a ValueError, whatever its type."""
        with pytest.raises(ValueError, match="'full' or 'split'"):
            summarize([ONE_AREA], "sector", fx.bundled_rates(), allocation=["full"])  # type: ignore[arg-type]


class TestSplitLimits:
    @pytest.mark.parametrize("value", ["1E+999999", "1E+201", "1E-1000500"])
    def test_too_many_digits(self, value: str) -> None:
        """A value with more digits than a split keeps exact is a ValueError, not a decimal signal."""
        with pytest.raises(ValueError, match="more digits"):
            split_evenly(Decimal(value), 3)

    @given(st.integers(min_value=-150, max_value=150), st.integers(1, 9))
    def test_any_exponent_within_the_limit(self, exponent: int, parts: int) -> None:
        """A value of few digits and any exponent the limit allows splits into shares that add up."""
        value = Decimal(7).scaleb(exponent)
        shares = split_evenly(value, parts)
        assert parts == len(shares)
        with decimal.localcontext(decimal.Context(prec=400, traps=[decimal.Inexact])):
            assert value == sum(shares, Decimal(0))

    def test_group_checks_by_too(self) -> None:
        """group(), the core of summarize, refuses a dimension named twice as summarize does."""
        with pytest.raises(ValueError, match="sector twice"):
            group([ONE_AREA], usd_of([ONE_AREA]), {}, ["sector", "sector"], "full")  # type: ignore[list-item]
