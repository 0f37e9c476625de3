"""Rendering summaries and normalized pledges: text tables, records, CSV, JSON and HTML.

This is where :mod:`p2c_pledges.aggregate` meets :mod:`p2c_pledges.l10n`: labels,
money and numbers come out in any of the six UN languages. The ``p2c-pledges``
command prints what these functions return; :func:`html` is the self-contained
dashboard (see the Dashboard page of the docs).

The CSV report imports ``p2c_pledges.io._csv.escape_text`` (a module of the
same layer): a text cell that a spreadsheet would run as a formula is escaped by
the one rule the pledge tables follow, not by a copy of it.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from ..aggregate import Cell, Summary
from ..io._csv import escape_text
from ..l10n import format_money, format_number
from ..query import Dimension
from . import _display
from ._html import html
from ._words import DIMENSION_HEADINGS, N_, counted, key_label, reason_text, translator


__all__ = [
    "ILLUSTRATIVE",
    "html",
    "label_of_dimension",
    "records",
    "render",
    "to_csv",
    "to_text",
]

ILLUSTRATIVE = N_(
    "ILLUSTRATIVE SAMPLE DATA, not ITU data: no pledge, pledger or amount in it is real."
)


def records(summary: Summary, *, locale: str = "en") -> list[dict[str, Any]]:
    """Return one plain record per cell, then the grand total, for JSON or CSV."""
    rows = []
    for cell in (*summary.cells, summary.total):
        row: dict[str, Any] = {}
        for dimension, part in zip(summary.by, cell.key, strict=False):
            row[dimension.value] = getattr(part, "value", part)
            row[f"{dimension.value}_label"] = key_label(part, dimension, locale)
        if not cell.key:
            for dimension in summary.by:
                row[dimension.value] = "TOTAL"
                row[f"{dimension.value}_label"] = translator(locale)("TOTAL")
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


#: The columns of :func:`to_csv` that hold numbers: counts and USD figures.
_NUMBER_COLUMNS = frozenset(
    {"pledges", "pledgers", "usd", "usd_exact", "without_amount", "unconverted"}
)


def to_csv(summary: Summary, *, locale: str = "en") -> str:
    """Return the summary as CSV text (amounts per currency joined with ``;``).

    The counts, the USD figures and the values of the ``sdg`` and ``year``
    dimensions are numbers, written as they are (a negative total stays a number).
    Every other cell is text, written as the pledge tables write text: one that a
    spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return), or that begins with an apostrophe, is written
    after an apostrophe. A reader takes one leading apostrophe off a text cell.
    Lines end with CR LF, so that a text with a carriage return is quoted.
    """
    rows = records(summary, locale=locale)
    buffer = io.StringIO()
    # Lines end with CR LF (RFC 4180, as the pledge tables): the writer quotes a
    # cell with a CR only when CR ends lines, and an unquoted one splits the row.
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        joined = row | {
            "by_currency": ";".join(
                f"{code} {amount}" for code, amount in row["by_currency"].items()
            ),
            "unconverted_reasons": ";".join(row["unconverted_reasons"]),
        }
        writer.writerow(
            {
                column: escape_text(value)
                if isinstance(value, str) and column not in _NUMBER_COLUMNS
                else value
                for column, value in joined.items()
            }
        )
    return buffer.getvalue()


_RTL = frozenset({"ar"})
_RLM, _FSI, _PDI = "\u200f", "\u2068", "\u2069"


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - _display.width(text), 0)
    return gap + text if right else text + gap


# The explicit bidi formatting characters: embeddings and overrides end at PDF,
# isolates at PDI (which also ends the embeddings opened inside the isolate).
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_PDF = "\u202c"
# The bidi classes that can reorder a cell's neighbours in a left-to-right line:
# right-to-left letters, Arabic digits and the explicit formatting characters.
_REORDERING = frozenset(
    {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)


def _balanced(text: str) -> str:
    """The text with every explicit bidi embedding, override and isolate closed.

    A closer without its opener is dropped (it would close the cell's own isolate);
    an opener left open is closed at the end of the text (it would reorder the rest
    of the line).
    """
    out: list[str] = []
    open_: list[str] = []  # the closer each open opener waits for
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            open_.append(_PDF if char in _EMBEDDINGS else _PDI)
        elif char == _PDF:
            if not open_ or open_[-1] != _PDF:
                continue
            open_.pop()
        elif char == _PDI:
            if _PDI not in open_:
                continue
            # A PDI also ends the embeddings opened since its isolate began.
            while (closer := open_.pop()) != _PDI:
                out.append(closer)
        out.append(char)
    return "".join(out) + "".join(reversed(open_))


def _isolate(text: str, locale: str) -> str:
    # In a right-to-left line a Latin name or a number would otherwise reorder its
    # neighbours; in a left-to-right line an Arabic name (or a stray override in a
    # pledger's name) would. An isolate keeps each such cell in its own direction.
    text = _balanced(text)
    if locale in _RTL or any(unicodedata.bidirectional(char) in _REORDERING for char in text):
        return f"{_FSI}{text}{_PDI}"
    return text


def _line(cells: Sequence[str], widths: Sequence[int], locale: str) -> str:
    first, *rest = cells
    parts = [_pad(_isolate(first, locale), widths[0])]
    parts += [
        _pad(_isolate(c, locale), w, right=True) for c, w in zip(rest, widths[1:], strict=True)
    ]
    start = _RLM if locale in _RTL else ""
    return (start + "  " + "  ".join(parts)).rstrip()


def _gaps(cell: Cell, locale: str) -> str:
    _ = translator(locale)
    gaps = []
    if cell.without_amount:
        gaps.append(_("{count} without amount", count=cell.without_amount))
    if cell.unconverted:
        gaps.append(_("{count} not converted", count=len(cell.unconverted)))
    if len(gaps) == 2:
        return _("({first}, {second})", first=gaps[0], second=gaps[1])
    return _("({notes})", notes=gaps[0]) if gaps else ""


def to_text(summary: Summary, *, locale: str = "en") -> str:
    """Return the summary as a plain-text table, one line per cell and a total line.

    Every word comes from the catalogs of ``locale``; columns are aligned by
    display width (a Chinese character takes two columns); in Arabic each line
    starts with a right-to-left mark and each cell is a bidi isolate, so a
    terminal that applies the bidi algorithm lays the table out right to left.
    """
    _ = translator(locale)
    titles = [
        " / ".join(
            key_label(part, d, locale) for d, part in zip(summary.by, cell.key, strict=True)
        )
        for cell in summary.cells
    ]
    cells = list(summary.cells)
    if summary.ungrouped.pledges:
        titles.append(_("(none)"))
        cells.append(summary.ungrouped)
    titles.append(_("TOTAL"))
    cells.append(summary.total)
    rows = [
        [
            _display.printable(title),
            format_number(cell.pledges, locale),
            format_number(cell.pledgers, locale),
            format_money(cell.usd_rounded, locale=locale, compact=True),
            _gaps(cell, locale),
        ]
        for title, cell in zip(titles, cells, strict=True)
    ]
    heading = label_of_dimension(summary.by[0], locale)
    if len(summary.by) == 2:
        heading = _(
            "{first} by {second}",
            first=heading,
            second=label_of_dimension(summary.by[1], locale),
        )
    header = [heading, _("pledges"), _("pledgers"), "USD", ""]
    widths = [max(_display.width(row[column]) for row in [header, *rows]) for column in range(4)]
    lines = [
        _line([*row[:4]], widths, locale) + (f"  {row[4]}" if row[4] else "")
        for row in [header, *rows]
    ]
    if summary.overlapping:
        lines.append(
            (_RLM if locale in _RTL else "")
            + "  "
            + _("A pledge in several groups counts in each: groups add up to more than the total.")
        )
    return "\n".join(lines) + "\n"


def label_of_dimension(dimension: Dimension, locale: str = "en") -> str:
    """The heading of a dimension in ``locale`` (``focus area``, ``domaine d'action``).

    .. versionchanged:: 0.2 ``locale``.
    """
    return translator(locale)(DIMENSION_HEADINGS[dimension])


def render(
    pledges: Sequence[Any],
    summaries: Sequence[Summary],
    *,
    locale: str = "en",
    output: Literal["text", "json", "csv"] = "text",
    sample: bool = False,
    footer: Sequence[str] = (),
) -> str:
    """Render a report of several summaries: counts, coverage, unconverted pledges, top pledgers.

    ``footer`` (the reference data used, :func:`p2c_pledges.reference.footer_lines`)
    ends the text report and is the JSON report's ``reference_data``.

    .. versionchanged:: 0.2
       ``footer``.
    """
    if output == "json":
        document = {
            "note": ILLUSTRATIVE if sample else None,
            "reference_data": list(footer),
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
        # A blank line between the tables, ended as their lines are.
        return "\r\n".join(to_csv(s, locale=locale) for s in summaries)
    return (
        _headline_text(pledges, summaries[0].total, locale, sample=sample)
        + "\n".join(to_text(s, locale=locale) for s in summaries)
        + "\n"
        + _unconverted_text(summaries[0].total, locale)
        + "".join((_RLM if locale in _RTL else "") + line + "\n" for line in footer)
    )


def _headline_text(pledges: Sequence[Any], total: Cell, locale: str, *, sample: bool) -> str:
    _ = translator(locale)
    start = _RLM if locale in _RTL else ""
    head = [_(ILLUSTRATIVE), ""] if sample else []
    with_amount = sum(1 for p in pledges if p.amount is not None)
    # The counted phrases are built outside the call: babel extracts no message
    # from a call nested in an extracted one.
    how_many = counted(N_("{count} pledge"), N_("{count} pledges"), len(pledges), locale)
    by_whom = counted(N_("{count} pledger"), N_("{count} pledgers"), total.pledgers, locale)
    head += [
        _(
            "{pledges} by {pledgers}; {usd} ({compact})",
            pledges=how_many,
            pledgers=by_whom,
            usd=_isolate(format_money(total.usd_rounded, locale=locale, code=True), locale),
            compact=_isolate(format_money(total.usd_rounded, locale=locale, compact=True), locale),
        ),
        _(
            "amounts: {stated} stated, {converted} converted to USD, {unconverted} not converted, {without} without amount",
            stated=with_amount,
            converted=with_amount - len(total.unconverted),
            unconverted=len(total.unconverted),
            without=total.without_amount,
        ),
        "",
    ]
    return "\n".join(start + line if line else line for line in head)


def _unconverted_text(total: Cell, locale: str) -> str:
    if not total.unconverted:
        return ""
    _ = translator(locale)
    start = _RLM if locale in _RTL else ""
    reasons = Counter(reason_text(failure, locale) for failure in total.unconverted)
    lines = [start + _("Not converted (add a rate table with --rates):")]
    for reason, count in sorted(reasons.items()):
        how_many = counted(N_("{count} pledge"), N_("{count} pledges"), count, locale)
        lines.append(start + "  " + _("{pledges}: {reason}", pledges=how_many, reason=reason))
    return "\n".join(lines) + "\n\n"
