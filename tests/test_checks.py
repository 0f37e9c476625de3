"""Tests of p2c_pledges._checks: validators say what they check; the schemas read that."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from p2c_pledges import Pledge, Pledger, Target
from p2c_pledges._checks import KINDS, checks, checks_of, optional
from p2c_pledges.io._fields import rules_of
from p2c_pledges.money import Money


@checks("text")
def _text_like(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(value)


class TestMarks:
    def test_every_field_of_the_model_says_what_it_checks(self) -> None:
        for cls in (Pledge, Pledger, Target, Money):
            for field in attrs.fields(cls):
                if field.validator is not None:
                    assert checks_of(field.validator)[0] in KINDS, (cls, field.name)

    def test_optional_takes_none_and_checks_the_rest(self) -> None:
        either = optional(_text_like)
        either(None, None, None)
        either(None, None, "x")
        with pytest.raises(TypeError):
            either(None, None, 5)
        assert checks_of(either) == ("text", False, True)
        assert checks_of(_text_like) == ("text", False, False)

    def test_unknown_kind(self) -> None:
        with pytest.raises(ValueError, match="is not one of"):
            checks("colour")

    def test_a_field_whose_validator_says_nothing_is_refused_by_the_schemas(self) -> None:
        def silent(_instance: Any, _attribute: Any, _value: Any) -> None:
            """A validator nobody marked."""

        @attrs.frozen
        class Odd:
            name: str = attrs.field(validator=silent)

        with pytest.raises(RuntimeError, match="does not say what it checks"):
            rules_of(Odd)

    def test_renaming_a_validator_changes_nothing(self) -> None:
        """The schemas read the mark, not the function's name (it was __qualname__)."""

        @attrs.frozen
        class Renamed:
            name: str = attrs.field(validator=_text_like)

        _text_like.__qualname__ = "something_else"
        (rule,) = rules_of(Renamed)
        assert rule.kind.value == "text"
