"""Tests of the rules that span fields and records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from helpers import pledge
from p2c_pledges import (
    Money,
    PledgeDataError,
    Pledger,
    PledgeStatus,
    PledgeType,
    Region,
    Sector,
    rules,
)
from p2c_pledges import strategies as pst
from p2c_pledges.errors import Severity
from p2c_pledges.model import Pledge


def found(pledges: list[Pledge]) -> list[tuple[str, str]]:
    return [(issue.code, issue.path) for issue in rules.check(pledges)]


class TestCheck:
    def test_duplicate_id_and_inverted_period(self) -> None:
        """A duplicate id and an inverted period are both reported with their paths."""
        first = pledge(id="a")
        second = pledge(id="a", period_start=dt.date(2024, 1, 1), period_end=dt.date(2023, 1, 1))
        assert [
            ("id.duplicate", "$.pledges[1].id"),
            ("period.order", "$.pledges[1].period_end"),
        ] == found([first, second])

    def test_financial_without_amount(self) -> None:
        """A financial pledge with no amount is a warning."""
        (issue,) = rules.check([pledge(amount=None)])
        assert ("amount.missing", Severity.WARNING) == (issue.code, issue.severity)

    def test_negative_amount(self) -> None:
        """A negative amount is an error at the amount."""
        assert [("amount.negative", "$.pledges[0].amount.amount")] == found(
            [pledge(amount=Money(Decimal(-1), "USD"))]
        )

    def test_value_date_after_period(self) -> None:
        """A value date after the period's end is a warning."""
        late = pledge(period_end=dt.date(2023, 1, 1), value_date=dt.date(2023, 6, 1))
        assert [("value_date.after_end", "$.pledges[0].value_date")] == found([late])

    def test_value_date_without_amount(self) -> None:
        """A value date with nothing to convert is a warning."""
        unused = pledge(
            amount=None, pledge_types=[PledgeType.POLICY], value_date=dt.date(2023, 1, 1)
        )
        assert [("value_date.unused", "$.pledges[0].value_date")] == found([unused])

    def test_completed_with_partial_progress(self) -> None:
        """A completed pledge at 40 % progress is a warning."""
        odd = pledge(status=PledgeStatus.COMPLETED, progress=Decimal("0.4"))
        assert [("progress.status", "$.pledges[0].progress")] == found([odd])

    def test_region_mismatch(self) -> None:
        """A pledger placed in another region than its country's is a warning."""
        misplaced = Pledger(name="x", sector=Sector.GOVERNMENT, country="GH", region=Region.EUROPE)
        assert [("pledger.region", "$.pledges[0].pledger.region")] == found(
            [pledge(pledger=misplaced)]
        )

    def test_pledger_repeated(self) -> None:
        """The pledger listed again as a co-pledger is a warning."""
        value = pledge()
        assert [("pledger.repeated", "$.pledges[0].co_pledgers[0]")] == found(
            [attrs.evolve(value, co_pledgers=[value.pledger])]
        )

    def test_every_code_is_declared(self) -> None:
        """Every issue the rules report has the severity declared in RULE_CODES."""
        value = pledge(
            amount=Money(Decimal(-1), "USD"),
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2023, 1, 1),
        )
        for issue in rules.check([value, value]):
            assert rules.RULE_CODES[issue.code] is issue.severity

    @given(pst.pledge_lists())
    def test_generated_pledges_have_no_errors(self, pledges: list[Pledge]) -> None:
        """The public strategies generate pledges without error-severity issues."""
        assert [] == [i for i in rules.check(pledges) if i.severity is Severity.ERROR]


class TestRaiseForErrors:
    def test_warnings_do_not_raise(self) -> None:
        """Only errors raise: a list with a warning passes through."""
        issues = rules.check([pledge(amount=None)])
        assert [Severity.WARNING] == [issue.severity for issue in issues]
        assert rules.raise_for_errors(issues) is None

    def test_errors_raise_all(self) -> None:
        """Every error is in the raised error, warnings are not."""
        values = [pledge(amount=None), pledge(amount=None)]
        with pytest.raises(PledgeDataError) as caught:
            rules.raise_for_errors(rules.check(values))
        assert ["id.duplicate"] == caught.value.codes


class TestWithdrawnCurrency:
    def test_dem_in_2022_is_withdrawn(self) -> None:
        """A pledge in DEM dated 2022 gets currency.withdrawn, a warning naming its last day anywhere, 2002-05-15 (babel)."""
        (issue,) = rules.check([pledge(amount=Money(Decimal(1000), "DEM"))])
        assert ("currency.withdrawn", "$.pledges[0].amount.currency", Severity.WARNING) == (
            issue.code,
            issue.path,
            issue.severity,
        )
        assert "2002-05-15" in issue.message

    def test_before_withdrawal_is_fine(self) -> None:
        """A pledge in HRK dated before 2023-01-14 is not warned about."""
        assert [] == found(
            [pledge(amount=Money(Decimal(1000), "HRK"), announced_on=dt.date(2022, 6, 7))]
        )

    def test_value_date_decides(self) -> None:
        """The conversion date (value date, else announcement) is what is compared."""
        dated = pledge(
            amount=Money(Decimal(1), "HRK"),
            announced_on=dt.date(2022, 6, 7),
            value_date=dt.date(2023, 6, 1),
        )
        assert [("currency.withdrawn", "$.pledges[0].amount.currency")] == found([dated])
