"""Property-test your own functions on valid pledges, with ``p2c_pledges.strategies``.

Run: ``python examples/property_test_your_function.py`` (needs the ``hypothesis`` extra)

Hand-written fixtures hold the pledges their author thought of. The library's
strategies generate pledges that pass its own validation yet have everything
that breaks naive code: amounts with 18 decimals or none, currencies with 0 or
3 minor units, titles with quotes, newlines and spreadsheet formulas. Calling a
``@given`` function runs the property; under pytest, the same functions are
tests as they are.
"""

# Properties assert, expected value first, as the project's tests do.
# ruff: noqa: S101, SIM300

from __future__ import annotations

import tempfile
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

import p2c_pledges as p2c
from p2c_pledges import strategies as pst


# --- the app's own code, which we want to test -------------------------------


def amount_cell(pledge: p2c.Pledge) -> str:
    """The app's text cell for an amount: ``"EUR 1500.50"``, or empty."""
    if pledge.amount is None:
        return ""
    # ``str(Decimal)`` may be scientific ("0E-7"); the "f" format never is.
    # Using str() here is the bug Hypothesis finds in a few examples.
    return f"{pledge.amount.currency} {pledge.amount.amount:f}"


def read_amount_cell(cell: str) -> p2c.Money | None:
    """Read a cell written by :func:`amount_cell` back."""
    if not cell:
        return None
    currency, amount = cell.split(" ")
    return p2c.Money(Decimal(amount), currency)


def largest(pledges: list[p2c.Pledge], currency: str) -> p2c.Pledge | None:
    """The pledge with the largest amount in ``currency`` (the first of equals)."""
    best: p2c.Pledge | None = None
    for pledge in pledges:
        amount = pledge.amount
        if amount is None or amount.currency != currency:
            continue
        if best is None or (best.amount is not None and amount > best.amount):
            best = pledge
    return best


# --- the properties -------------------------------------------------------------

# A fixed number of examples keeps the script quick, and it keeps no database
# of failing examples; a test suite would use its Hypothesis profile instead.
quick = settings(max_examples=25, deadline=None, database=None)


@quick
@given(pst.pledges())
def test_amount_cell_round_trips(pledge: p2c.Pledge) -> None:
    """Writing an amount cell and reading it back gives the pledge's amount."""
    assert pledge.amount == read_amount_cell(amount_cell(pledge))


@quick
@given(
    st.lists(pst.pledges(currencies=["EUR", "JPY"], with_amount=True), max_size=6),
)
def test_largest_is_not_smaller_than_any(pledges: list[p2c.Pledge]) -> None:
    """No EUR pledge has a larger amount than the one largest() returns."""
    best = largest(pledges, "EUR")
    euro = [p.amount for p in pledges if p.amount is not None and p.amount.currency == "EUR"]
    if best is None:
        assert [] == euro
    else:
        assert best.amount is not None
        assert all(amount <= best.amount for amount in euro)


@quick
@given(st.from_type(p2c.Pledge))
def test_from_type_works_without_imports(pledge: p2c.Pledge) -> None:
    """The library registers its strategy, so st.from_type(Pledge) gives valid pledges."""
    assert [] == [issue for issue in p2c.rules.check([pledge]) if issue.severity.value == "error"]


def main() -> None:
    # Hypothesis keeps caches in ./.hypothesis; a script keeps them in a
    # temporary folder instead, so that it leaves nothing where it is run.
    with tempfile.TemporaryDirectory() as home:
        set_hypothesis_home_dir(home)
        try:
            for prop in (
                test_amount_cell_round_trips,
                test_largest_is_not_smaller_than_any,
                test_from_type_works_without_imports,
            ):
                prop()  # raises, with the smallest failing example, if the property is false
                print(f"ok: {prop.__doc__}")
        finally:
            set_hypothesis_home_dir(None)


if __name__ == "__main__":
    main()
