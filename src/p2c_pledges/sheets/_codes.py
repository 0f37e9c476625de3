"""The codes of the issues an import reports, and the names of the rules its log records.

The codes that the rest of the library also raises (``value.enum``,
``country.unknown``, ``currency.ambiguous``, ...) are in
:data:`p2c_pledges.conformance.ALL_CODES`; these are the import's own. The tests
hold both lists to the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


__all__ = ["ISSUE_CODES", "LOG_RULES"]

#: The issue codes of an import that the file readers do not raise.
ISSUE_CODES: Mapping[str, str] = MappingProxyType(
    {
        "file.format": "the file is not a sheet the import reads (.xlsx, .xlsm, .ods, .csv)",
        "heading.missing": "no row of the sheet holds the headings",
        "column.unmapped": "a heading that the mapping does not name (unmapped = 'error')",
        "cell.formula_uncached": "a formula cell with no cached value",
        "row.blank": "a warning: a blank row inside the table, skipped",
        "value.ambiguous": "a label or synonym that names several values",
        "country.ambiguous": "a country name that names several countries",
        "beneficiary.group_narrowed": "a warning: 'Pacific SIDS' read as SIDS (the narrowing is logged)",
        "amount.range": "a range, and no ranges rule in the mapping (a warning once a rule chose)",
        "amount.qualifier": "a warning: a qualifier (approx., over 3 years) kept in extras",
        "amount.in_kind": "a warning: an in-kind pledge, no amount",
        "date.order": "an all-digit date, and no date_order in the mapping",
        "date.imprecise": "a month without a day (an error, or a warning with month_precision)",
        "date.time_dropped": "a warning: a date cell with a time of day, the time dropped",
        "target.unparsed": "a warning: a target text of no simple shape, kept in the description",
        "mapping.syntax": "the mapping file is not valid TOML",
        "mapping.type": "the mapping is not a table",
        "mapping.option_unknown": "an option the mapping does not have",
        "mapping.option_invalid": "an option with a wrong value",
        "mapping.field_unknown": "a column or constant names a field that does not exist",
        "mapping.field_twice": "two columns, or a column and a constant, feed one field",
        "mapping.field_missing": "no column or constant feeds a field every pledge needs",
        "mapping.heading_missing": "the mapping names a heading that the sheet lacks",
    }
)

#: The rules an import log records (the ``rule`` column); a rule with a detail
#: in parentheses or after a colon is written with it ("vocabulary: label (fr)").
LOG_RULES: Mapping[str, str] = MappingProxyType(
    {
        "csv.dialect": "how a CSV file was read: its separator and encoding",
        "heading.row": "where the headings were found",
        "heading.merged": "a heading read from a merged cell",
        "row.blank": "a blank row skipped",
        "id.from_row": "no id column: the id is the sheet and the row",
        "text.from_cell": "a number or date cell read as text",
        "vocabulary": "a label, synonym or value of another case, to a vocabulary value",
        "country": "a country name, alias or code, to its alpha-2 code",
        "beneficiary.group": "a country group as beneficiary",
        "beneficiary.group_narrowed": "a part of a group that the model does not name",
        "beneficiary.region": "a region as beneficiary",
        "amount.text": "an amount read from text",
        "amount.number_cell": "a number cell with the currency of its row or the mapping",
        "amount.range.low": "a range read as its low end",
        "amount.range.high": "a range read as its high end",
        "amount.range.mid": "a range read as its middle",
        "amount.qualifier": "a qualifier kept in extras",
        "amount.in_kind": "an in-kind pledge: no amount",
        "currency.upper_case": "a currency code upper-cased",
        "date.cell": "a date cell (logged only when its time of day was dropped)",
        "date.excel_serial": "an Excel serial number",
        "date.iso": "ISO text (taken literally: not logged)",
        "date.words": "month names in the sheet's locale or English",
        "date.digits": "an all-digit date in the declared order",
        "date.month_precision": "a month read as its first day",
        "decimal.text": "a share read from text",
        "target.text": "a target read from text",
        "target.unparsed": "a target text kept in the description",
    }
)
