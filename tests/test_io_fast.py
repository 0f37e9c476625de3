"""The readers' fast path builds exactly what the strict converter builds, or declines."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import document, perturbed_documents
from p2c_pledges import strategies as pst
from p2c_pledges.io import structure
from p2c_pledges.io._fast import Decline, FastPath, assembler


def same(expected: p2c.Pledge, actual: p2c.Pledge) -> None:
    """Equal field by field, with the same types (an SDG, not an int; a date, not a datetime)."""
    assert expected == actual
    for field in attrs.fields(p2c.Pledge):
        mine, theirs = getattr(expected, field.name), getattr(actual, field.name)
        assert type(mine) is type(theirs), field.name
        if isinstance(mine, tuple):
            assert [type(item) for item in mine] == [type(item) for item in theirs], field.name
    # A pledger's region as given (not derived), which equality does not see:
    # without a country, evolve leaves only the given one.
    assert [attrs.evolve(p, country=None).region for p in expected.pledgers] == [
        attrs.evolve(p, country=None).region for p in actual.pledgers
    ]


class TestAgreement:
    @given(pst.pledge_documents())
    def test_valid_documents(self, raw: dict[str, Any]) -> None:
        """A valid document gives the converter's pledge, field by field."""
        same(structure(copy.deepcopy(raw)), FastPath().json_reader()(raw))

    @given(perturbed_documents())
    def test_perturbed_documents(self, raw: dict[str, Any]) -> None:
        """What the fast path accepts, the converter accepts, and builds the same."""
        read = FastPath().json_reader()
        try:
            fast = read(copy.deepcopy(raw))
        except Exception:  # noqa: BLE001 - declining is always allowed: the converter decides
            return
        same(structure(raw), fast)

    @given(pst.invalid_pledge_documents())
    def test_invalid_documents_are_declined(
        self, case: tuple[dict[str, Any], list[tuple[str, str]]]
    ) -> None:
        """A document with known mistakes is never taken by the fast path."""
        with pytest.raises((Decline, KeyError, TypeError, ValueError, AttributeError)):
            FastPath().json_reader()(case[0])

    @given(st.lists(pst.pledge_documents(), min_size=2, max_size=6))
    def test_caches_across_records(self, documents: list[dict[str, Any]]) -> None:
        """Values cached from one record are right for the next (one read, many records)."""
        read = FastPath().json_reader()
        for raw in documents:
            same(structure(copy.deepcopy(raw)), read(raw))

    def test_true_is_not_sdg_one(self) -> None:
        """A cached [1] does not answer for [true] (true == 1 in Python)."""
        read = FastPath().json_reader()
        read(document(sdgs=[1]))
        with pytest.raises(Decline):
            read(document(sdgs=[True]))


class TestAssembler:
    def test_instances_are_real_and_frozen(self) -> None:
        """The assembler makes instances of the class itself, still frozen and hashable."""
        new_target = assembler(p2c.Target)
        target = new_target(p2c.Metric.FIBRE_KM, 5, "km", dt.date(2030, 1, 1))
        assert p2c.Target is type(target)
        assert hash(target) == hash(
            p2c.Target(
                metric=p2c.Metric.FIBRE_KM, value=5, unit="km", deadline=dt.date(2030, 1, 1)
            )
        )
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            target.unit = "m"  # type: ignore[misc]
