"""Tests of the public Hypothesis strategies."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import p2c_pledges as p2c
from p2c_pledges import io, rules
from p2c_pledges import strategies as pst
from p2c_pledges._text import text_issue
from p2c_pledges.errors import CODES, Severity
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


class TestArguments:
    @given(pst.money(["JPY"], min_value=Decimal("0.5"), max_value=Decimal("0.9")))
    def test_money_between_minor_units(self, money: p2c.Money) -> None:
        """Bounds with no amount at the currency's minor units still give amounts between them."""
        assert (True, []) == (
            Decimal("0.5") <= money.amount <= Decimal("0.9"),
            check_amount(money.amount),
        )

    @pytest.mark.parametrize(
        "bounds",
        [
            {"max_value": Decimal("1E+30")},
            {"min_value": Decimal("-1E+30")},
            {"min_value": Decimal(5), "max_value": Decimal(1)},
            {"min_value": Decimal("1E-20"), "max_value": Decimal("2E-20")},
        ],
    )
    def test_money_bounds_no_money_holds(self, bounds: dict[str, Decimal]) -> None:
        """Bounds that no Money lies between are refused when the strategy is made, not drawn."""
        with pytest.raises(InvalidArgument, match=r"min_value|amount"):
            pst.money(["USD"], **bounds)

    @pytest.mark.parametrize("currencies", [[], ["eur"], ["XXX"]])
    def test_currencies_a_money_refuses(self, currencies: list[str]) -> None:
        """An empty list, or a code a Money refuses, is refused at once."""
        with pytest.raises(InvalidArgument, match="currencies"):
            pst.currency_codes(currencies)

    @given(st.data(), st.integers(1, 14))
    def test_texts_honour_max_size(self, data: st.DataObject, max_size: int) -> None:
        """No text is longer than max_size, the tricky ones included."""
        text = data.draw(pst.texts(max_size=max_size))
        assert (True, None) == (len(text) <= max_size, text_issue(text))


class TestFromType:
    @pytest.mark.parametrize(
        "cls",
        [getattr(p2c, name) for name in p2c.__all__ if isinstance(getattr(p2c, name), type)],
        ids=lambda cls: cls.__name__,
    )
    def test_every_public_class(self, cls: type) -> None:
        """st.from_type gives an instance of every public class of the package."""
        drawn: list[object] = []

        @settings(max_examples=5, database=None, deadline=None)
        @given(st.from_type(cls))
        def draw(value: object) -> None:
            drawn.append(value)

        draw()
        assert drawn
        assert all(isinstance(value, cls) for value in drawn)

    @given(st.from_type(p2c.PledgeDataError))
    def test_errors_hold_registered_codes(self, error: p2c.PledgeDataError) -> None:
        """A drawn error holds issues with codes the library registers."""
        assert set() == set(error.codes) - set(CODES)


class TestShrinking:
    def test_texts_shrink_to_one_plain_character(self) -> None:
        """The smallest text is one character, not a formula such as =SUM(A1:A2)."""
        smallest = find(pst.texts(), lambda _: True, settings=settings(database=None))
        assert (1, None) == (len(smallest), text_issue(smallest))

    def test_pledger_shrinks_to_a_short_name(self) -> None:
        """A failing pledger shrinks to a one-character name."""
        smallest = find(pst.pledgers(), lambda _: True, settings=settings(database=None))
        assert 1 == len(smallest.name)


class TestDeterminism:
    def test_derandomize_gives_the_same_examples(self) -> None:
        """Under derandomize, two runs draw the same pledges in the same order."""

        def run() -> list[p2c.Pledge]:
            drawn: list[p2c.Pledge] = []

            @settings(max_examples=20, derandomize=True, database=None, deadline=None)
            @given(pst.pledges())
            def draw(pledge: p2c.Pledge) -> None:
                drawn.append(pledge)

            draw()
            return drawn

        first = run()
        assert len(first) >= 10
        assert first == run()
