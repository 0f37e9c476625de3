"""Rendering summaries and normalized pledges: text tables, records, CSV and JSON.

This is where :mod:`p2c_pledges.aggregate` meets :mod:`p2c_pledges.l10n`: labels,
money and numbers come out in any of the six UN languages. The ``p2c-pledges``
command prints what these functions return.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Hashable, Sequence
from typing import Any, Literal

from .aggregate import Cell, Summary
from .l10n import country_name, format_money, format_number, label
from .query import Dimension


__all__ = ["ILLUSTRATIVE", "label_of_dimension", "records", "render", "to_csv", "to_text"]

ILLUSTRATIVE = (
    "ILLUSTRATIVE SAMPLE DATA, not ITU data: no pledge, pledger or amount in it is real."
)


def _key_label(part: Hashable, dimension: Dimension, locale: str) -> str:
    # A country group is a str enum too: only a plain code is a country.
    if (
        dimension is Dimension.BENEFICIARY_COUNTRY
        and isinstance(part, str)
        and not isinstance(part, enum.Enum)
    ):
        return country_name(part, locale)
    if isinstance(part, enum.Enum):
        return label(part, locale=locale)
    return str(part)


def records(summary: Summary, *, locale: str = "en") -> list[dict[str, Any]]:
    """Return one plain record per cell, then the grand total, for JSON or CSV."""
    rows = []
    for cell in (*summary.cells, summary.total):
        row: dict[str, Any] = {}
        for dimension, part in zip(summary.by, cell.key, strict=False):
            row[dimension.value] = getattr(part, "value", part)
            row[f"{dimension.value}_label"] = _key_label(part, dimension, locale)
        if not cell.key:
            for dimension in summary.by:
                row[dimension.value] = "TOTAL"
                row[f"{dimension.value}_label"] = "TOTAL"
        row.update(
            pledges=cell.pledges,
            pledgers=cell.pledgers,
            usd=str(cell.usd_rounded.amount),
            usd_exact=str(cell.usd),
            by_currency={code: str(amount) for code, amount in cell.by_currency.items()},
            without_amount=cell.without_amount,
            unconverted=len(cell.unconverted),
            unconverted_reasons=sorted({failure.reason for failure in cell.unconverted}),
        )
        rows.append(row)
    return rows


def to_csv(summary: Summary, *, locale: str = "en") -> str:
    """Return the summary as CSV text (amounts per currency joined with ``;``)."""
    rows = records(summary, locale=locale)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            row
            | {
                "by_currency": ";".join(
                    f"{code} {amount}" for code, amount in row["by_currency"].items()
                ),
                "unconverted_reasons": ";".join(row["unconverted_reasons"]),
            }
        )
    return buffer.getvalue()


def _cell_line(title: str, cell: Cell, locale: str, width: int) -> str:
    usd = format_money(cell.usd_rounded, locale=locale, compact=True)
    gaps = []
    if cell.without_amount:
        gaps.append(f"{cell.without_amount} no amount")
    if cell.unconverted:
        gaps.append(f"{len(cell.unconverted)} not converted")
    note = f"  ({', '.join(gaps)})" if gaps else ""
    pledges, pledgers = format_number(cell.pledges, locale), format_number(cell.pledgers, locale)
    return f"  {title:<{width}}  {pledges:>7}  {pledgers:>8}  {usd:>22}{note}"


def to_text(summary: Summary, *, locale: str = "en") -> str:
    """Return the summary as a plain-text table, one line per cell and a total line."""
    titles = [
        " / ".join(
            _key_label(part, d, locale) for d, part in zip(summary.by, cell.key, strict=True)
        )
        for cell in summary.cells
    ]
    heading = " by ".join(label_of_dimension(d) for d in summary.by)
    width = max([len(t) for t in titles] + [len(heading), 10])
    lines = [f"{heading:<{width + 2}}  {'pledges':>7}  {'pledgers':>8}  {'USD':>22}"]
    lines += [_cell_line(t, c, locale, width) for t, c in zip(titles, summary.cells, strict=True)]
    if summary.ungrouped.pledges:
        lines.append(_cell_line("(none)", summary.ungrouped, locale, width))
    lines.append(_cell_line("TOTAL", summary.total, locale, width))
    if summary.overlapping:
        lines.append(
            "  A pledge in several groups counts in each: groups add up to more than the total."
        )
    return "\n".join(lines) + "\n"


def label_of_dimension(dimension: Dimension) -> str:
    """The heading of a dimension (its name, spaced)."""
    return dimension.value.replace("_", " ")


def render(
    pledges: Sequence[Any],
    summaries: Sequence[Summary],
    *,
    locale: str = "en",
    output: Literal["text", "json", "csv"] = "text",
    sample: bool = False,
) -> str:
    """Render a report of several summaries: counts, coverage, unconverted pledges, top pledgers."""
    if output == "json":
        document = {
            "note": ILLUSTRATIVE if sample else None,
            "pledges": len(pledges),
            "summaries": [
                {
                    "by": [d.value for d in s.by],
                    "allocation": s.allocation,
                    "cells": records(s, locale=locale),
                }
                for s in summaries
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if output == "csv":
        return "\n".join(to_csv(s, locale=locale) for s in summaries)
    total = summaries[0].total
    head = [ILLUSTRATIVE, ""] if sample else []
    with_amount = sum(1 for p in pledges if p.amount is not None)
    converted = with_amount - len(total.unconverted)
    full = format_money(total.usd_rounded, locale=locale)
    compact = format_money(total.usd_rounded, locale=locale, compact=True)
    head += [
        f"{len(pledges)} pledges by {total.pledgers} pledgers; {full} ({compact})",
        (
            f"amounts: {with_amount} stated, {converted} converted to USD, "
            f"{len(total.unconverted)} not converted, {total.without_amount} without amount"
        ),
        "",
    ]
    body = [to_text(s, locale=locale) for s in summaries]
    tail = []
    if total.unconverted:
        tail.append("Not converted (add a rate table with --rates):")
        reasons: dict[str, list[str]] = {}
        for failure in total.unconverted:
            reasons.setdefault(failure.reason, []).append(failure.pledge_id)
        tail += [f"  {len(ids)} pledges: {reason}" for reason, ids in sorted(reasons.items())]
        tail.append("")
    return "\n".join(head) + "\n".join(body) + "\n" + "\n".join(tail)
