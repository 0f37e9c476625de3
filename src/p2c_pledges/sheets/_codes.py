"""The codes of the issues an import reports, and the names of the rules its log records.

The codes that the rest of the library also raises (``value.enum``,
``country.unknown``, ``currency.ambiguous``, ...) are in
:data:`p2c_pledges.conformance.ALL_CODES`; these are the import's own. The tests
hold both lists to the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..errors import codes_of


__all__ = ["ISSUE_CODES", "LOG_RULES"]

#: The issue codes of an import that the file readers do not raise: a view of
#: :data:`p2c_pledges.errors.CODES`.
ISSUE_CODES: Mapping[str, str] = codes_of("sheet")

#: The rules an import log records (the ``rule`` column); a rule with a detail
#: in parentheses or after a colon is written with it ("vocabulary: label (fr)").
LOG_RULES: Mapping[str, str] = MappingProxyType(
    {
        "csv.dialect": "how a CSV file was read: its separator and encoding",
        "heading.row": "where the headings were found",
        "heading.merged": "a heading read from a merged cell",
        "row.blank": "a blank row skipped",
        "row.hidden": "a row hidden in the sheet, read like the others",
        "id.from_row": "no id column: the id is the sheet and the row",
        "text.from_cell": "a number or date cell read as text",
        "vocabulary": "a label, synonym or value of another case, to a vocabulary value",
        "country": "a country name, alias or code, to its alpha-2 code",
        "beneficiary.group": "a country group as beneficiary",
        "beneficiary.group_narrowed": "a part of a group that the model does not name",
        "beneficiary.region": "a region as beneficiary",
        "amount.text": "an amount read from text",
        "amount.number_cell": "a number cell with the currency of its row or the mapping",
        "amount.heading_unit": "the currency and scale an amount column's heading states, "
        "applied to its numbers",
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
