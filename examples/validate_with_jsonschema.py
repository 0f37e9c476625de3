"""Export the JSON Schema and validate documents with ``jsonschema``, without this library.

Run: ``python examples/validate_with_jsonschema.py`` (needs ``pip install jsonschema``)

A partner that does not run Python (a web form, a database loader) can check
documents against the exported schema. The schema is generated from the model,
so it accepts what the library accepts, except for the rules a schema cannot
say, which ``p2c_pledges.io.NOT_IN_JSON_SCHEMA`` lists.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import jsonschema

import p2c_pledges as p2c


DOCUMENT = {
    "schema_version": "1.0",
    "pledges": [
        {
            "id": "js-1",
            "title": "Community networks",
            "pledger": {"name": "Example Foundation", "sector": "philanthropy"},
            "pledge_types": ["financial"],
            "focus_areas": ["access"],
            "announced_on": "2022-06-07",
            # Decimals are strings in JSON, so no reader turns them into floats.
            "amount": {"amount": "2500000.00", "currency": "CHF"},
        }
    ],
}


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        # What a partner would be given: the schema as a file.
        schema_file = Path(name) / "pledge-document.schema.json"
        schema_file.write_text(json.dumps(p2c.json_schema(), indent=2), encoding="utf-8")
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        print(f"schema {schema['$id']}: {schema_file.stat().st_size} bytes")

    # The format checker makes "format": "date" refuse 2022-02-30, as the library does.
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    print(f"valid document: {validator.is_valid(DOCUMENT)}")

    bad = json.loads(json.dumps(DOCUMENT))
    pledge = bad["pledges"][0]
    pledge["amount"] = {"amount": 2500000.0, "currency": "chf"}
    pledge["focus_areas"] = ["connectivity"]
    print(f"invalid document: {validator.is_valid(bad)}")
    # The envelope is the schema's root, so each error is located in the document.
    for error in sorted(validator.iter_errors(bad), key=lambda error: error.json_path):
        print(f"  {error.json_path}: {error.message[:80]}")

    # The library says the same, with stable codes.
    try:
        p2c.io.loads(json.dumps(bad))
    except p2c.PledgeDataError as error:
        print(f"the library agrees: {sorted(error.codes)}")

    print(f"not expressible in JSON Schema: {', '.join(p2c.io.NOT_IN_JSON_SCHEMA)}")


if __name__ == "__main__":
    main()
