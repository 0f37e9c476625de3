"""Tests of Issue and PledgeDataError."""

from __future__ import annotations

import pytest

from p2c_pledges import Issue, PledgeDataError, Severity


class TestIssue:
    def test_location_of_a_csv_cell(self) -> None:
        """A CSV issue is located by file, row, column heading and path."""
        issue = Issue(
            code="currency.unknown",
            message="'eur' is not an ISO 4217 code",
            value="eur",
            path="$.pledges[3].amount.currency",
            file="pledges.csv",
            row=5,
            column="amount/currency",
        )
        assert "pledges.csv:5 [amount/currency] $.pledges[3].amount.currency" == issue.location()
        assert str(issue).endswith("currency.unknown: 'eur' is not an ISO 4217 code")

    def test_location_of_a_json_value(self) -> None:
        """A JSON issue is located by its path alone."""
        assert "$.pledges[0].id" == Issue(code="x", message="m", path="$.pledges[0].id").location()

    def test_row_without_file(self) -> None:
        """A row without a file still says which row."""
        assert "row 7 $" == Issue(code="x", message="m", row=7).location()

    def test_default_severity(self) -> None:
        """Issues are errors unless said otherwise."""
        assert Severity.ERROR is Issue(code="x", message="m").severity


class TestPledgeDataError:
    def test_carries_every_issue(self) -> None:
        """The error keeps every issue in order and lists them in its message."""
        issues = [Issue(code="a.b", message="first"), Issue(code="c.d", message="second")]
        error = PledgeDataError(issues)
        assert ["a.b", "c.d"] == error.codes
        assert str(error).startswith("2 issues:\n")
        assert "second" in str(error)

    def test_is_a_value_error(self) -> None:
        """Code that catches ValueError catches it."""
        with pytest.raises(ValueError, match="first"):
            raise PledgeDataError([Issue(code="a.b", message="first")])

    def test_needs_an_issue(self) -> None:
        """An error without issues is a programming mistake."""
        with pytest.raises(ValueError, match="at least one issue"):
            PledgeDataError([])
