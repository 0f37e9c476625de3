"""Tests of the public Hypothesis strategies."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import io, rules
from p2c_pledges import strategies as pst
from p2c_pledges.errors import Severity
from p2c_pledges.money import check_amount, check_currency


class TestValidity:
    @given(pst.pledges())
    def test_pledges_pass_the_rules(self, pledge: p2c.Pledge) -> None:
        """A generated pledge has no error-severity issue."""
        assert [] == [i for i in rules.check([pledge]) if i.severity is Severity.ERROR]

    @given(pst.money())
    def test_money_within_limits(self, money: p2c.Money) -> None:
        """Generated amounts pass the amount and currency checks."""
        assert [] == check_amount(money.amount) + check_currency(money.currency)

    @given(
        pst.pledges(pledge_types=[p2c.PledgeType.FINANCIAL], currencies=["XOF"], with_amount=True)
    )
    def test_constraints(self, pledge: p2c.Pledge) -> None:
        """Constraints on type and currency are honoured."""
        assert p2c.PledgeType.FINANCIAL in pledge.pledge_types
        assert pledge.amount is not None
        assert "XOF" == pledge.amount.currency

    @given(pst.money(["USD"], min_value=Decimal(10), max_value=Decimal(20)))
    def test_money_range(self, money: p2c.Money) -> None:
        """Amounts stay within the bounds asked for."""
        assert Decimal(10) <= money.amount <= Decimal(20)

    @given(pst.pledge_lists(min_size=2))
    def test_lists_have_unique_ids(self, pledges: list[p2c.Pledge]) -> None:
        """Ids are unique in a generated list."""
        assert len(pledges) == len({p.id for p in pledges})

    @given(st.from_type(p2c.Target))
    def test_from_type(self, target: p2c.Target) -> None:
        """st.from_type uses the registered strategies."""
        assert isinstance(target, p2c.Target)


class TestEntryPoint:
    def test_from_type_without_import(self) -> None:
        """st.from_type(Pledge) works in a fresh process that never imports the strategies."""
        code = (
            "from hypothesis import given, settings, strategies as st\n"
            "import p2c_pledges as p2c\n"
            "@settings(max_examples=5, database=None, deadline=None)\n"
            "@given(st.from_type(p2c.Pledge))\n"
            "def check(pledge): assert isinstance(pledge, p2c.Pledge)\n"
            "check()\n"
            "print('ok')\n"
        )
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert "ok" == completed.stdout.strip(), completed.stderr

    def test_strategies_imported_first(self) -> None:
        """Importing the strategies before Hypothesis works (the hook must not need them yet)."""
        code = "import p2c_pledges.strategies as s; print(s.pledges.__name__)"
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert "pledges" == completed.stdout.strip(), completed.stderr


class TestDocuments:
    @given(pst.pledge_documents())
    def test_documents_read_back(self, document: dict[str, object]) -> None:
        """A generated document is plain JSON and reads back into a valid pledge."""
        assert document == json.loads(json.dumps(document))
        assert isinstance(io.structure(document), p2c.Pledge)

    @given(pst.invalid_pledge_documents())
    def test_invalid_documents_give_their_issues(
        self, case: tuple[dict[str, object], list[tuple[str, str]]]
    ) -> None:
        """Each mutated document is refused with exactly the expected codes at the expected paths."""
        document, expected = case
        with pytest.raises(p2c.PledgeDataError) as caught:
            io.structure(document)
        assert expected == sorted((issue.code, issue.path) for issue in caught.value.issues)
