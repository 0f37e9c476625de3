"""The generated JSON Schema and Table Schema, and their agreement with the readers."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import frictionless
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import p2c_pledges as p2c
from helpers import document, perturbed_documents
from p2c_pledges import conformance
from p2c_pledges import strategies as pst
from p2c_pledges.io import NOT_IN_JSON_SCHEMA, SCHEMA_ID, json_schema, loads, table_schema
from p2c_pledges.io._fields import TABLES
from p2c_pledges.io._schema import NOT_IN_TABLE_SCHEMA


VALIDATOR = Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
#: A bare array of pledges, validated by the document schema's #/$defs/Pledges.
ARRAY_VALIDATOR = Draft202012Validator(
    {"$ref": "#/$defs/Pledges", "$defs": json_schema()["$defs"]},
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
PLEDGE_VALIDATOR = Draft202012Validator(
    json_schema("pledge"), format_checker=Draft202012Validator.FORMAT_CHECKER
)


def envelope(*pledges: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": "1.0", "pledges": list(pledges)}


def library_codes(value: Any) -> list[str]:
    """The codes the library reports for a document (empty when it loads)."""
    try:
        loads(json.dumps(value))
    except p2c.PledgeDataError as error:
        return error.codes
    return []


def agree(value: Any) -> None:
    """The library and the schema agree, except on the rules the schema cannot say."""
    codes = library_codes(value)
    valid = VALIDATOR.is_valid(value)
    if valid and codes:
        assert set() == set(codes) - set(NOT_IN_JSON_SCHEMA), codes
    else:
        assert (not codes) == valid, (codes, [e.message for e in VALIDATOR.iter_errors(value)])


class TestJsonSchema:
    def test_is_a_2020_12_schema(self) -> None:
        """The schema is a valid draft 2020-12 schema with its $id."""
        schema = json_schema()
        Draft202012Validator.check_schema(schema)
        assert ("https://json-schema.org/draft/2020-12/schema", SCHEMA_ID) == (
            schema["$schema"],
            schema["$id"],
        )

    @pytest.mark.parametrize("cls", [p2c.Pledge, p2c.Pledger, p2c.Money, p2c.Target])
    def test_generated_from_the_classes(self, cls: type) -> None:
        """Each class's properties are the arguments of its __init__; the required ones have no default."""
        definition = json_schema()["$defs"][cls.__name__]
        fields = [field for field in attrs.fields(cls) if field.name != "extras" and field.init]
        assert [field.alias for field in fields] == list(definition["properties"])
        assert [field.alias for field in fields if field.default is attrs.NOTHING] == definition[
            "required"
        ]
        assert definition["additionalProperties"] is False

    def test_descriptions_from_docstrings(self) -> None:
        """Titles and descriptions come from the classes' docstrings."""
        target = json_schema()["$defs"]["Target"]
        assert target["description"].startswith("A measurable target of a pledge")
        assert target["properties"]["deadline"]["description"].startswith("The date by which")

    def test_vocabularies_and_codes(self) -> None:
        """Enums come from the vocabularies; countries and currencies list their codes."""
        definitions = json_schema()["$defs"]
        assert [area.value for area in p2c.FocusArea] == definitions["Pledge"]["properties"][
            "focus_areas"
        ]["items"]["enum"]
        assert "XOF" in definitions["Money"]["properties"]["currency"]["enum"]
        assert {"GH", "GHA"} <= set(
            definitions["Pledger"]["properties"]["country"]["anyOf"][0]["enum"]
        )

    def test_root_is_the_envelope(self) -> None:
        """The root is the envelope (no anyOf); a bare array is #/$defs/Pledges."""
        schema = json_schema()
        assert ("object", ["schema_version", "pledges"], None) == (
            schema["type"],
            schema["required"],
            schema.get("anyOf"),
        )
        assert "#/$defs/Pledges" == schema["properties"]["pledges"]["$ref"]
        assert {"type": "array", "items": {"$ref": "#/$defs/Pledge"}}.items() <= schema["$defs"][
            "Pledges"
        ].items()

    def test_errors_at_their_pointer(self) -> None:
        """Each error is at its place in the document, not once at the root (issue 14)."""
        value = envelope(
            document(pledger={"name": "A", "sector": "government", "country": "gh"}),
            document(id="p-2", announced_on="2022-02-30"),
        )
        assert {"$.pledges[0].pledger.country", "$.pledges[1].announced_on"} == {
            error.json_path for error in VALIDATOR.iter_errors(value)
        }
        assert {"$[0].pledger.country", "$[1].announced_on"} == {
            error.json_path for error in ARRAY_VALIDATOR.iter_errors(value["pledges"])
        }

    def test_ref_template_on_the_document(self) -> None:
        """ref_template writes the bare array's reference too: every $ref goes there."""
        schema = json_schema(ref_template="#/components/schemas/{name}")
        refs = _refs(schema)
        assert "#/components/schemas/Pledges" in refs
        assert [] == [ref for ref in refs if not ref.startswith("#/components/schemas/")]

    def test_a_copy_each_time(self) -> None:
        """Changing the returned schema does not change the next one."""
        json_schema()["$defs"].clear()
        assert "Pledge" in json_schema()["$defs"]

    def test_unknown_root(self) -> None:
        """Only a document or a pledge has a schema."""
        with pytest.raises(ValueError, match="root"):
            json_schema("target")  # type: ignore[arg-type]


class TestAgreement:
    @given(pst.pledge_documents())
    def test_valid_documents(self, raw: dict[str, Any]) -> None:
        """Every generated valid pledge validates, in an envelope, a bare array and alone."""
        assert VALIDATOR.is_valid(envelope(raw))
        assert ARRAY_VALIDATOR.is_valid([raw])
        assert PLEDGE_VALIDATOR.is_valid(raw)

    @given(pst.invalid_pledge_documents())
    def test_invalid_documents(self, case: tuple[dict[str, Any], list[tuple[str, str]]]) -> None:
        """Every mutated pledge is refused by the library, and by the schema if it can say why."""
        raw, expected = case
        value = envelope(raw)
        assert library_codes(value)
        if any(code not in NOT_IN_JSON_SCHEMA for code, _ in expected):
            assert not VALIDATOR.is_valid(value)
        else:  # the schema says some of these (a plain "1.5" share), not all
            agree(value)

    @given(perturbed_documents())
    def test_perturbed_documents(self, raw: dict[str, Any]) -> None:
        """On any document, the schema and the library agree but for the rules it cannot say."""
        agree(envelope(copy.deepcopy(raw)))

    @pytest.mark.parametrize(
        ("changes", "code"),
        [
            ({"amount": {"amount": "-5", "currency": "USD"}}, "amount.negative"),
            ({"amount": {"amount": "1" * 21, "currency": "USD"}}, "value.out_of_range"),
            ({"amount": {"amount": "0." + "1" * 19, "currency": "USD"}}, "value.out_of_range"),
            ({"description": " \u3000"}, "text.empty"),
            ({"description": "x" * 100_001}, "text.too_long"),
            ({"source_url": "https://a b"}, "url.invalid"),
            ({"source_url": "mailto:x"}, "url.invalid"),
            ({"progress": "1.01"}, "progress.range"),
            ({"progress": "-0.5"}, "progress.range"),
            (
                {"targets": [{"metric": "fibre_km", "value": "0.0", "unit": "km"}]},
                "value.not_positive",
            ),
            ({"targets": [{"metric": "fibre_km", "value": "1", "unit": "4 km"}]}, "unit.unknown"),
            ({"beneficiary_countries": ["GH", "GH"]}, "list.duplicate"),
            ({"announced_on": "2022-06-07\n"}, "date.syntax"),
            ({"announced_on": "0000-01-01"}, "date.syntax"),
            ({"announced_on": "2023-02-29"}, "date.syntax"),
            ({"announced_on": "1900-02-29"}, "date.syntax"),
            (
                {"targets": [{"metric": "fibre_km", "value": "1" * 21, "unit": "km"}]},
                "value.out_of_range",
            ),
            (
                {"targets": [{"metric": "fibre_km", "value": "1." + "1" * 19, "unit": "km"}]},
                "value.out_of_range",
            ),
            ({"pledge_types": []}, "list.empty"),
            ({"sdgs": [True]}, "value.type"),
        ],
    )
    def test_refused_by_both(self, changes: dict[str, Any], code: str) -> None:
        """Each of these mistakes is refused by the library (with its code) and the schema."""
        value = envelope(document(**changes))
        assert code in library_codes(value)
        assert not VALIDATOR.is_valid(value)

    @pytest.mark.parametrize(
        ("changes", "code"),
        [
            ({"period_start": "2024-01-01", "period_end": "2023-01-01"}, "period.order"),
            ({"beneficiary_countries": ["GH", "GHA"]}, "list.duplicate"),
            (
                {"targets": [{"metric": "fibre_km", "value": "1", "unit": "parsec_foo"}]},
                "unit.unknown",
            ),
            (
                {"targets": [{"metric": "fibre_km", "value": "1", "unit": "people"}]},
                "unit.dimension",
            ),
            ({"amount": {"amount": "1E+25", "currency": "USD"}}, "value.out_of_range"),
            ({"progress": "5E+1"}, "progress.range"),
        ],
    )
    def test_rules_the_schema_cannot_say(self, changes: dict[str, Any], code: str) -> None:
        """The listed exceptions: the schema accepts, the library refuses with that code."""
        value = envelope(document(**changes))
        assert VALIDATOR.is_valid(value)
        assert [code] == library_codes(value)
        assert code in NOT_IN_JSON_SCHEMA

    def test_null_status(self) -> None:
        """null is not a status: a field with a default is not nullable."""
        value = envelope({**document(), "status": None})
        assert (False, ["value.type"]) == (VALIDATOR.is_valid(value), library_codes(value))

    def test_duplicate_ids(self) -> None:
        """Ids repeated across pledges: the schema cannot say it (id.duplicate)."""
        value = envelope(document(), document())
        assert (True, ["id.duplicate"]) == (VALIDATOR.is_valid(value), library_codes(value))

    @given(st.text("0123456789.-+eE ", min_size=1, max_size=8))
    def test_decimal_spellings(self, text: str) -> None:
        """For any spelling of a number, the schema and the library agree on each decimal field."""
        agree(envelope(document(amount={"amount": text, "currency": "USD"})))
        agree(envelope(document(targets=[{"metric": "fibre_km", "value": text, "unit": "km"}])))
        agree(envelope(document(progress=text)))

    @given(st.text("0123456789-T: \n", min_size=1, max_size=12))
    def test_date_spellings(self, text: str) -> None:
        """For any spelling of a date, the schema (asserting formats) and the library agree."""
        agree(envelope(document(announced_on=text)))

    @given(
        st.from_regex(r"[0-9]{1,21}(?:\.[0-9]{1,19})?", fullmatch=True),
    )
    def test_long_decimals(self, text: str) -> None:
        """Around the digit limits (20 before the point, 18 after), money and targets agree."""
        agree(envelope(document(amount={"amount": text, "currency": "USD"})))
        agree(envelope(document(targets=[{"metric": "fibre_km", "value": text, "unit": "km"}])))

    @given(st.text(min_size=1, max_size=4))
    def test_blank_text(self, text: str) -> None:
        """Whatever the whitespace, the schema and the library agree on what is blank."""
        agree(envelope(document(title=text)))

    def test_version(self) -> None:
        """The schema version pattern is the library's: 1.x, and nothing after it."""
        for version, valid in (("1.0", True), ("1.12", True), ("2.0", False), ("1.0\n", False)):
            value = {"schema_version": version, "pledges": []}
            assert (valid, valid) == (VALIDATOR.is_valid(value), not library_codes(value))


#: Where an instance of each class is in :func:`document`.
_PLACES: dict[str, tuple[str | int, ...]] = {
    "Pledge": (),
    "Pledger": ("pledger",),
    "Money": ("amount",),
    "Target": ("targets", 0),
}
PROPERTIES = [
    (name, field) for name in _PLACES for field in json_schema()["$defs"][name]["properties"]
]


def _changed(place: tuple[str | int, ...], field: str, value: Any) -> dict[str, Any]:
    """An envelope of :func:`document` with one field of one of its objects set."""
    raw = document()
    target: Any = raw
    for step in place:
        target = target[step]
    target[field] = value
    return envelope(raw)


def _an_item(item: dict[str, Any]) -> Any:
    """A valid value of an item schema."""
    if "enum" in item:
        return item["enum"][0]
    return {
        "#/$defs/Pledger": document()["pledger"],
        "#/$defs/Target": document()["targets"][0],
    }[item["$ref"]]


class TestPlainForGenerators:
    """The schema says what a code generator can use: null, uniqueItems, format (issue 14)."""

    @pytest.mark.parametrize(("name", "field"), PROPERTIES)
    def test_null_only_where_the_library_takes_it(self, name: str, field: str) -> None:
        """A property allows null exactly when the library reads null there."""
        schema = json_schema()["$defs"][name]["properties"][field]
        nullable = {"type": "null"} in schema.get("anyOf", [])
        value = _changed(_PLACES[name], field, None)
        assert (nullable, nullable) == (not library_codes(value), VALIDATOR.is_valid(value))
        assert "null" not in json.dumps(
            {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
        )

    @pytest.mark.parametrize(
        "field",
        [
            field
            for field, schema in json_schema()["$defs"]["Pledge"]["properties"].items()
            if schema.get("type") == "array"
        ],
    )
    def test_unique_items_where_the_library_refuses_repeats(self, field: str) -> None:
        """Every list the library refuses a repeat in says uniqueItems."""
        schema = json_schema()["$defs"]["Pledge"]["properties"][field]
        item = _an_item(schema["items"])
        value = _changed((), field, [item, item])
        assert (True, ["list.duplicate"], False) == (
            schema["uniqueItems"],
            library_codes(value),
            VALIDATOR.is_valid(value),
        )

    def test_dates_say_format_and_pattern(self) -> None:
        """Every date property has format date and the calendar pattern."""
        dates = [
            schema
            for name in _PLACES
            for schema in json_schema()["$defs"][name]["properties"].values()
            for schema in [schema, *schema.get("anyOf", [])]
            if schema.get("format") == "date"
        ]
        assert len(dates) == 5
        assert {DATE_PATTERN.pattern} == {schema["pattern"] for schema in dates}


class TestTableSchema:
    @pytest.mark.parametrize("table", [table.name for table in TABLES])
    def test_valid_descriptor(self, table: str) -> None:
        """Each Table Schema is one frictionless accepts."""
        report = frictionless.Schema.validate_descriptor(table_schema(table))
        assert report.valid, report.flatten(["type", "note"])

    def test_fields_are_the_columns(self) -> None:
        """The fields are the CSV columns, named by attribute path, required as the model says."""
        fields = table_schema()["fields"]
        assert [column.heading for column in TABLES[0].columns] == [
            field["name"] for field in fields
        ]
        required = {
            field["name"] for field in fields if field.get("constraints", {}).get("required")
        }
        assert {
            "id",
            "title",
            "pledger/name",
            "pledger/sector",
            "pledge_types",
            "focus_areas",
            "announced_on",
        } == required

    def test_keys(self) -> None:
        """The pledges table has id as primary key; child tables link to it by pledge_id."""
        assert ["id"] == table_schema()["primaryKey"]
        assert [
            {"fields": ["pledge_id"], "reference": {"resource": "pledges", "fields": ["id"]}}
        ] == (table_schema("targets")["foreignKeys"])

    def test_frictionless_on_a_long_unit(self, tmp_path: Path) -> None:
        """frictionless refuses a 1,000-character unit at once (14 s at 67 characters before)."""
        schema = table_schema("targets")
        del schema["foreignKeys"]  # this package has no pledges table
        descriptor = {
            "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
            "name": "targets",
            "resources": [
                {"name": "targets", "path": "targets.csv", "format": "csv", "schema": schema}
            ],
        }
        (tmp_path / "targets.datapackage.json").write_text(json.dumps(descriptor), "utf-8")
        unit = ("a  " * 333) + "!"
        (tmp_path / "targets.csv").write_text(
            f"pledge_id,metric,value,unit,deadline\r\np-1,fibre_km,1,{unit},\r\n", "utf-8"
        )
        start = time.perf_counter()
        report = frictionless.validate(str(tmp_path / "targets.datapackage.json"))
        seconds = time.perf_counter() - start
        notes = [note for _, note in report.flatten(["type", "note"])]
        assert (2, True, True) == (
            len(notes),
            notes[0].startswith('constraint "maxLength"'),
            notes[1].startswith('constraint "pattern"'),
        )
        assert seconds < 5

    def test_unknown_table(self) -> None:
        """An unknown table is a ValueError naming the tables."""
        with pytest.raises(ValueError, match="co_pledgers"):
            table_schema("pledgers")


#: A pledge with every table used: a target and an amount.
_TABLE_PLEDGE = document(
    amount={"amount": "5", "currency": "USD"},
    progress="0.5",
    targets=[{"metric": "fibre_km", "value": "1", "unit": "km"}],
)


def _package_with(folder: Path, table: str, column: str, cell: str) -> Path:
    """The data package of :data:`_TABLE_PLEDGE` with one cell changed (hashes updated)."""
    p2c.dump(loads(json.dumps(envelope(_TABLE_PLEDGE))), folder / "p.csv")
    _set_cell(folder / ("p.csv" if table == "pledges" else f"p.{table}.csv"), column, cell)
    return _rehash(folder / "p.datapackage.json")


def _table_verdicts(descriptor: Path) -> tuple[list[str], bool]:
    """The library's codes on a data package, and whether frictionless passes it."""
    try:
        p2c.load(descriptor)
    except p2c.PledgeDataError as error:
        codes = error.codes
    else:
        codes = []
    return codes, frictionless.validate(str(descriptor)).valid


class TestTableSchemaAgreement:
    """frictionless validate and the CSV reader agree, but for NOT_IN_TABLE_SCHEMA."""

    @pytest.mark.parametrize(
        ("table", "column", "cell", "code"),
        [
            ("pledges", "title", "x" * 100_001, "text.too_long"),
            ("pledges", "source_url", "https://a.org/" + "a" * 100_000, "text.too_long"),
            ("pledges", "beneficiary_countries", "XX", "country.unknown"),
            ("pledges", "beneficiary_countries", "GH;XX", "country.unknown"),
            ("pledges", "amount/amount", "Infinity", "decimal.syntax"),
            ("pledges", "amount/amount", "1" * 21, "value.out_of_range"),
            ("targets", "value", "inf", "decimal.syntax"),
            ("targets", "value", "1E+25", "value.out_of_range"),
            ("pledges", "sdgs", "18", "sdg.range"),
            ("pledges", "focus_areas", "access;", "value.enum"),
        ],
    )
    def test_refused_by_both(
        self, tmp_path: Path, table: str, column: str, cell: str, code: str
    ) -> None:
        """A cell the library refuses for a rule the Table Schema says, frictionless refuses too."""
        codes, valid = _table_verdicts(_package_with(tmp_path, table, column, cell))
        assert ([code], False) == (codes, valid)

    @pytest.mark.parametrize(
        ("table", "column", "cell", "code"),
        [
            ("pledges", "amount/amount", "+1", "decimal.syntax"),
            ("pledges", "amount/amount", ".5", "decimal.syntax"),
            ("targets", "value", "1_000", "decimal.syntax"),
            ("pledges", "announced_on", "2022-6-7", "date.syntax"),
            ("pledges", "amount/amount", "0." + "1" * 19, "value.out_of_range"),
            ("pledges", "beneficiary_countries", "GH;GHA", "list.duplicate"),
            ("pledges", "sdgs", "9;9", "list.duplicate"),
            ("targets", "unit", "people", "unit.dimension"),
            ("targets", "unit", "parsec_foo", "unit.unknown"),
            ("pledges", "period_end", "2000-01-01", "period.order"),
        ],
    )
    def test_listed_where_the_schema_cannot_say(
        self, tmp_path: Path, table: str, column: str, cell: str, code: str
    ) -> None:
        """A cell frictionless passes but the library refuses has its code in NOT_IN_TABLE_SCHEMA."""
        descriptor = _package_with(tmp_path, table, column, cell)
        if column == "period_end":  # a period needs its start
            _set_cell(descriptor.with_name("p.csv"), "period_start", "2001-01-01")
            descriptor = _rehash(descriptor)
        assert ([code], True) == _table_verdicts(descriptor)
        assert code in NOT_IN_TABLE_SCHEMA

    def test_codes_are_registered(self) -> None:
        """Every code beyond the Table Schema is one the library raises."""
        assert set() == set(NOT_IN_TABLE_SCHEMA) - set(conformance.ALL_CODES)

    @pytest.mark.parametrize("name", ["beneficiary_countries", "sdgs", "focus_areas"])
    def test_list_pattern_takes_exactly_the_values(self, name: str) -> None:
        """A list cell's pattern takes each value the JSON Schema's enum has, alone and joined, and no other."""
        (field,) = [f for f in table_schema()["fields"] if f["name"] == name]
        pattern = re.compile(f"^{field['constraints']['pattern']}$")
        values = [str(value) for value in _list_items(name)]
        assert [] == [value for value in values if not pattern.match(value)]
        assert pattern.match(";".join(values))
        assert [] == [
            text
            for text in ("", "XX", ";", f"{values[0]};", f"{values[0]} ", values[0].lower() + "x")
            if pattern.match(text)
        ]


def _list_items(name: str) -> list[Any]:
    """The values the JSON Schema takes in a list of the Pledge."""
    schema = json_schema()["$defs"]["Pledge"]["properties"][name]["items"]
    return list(schema["enum"])


def _set_cell(path: Path, column: str, cell: str) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[1][rows[0].index(column)] = cell
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\r\n").writerows(rows)


def _rehash(descriptor_path: Path) -> Path:
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        digest = hashlib.sha256(
            (descriptor_path.parent / resource["path"]).read_bytes()
        ).hexdigest()
        resource["hash"] = f"sha256:{digest}"
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    return descriptor_path


def _refs(value: Any) -> list[str]:
    """Every $ref in a JSON value."""
    if isinstance(value, dict):
        own = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return own + [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


class TestOpenApi:
    @staticmethod
    def openapi() -> dict[str, Any]:
        """An OpenAPI 3.1 document holding the pledge schema as its components."""
        schema = json_schema("pledge", ref_template="#/components/schemas/{name}")
        components = schema.pop("$defs")
        components["Pledge"] = schema
        body = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pledge"}}}
        }
        return {
            "openapi": "3.1.0",
            "info": {"title": "Pledges", "version": "1"},
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "paths": {
                "/pledges": {
                    "post": {"requestBody": body, "responses": {"201": {"description": "stored"}}}
                }
            },
            "components": {"schemas": components},
        }

    def test_every_reference_resolves_at_the_document_root(self) -> None:
        """Every $ref of the schema, placed in components/schemas, resolves in the OpenAPI document."""
        from referencing import Registry, Resource  # noqa: PLC0415 - jsonschema's own library
        from referencing.jsonschema import DRAFT202012  # noqa: PLC0415

        document = self.openapi()
        uri = "urn:example:openapi"
        registry = Registry().with_resource(uri, Resource(document, specification=DRAFT202012))
        resolver = registry.resolver(base_uri=uri)
        refs = _refs(document)
        assert {"#/components/schemas/Pledge", "#/components/schemas/Money"} <= set(refs)
        for ref in refs:
            assert isinstance(resolver.lookup(ref).contents, dict), ref

    @given(raw=pst.pledge_documents())
    def test_a_pledge_validates_through_the_openapi_document(self, raw: dict[str, Any]) -> None:
        """A valid pledge is valid against the schema as the OpenAPI document holds it."""
        from referencing import Registry, Resource  # noqa: PLC0415
        from referencing.jsonschema import DRAFT202012  # noqa: PLC0415

        uri = "urn:example:openapi"
        registry = Registry().with_resource(
            uri, Resource(self.openapi(), specification=DRAFT202012)
        )
        validator = Draft202012Validator(
            {"$ref": f"{uri}#/components/schemas/Pledge"}, registry=registry
        )
        assert [] == list(validator.iter_errors(raw))

    def test_template_needs_a_name(self) -> None:
        """A template without {name} is refused."""
        with pytest.raises(ValueError, match="name"):
            json_schema(ref_template="#/components/schemas/")


def _patterns(schema: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every ``pattern`` of a JSON Schema or a Table Schema, with where it is."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield where, value
            else:
                yield from _patterns(value, f"{where}/{schema.get('name', key)}")
    elif isinstance(schema, list):
        for item in schema:
            yield from _patterns(item, where)


def _schema_patterns() -> dict[str, str]:
    """Every pattern of both schemas, by where it is, as validators run it.

    A JSON Schema validator searches for a JSON Schema pattern; frictionless
    matches ``^pattern$`` for a Table Schema one, and a JSON Schema validator
    given that one would search: both are here.
    """
    found: dict[str, str] = {}
    for where, pattern in _patterns(json_schema(), "json"):
        found.setdefault(pattern, where)
    for table in TABLES:
        for where, pattern in _patterns(table_schema(table.name)["fields"], table.name):
            found.setdefault(pattern, f"table:{where}")
            found.setdefault(f"^{pattern}$", f"frictionless:{where}")
    return {where: pattern for pattern, where in found.items()}


#: Every pattern of both schemas, by where it is first found.
SCHEMA_PATTERNS = _schema_patterns()

#: What an attack repeats: the characters the patterns name, and runs of them
#: that two parts of a pattern could both take.
_REPEATED = [
    *" \t\n\u3000aAµ019.-eE+*/^;:_x",
    "a ",
    "a  ",
    "a \t",
    "a\t ",
    " *",
    "a *",
    "a * ",
    "a **",
    "a**2 ",
    " \t",
    "1.",
    "0.",
    "1e",
    "-0",
    "AB",
    "AB;",
    "1;",
    "1.0",
    "access;",
    "2022-01-01",
    "http://",
    "https://a",
]
_PREFIXES = ["", "a", "1", "0.", "-", "1e", "http://", "A", "GH;", "2024-02-", "access;"]
_ENDS = ["", "!", "\n", " ", ";", "e", "."]
#: Adversarial strings: a valid start, one run repeated to 1,000 characters, a bad end.
ADVERSARIAL = sorted(
    {
        (prefix + run * 1000)[: 1000 - len(end)] + end
        for run in _REPEATED
        for prefix in _PREFIXES
        for end in _ENDS
    }
)
#: A pattern may take this long on a string of 1,000 characters (issue 14: 0.1 s);
#: the ones here take well under a millisecond.
PATTERN_TIME_LIMIT = 0.1


def _seconds(validator: Draft202012Validator, text: str) -> float:
    """The time the validator takes on the text: the best of three, if the first is slow."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        validator.is_valid(text)
        times.append(time.perf_counter() - start)
        if times[-1] < PATTERN_TIME_LIMIT / 10:
            break
    return min(times)


class TestPatterns:
    def test_every_pattern_is_found(self) -> None:
        """The patterns of both schemas are collected: unit, date, decimals, text, lists."""
        assert len(SCHEMA_PATTERNS) > 15
        assert {
            "json/$defs/Target/properties/unit",
            "table:targets/unit",
            "frictionless:targets/unit",
            "json/$defs/Pledge/properties/announced_on",
        } <= set(SCHEMA_PATTERNS)
        assert all(len(text) == 1000 for text in ADVERSARIAL)

    @pytest.mark.parametrize("where", SCHEMA_PATTERNS)
    def test_no_backtracking(self, where: str) -> None:
        """No adversarial string of 1,000 characters takes python-jsonschema 0.1 s on a pattern."""
        pattern = SCHEMA_PATTERNS[where]
        validator = Draft202012Validator({"type": "string", "pattern": pattern})
        slow = {
            text[:20]: seconds
            for text in ADVERSARIAL
            if (seconds := _seconds(validator, text)) > PATTERN_TIME_LIMIT
        }
        assert {} == slow

    @pytest.mark.parametrize("where", SCHEMA_PATTERNS)
    def test_no_backtracking_in_jsonschema_rs(self, where: str) -> None:
        """Nor does any take jsonschema-rs 0.1 s (it backtracks only for lookaheads)."""
        validator = jsonschema_rs.validator_for(
            {"type": "string", "pattern": SCHEMA_PATTERNS[where]}
        )
        slowest = 0.0
        for text in ADVERSARIAL:
            start = time.perf_counter()
            validator.is_valid(text)
            slowest = max(slowest, time.perf_counter() - start)
        assert slowest < PATTERN_TIME_LIMIT

    def test_no_backtracking_in_ajv(self, ajv: None) -> None:
        """Nor does any JSON Schema pattern take Ajv (allErrors, ECMAScript regexps) 0.1 s."""
        patterns = {
            where: pattern
            for where, pattern in SCHEMA_PATTERNS.items()
            if where.startswith("json")
        }
        milliseconds = run_ajv([], patterns.values(), ADVERSARIAL)["patterns"]
        slow = {
            where: took
            for where, took in zip(patterns, milliseconds, strict=True)
            if took > PATTERN_TIME_LIMIT * 1000
        }
        assert {} == slow

    @given(st.lists(st.sampled_from(_REPEATED), min_size=1, max_size=5), st.sampled_from(_ENDS))
    def test_no_backtracking_on_mixed_runs(self, runs: list[str], end: str) -> None:
        """Runs of several kinds, mixed to 1,000 characters, take no pattern 0.1 s either."""
        text = ("".join(runs) * 1000)[: 1000 - len(end)] + end
        for where, pattern in SCHEMA_PATTERNS.items():
            validator = Draft202012Validator({"type": "string", "pattern": pattern})
            assert _seconds(validator, text) < PATTERN_TIME_LIMIT, where


#: The JSON Schema's pattern of a date field.
DATE_PATTERN = re.compile(
    json_schema()["$defs"]["Pledge"]["properties"]["announced_on"]["pattern"]
)


def _is_date(text: str) -> bool:
    """Whether the text is YYYY-MM-DD and Python reads it as a date."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class TestDatePattern:
    @pytest.mark.parametrize("year", [1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 9999])
    def test_every_day_of_a_year(self, year: int) -> None:
        """Each day of leap and common years (1900 is not leap, 2000 is) matches; no other."""
        days = {f"{year:04}-{month:02}-{day:02}" for month in range(13) for day in range(33)}
        assert {day for day in days if _is_date(day)} == {
            day for day in days if DATE_PATTERN.search(day)
        }

    def test_year_zero(self) -> None:
        """The year 0000 is no date (Ajv's and jsonschema-rs's format: date accept it)."""
        assert DATE_PATTERN.search("0000-01-01") is None

    @given(st.text("0123456789-", min_size=10, max_size=10))
    def test_any_spelling(self, text: str) -> None:
        """The pattern matches exactly the texts Python reads as dates."""
        assert _is_date(text) == bool(DATE_PATTERN.search(text))

    @given(st.dates())
    def test_any_date(self, date: dt.date) -> None:
        """Every date Python has matches."""
        assert DATE_PATTERN.search(date.isoformat())


# --- Three validators nobody here wrote ----------------------------------------------

#: The folder whose node_modules holds Ajv (``npm ci`` there, as .ci/run does).
NODE_PROJECT = Path(__file__).resolve().parent.parent
AJV_SCRIPT = Path(__file__).with_name("_ajv.cjs")
#: Codes of the readers that no schema sees: the text is not JSON (or not UTF-8),
#: nests deeper than a parser follows, or repeats a key, which the parser drops.
NOT_JSON = {"json.syntax", "file.encoding", "json.depth", "key.duplicate"}
#: The codes of the rules beyond the schema: a document refused only for these
#: may pass it.
BEYOND_THE_SCHEMA = set(NOT_IN_JSON_SCHEMA) | NOT_JSON
BARE_ARRAY = "#/$defs/Pledges"


def bare_array_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a bare array of pledges, as docs/interop.md writes it."""
    return {"$schema": schema["$schema"], "$ref": BARE_ARRAY, "$defs": schema["$defs"]}


def _pointer(path: Iterable[str | int]) -> str:
    """A JSON pointer (RFC 6901) to the path."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def ajv_missing() -> str | None:
    """Why Ajv cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed: the Ajv tests need Node.js and npm"
    for package in ("ajv", "ajv-formats"):
        if not (NODE_PROJECT / "node_modules" / package / "package.json").exists():
            return f"the npm package {package} is not installed: run `npm ci` in {NODE_PROJECT}"
    return None


@pytest.fixture(scope="module")
def ajv() -> None:
    """Skip when Ajv cannot run; under CI, fail when Node is there but not the packages."""
    reason = ajv_missing()
    if reason is None:
        return
    if os.environ.get("CI") and shutil.which("node") is not None:
        pytest.fail(f".ci/run installs Ajv where Node is present: {reason}")
    pytest.skip(reason)


def run_ajv(
    documents: list[Any], patterns: Iterable[str] = (), texts: Iterable[str] = ()
) -> dict[str, Any]:
    """Ajv's verdicts on the documents (envelopes or bare arrays), and pattern timings."""
    request = {
        "schema": json_schema(),
        "documents": [
            {"ref": BARE_ARRAY if isinstance(value, list) else "", "value": value}
            for value in documents
        ],
        "patterns": list(patterns),
        "texts": list(texts),
    }
    node = shutil.which("node")
    assert node is not None
    completed = subprocess.run(
        [node, str(AJV_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=NODE_PROJECT,
    )
    assert 0 == completed.returncode, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


PYTHON = {
    "document": Draft202012Validator(
        json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    ),
    "array": Draft202012Validator(
        bare_array_schema(json_schema()), format_checker=Draft202012Validator.FORMAT_CHECKER
    ),
}
RUST = {
    "document": jsonschema_rs.validator_for(json_schema(), validate_formats=True),
    "array": jsonschema_rs.validator_for(bare_array_schema(json_schema()), validate_formats=True),
}


def python_verdict(document: Any) -> tuple[bool, str | None]:
    """python-jsonschema (format checking on): valid, and where its first error is."""
    validator = PYTHON["array" if isinstance(document, list) else "document"]
    first = next(iter(validator.iter_errors(document)), None)
    return (first is None, None if first is None else _pointer(first.absolute_path))


def rust_verdict(document: Any) -> tuple[bool, str | None]:
    """jsonschema-rs (format checking on): valid, and where its first error is."""
    validator = RUST["array" if isinstance(document, list) else "document"]
    first = next(iter(validator.iter_errors(document)), None)
    return (first is None, None if first is None else _pointer(first.instance_path))


def ajv_verdicts(documents: list[Any]) -> list[tuple[bool, str | None]]:
    """Ajv 2020 (strict, ajv-formats): valid, and where its first error is, for each document."""
    return [
        (answer["valid"], answer["errors"][0]["pointer"] if answer["errors"] else None)
        for answer in run_ajv(documents)["documents"]
    ]


def _document(case: conformance.Case) -> Any:
    """The JSON value a document case holds (JSON Lines wrapped in the envelope)."""
    text = case.input.decode("utf-8").removeprefix("\ufeff")
    if case.format == "jsonl":
        return envelope(*(json.loads(line) for line in text.splitlines() if line.strip()))
    return json.loads(text)


#: The document cases that a JSON Schema can be asked about: JSON that parses,
#: read with unknown keys refused (the schema's additionalProperties).
SCHEMA_CASES = [
    case
    for case in conformance.cases("document")
    if case.options.get("unknown", "error") == "error"
    and not case.codes & NOT_JSON
    and "text.encoding" not in case.codes
]
#: A lone surrogate (a \ud800 escape): jsonschema-rs holds strings in UTF-8 and cannot
#: take the document at all, one reason text.encoding is beyond the schema.
SURROGATE_CASES = [c for c in conformance.cases("document") if "text.encoding" in c.codes]


class TestThreeValidators:
    """python-jsonschema, jsonschema-rs and Ajv give the library's verdicts, alike (issue 14)."""

    def test_cases_cover_both_shapes(self) -> None:
        """The cases hold envelopes and a bare array, valid and invalid ones."""
        shapes = {(type(_document(case)).__name__, case.valid) for case in SCHEMA_CASES}
        assert {("dict", True), ("dict", False), ("list", True)} <= shapes

    @pytest.mark.parametrize("case", SCHEMA_CASES, ids=lambda case: case.name)
    def test_python_and_rust(self, case: conformance.Case) -> None:
        """Valid cases pass both; invalid ones fail both (unless beyond the schema), at one place."""
        document = _document(case)
        python, rust = python_verdict(document), rust_verdict(document)
        assert python == rust
        if case.valid:
            assert (True, None) == python
        elif not case.codes <= BEYOND_THE_SCHEMA:
            assert not python[0]

    @pytest.mark.parametrize("case", SURROGATE_CASES, ids=lambda case: case.name)
    def test_a_lone_surrogate_is_beyond_the_schema(self, case: conformance.Case) -> None:
        """jsonschema-rs cannot hold a lone surrogate; the library refuses it (text.encoding)."""
        assert "text.encoding" in NOT_IN_JSON_SCHEMA
        with pytest.raises(UnicodeEncodeError):
            rust_verdict(_document(case))

    def test_ajv(self, ajv: None) -> None:
        """Ajv gives each case the verdict of the other two, its first error at the same pointer."""
        documents = [_document(case) for case in SCHEMA_CASES]
        expected = {
            case.name: python_verdict(document)
            for case, document in zip(SCHEMA_CASES, documents, strict=True)
        }
        found = dict(zip(expected, ajv_verdicts(documents), strict=True))
        assert expected == found

    @pytest.mark.parametrize(
        ("changes", "pointer"),
        [
            (
                {"targets": [{"metric": "fibre_km", "value": "1", "unit": "4 km"}]},
                "/pledges/0/targets/0/unit",
            ),
            (
                {"pledger": {"name": "A", "sector": "government", "country": "gh"}},
                "/pledges/0/pledger/country",
            ),
            # A nullable object is an anyOf of null and Money: the error is the anyOf's.
            ({"amount": {"amount": "5", "currency": "usd"}}, "/pledges/0/amount"),
        ],
    )
    def test_errors_are_located(self, ajv: None, changes: dict[str, Any], pointer: str) -> None:
        """An error in a pledge is at its JSON pointer for all three, not at the root."""
        value = envelope(document(**changes))
        verdicts = {python_verdict(value), rust_verdict(value), *ajv_verdicts([value])}
        assert {(False, pointer)} == verdicts

    @pytest.mark.slow
    def test_generated_documents(self, ajv: None) -> None:
        """Generated valid documents pass all three; mutated ones get one verdict from all three."""
        # The dev profile makes a hundred valid documents and fifty mutated ones,
        # the thorough (ci) one a thousand and five hundred. Of several errors, each
        # validator reports first the one its order of keywords meets first; so the
        # first error's pointer is compared where there is one error.
        documents: list[Any] = []
        mutated: list[tuple[dict[str, Any], list[tuple[str, str]]]] = []

        @settings(
            max_examples=settings.default.max_examples * 10,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(pst.pledge_documents())
        def valid(pledge: dict[str, Any]) -> None:
            documents.append(envelope(pledge))

        @settings(
            max_examples=settings.default.max_examples * 5,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(pst.invalid_pledge_documents())
        def invalid(case: tuple[dict[str, Any], list[tuple[str, str]]]) -> None:
            mutated.append(case)

        valid()
        invalid()
        assert len(documents) >= settings.default.max_examples * 10
        documents += [envelope(pledge) for pledge, _ in mutated]
        must_fail = [False] * (len(documents) - len(mutated)) + [
            any(code not in BEYOND_THE_SCHEMA for code, _ in expected) for _, expected in mutated
        ]
        must_pass = [True] * (len(documents) - len(mutated)) + [False] * len(mutated)

        def verdicts(found: list[tuple[bool, str | None]]) -> list[tuple[bool, str | None]]:
            """The verdicts, with the first error's pointer only where there is one error."""
            return [
                (valid, pointer if single else None)
                for (valid, pointer), single in zip(found, singles, strict=True)
            ]

        singles = [len(list(PYTHON["document"].iter_errors(value))) == 1 for value in documents]
        python = verdicts([python_verdict(value) for value in documents])
        assert [] == [
            value
            for value, (valid, _), fail, passes in zip(
                documents, python, must_fail, must_pass, strict=True
            )
            if (fail and valid) or (passes and not valid)
        ]
        assert python == verdicts([rust_verdict(value) for value in documents])
        assert python == verdicts(ajv_verdicts(documents))
