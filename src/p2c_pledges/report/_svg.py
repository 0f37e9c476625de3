"""SVG charts drawn by Python: horizontal bars, a cumulative line, a tile grid.

Every chart is ``role="img"`` with ``<title>`` and ``<desc>`` and an
``aria-labelledby`` pointing at them; the page puts the chart's data table beside
it. Text is escaped by :func:`markupsafe.escape`. Right-to-left charts start their
bars and labels at the right edge (SVG ``direction="rtl"`` with ``text-anchor="start"``
anchors text at its right end).

A bar's length and a point's height are ratios of Decimals, computed in the
library's context for computed rates (28 significant digits, half to even), so
the caller's decimal context (3 digits, an ``Inexact`` trap) changes no chart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from attrs import define
from markupsafe import Markup, escape

from ..fx._series import RATES
from ._display import width


# Okabe and Ito's palette, safe for the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# A sequential blue ramp (ColorBrewer Blues), readable without hue discrimination.
RAMP = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
_WIDTH = 600


#: The display columns a bar's label may take: about the chart's width at 13px.
LABEL_COLUMNS = 64
_ELLIPSIS = "\u2026"
_JOINERS = frozenset("\u200c\u200d")


def fitted(text: str, columns: int = LABEL_COLUMNS) -> str:
    """The text cut to ``columns`` display columns with an ellipsis, or whole if it fits.

    Columns are counted as a terminal counts them (a Chinese character takes two,
    a line break as its escape ``\\n`` takes two), and the cut never splits a
    character from its combining marks or a joined sequence (an emoji family stays
    whole or goes whole).
    """
    if width(text) <= columns:
        return text
    used, cut, start = 0, 0, 0
    for index in range(1, len(text) + 1):
        if index < len(text) and _joined(text, index):
            continue
        # text[start:index] is one cluster: measured whole, as a joined emoji is
        # narrower than its parts and a variation selector can widen its base.
        used += width(text[start:index])
        if used > columns - 1:  # a column is left for the ellipsis
            break
        cut = start = index
    return text[:cut] + _ELLIPSIS


def _joined(text: str, index: int) -> bool:
    # Whether text[index] belongs to the cluster of the character before it.
    char = text[index]
    return (
        unicodedata.category(char).startswith("M")
        or char in _JOINERS
        or text[index - 1] in _JOINERS
        or 0xFE00 <= ord(char) <= 0xFE0F
    )


def _label(text: str) -> str:
    # A label too long for the chart is cut, its whole text kept as the tooltip
    # (and in the data table beside the chart).
    shown = fitted(text)
    tooltip = f"<title>{escape(text)}</title>" if shown != text else ""
    return f"{tooltip}{escape(shown)}"


@define(frozen=True)
class Bar:
    """One bar: its label, its value and the value as the page shows it."""

    label: str
    value: Decimal
    text: str


def _svg(key: str, title: str, desc: str, height: int, body: str, *, rtl: bool) -> Markup:
    number = escape(key)
    direction = "rtl" if rtl else "ltr"
    return Markup(  # noqa: S704 - every text in it went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'role="img" aria-labelledby="svg{number}t svg{number}d" direction="{direction}" '
        f'class="chart"><title id="svg{number}t">{escape(title)}</title>'
        f'<desc id="svg{number}d">{escape(desc)}</desc>{body}</svg>'
    )


def bars(
    key: str, title: str, desc: str, rows: Sequence[Bar], *, colour: str, rtl: bool
) -> Markup:
    """A horizontal bar chart: each label on its own line above its bar, the value after it."""
    # A negative value (a pledge's amount may be one) is drawn by its size, paler and
    # outlined, its sign in its text: an SVG width is never negative.
    largest = max((row.value.copy_abs() for row in rows), default=Decimal(0)) or Decimal(1)
    parts, step = [], 40
    for index, row in enumerate(rows):
        top = index * step
        length = float(RATES.divide(row.value.copy_abs(), largest)) * _WIDTH * 0.7
        negative = ' fill-opacity="0.35" stroke-width="1" stroke="' + colour + '"'
        style = negative if row.value < 0 else ""
        start = _WIDTH if rtl else 0
        bar_x = _WIDTH - length if rtl else 0
        value_x = _WIDTH - length - 6 if rtl else length + 6
        parts.append(
            f'<text x="{start}" y="{top + 13}" class="label">{_label(row.label)}</text>'
            f'<rect x="{bar_x:.1f}" y="{top + 18}" width="{length:.1f}" height="16" fill="{colour}"{style}/>'
            f'<text x="{value_x:.1f}" y="{top + 31}" class="value">{escape(row.text)}</text>'
        )
    return _svg(key, title, desc, max(len(rows) * step, step), "".join(parts), rtl=rtl)


def line(
    key: str,
    title: str,
    desc: str,
    points: Sequence[tuple[str, Decimal]],
    ends: tuple[str, str],
    *,
    colour: str,
) -> Markup:
    """A step line over time (left to right in every locale, as dates are written)."""
    height, top, bottom = 200, 10, 170
    # The scale spans zero and every value: a running total can fall below zero.
    # Subtractions in the library's context too (copy_abs, max and min round nothing).
    highest = max((value for _, value in points), default=Decimal(0))
    lowest = min((value for _, value in points), default=Decimal(0))
    highest, lowest = max(highest, Decimal(0)), min(lowest, Decimal(0))
    spread = RATES.subtract(highest, lowest) or Decimal(1)
    span = max(len(points) - 1, 1)

    def y_of(value: Decimal) -> float:
        return bottom - float(RATES.divide(RATES.subtract(value, lowest), spread)) * (bottom - top)

    coordinates = [
        (40 + index * (_WIDTH - 80) / span, y_of(value)) for index, (_, value) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    zero = y_of(Decimal(0))
    body = (
        f'<line x1="40" y1="{zero:.1f}" x2="{_WIDTH - 40}" y2="{zero:.1f}" class="axis"/>'
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        f'<text x="40" y="{bottom + 20}" class="label" direction="ltr">{escape(ends[0])}</text>'
        f'<text x="{_WIDTH - 40}" y="{bottom + 20}" class="label end" direction="ltr">'
        f"{escape(ends[1])}</text>"
    )
    return _svg(key, title, desc, height, body, rtl=False)


@define(frozen=True)
class Tile:
    """One country of the tile grid."""

    code: str
    name: str
    pledges: int
    text: str


def tiles(
    key: str, title: str, desc: str, regions: Sequence[tuple[str, Sequence[Tile]]], *, rtl: bool
) -> Markup:
    """A tile grid: one block of tiles per region, each tile a country shaded by its pledges."""
    per_row, size, gap = 20, 28, 2
    most = max((t.pledges for _, group in regions for t in group), default=0) or 1
    parts, top = [], 0
    for region, group in regions:
        start = _WIDTH if rtl else 0
        parts.append(f'<text x="{start}" y="{top + 14}" class="label">{escape(region)}</text>')
        top += 20
        for index, tile in enumerate(group):
            column, row = index % per_row, index // per_row
            x = (_WIDTH - (column + 1) * (size + gap)) if rtl else column * (size + gap)
            y = top + row * (size + gap)
            shade = 0 if not tile.pledges else 1 + min(3, (tile.pledges * 4 - 1) // most)
            ink = "#fff" if shade >= 3 else "#111"
            parts.append(
                f'<g class="tile"><title>{escape(tile.name)}: {escape(tile.text)}</title>'
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{RAMP[shade]}" '
                f'stroke="#999" stroke-width="0.5"/>'
                f'<text x="{x + size / 2}" y="{y + 18}" class="code" fill="{ink}" '
                f'direction="ltr">{escape(tile.code)}</text></g>'
            )
        top += ((len(group) - 1) // per_row + 1) * (size + gap) + 8
    return _svg(key, title, desc, top, "".join(parts), rtl=rtl)
