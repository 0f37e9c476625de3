"""Tests of the strict cattrs converter and of how its errors become located issues."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import p2c_pledges as p2c
from helpers import document
from p2c_pledges import rules
from p2c_pledges import strategies as pst
from p2c_pledges.errors import Severity
from p2c_pledges.io import ISSUE_CODES, make_converter, structure, unstructure


def issues_of(raw: Any) -> list[tuple[str, str]]:
    with pytest.raises(p2c.PledgeDataError) as caught:
        structure(raw)
    return [(issue.code, issue.path) for issue in caught.value.issues]


class TestStrictness:
    @pytest.mark.parametrize(
        ("sdgs", "code"),
        [
            (["9"], "value.type"),
            ([1.9], "value.type"),
            ([True], "value.type"),
            ([18], "sdg.range"),
            ([0], "sdg.range"),
        ],
    )
    def test_sdgs_are_integers(self, sdgs: list[object], code: str) -> None:
        """A string, a fraction or a boolean is not an SDG number."""
        assert [(code, "$.sdgs[0]")] == issues_of(document(sdgs=sdgs))

    def test_integral_number_is_an_integer(self) -> None:
        """JSON has one kind of number: 4.0 is the integer 4, as JSON Schema says."""
        assert (p2c.SDG.QUALITY_EDUCATION,) == structure(document(sdgs=[4.0])).sdgs

    def test_string_is_not_a_list(self) -> None:
        """A string where a list is expected is refused, not read as a list of characters."""
        assert [("value.type", "$.focus_areas")] == issues_of(document(focus_areas="access"))

    @pytest.mark.parametrize("amount", [1.5, 155000000, 1e400])
    def test_money_as_json_number(self, amount: object) -> None:
        """Money written as a JSON number is value.float_money at its path."""
        raw = document(amount={"amount": amount, "currency": "EUR"})
        assert [("value.float_money", "$.amount.amount")] == issues_of(raw)

    @pytest.mark.parametrize(
        "text",
        ["1,5", " 1.5", "+1", "1_000", "NaN", "Infinity", "0x10", "01", ".5", "5.", "\u0661"],
    )
    def test_decimal_syntax(self, text: str) -> None:
        """Only a JSON number's digits, in a string, make a decimal."""
        raw = document(amount={"amount": text, "currency": "EUR"})
        assert [("decimal.syntax", "$.amount.amount")] == issues_of(raw)

    @pytest.mark.parametrize(
        "text", ["2022-6-7", "20220607", "2022-02-30", "2022-06-07T00:00", "2022-W23-2"]
    )
    def test_date_syntax(self, text: str) -> None:
        """A date is a calendar date written YYYY-MM-DD and nothing else."""
        assert [("date.syntax", "$.announced_on")] == issues_of(document(announced_on=text))

    def test_enum_by_value(self) -> None:
        """An enum is one of its values, exactly (case included)."""
        assert [("value.enum", "$.focus_areas[0]")] == issues_of(document(focus_areas=["Access"]))

    def test_null_is_absent_for_optional_fields(self) -> None:
        """JSON null for an optional field is the field left out."""
        assert None is structure(document(description=None, amount=None)).amount
        assert None is structure({**document(), "amount": None}).amount

    def test_null_is_not_an_empty_list(self) -> None:
        """JSON null for a list is refused: a list is written [] or left out."""
        assert [("value.type", "$.sdgs")] == issues_of({**document(), "sdgs": None})

    def test_exponent_kept(self) -> None:
        """A decimal keeps its exponent: 1.50 stays 1.50 and 1E+3 stays 1E+3."""
        raw = document(amount={"amount": "1.50", "currency": "USD"})
        raw["targets"] = [{"metric": "fibre_km", "value": "1E+3", "unit": "km"}]
        pledge = structure(raw)
        assert ("1.50", "1E+3") == (str(pledge.amount.amount), str(pledge.targets[0].value))  # type: ignore[union-attr]


class TestIssues:
    def test_unknown_and_missing_keys(self) -> None:
        """Unknown keys and missing keys are named, at their paths, in field order."""
        raw = document(title=None, colour="blue")
        raw["pledger"]["website"] = "x"
        assert [
            ("key.missing", "$.title"),
            ("key.unknown", "$.pledger.website"),
            ("key.unknown", "$.colour"),
        ] == issues_of(raw)

    def test_every_validator_failure(self) -> None:
        """Each field's validator is run on its own: all failures are reported, not the first."""
        raw = document(title="  ", focus_areas=["access", "access"], progress="1.5")
        assert [
            ("text.empty", "$.title"),
            ("list.duplicate", "$.focus_areas[1]"),
            ("progress.range", "$.progress"),
        ] == issues_of(raw)

    def test_validator_failures_beside_type_errors(self) -> None:
        """A validator failure is reported alongside the type errors of other fields."""
        raw = document(title="", announced_on=20220607)
        assert [("text.empty", "$.title"), ("value.type", "$.announced_on")] == issues_of(raw)

    def test_nested_paths(self) -> None:
        """Issues inside nested objects and lists carry the whole path."""
        raw = document(amount={"amount": "1", "currency": "usd"})
        raw["targets"] = [
            {"metric": "fibre_km", "value": "1", "unit": "km"},
            {"metric": "fibre_km", "value": "0", "unit": "people"},
        ]
        assert [
            ("currency.unknown", "$.amount.currency"),
            ("value.not_positive", "$.targets[1].value"),
            ("unit.dimension", "$.targets[1].unit"),
        ] == issues_of(raw)

    def test_path_given(self) -> None:
        """The caller's path roots the issues."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            structure(document(sdgs=[18]), path="$.pledges[3]")
        assert ["$.pledges[3].sdgs[0]"] == [issue.path for issue in caught.value.issues]

    @pytest.mark.parametrize("raw", [None, [], "pledge", 5, True])
    def test_not_an_object(self, raw: object) -> None:
        """Anything but an object is value.type at the root, never a TypeError."""
        assert [("value.type", "$")] == issues_of(raw)

    def test_odd_key_path(self) -> None:
        """A key that is not an identifier is written in brackets in the path."""
        assert [("key.unknown", '$["my key"]')] == issues_of({**document(), "my key": 1})

    def test_issue_values(self) -> None:
        """Each issue carries the value as it was given."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            structure(document(sdgs=[18], colour="blue"))
        assert [18, "blue"] == [issue.value for issue in caught.value.issues]


class TestLongLists:
    @pytest.mark.parametrize(
        ("field", "item"),
        [
            ("pledge_types", "x"),
            ("targets", {"metric": "x"}),
            ("co_pledgers", {"name": 5}),
            ("sdgs", 99),
        ],
    )
    def test_a_list_reports_its_first_items_then_how_many_more(
        self, field: str, item: Any
    ) -> None:
        """A list of 1,000 bad items: the first ITEM_ISSUES each located, then one issues.limit at the list."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            structure(document(**{field: [item] * 1000}))
        issues = caught.value.issues
        limit = p2c.io._convert.ITEM_ISSUES
        indexes = {
            int(m.group(1)) for i in issues if (m := re.match(rf"\$\.{field}\[(\d+)\]", i.path))
        }
        assert set(range(limit)) == indexes
        last = issues[-1]
        assert ("issues.limit", 1000) == (last.code, last.value)
        assert f"{limit} items of this list of 1000" in last.message

    def test_few_bad_items_are_each_reported(self) -> None:
        """Under the cap, every bad item is its own issue, in order."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            structure(document(pledge_types=["financial", "x", "y"]))
        assert ["$.pledge_types[1]", "$.pledge_types[2]"] == [
            issue.path for issue in caught.value.issues
        ]


class TestUnstructure:
    def test_wire_format(self) -> None:
        """Decimals and dates are strings, enums their values; None and [] are left out."""
        raw = document()
        assert {**raw, "status": "announced"} != unstructure(structure(raw))
        assert raw | {"pledger": raw["pledger"] | {"region": "africa"}} == unstructure(
            structure(raw)
        )

    def test_extras_are_written_back(self) -> None:
        """Extras are written as keys of the pledge."""
        pledge = p2c.Pledge(**{**_fields(structure(document())), "extras": {"note": 1}})
        assert 1 == unstructure(pledge)["note"]

    def test_extra_named_like_a_field(self) -> None:
        """An extra key that is also a field name is key.conflict, not a silent overwrite."""
        pledge = p2c.Pledge(**{**_fields(structure(document())), "extras": {"title": "x"}})
        with pytest.raises(p2c.PledgeDataError) as caught:
            unstructure(pledge)
        assert ["key.conflict"] == caught.value.codes

    @given(pst.pledges())
    def test_round_trip(self, pledge: p2c.Pledge) -> None:
        """structure(unstructure(x)) == x, through JSON types only."""
        assert pledge == structure(copy.deepcopy(unstructure(pledge)))

    def test_converter_is_cattrs(self) -> None:
        """make_converter() gives a cattrs converter that structures with the same strictness."""
        converter = make_converter()
        assert Decimal("1.50") == converter.structure("1.50", Decimal)
        with pytest.raises(p2c.PledgeDataError):
            converter.structure(1.5, Decimal)

    @given(pst.pledges())
    def test_made_converter_builds_what_structure_builds(self, pledge: p2c.Pledge) -> None:
        raw = unstructure(pledge)
        assert make_converter().structure(raw, p2c.Pledge) == structure(raw) == pledge
        assert make_converter().unstructure(pledge) == raw

    def test_a_made_converter_is_the_callers_own(self) -> None:
        """Hooks registered on it change it, and nothing of the library's readers."""
        mine = make_converter()
        mine.register_structure_hook(Decimal, lambda value, _type: Decimal(str(value)))
        assert Decimal("1.5") == mine.structure(1.5, Decimal)
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.loads_one(b'{"amount": {"amount": 1.5, "currency": "EUR"}}')
        assert "value.float_money" in {issue.code for issue in caught.value.issues}
        assert make_converter() is not make_converter()

    def test_the_old_module_converter_is_deprecated(self) -> None:
        with pytest.warns(DeprecationWarning, match="make_converter"):
            old = p2c.io.converter
        assert Decimal(2) == old.structure("2", Decimal)
        assert "converter" not in p2c.io.__all__


def _fields(pledge: p2c.Pledge) -> dict[str, Any]:
    return {name: getattr(pledge, name) for name in pledge.__slots__ if name != "__weakref__"}


class TestCodes:
    def test_every_code_is_documented(self) -> None:
        """Each code the readers add is listed on the Files and schemas page."""
        page = (Path(__file__).parent.parent / "docs" / "files.md").read_text(encoding="utf-8")
        assert [] == [code for code in ISSUE_CODES if f"| `{code}` |" not in page]

    def test_every_code_in_the_source_is_listed(self) -> None:
        """No code is raised by the io package without being in ISSUE_CODES (or the model's)."""
        source = "".join(
            path.read_text(encoding="utf-8")
            for path in (Path(p2c.io.__file__).parent).glob("*.py")
        )
        used = set(re.findall(r'code="([a-z_]+\.[a-z_]+)"', source))
        used |= set(re.findall(r'single\(\s*"([a-z_]+\.[a-z_]+)"', source))
        model = {"value.float_money", "value.out_of_range", "value.enum", "sdg.range"}
        assert set() == used - set(ISSUE_CODES) - set(rules.RULE_CODES) - model

    def test_error_rules_are_those_the_readers_check(self) -> None:
        """The readers check every error rule; a new one must be added to them."""
        errors = {
            code for code, severity in rules.RULE_CODES.items() if severity is Severity.ERROR
        }
        assert {"id.duplicate", "period.order", "amount.negative"} == errors
