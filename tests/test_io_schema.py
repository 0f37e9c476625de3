"""The generated JSON Schema and Table Schema, and their agreement with the readers."""

from __future__ import annotations

import copy
import json
from typing import Any

import attrs
import frictionless
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import p2c_pledges as p2c
from p2c_pledges import strategies as pst
from p2c_pledges.io import NOT_IN_JSON_SCHEMA, SCHEMA_ID, json_schema, loads, table_schema
from p2c_pledges.io._fields import TABLES
from test_io_convert import document
from test_io_fast import perturbed_documents


VALIDATOR = Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
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
        assert VALIDATOR.is_valid([raw])
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

    @given(st.text(min_size=1, max_size=4))
    def test_blank_text(self, text: str) -> None:
        """Whatever the whitespace, the schema and the library agree on what is blank."""
        agree(envelope(document(title=text)))

    def test_version(self) -> None:
        """The schema version pattern is the library's: 1.x, and nothing after it."""
        for version, valid in (("1.0", True), ("1.12", True), ("2.0", False), ("1.0\n", False)):
            value = {"schema_version": version, "pledges": []}
            assert (valid, valid) == (VALIDATOR.is_valid(value), not library_codes(value))


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

    def test_unknown_table(self) -> None:
        """An unknown table is a ValueError naming the tables."""
        with pytest.raises(ValueError, match="co_pledgers"):
            table_schema("pledgers")


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
