"""Write the conformance cases of ``p2c_pledges.conformance`` (run from the repository root).

    python scripts/make_conformance.py

Every case is declared here by hand, with the verdict the library must give:
the script writes the input files and the manifest, and never asks the library
what the verdict is (``tests/test_conformance.py`` does that, and fails when
the library and the case disagree). The only inputs made with the library are
the valid data packages, whose descriptor is the writer's own output. Output
is deterministic: run it twice and git sees no change.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


VERSION = "1.0"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "p2c_pledges" / "conformance" / "cases" / VERSION

BASE: dict[str, Any] = {
    "id": "p2c-0001",
    "title": "Rural broadband for 2,000 communities",
    "pledger": {"name": "Government of Ghana", "sector": "government", "country": "GH"},
    "pledge_types": ["financial"],
    "focus_areas": ["access"],
    "announced_on": "2022-06-07",
    "amount": {"amount": "155000000.00", "currency": "EUR"},
}

FULL: dict[str, Any] = {
    "id": "p2c-0002",
    "title": "Schools online in the Sahel",
    "pledger": {
        "name": "Connect Foundation",
        "sector": "philanthropy",
        "country": "SN",
        "region": "africa",
    },
    "pledge_types": ["financial", "programmatic"],
    "focus_areas": ["access", "adoption"],
    "announced_on": "2022-06-07",
    "description": "Connects schools and trains teachers.",
    "co_pledgers": [{"name": "Sahel Telecom", "sector": "private_sector", "country": "ML"}],
    "amount": {"amount": "2500000000", "currency": "XOF"},
    "value_date": "2022-07-01",
    "period_start": "2022-07-01",
    "period_end": "2025-06-30",
    "beneficiary_countries": ["SN", "MLI", "NE"],
    "beneficiary_regions": ["africa"],
    "beneficiary_groups": ["lldc", "ldc"],
    "target_groups": ["youth", "women_and_girls"],
    "sdgs": [4, 9],
    "targets": [
        {"metric": "schools_connected", "value": "1200", "unit": "school"},
        {"metric": "fibre_km", "value": "350.5", "unit": "km", "deadline": "2025-06-30"},
        {"metric": "bandwidth", "value": "100", "unit": "Mbit/s"},
    ],
    "status": "in_progress",
    "progress": "0.25",
    "source_url": "https://www.itu.int/itu-d/sites/partner2connect/",
}

#: The header and a valid row of a pledges.csv with the columns BASE has.
CSV_HEADER = (
    "id,title,pledger/name,pledger/sector,pledger/country,pledge_types,focus_areas,"
    "announced_on,amount/amount,amount/currency"
)
CSV_ROW = (
    'p2c-0001,"Rural broadband for 2,000 communities",Government of Ghana,government,GH,'
    "financial,access,2022-06-07,155000000.00,EUR"
)
TITLE_CELL = '"Rural broadband for 2,000 communities"'
RATES_HEADER = "currency,date,rate\n"
IMF_HEADER = "Date,Rate,Currency,Frequency,Source,Country code,Country\n"


def pledge(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys changed (None removes a key)."""
    result = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def document(*pledges: dict[str, Any], version: str = "1.0") -> bytes:
    """The JSON envelope, one pledge per line, as the library writes it."""
    lines = ",\n".join("  " + json.dumps(p, ensure_ascii=False) for p in pledges)
    return f'{{"schema_version": "{version}", "pledges": [\n{lines}\n]}}\n'.encode()


def lines(*pledges: dict[str, Any]) -> bytes:
    """JSON Lines: one pledge per line."""
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pledges).encode()


def error(
    code: str,
    path: str = "$",
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> dict[str, Any]:
    """An expected error."""
    return {
        "code": code,
        "path": path,
        "severity": "error",
        "file": file,
        "row": row,
        "column": column,
    }


def warning(code: str, path: str = "$", **location: Any) -> dict[str, Any]:
    """An expected warning."""
    return error(code, path, **location) | {"severity": "warning"}


P0 = "$.pledges[0]"
CASES: list[dict[str, Any]] = []


def case(
    kind: str,
    name: str,
    description: str,
    files: dict[str, bytes],
    *,
    main: str,
    fmt: str,
    expected: list[dict[str, Any]] | None = None,
    valid: bool | None = None,
    options: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    """Declare one case; ``valid`` defaults to "no error expected"."""
    expected = expected or []
    if valid is None:
        valid = all(issue["severity"] == "warning" for issue in expected)
    CASES.append(
        {
            "name": name,
            "kind": kind,
            "format": fmt,
            "valid": valid,
            "description": description,
            "main": main,
            "files": files,
            "options": options or {},
            "expected": expected,
            "result": result,
        }
    )


def doc_case(
    name: str,
    description: str,
    content: bytes,
    expected: list[dict[str, Any]] | None = None,
    *,
    fmt: str = "json",
    options: dict[str, Any] | None = None,
) -> None:
    """A pledge document (JSON or JSON Lines) read by ``io.loads``."""
    main = f"pledges.{fmt}"
    case(
        "document",
        name,
        description,
        {main: content},
        main=main,
        fmt=fmt,
        expected=expected,
        options=options,
    )


def table_case(
    name: str,
    description: str,
    files: dict[str, str | bytes],
    expected: list[dict[str, Any]] | None = None,
    *,
    main: str = "pledges.csv",
) -> None:
    """CSV tables read by ``p2c.load`` on the main file."""
    encoded = {n: t if isinstance(t, bytes) else t.encode() for n, t in files.items()}
    fmt = "datapackage" if main.endswith("datapackage.json") else "csv"
    case("tables", name, description, encoded, main=main, fmt=fmt, expected=expected)


def rate_case(
    name: str,
    description: str,
    content: str | bytes,
    expected: list[dict[str, Any]] | None = None,
    *,
    options: dict[str, Any] | None = None,
) -> None:
    """A CSV rate table read by ``RateTable.from_csv``."""
    data = content if isinstance(content, bytes) else content.encode()
    case(
        "rate_table",
        name,
        description,
        {"rates.csv": data},
        main="rates.csv",
        fmt="csv",
        expected=expected,
        options=options,
    )


def csv_issue(code: str, row: int, column: str | None, path: str = "$") -> dict[str, Any]:
    return error(code, path, file="pledges.csv", row=row, column=column)


def rate_issue(code: str, row: int, column: str | None, severity: str = "error") -> dict[str, Any]:
    return error(code, file="rates.csv", row=row, column=column) | {"severity": severity}


def declare_documents() -> None:  # noqa: PLR0915 - one statement per case
    doc_case(
        "minimal",
        "Only the required fields; no amount.",
        document(pledge(amount=None, pledge_types=["programmatic"])),
    )
    doc_case(
        "full", "Every field of a pledge, alpha-3 beneficiary country included.", document(FULL)
    )
    doc_case("two-pledges", "Two pledges with distinct ids.", document(BASE, FULL))
    doc_case(
        "beneficiary-global",
        "A pledge for every country says so: its beneficiary group is global.",
        document(pledge(beneficiary_groups=["global"])),
    )
    doc_case("empty", "An envelope without pledges is a valid, empty document.", document())
    doc_case(
        "bare-array",
        "A bare array of pledges is read as the envelope's list.",
        (json.dumps([BASE]) + "\n").encode(),
    )
    doc_case("byte-order-mark", "UTF-8 with a byte order mark.", b"\xef\xbb\xbf" + document(BASE))
    doc_case(
        "schema-version-1-x", "Any 1.x schema_version is read.", document(BASE, version="1.7")
    )
    doc_case(
        "decimal-exponent",
        "A decimal keeps its exponent: 1.5E+6.",
        document(pledge(amount={"amount": "1.5E+6", "currency": "USD"})),
    )
    doc_case(
        "sdg-as-float",
        "JSON has one kind of number: 4.0 is SDG 4.",
        (
            document(BASE)
            .decode()
            .replace('"focus_areas"', '"sdgs": [4.0], "focus_areas"')
            .encode()
        ),
    )
    doc_case("jsonl", "Two pledges as JSON Lines.", lines(BASE, FULL), fmt="jsonl")
    doc_case(
        "unknown-key-kept",
        "With unknown='keep', an unknown key is kept in extras: valid, no issue.",
        document(pledge(colour="blue")),
        options={"unknown": "keep"},
    )
    # Warnings: the document is valid; the warnings come from rules.check and,
    # for dropped keys, from the DroppedKeysWarning the reader emits.
    doc_case(
        "key-dropped",
        "With unknown='drop', an unknown key is dropped with a key.dropped warning.",
        document(pledge(colour="blue")),
        [warning("key.dropped", f"{P0}.colour")],
        options={"unknown": "drop"},
    )
    doc_case(
        "amount-missing",
        "A financial pledge without an amount: a warning.",
        document(pledge(amount=None)),
        [warning("amount.missing", f"{P0}.amount")],
    )
    doc_case(
        "value-date-unused",
        "A value date without an amount: two warnings.",
        document(pledge(amount=None, value_date="2022-07-01")),
        [
            warning("amount.missing", f"{P0}.amount"),
            warning("value_date.unused", f"{P0}.value_date"),
        ],
    )
    doc_case(
        "value-date-after-end",
        "The value date is after the period's end.",
        document(
            pledge(value_date="2023-01-01", period_start="2022-01-01", period_end="2022-12-31")
        ),
        [warning("value_date.after_end", f"{P0}.value_date")],
    )
    doc_case(
        "progress-status",
        "A completed pledge whose progress is not 1.",
        document(pledge(status="completed", progress="0.5")),
        [warning("progress.status", f"{P0}.progress")],
    )
    doc_case(
        "pledger-region",
        "A region that is not the country's ITU-D region.",
        document(
            pledge(
                pledger={
                    "name": "Government of Ghana",
                    "sector": "government",
                    "country": "GH",
                    "region": "europe",
                }
            )
        ),
        [warning("pledger.region", f"{P0}.pledger.region")],
    )
    doc_case(
        "currency-withdrawn",
        "A pledge dated 2022 in Deutsche Mark, withdrawn in 2002.",
        document(pledge(amount={"amount": "1000", "currency": "DEM"}, value_date="2022-06-01")),
        [warning("currency.withdrawn", f"{P0}.amount.currency")],
    )
    doc_case(
        "pledger-repeated",
        "The pledger is also listed as a co-pledger.",
        document(pledge(co_pledgers=[copy.deepcopy(BASE["pledger"])])),
        [warning("pledger.repeated", f"{P0}.co_pledgers[0]")],
    )

    # Errors, one code at a time.
    doc_case(
        "json-syntax",
        "Not JSON: the row is the line.",
        b'{"schema_version": "1.0",\n',
        [error("json.syntax", row=2)],
    )
    doc_case(
        "file-encoding",
        "Latin-1 bytes, not UTF-8.",
        document(pledge(title="Caf\u00e9s connected")).decode().encode("latin-1"),
        [error("file.encoding", row=2)],
    )
    doc_case(
        "document-type", "A JSON document that is a number.", b"5\n", [error("document.type")]
    )
    doc_case(
        "schema-version-unsupported",
        "A schema_version of another major version.",
        document(BASE, version="2.0"),
        [error("schema_version.unsupported", "$.schema_version")],
    )
    doc_case(
        "schema-version-missing",
        "An envelope without schema_version.",
        (json.dumps({"pledges": [BASE]}) + "\n").encode(),
        [error("key.missing", "$.schema_version")],
    )
    doc_case(
        "key-missing",
        "A pledge without its title.",
        document(pledge(title=None)),
        [error("key.missing", f"{P0}.title")],
    )
    doc_case(
        "key-unknown",
        "A key the model does not know.",
        document(pledge(colour="blue")),
        [error("key.unknown", f"{P0}.colour")],
    )
    doc_case(
        "key-unknown-envelope",
        "An unknown key in the envelope.",
        (json.dumps({"schema_version": "1.0", "pledges": [], "x": 1}) + "\n").encode(),
        [error("key.unknown", "$.x")],
    )
    doc_case(
        "key-unknown-nested",
        "An unknown key inside the amount.",
        document(pledge(amount={"amount": "1", "currency": "EUR", "note": "x"})),
        [error("key.unknown", f"{P0}.amount.note")],
    )
    doc_case(
        "value-type",
        "A number where a string is needed.",
        document(pledge(title=5)),
        [error("value.type", f"{P0}.title")],
    )
    doc_case(
        "value-type-list",
        "A string where a list is needed.",
        document(pledge(focus_areas="access")),
        [error("value.type", f"{P0}.focus_areas")],
    )
    doc_case(
        "value-type-decimal",
        "A target value written as a JSON number.",
        document(pledge(targets=[{"metric": "fibre_km", "value": 10, "unit": "km"}])),
        [error("value.type", f"{P0}.targets[0].value")],
    )
    doc_case(
        "decimal-syntax",
        "A decimal with a comma.",
        document(pledge(amount={"amount": "1,5", "currency": "EUR"})),
        [error("decimal.syntax", f"{P0}.amount.amount")],
    )
    doc_case(
        "decimal-syntax-nan",
        "NaN is not a decimal the format knows.",
        document(pledge(amount={"amount": "NaN", "currency": "EUR"})),
        [error("decimal.syntax", f"{P0}.amount.amount")],
    )
    doc_case(
        "date-syntax",
        "30 February does not exist.",
        document(pledge(announced_on="2022-02-30")),
        [error("date.syntax", f"{P0}.announced_on")],
    )
    doc_case(
        "float-money",
        "Money written as a JSON number.",
        document(pledge(amount={"amount": 1.5, "currency": "EUR"})),
        [error("value.float_money", f"{P0}.amount.amount")],
    )
    doc_case(
        "value-enum",
        "A focus area that does not exist.",
        document(pledge(focus_areas=["acces"])),
        [error("value.enum", f"{P0}.focus_areas[0]")],
    )
    doc_case(
        "value-enum-group",
        "A beneficiary group that is not a UN list: groups are written ldc, lldc, sids, global.",
        document(pledge(beneficiary_groups=["ldcs"])),
        [error("value.enum", f"{P0}.beneficiary_groups[0]")],
    )
    doc_case(
        "sdg-range",
        "SDG 18 does not exist.",
        document(pledge(sdgs=[9, 18])),
        [error("sdg.range", f"{P0}.sdgs[1]")],
    )
    doc_case(
        "list-empty",
        "A pledge with no focus area.",
        document(pledge(focus_areas=[])),
        [error("list.empty", f"{P0}.focus_areas")],
    )
    doc_case(
        "list-duplicate",
        "A focus area listed twice.",
        document(pledge(focus_areas=["access", "access"])),
        [error("list.duplicate", f"{P0}.focus_areas[1]")],
    )
    doc_case(
        "list-duplicate-normalized",
        "GHA and GH are the same country once read.",
        document(pledge(beneficiary_countries=["GH", "GHA"])),
        [error("list.duplicate", f"{P0}.beneficiary_countries[1]")],
    )
    doc_case(
        "text-empty",
        "A title of spaces.",
        document(pledge(title="   ")),
        [error("text.empty", f"{P0}.title")],
    )
    doc_case(
        "text-lone-surrogate",
        "A lone surrogate (\\ud800) in a title: UTF-8 cannot carry it, so no format holds it.",
        document(BASE).replace(b"Rural", b"\\ud800Rural"),
        [error("text.encoding", f"{P0}.title")],
    )
    doc_case(
        "text-too-long",
        "A description beyond 100,000 characters.",
        document(pledge(description="x" * 100_001)),
        [error("text.too_long", f"{P0}.description")],
    )
    doc_case(
        "url-invalid",
        "A source URL that is not http(s).",
        document(pledge(source_url="ftp://example.org/pledge")),
        [error("url.invalid", f"{P0}.source_url")],
    )
    doc_case(
        "value-not-positive",
        "A target of zero.",
        document(pledge(targets=[{"metric": "fibre_km", "value": "0", "unit": "km"}])),
        [error("value.not_positive", f"{P0}.targets[0].value")],
    )
    doc_case(
        "value-out-of-range",
        "An amount with 40 integer digits.",
        document(pledge(amount={"amount": "1" * 40, "currency": "EUR"})),
        [error("value.out_of_range", f"{P0}.amount.amount")],
    )
    doc_case(
        "value-out-of-range-exponent",
        "An exponent beyond what a decimal holds.",
        document(pledge(amount={"amount": "1E+99999999999", "currency": "EUR"})),
        [error("value.out_of_range", f"{P0}.amount.amount")],
    )
    doc_case(
        "target-value-out-of-range",
        "A target value beyond 20 integer digits.",
        document(pledge(targets=[{"metric": "fibre_km", "value": "1E+30", "unit": "km"}])),
        [error("value.out_of_range", f"{P0}.targets[0].value")],
    )
    doc_case(
        "progress-range",
        "A progress share above 1.",
        document(pledge(progress="2")),
        [error("progress.range", f"{P0}.progress")],
    )
    doc_case(
        "unit-unknown",
        "A unit pint does not know.",
        document(pledge(targets=[{"metric": "fibre_km", "value": "10", "unit": "furlongzz"}])),
        [error("unit.unknown", f"{P0}.targets[0].unit")],
    )
    doc_case(
        "unit-dimension",
        "Fibre counted in people.",
        document(pledge(targets=[{"metric": "fibre_km", "value": "10", "unit": "people"}])),
        [error("unit.dimension", f"{P0}.targets[0].unit")],
    )
    doc_case(
        "country-unknown",
        "XX is not an ISO 3166-1 country.",
        document(pledge(pledger={"name": "Somebody", "sector": "government", "country": "XX"})),
        [error("country.unknown", f"{P0}.pledger.country")],
    )
    doc_case(
        "currency-unknown",
        "A lower-case currency code.",
        document(pledge(amount={"amount": "1000", "currency": "eur"})),
        [error("currency.unknown", f"{P0}.amount.currency")],
    )
    doc_case(
        "id-duplicate",
        "Two pledges with one id.",
        document(BASE, BASE),
        [error("id.duplicate", "$.pledges[1].id")],
    )
    doc_case(
        "period-order",
        "A period that ends before it starts.",
        document(pledge(period_start="2023-01-01", period_end="2022-01-01")),
        [error("period.order", f"{P0}.period_end")],
    )
    doc_case(
        "amount-negative",
        "A negative amount.",
        document(pledge(amount={"amount": "-5", "currency": "EUR"})),
        [error("amount.negative", f"{P0}.amount.amount")],
    )
    doc_case(
        "many-issues",
        "Every issue of a pledge is reported, not only the first.",
        document(pledge(amount={"amount": 155000000, "currency": "eur"}, sdgs=[9, 18])),
        [
            error("value.float_money", f"{P0}.amount.amount"),
            error("currency.unknown", f"{P0}.amount.currency"),
            error("sdg.range", f"{P0}.sdgs[1]"),
        ],
    )
    doc_case(
        "issues-limit",
        "With max_issues=2, the read stops after two issues and says so.",
        document(*(pledge(id=f"p2c-{n}", title=" ") for n in range(4))),
        [
            error("text.empty", "$.pledges[0].title"),
            error("text.empty", "$.pledges[1].title"),
            error("issues.limit"),
        ],
        options={"max_issues": 2},
    )
    doc_case(
        "jsonl-currency-unknown",
        "JSON Lines: the row is the line.",
        lines(BASE, pledge(id="p2c-0009", amount={"amount": "1", "currency": "eur"})),
        [error("currency.unknown", "$.pledges[1].amount.currency", row=2)],
        fmt="jsonl",
    )
    doc_case(
        "jsonl-syntax",
        "JSON Lines with a broken second line.",
        lines(BASE) + b"{\n",
        [error("json.syntax", "$.pledges[1]", row=2)],
        fmt="jsonl",
    )
    doc_case(
        "key-duplicate",
        "A key written twice in one object: one of its values would be lost.",
        document(BASE).replace(b'"title"', b'"title": "Another title", "title"'),
        [error("key.duplicate", f"{P0}.title")],
    )
    doc_case(
        "key-duplicate-nested",
        "A key written twice inside the amount.",
        document(BASE).replace(b'"155000000.00"', b'"155000000.00", "amount": "1"'),
        [error("key.duplicate", f"{P0}.amount.amount")],
    )
    doc_case(
        "key-duplicate-jsonl",
        "JSON Lines: a key written twice, located by its line.",
        (lines(BASE).replace(b'"title"', b'"title": "Another title", "title"')),
        [error("key.duplicate", f"{P0}.title", row=1)],
        fmt="jsonl",
    )
    doc_case(
        "json-depth",
        "Arrays nested 10,000 deep, beyond what the reader follows.",
        (
            '{"schema_version": "1.0", "pledges": [\n' + "[" * 10_000 + "]" * 10_000 + "\n]}\n"
        ).encode(),
        [error("json.depth", row=2)],
    )


def declare_tables(package: dict[str, bytes]) -> None:
    both = f"{CSV_HEADER}\n{CSV_ROW}\n"
    table_case(
        "minimal",
        "One pledge, the columns of the required fields and an amount.",
        {"pledges.csv": both},
    )
    table_case(
        "crlf-and-bom",
        "Excel's form: a byte order mark and CRLF line ends.",
        {"pledges.csv": b"\xef\xbb\xbf" + both.replace("\n", "\r\n").encode()},
    )
    table_case(
        "data-package",
        "The tables and descriptor the writer makes for FULL.",
        package,
        main="pledges.datapackage.json",
    )
    table_case(
        "child-tables",
        "Targets and co-pledgers in their child tables.",
        {k: v for k, v in package.items() if k.endswith(".csv")},
    )
    table_case(
        "column-unknown",
        "A column the model does not know.",
        {"pledges.csv": f"{CSV_HEADER},colour\n{CSV_ROW},blue\n"},
        [csv_issue("column.unknown", 1, "colour")],
    )
    table_case(
        "column-missing",
        "The title column is absent.",
        {
            "pledges.csv": both.replace(",title", "", 1).replace(
                ',"Rural broadband for 2,000 communities"', ""
            )
        },
        [csv_issue("column.missing", 1, "title")],
    )
    table_case(
        "text-control",
        "An escape character (a C0 control) in a title.",
        {"pledges.csv": CSV_HEADER + "\n" + CSV_ROW.replace("Rural", "\x1b[31mRural") + "\n"},
        [csv_issue("text.control", 2, "title", f"{P0}.title")],
    )
    table_case(
        "text-invisible",
        "A title of a zero width space only (Unicode category Cf): it shows nothing.",
        {"pledges.csv": CSV_HEADER + "\n" + CSV_ROW.replace(TITLE_CELL, "\u200b") + "\n"},
        [csv_issue("text.empty", 2, "title", f"{P0}.title")],
    )
    table_case(
        "column-duplicate",
        "A header that names title twice.",
        {"pledges.csv": f"{CSV_HEADER},title\n{CSV_ROW},x\n"},
        [csv_issue("column.duplicate", 1, "title")],
    )
    table_case(
        "row-length",
        "A row with one cell more than the header.",
        {"pledges.csv": f"{CSV_HEADER}\n{CSV_ROW},x\n"},
        [csv_issue("csv.row_length", 2, None)],
    )
    table_case(
        "csv-syntax",
        "A quoted cell that never ends.",
        {
            "pledges.csv": f"{CSV_HEADER}\n"
            + CSV_ROW.replace("Government of Ghana", '"Government')
            + "\n"
        },
        [csv_issue("csv.syntax", 2, None)],
    )
    table_case(
        "file-encoding",
        "A header in Latin-1, not UTF-8.",
        {"pledges.csv": (f"{CSV_HEADER},d\u00e9tail\n{CSV_ROW},x\n").encode("latin-1")},
        [csv_issue("file.encoding", 1, None)],
    )
    table_case(
        "key-missing",
        "An empty cell in a required column.",
        {
            "pledges.csv": f"{CSV_HEADER}\n"
            + CSV_ROW.replace('"Rural broadband for 2,000 communities"', "")
            + "\n"
        },
        [csv_issue("key.missing", 2, "title", f"{P0}.title")],
    )
    table_case(
        "currency-unknown",
        "A lower-case currency: file, row and column.",
        {"pledges.csv": f"{CSV_HEADER}\n" + CSV_ROW.replace(",EUR", ",eur") + "\n"},
        [csv_issue("currency.unknown", 2, "amount/currency", f"{P0}.amount.currency")],
    )
    table_case(
        "decimal-syntax",
        "An amount with a comma (quoted, as CSV needs).",
        {"pledges.csv": f"{CSV_HEADER}\n" + CSV_ROW.replace("155000000.00", '"1,5"') + "\n"},
        [csv_issue("decimal.syntax", 2, "amount/amount", f"{P0}.amount.amount")],
    )
    table_case(
        "value-enum",
        "A focus area that does not exist, in a ;-list.",
        {"pledges.csv": f"{CSV_HEADER}\n" + CSV_ROW.replace(",access,", ",access;acces,") + "\n"},
        [csv_issue("value.enum", 2, "focus_areas", f"{P0}.focus_areas[1]")],
    )
    table_case(
        "beneficiary-groups",
        "Beneficiary groups in a ;-list column; an unknown one is located in its cell.",
        {
            "pledges.csv": f"{CSV_HEADER},beneficiary_groups\n{CSV_ROW},ldc;sids\n"
            f"{CSV_ROW.replace('p2c-0001', 'p2c-0002')},ldc;all ldcs\n"
        },
        [csv_issue("value.enum", 3, "beneficiary_groups", "$.pledges[1].beneficiary_groups[1]")],
    )
    table_case(
        "id-duplicate",
        "Two rows with one id.",
        {"pledges.csv": f"{CSV_HEADER}\n{CSV_ROW}\n{CSV_ROW}\n"},
        [csv_issue("id.duplicate", 3, "id", "$.pledges[1].id")],
    )
    table_case(
        "pledge-id-unknown",
        "A target row for a pledge the main table lacks.",
        {
            "pledges.csv": both,
            "pledges.targets.csv": "pledge_id,metric,value,unit\np2c-9999,fibre_km,10,km\n",
        },
        [error("pledge_id.unknown", file="pledges.targets.csv", row=2, column="pledge_id")],
    )
    table_case(
        "unit-dimension",
        "A target's issue names the targets table and its row.",
        {
            "pledges.csv": both,
            "pledges.targets.csv": "pledge_id,metric,value,unit\np2c-0001,fibre_km,10,people\n",
        },
        [
            error(
                "unit.dimension",
                f"{P0}.targets[0].unit",
                file="pledges.targets.csv",
                row=2,
                column="unit",
            )
        ],
    )
    table_case(
        "datapackage-invalid",
        "A descriptor that is not JSON.",
        {
            "pledges.csv": both,
            "datapackage.json": "{\n",
        },
        [error("datapackage.invalid", file="datapackage.json")],
        main="datapackage.json",
    )
    table_case(
        "datapackage-path",
        "A resource outside the descriptor's folder.",
        {
            "pledges.csv": both,
            "datapackage.json": json.dumps(
                {"resources": [{"name": "pledges", "path": "../pledges.csv"}]}
            )
            + "\n",
        },
        [error("datapackage.path", "$.resources[0].path", file="datapackage.json")],
        main="datapackage.json",
    )
    table_case(
        "datapackage-duplicate-name",
        "Two resources named pledges: which one is the table is not guessed.",
        {
            "pledges.csv": both,
            "datapackage.json": json.dumps(
                {
                    "resources": [
                        {"name": "pledges", "path": "pledges.csv"},
                        {"name": "pledges", "path": "pledges.csv"},
                    ]
                }
            )
            + "\n",
        },
        [error("datapackage.invalid", "$.resources[1].name", file="datapackage.json")],
        main="datapackage.json",
    )
    table_case(
        "datapackage-changed",
        "A table that is not the one whose hash the descriptor records (edited since, "
        "or rewritten while it was read).",
        {
            "pledges.csv": both,
            "datapackage.json": json.dumps(
                {
                    "resources": [
                        {
                            "name": "pledges",
                            "path": "pledges.csv",
                            "hash": "sha256:" + hashlib.sha256(b"another table").hexdigest(),
                        }
                    ]
                }
            )
            + "\n",
        },
        [error("datapackage.changed", "$.resources[0].hash", file="datapackage.json")],
        main="datapackage.json",
    )


def declare_writes() -> None:
    case(
        "write",
        "key-conflict",
        "An extra kept with unknown='keep' whose name is a CSV column.",
        {"pledges.json": document(pledge(**{"pledger/name": "x"}))},
        main="pledges.json",
        fmt="json",
        options={"unknown": "keep", "write": "csv"},
        expected=[error("key.conflict", f"{P0}.extras")],
    )


def declare_rate_tables() -> None:
    rate_case(
        "simple",
        "The simple layout: currency, date, rate (units per USD).",
        RATES_HEADER + "KES,2022-06-07,116.9\nJPY,2022-06-07,133.5\n",
    )
    rate_case(
        "imf",
        "The IMF layout, daily, monthly and annual rows.",
        IMF_HEADER + "2022-06-07,116.9,KES,D,IMF,KE,Kenya\n2022-06-01,117.2,KES,M,IMF,KE,Kenya\n"
        "2022-01-01,113.1,KES,A,IMF,KE,Kenya\n",
    )
    rate_case(
        "imf-union-row",
        "A union row (U2, Euro Area) decides between member rows.",
        IMF_HEADER + "2022-06-07,0.9,EUR,D,IMF,FR,France\n"
        "2022-06-07,0.95,EUR,D,IMF,U2,Euro Area\n",
    )
    rate_case(
        "imf-same-rate",
        "Member rows with the same rate are one rate.",
        IMF_HEADER
        + "2022-06-07,655.957,XOF,D,IMF,SN,Senegal\n2022-06-07,655.957,XOF,D,IMF,ML,Mali\n",
    )
    conflict = (
        IMF_HEADER + "2022-06-07,0.9,EUR,D,IMF,FR,France\n2022-06-07,0.95,EUR,D,IMF,DE,Germany\n"
    )
    rate_case(
        "conflict-dropped",
        "With invalid='drop', a conflict is left out as a warning.",
        conflict,
        [rate_issue("rate.conflict", 3, "Rate", "warning")],
        options={"invalid": "drop"},
    )
    rate_case(
        "rate-conflict",
        "Two member rows disagree and no row decides.",
        conflict,
        [rate_issue("rate.conflict", 3, "Rate")],
    )
    rate_case(
        "column-missing",
        "The header lacks the rate column.",
        "currency,date\nKES,2022-06-07\n",
        [rate_issue("column.missing", 1, "rate")],
    )
    rate_case(
        "empty-file", "An empty file has no header.", "", [rate_issue("column.missing", 1, None)]
    )
    rate_case(
        "rates-column-duplicate",
        "A column named twice: which one holds the value is not guessed.",
        "currency,date,rate,currency\nEUR,2022-06-07,0.9,JPY\n",
        [rate_issue("column.duplicate", 1, "currency")],
    )
    rate_case(
        "rates-column-unknown",
        "A column of neither layout (a unit of 100 would change every rate).",
        "currency,date,rate,unit\nJPY,2022-06-07,1.3,100\n",
        [rate_issue("column.unknown", 1, "unit")],
    )
    rate_case(
        "rates-number-syntax",
        "A rate is written as a JSON number, as amounts in pledge files: not 1_000.",
        RATES_HEADER + "JPY,2022-06-07,1_000\n",
        [rate_issue("rate.not_number", 2, "rate")],
    )
    rate_case(
        "rates-date-syntax",
        "A date is YYYY-MM-DD, as in pledge files: not 20220607.",
        RATES_HEADER + "KES,20220607,116.9\n",
        [rate_issue("date.invalid", 2, "date")],
    )
    rate_case(
        "row-length",
        "A row with a cell fewer than the header.",
        RATES_HEADER + "KES,2022-06-07\n",
        [rate_issue("row.length", 2, None)],
    )
    rate_case(
        "date-invalid",
        "Month 13.",
        RATES_HEADER + "KES,2022-13-07,116.9\n",
        [rate_issue("date.invalid", 2, "date")],
    )
    rate_case(
        "rate-not-number",
        "A rate that is not a number.",
        RATES_HEADER + "KES,2022-06-07,abc\n",
        [rate_issue("rate.not_number", 2, "rate")],
    )
    rate_case(
        "rate-invalid",
        "A negative rate.",
        RATES_HEADER + "KES,2022-06-07,-1\n",
        [rate_issue("rate.invalid", 2, "rate")],
    )
    rate_case(
        "currency-unknown",
        "A lower-case currency code.",
        RATES_HEADER + "kes,2022-06-07,116.9\n",
        [rate_issue("currency.unknown", 2, "currency")],
    )
    rate_case(
        "frequency-invalid",
        "W is not a frequency of the IMF layout.",
        IMF_HEADER + "2022-06-07,116.9,KES,W,IMF,KE,Kenya\n",
        [rate_issue("frequency.invalid", 2, "Frequency")],
    )
    rate_case(
        "file-encoding",
        "Latin-1 bytes, not UTF-8.",
        (RATES_HEADER + "K\u00e9S,2022-06-07,116.9\n").encode("latin-1"),
        [rate_issue("file.encoding", 2, None)],  # the line of the bad byte
    )
    rate_case(
        "file-unreadable",
        "A header cell beyond the CSV field limit.",
        "currency,date,rate" + "x" * 140_000 + "\n",
        [rate_issue("file.unreadable", 1, None)],
    )
    rate_case(
        "file-unreadable-row",
        "A data cell beyond the CSV field limit, on row 3.",
        RATES_HEADER + "KES,2022-06-07,116.9\nKES,2022-06-08," + "1" * 140_000 + "\n",
        [rate_issue("file.unreadable", 3, None)],
    )


def request(**fields: Any) -> bytes:
    return (json.dumps(fields, indent=2) + "\n").encode()


def declare_conversions() -> None:
    rates = (RATES_HEADER + "KES,2022-06-03,116.9\nKES,2022-06-07,117.0\n").encode()
    convert = [
        (
            "exact-date",
            "The rate of the value date itself.",
            {"amount": "1170", "currency": "KES", "on": "2022-06-07", "policy": "exact"},
            {"usd": "10.00", "rate_date": "2022-06-07", "method": "exact", "fallback": False},
            [],
        ),
        (
            "fallback",
            "A Sunday converts at Friday's rate under on_or_before(7), and says so.",
            {"amount": "1169", "currency": "KES", "on": "2022-06-05", "policy": "on_or_before"},
            {
                "usd": "10.00",
                "rate_date": "2022-06-03",
                "method": "on_or_before(7)",
                "fallback": True,
            },
            [],
        ),
        (
            "usd-identity",
            "USD converts to itself at rate 1.",
            {"amount": "12.345", "currency": "USD", "on": "2022-06-05", "policy": "exact"},
            {"usd": "12.34", "rate_date": "2022-06-05", "method": "identity", "fallback": False},
            [],
        ),
        (
            "rate-missing",
            "Ten days after the last rate, beyond on_or_before(7).",
            {"amount": "1000", "currency": "KES", "on": "2022-06-17", "policy": "on_or_before"},
            None,
            [error("rate.missing")],
        ),
        (
            "rate-missing-exact",
            "No rate on a Sunday under the exact policy.",
            {"amount": "1000", "currency": "KES", "on": "2022-06-05", "policy": "exact"},
            None,
            [error("rate.missing")],
        ),
        (
            "rate-no-source",
            "No source knows EUR.",
            {"amount": "1000", "currency": "EUR", "on": "2022-06-07", "policy": "on_or_before"},
            None,
            [error("rate.no_source")],
        ),
    ]
    for name, description, arguments, result, expected in convert:
        case(
            "conversion",
            name,
            description,
            {"request.json": request(**arguments), "rates.csv": rates},
            main="request.json",
            fmt="json",
            expected=expected,
            result=result,
        )


def declare_money() -> None:
    parses = [
        (
            "million",
            "A scale word is exact.",
            "EUR 155 million",
            {},
            {"amount": "155000000", "currency": "EUR"},
        ),
        (
            "french",
            "French digits: a space groups, a comma is the decimal point.",
            "1\u202f250\u202f000,50 EUR",
            {"locale": "fr"},
            {"amount": "1250000.50", "currency": "EUR"},
        ),
        (
            "default-currency",
            "A shared sign that the default currency writes.",
            "$5",
            {"default_currency": "USD"},
            {"amount": "5", "currency": "USD"},
        ),
        ("symbol", "A symbol of one currency.", "\u20ac5", {}, {"amount": "5", "currency": "EUR"}),
        ("unparsable", "No number at all.", "abc", {}, None),
        ("two-numbers", "Two numbers in one amount.", "5 5 EUR", {}, None),
        ("ambiguous", "$ is the sign of many dollars.", "$5", {}, None),
        ("missing", "A number without a currency.", "5", {}, None),
        ("conflict", "Two currencies.", "EUR 5 USD", {}, None),
        ("currency-unknown", "XYZ is no ISO 4217 code.", "5 XYZ", {}, None),
        ("locale-unknown", "A locale babel does not know.", "5 EUR", {"locale": "xx_QQ"}, None),
    ]
    codes = {
        "unparsable": "money.unparsable",
        "two-numbers": "money.unparsable",
        "ambiguous": "currency.ambiguous",
        "missing": "currency.missing",
        "conflict": "currency.conflict",
        "currency-unknown": "currency.unknown",
        "locale-unknown": "locale.unknown",
    }
    for name, description, text, options, result in parses:
        expected = [error(codes[name])] if name in codes else []
        case(
            "money_parse",
            name,
            description,
            {"amount.txt": text.encode()},
            main="amount.txt",
            fmt="text",
            options=options,
            expected=expected,
            result=result,
        )
    builds = [
        (
            "not-finite",
            "NaN is not an amount.",
            {"amount": "NaN", "currency": "USD"},
            "value.not_finite",
        ),
        (
            "float",
            "A JSON number is a float, which is never money.",
            {"amount": 0.1, "currency": "USD"},
            "value.float_money",
        ),
        (
            "not-a-number",
            "A boolean is not an amount.",
            {"amount": True, "currency": "USD"},
            "value.type",
        ),
        (
            "lower-case",
            "Currency codes are upper-case.",
            {"amount": "1", "currency": "usd"},
            "currency.unknown",
        ),
        (
            "not-money",
            "XXX is an ISO 4217 code for no currency: not money for a pledge.",
            {"amount": "1", "currency": "XXX"},
            "currency.not_money",
        ),
    ]
    for name, description, fields, code in builds:
        case(
            "money",
            name,
            description,
            {"money.json": request(**fields)},
            main="money.json",
            fmt="json",
            expected=[error(code, "$.amount" if code.startswith("value") else "$.currency")],
        )
    case(
        "money",
        "exact",
        "A decimal string is exact money.",
        {"money.json": request(amount="0.10", currency="USD")},
        main="money.json",
        fmt="json",
        result={"amount": "0.10", "currency": "USD"},
    )


def data_package() -> dict[str, bytes]:
    """The files the library's writer makes for FULL (a valid data package)."""
    sys.path.insert(0, str(ROOT / "src"))
    import p2c_pledges as p2c  # noqa: PLC0415 - only this case needs the library

    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        p2c.dump(p2c.io.loads(document(FULL, pledge(id="p2c-0003"))), here / "pledges.csv")
        return {path.name: path.read_bytes() for path in sorted(here.iterdir())}


def main(out: Path = OUT) -> None:
    """Write every case and the manifest into ``out`` (the package's case folder by default)."""
    declare_documents()
    declare_tables(data_package())
    declare_writes()
    declare_rate_tables()
    declare_conversions()
    declare_money()
    if out.exists():
        shutil.rmtree(out)
    manifest = []
    for entry in CASES:
        verdict = "valid" if entry["valid"] else "invalid"
        folder = Path(entry["kind"]) / verdict / entry["name"]
        files = {}
        for name, content in sorted(entry["files"].items()):
            target = out / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            files[name] = (folder / name).as_posix()
        manifest.append(entry | {"files": files})
    names = [(entry["kind"], entry["name"]) for entry in manifest]
    if len(names) != len(set(names)):
        raise SystemExit("two cases have the same kind and name")
    (out / "manifest.json").write_text(
        json.dumps({"version": VERSION, "cases": manifest}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"{len(manifest)} cases in {out}")


if __name__ == "__main__":
    # An argument writes elsewhere: the tests regenerate into a temporary folder
    # and compare, byte for byte, with the committed files.
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
