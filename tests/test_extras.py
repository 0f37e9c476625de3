"""Tests of Pledge.extras: JSON values with string keys, checked and frozen deeply on building."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from p2c_pledges import strategies as pst
from p2c_pledges._extras import FrozenObject, freeze_extras, thaw
from p2c_pledges.io import dumps, loads


def pledge(**changes: Any) -> p2c.Pledge:
    return p2c.Pledge(
        **{
            "id": "p-1",
            "title": "Rural broadband",
            "pledger": p2c.Pledger(name="Government of Ghana", sector=p2c.Sector.GOVERNMENT),
            "pledge_types": [p2c.PledgeType.FINANCIAL],
            "focus_areas": [p2c.FocusArea.ACCESS],
            "announced_on": dt.date(2022, 6, 7),
            **changes,
        }
    )


def refused(extras: Any) -> list[tuple[str, str]]:
    with pytest.raises(p2c.PledgeDataError) as caught:
        pledge(extras=extras)
    return [(issue.code, issue.path) for issue in caught.value.issues]


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


class TestFrozen:
    def test_nested_objects_are_read_only(self) -> None:
        """A nested object of extras cannot be changed: it is a read-only mapping."""
        kept = pledge(extras={"note": {"tags": ["a"]}})
        with pytest.raises(TypeError):
            kept.extras["note"]["tags"] = []
        with pytest.raises(TypeError):
            kept.extras["x"] = 1  # type: ignore[index]

    def test_arrays_are_tuples(self) -> None:
        """An array of extras is a tuple: append is not there to call."""
        kept = pledge(extras={"note": {"tags": ["a", ["b"]]}})
        assert ("a", ("b",)) == kept.extras["note"]["tags"]
        assert not hasattr(kept.extras["note"]["tags"], "append")

    def test_caller_changes_do_not_leak_in(self) -> None:
        """What the caller changes in its mapping after building, at any depth, stays out."""
        given_extras: dict[str, Any] = {"note": {"tags": ["a"]}, "n": 1}
        kept = pledge(extras=given_extras)
        before = dumps([kept])
        given_extras["note"]["tags"].append("b")
        given_extras["note"]["new"] = True
        given_extras["n"] = 2
        assert before == dumps([kept])
        assert {"note": {"tags": ["a"]}, "n": 1} == kept.extras

    def test_dumps_writes_the_same_json(self) -> None:
        """Frozen extras are written as the JSON they came from, and read back equal."""
        kept = pledge(extras={"note": {"tags": ["a", 1, 1.5, None, True]}})
        document = _strict_json(dumps([kept]))["pledges"][0]
        assert {"tags": ["a", 1, 1.5, None, True]} == document["note"]
        assert [kept] == loads(dumps([kept]), unknown="keep")

    def test_the_object_itself_cannot_change(self) -> None:
        """Setting an attribute of a FrozenObject fails."""
        with pytest.raises(AttributeError):
            FrozenObject({"a": 1})._items = {}

    @given(pst.extras())
    def test_equal_and_hash(self, extras: dict[str, Any]) -> None:
        """Frozen extras equal a deep copy of what made them, with the same hash, and thaw back."""
        frozen = freeze_extras(extras)
        again = freeze_extras(copy.deepcopy(extras))
        assert (frozen, hash(frozen)) == (again, hash(again))
        assert extras == thaw(frozen)
        assert frozen == extras

    @given(pst.extras())
    def test_pickle_and_deepcopy(self, extras: dict[str, Any]) -> None:
        """A pledge with any extras pickles and deep-copies to an equal pledge, with equal hash."""
        kept = pledge(extras=extras)
        for twin in (pickle.loads(pickle.dumps(kept)), copy.deepcopy(kept), copy.copy(kept)):  # noqa: S301 - our own bytes
            assert (kept, hash(kept), thaw(kept.extras)) == (twin, hash(twin), thaw(twin.extras))

    @given(pst.extras())
    def test_written_and_read_back(self, extras: dict[str, Any]) -> None:
        """Any extras are written as strict JSON (no NaN) and read back equal, in JSON and JSON Lines."""
        kept = pledge(extras=extras)
        for fmt in ("json", "jsonl"):
            text = dumps([kept], fmt)
            for line in text.rstrip("\n").split("\n") if fmt == "jsonl" else [text]:
                _strict_json(line)
            assert [kept] == loads(text, fmt, unknown="keep")

    @pytest.mark.parametrize(
        ("one", "other"),
        [({"a": True}, {"a": 1}), ({"a": 1}, {"a": 1.0}), ({"a": [0]}, {"a": [False]})],
    )
    def test_equality_follows_json(self, one: dict[str, Any], other: dict[str, Any]) -> None:
        """true, 1 and 1.0 are written differently, so extras holding them differ."""
        assert pledge(extras=one) != pledge(extras=other)
        assert freeze_extras(one) != freeze_extras(other)

    def test_evolve_keeps_frozen_extras(self) -> None:
        """attrs.evolve passes frozen extras through unchanged."""
        kept = pledge(extras={"a": [1]})
        assert kept.extras == attrs.evolve(kept, title="Other").extras


class TestJsonOnly:
    @pytest.mark.parametrize("key", [1, True, None, 1.5, ("a",)])
    def test_keys_are_strings(self, key: Any) -> None:
        """A key that is not a string is value.type: JSON would write 1 and "1" as one key."""
        assert [("value.type", "$.extras")] == refused({key: "x"})

    def test_nested_key_is_located(self) -> None:
        """A non-string key deep inside is located at the object that holds it."""
        assert [("value.type", "$.extras.a[0]")] == refused({"a": [{2: "x"}]})

    @pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
    def test_no_nan_or_infinity(self, number: float) -> None:
        """NaN and the infinities have no JSON form: value.not_finite at their path."""
        assert [("value.not_finite", "$.extras.x[1]")] == refused({"x": [1, number]})

    @pytest.mark.parametrize(
        "value", [{1, 2}, Decimal("1.5"), b"x", object(), dt.date(2022, 1, 1)]
    )
    def test_other_values(self, value: object) -> None:
        """A set, a Decimal, bytes, a date, any other object: value.type at its path."""
        assert [("value.type", '$.extras["my key"]')] == refused({"my key": value})

    @pytest.mark.parametrize(
        ("extras", "code", "path"),
        [
            ({"a": "x\ud800"}, "text.encoding", "$.extras.a"),
            ({"a\udc80": "x"}, "text.encoding", "$.extras"),
            ({"a": ["\x00"]}, "text.control", "$.extras.a[0]"),
            ({"\x1b[31m": 1}, "text.control", "$.extras"),
        ],
    )
    def test_texts_follow_the_text_rule(self, extras: Any, code: str, path: str) -> None:
        """Keys and texts of extras refuse lone surrogates and control characters, as fields do."""
        assert [(code, path)] == refused(extras)

    def test_tab_and_newline_are_fine(self) -> None:
        """Tab, LF and CR are allowed in extras texts, as in fields."""
        assert {"a\tb": "c\nd\r"} == pledge(extras={"a\tb": "c\nd\r"}).extras

    def test_not_a_mapping(self) -> None:
        """Extras that are not a mapping are value.type at $.extras."""
        assert [("value.type", "$.extras")] == refused([("a", 1)])

    def test_holds_itself(self) -> None:
        """A dict of extras that holds itself is value.type, not a RecursionError."""
        loop: dict[str, Any] = {}
        loop["self"] = loop
        assert [("value.type", "$.extras.self")] == refused(loop)

    def test_deep_nesting(self) -> None:
        """Extras nested deeper than Python follows are json.depth, not a RecursionError."""
        deep: Any = []
        for _ in range(100_000):
            deep = [deep]
        assert [("json.depth", "$.extras")] == refused({"deep": deep})

    def test_equal_to_other_mappings_only_when_json(self) -> None:
        """A FrozenObject equals a plain dict of the same JSON, and not one JSON cannot hold."""
        frozen = freeze_extras({"a": [1]})
        assert frozen == {"a": (1,)}
        assert frozen != {"a": {1}}
        assert frozen != [("a", [1])]

    @given(st.dictionaries(st.text("abc", max_size=3), st.floats(), max_size=3))
    def test_floats(self, extras: dict[str, float]) -> None:
        """A float is kept when finite and refused otherwise: dumps never writes NaN."""
        finite = all(math.isfinite(value) for value in extras.values())
        try:
            kept = pledge(extras=extras)
        except p2c.PledgeDataError as error:
            assert (False, ["value.not_finite"]) == (finite, error.codes)
        else:
            assert finite
            written = _strict_json(dumps([kept]))["pledges"][0]
            assert extras == {key: written[key] for key in extras}
