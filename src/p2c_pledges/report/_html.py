"""The tracking dashboard: one self-contained HTML file, charts and tables inline.

Every figure comes from :func:`~p2c_pledges.aggregate.summarize`,
:func:`~p2c_pledges.aggregate.cumulative`, :func:`~p2c_pledges.aggregate.target_totals`
and, per pledge, :func:`~p2c_pledges.normalize`; every text is formatted here in
Python for the locale, so the page's script only searches, filters, sorts and
shows. The template is Jinja2 with autoescaping; the pledges travel as JSON in a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped;
a Content-Security-Policy lets only the page's own script (by its hash) run and
forbids every network request.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from decimal import Decimal
from importlib.resources import files
from typing import Any

from babel import Locale
from babel.dates import format_date
from jinja2 import Environment, PackageLoader, Template
from markupsafe import Markup

from .. import countries
from .._once import once
from ..aggregate import Summary, cumulative, summarize, target_totals
from ..codes import Metric, Region
from ..fx import DEFAULT_POLICY, Policy, RateSource
from ..l10n import country_name, format_money, format_number, label
from ..model import Pledge
from ..normalization import normalize
from ..query import Dimension, dimension_of, fold, pledger_key, values_of
from . import _svg
from ._words import (
    DIMENSION_HEADINGS,
    N_,
    counted,
    key_label,
    reason_text,
    rule_text,
    source_text,
    translator,
)


__all__ = ["DEFAULT_BY", "html"]

#: The breakdowns charted when ``by`` is not given.
DEFAULT_BY = (
    Dimension.FOCUS_AREA,
    Dimension.PLEDGE_TYPE,
    Dimension.SECTOR,
    Dimension.PLEDGER_REGION,
)
_FILTERS = (
    Dimension.FOCUS_AREA,
    Dimension.PLEDGE_TYPE,
    Dimension.SECTOR,
    Dimension.PLEDGER_REGION,
    Dimension.BENEFICIARY_COUNTRY,
    Dimension.COUNTRY_GROUP,
)
_UNIT_TEXT = {
    Metric.FIBRE_KM: N_("{value} km"),
    Metric.BANDWIDTH: N_("{value} bit/s"),
}
_LARGEST = 10


@once
def _template() -> Template:
    # Compiling the template took a quarter of a warm page: it is compiled once.
    # A Jinja template renders in many threads at once (its state is the render's).
    environment = Environment(
        loader=PackageLoader("p2c_pledges.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("dashboard.html.j2")


@once
def _asset(suffix: str) -> str:
    # The page's own stylesheet and script, beside its template.
    path = files("p2c_pledges.report") / "templates" / f"dashboard.{suffix}"
    return path.read_text(encoding="utf-8")


def _embedded_json(value: Any) -> Markup:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Nothing in the JSON can close the script element or open a comment.
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)  # noqa: S704 - escaped above for a script element


# The planes of the world's scripts, Basic and Supplementary Multilingual. The
# others hold CJK ideographs (planes 2 and 3: no case, no marks), tags and variation
# selectors (plane 14: combining class 0, no case) and private use: scanning them
# took a fifth of a second of the first page, and a test checks the tables against
# every code point.
_SCRIPT_PLANES = range(0x20000)


@functools.cache
def _casefold_table() -> dict[str, str]:
    # JavaScript has no casefold(): the characters whose case folding is not their
    # lower case travel with the page, so the search folds as query(text=...) does.
    return {
        char: char.casefold()
        for char in map(chr, _SCRIPT_PLANES)
        if char.casefold() != char.lower() and not 0xD800 <= ord(char) <= 0xDFFF
    }


@functools.cache
def _combining_ranges() -> tuple[tuple[int, int], ...]:
    # query.fold drops the characters of a nonzero combining class, which is not
    # JavaScript's \p{Mn} (a Devanagari vowel sign is Mn of class 0 and stays): the
    # ranges travel with the page, so that its search drops exactly those.
    ranges: list[tuple[int, int]] = []
    for code in _SCRIPT_PLANES:
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return tuple(ranges)


def _code(part: Hashable) -> str:
    return str(getattr(part, "value", part))


def _breakdown(summary: Summary, locale: str, key: str) -> dict[str, Any]:
    _ = translator(locale)
    heading = _(DIMENSION_HEADINGS[summary.by[0]])
    rows: list[dict[str, Any]] = [
        {
            "label": key_label(cell.key[0], summary.by[0], locale),
            "pledges": format_number(cell.pledges, locale),
            "usd": format_money(cell.usd_rounded, locale, compact=True, code=True),
            "count": cell.pledges,
            "usd_exact": cell.usd,
        }
        for cell in summary.cells
    ]
    rtl = locale == "ar"
    usd_chart = _svg.bars(
        f"{key}-usd",
        _("USD by {dimension}", dimension=heading),
        _("Bar chart of the USD value of the pledges in each group."),
        [_svg.Bar(r["label"], r["usd_exact"], r["usd"]) for r in rows],
        colour=_svg.PALETTE[0],
        rtl=rtl,
    )
    count_chart = _svg.bars(
        f"{key}-count",
        _("Pledges by {dimension}", dimension=heading),
        _("Bar chart of the number of pledges in each group."),
        [_svg.Bar(r["label"], Decimal(r["count"]), r["pledges"]) for r in rows],
        colour=_svg.PALETTE[1],
        rtl=rtl,
    )
    return {
        "key": key,
        "heading": heading,
        "rows": rows,
        "charts": (usd_chart, count_chart),
        "overlapping": summary.overlapping,
    }


def _provenance(item: Any, locale: str) -> dict[str, Any]:
    _ = translator(locale)
    pledge: Pledge = item.pledge
    if pledge.amount is None:
        return {"none": _("No amount stated.")}
    if item.conversion is None:
        from ..aggregate import Unconverted  # noqa: PLC0415 - only to word the reason

        failure = Unconverted(pledge_id=pledge.id, amount=pledge.amount, reason=item.reason)
        return {"none": reason_text(failure, locale)}
    quote = item.conversion.quote
    return {
        "rate": _(
            "{rate} USD per {currency}",
            rate=format_number(quote.usd_per_unit, locale),
            currency=quote.currency,
        ),
        "rate_date": format_date(quote.rate_date, "long", locale=locale),
        "source": source_text(quote.source, locale),
        "rule": rule_text(quote.rule, locale),
        "fallback": _("yes") if quote.fallback else _("no"),
        "date_from": _("value date") if item.date_from == "value_date" else _("announcement date"),
    }


def _pledge_row(item: Any, locale: str) -> dict[str, Any]:
    pledge: Pledge = item.pledge
    usd = item.conversion.usd if item.conversion is not None else None
    row: dict[str, Any] = {
        "id": pledge.id,
        "title": pledge.title,
        "pledger": pledge.pledger.name,
        "co": [p.name for p in pledge.co_pledgers],
        "date": pledge.announced_on.isoformat(),
        "date_text": format_date(pledge.announced_on, "medium", locale=locale),
        "amount": format_money(pledge.amount, locale, code=True) if pledge.amount else "",
        "usd": str(usd.amount) if usd is not None else None,
        "usd_text": format_money(usd, locale, compact=True) if usd is not None else "",
        "find": fold(
            "\n".join([pledge.title, pledge.description or "", *(p.name for p in pledge.pledgers)])
        ),
        "targets": [
            _target_text(t.metric, t.quantity.to(t.quantity.units), locale) for t in pledge.targets
        ],
        "provenance": _provenance(item, locale),
        "url": pledge.source_url
        if pledge.source_url and pledge.source_url.lower().startswith(("http://", "https://"))
        else None,
    }
    for dimension in _FILTERS:
        row[dimension.value] = [_code(v) for v in values_of(pledge, dimension)]
    return row


def _target_text(metric: Metric, quantity: Any, locale: str) -> str:
    _ = translator(locale)
    number = format_number(Decimal(quantity.magnitude), locale)
    value = _(_UNIT_TEXT[metric], value=number) if metric in _UNIT_TEXT else number
    return f"{label(metric, locale=locale)}: {value}"


def _options(pledges: Sequence[Pledge], locale: str) -> list[dict[str, Any]]:
    _ = translator(locale)
    options = []
    for dimension in _FILTERS:
        seen = {value for p in pledges for value in values_of(p, dimension)}
        choices = sorted(
            ((_code(v), key_label(v, dimension, locale)) for v in seen), key=lambda pair: pair[1]
        )
        options.append(
            {"key": dimension.value, "label": _(DIMENSION_HEADINGS[dimension]), "choices": choices}
        )
    return options


def _rate_sources(normalized: Iterable[Any], locale: str) -> list[dict[str, str]]:
    dates: dict[str, list[Any]] = {}
    for item in normalized:
        if item.conversion is not None:
            dates.setdefault(item.conversion.quote.source, []).append(
                item.conversion.quote.rate_date
            )
    return [
        {
            "source": source_text(source, locale),
            "count": format_number(len(days), locale),
            "first": format_date(min(days), "medium", locale=locale),
            "last": format_date(max(days), "medium", locale=locale),
        }
        for source, days in sorted(dates.items())
    ]


def _tile_map(pledges: Sequence[Pledge], rates: RateSource, policy: Policy, locale: str) -> Any:
    _ = translator(locale)
    by_country = summarize(pledges, Dimension.BENEFICIARY_COUNTRY, rates, policy)
    counts = {cell.key[0]: cell.pledges for cell in by_country.cells}
    english = [str(code) for code in Locale.parse("en").territories]
    regions = []
    for region in Region:
        members = sorted(
            code
            for code in english
            if len(code) == 2
            and code.isalpha()
            and countries.is_country(code)
            and countries.region_of(code) is region
        )
        group = [
            _svg.Tile(
                code,
                country_name(code, locale),
                counts.get(code, 0),
                counted(N_("{count} pledge"), N_("{count} pledges"), counts.get(code, 0), locale),
            )
            for code in members
        ]
        regions.append((label(region, locale=locale), group))
    chart = _svg.tiles(
        "countries",
        _("Beneficiary countries"),
        _("One tile per country, grouped by ITU-D region; darker tiles have more pledges."),
        regions,
        rtl=locale == "ar",
    )
    rows = [
        {
            "label": key_label(cell.key[0], Dimension.BENEFICIARY_COUNTRY, locale),
            "pledges": format_number(cell.pledges, locale),
        }
        # A pledge made to a country group is a row of its own, named by the group.
        for cell in sorted(by_country.cells, key=lambda c: -c.pledges)
    ]
    return {"chart": chart, "rows": rows}


def _contributors(
    pledges: Sequence[Pledge], rates: RateSource, policy: Policy, locale: str
) -> Any:
    summary = summarize(pledges, Dimension.PLEDGER, rates, policy)
    known: dict[str, Any] = {}
    for pledge in pledges:
        for pledger in pledge.pledgers:
            known.setdefault(pledger_key(pledger), pledger)
    rows = []
    for cell in summary.cells:
        pledger = known[str(cell.key[0])]
        rows.append(
            {
                "name": pledger.name,
                "find": fold(pledger.name),
                "sector": pledger.sector.value,
                "sector_text": label(pledger.sector, locale=locale),
                "region": pledger.region.value if pledger.region else "",
                "region_text": label(pledger.region, locale=locale) if pledger.region else "",
                "country_text": country_name(pledger.country, locale) if pledger.country else "",
                "pledges": cell.pledges,
                "pledges_text": format_number(cell.pledges, locale),
                "usd": str(cell.usd_rounded.amount),
                "usd_text": format_money(cell.usd_rounded, locale, compact=True),
            }
        )
    return summary, rows


def html(
    pledges: Iterable[Pledge],
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
    *,
    locale: str = "en",
    by: Sequence[Dimension | str] = DEFAULT_BY,
    sample: bool = False,
) -> str:
    """Return the tracking dashboard of the pledges: one self-contained HTML page.

    The page has its CSS, script and SVG charts inline, makes no network request
    and works from ``file://``. What it shows and how each figure is computed is
    on the Dashboard page of the docs.

    Args:
        pledges: The pledges to show.
        rates: Where exchange rates come from (:func:`p2c_pledges.fx.bundled_rates`).
        policy: The exchange-rate policy (default: on or before, at most 7 days).
        locale: One of the six UN languages; ``ar`` lays the page out right to left.
        by: The dimensions charted one by one (default: focus area, pledge type,
            sector and pledger region).
        sample: Show the notice that the data is the illustrative sample.

    Raises:
        PledgeDataError: ``locale.unknown``.
        ValueError: An unknown dimension name.

    .. versionadded:: 0.2
    """
    kept = list(pledges)
    _ = translator(locale)
    dimensions = [dimension_of(d) for d in by]
    normalized = list(normalize(kept, rates, policy))
    breakdowns = [
        _breakdown(summarize(kept, d, rates, policy), locale, d.value) for d in dimensions
    ]
    first = summarize(kept, dimensions[0] if dimensions else Dimension.FOCUS_AREA, rates, policy)
    total = first.total
    with_amount = sum(1 for p in kept if p.amount is not None)
    reasons: dict[str, int] = {}
    for failure in total.unconverted:
        text = reason_text(failure, locale)
        reasons[text] = reasons.get(text, 0) + 1
    groups = _breakdown(summarize(kept, Dimension.COUNTRY_GROUP, rates, policy), locale, "groups")
    contributors_summary, contributors = _contributors(kept, rates, policy, locale)
    # copy_negate, not -: a minus rounds in the caller's context (3 digits would tie).
    largest = sorted(
        contributors_summary.cells, key=lambda c: (c.usd.copy_negate(), str(c.key[0]))
    )[:_LARGEST]
    largest_rows = [
        {
            "label": key_label(c.key[0], Dimension.PLEDGER, locale),
            "usd": format_money(c.usd_rounded, locale, compact=True),
            "pledges": format_number(c.pledges, locale),
            "usd_exact": c.usd,
        }
        for c in largest
    ]
    points = cumulative(kept, rates, policy)
    ends = (
        (
            format_date(points[0].on, "medium", locale=locale),
            format_date(points[-1].on, "medium", locale=locale),
        )
        if points
        else ("", "")
    )
    timeline = {
        "count": _svg.line(
            "cumulative-count",
            _("Pledges over time"),
            _("Cumulative number of pledges at each announcement date."),
            [(p.on.isoformat(), Decimal(p.pledges)) for p in points],
            ends,
            colour=_svg.PALETTE[2],
        ),
        "usd": _svg.line(
            "cumulative-usd",
            _("USD over time"),
            _("Cumulative USD value of the pledges at each announcement date."),
            [(p.on.isoformat(), p.usd) for p in points],
            ends,
            colour=_svg.PALETTE[3],
        ),
        "rows": [
            {
                "date": format_date(p.on, "medium", locale=locale),
                "pledges": format_number(p.pledges, locale),
                "usd": format_money(p.usd_rounded, locale, compact=True),
            }
            for p in points
        ],
    }
    targets = [
        _target_text(metric, quantity, locale) for metric, quantity in target_totals(kept).items()
    ]
    rows = [_pledge_row(item, locale) for item in normalized]
    page = {
        "pledges": rows,
        "contributors": contributors,
        "fold": _casefold_table(),
        "marks": _combining_ranges(),
        "words": {
            "shown": _("{shown} of {total} shown"),
            "more": _("Show more"),
            "none": _("No pledge matches."),
            "targets": _("Targets"),
            "co": _("Co-pledgers"),
            "provenance": _("USD figure"),
            "rate": _("Rate"),
            "rate_date": _("Rate date"),
            "source": _("Source"),
            "rule": _("Rule"),
            "fallback": _("Fallback"),
            "date_from": _("Date used"),
            "link": _("Source page"),
            "amount": _("Amount stated"),
            "no_targets": _("No measurable target."),
            "no_co": _("No co-pledger."),
        },
    }
    script = _asset("js")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return _template().render(
        _=_,
        locale=locale,
        direction="rtl" if locale == "ar" else "ltr",
        sample=sample,
        illustrative=_(
            "ILLUSTRATIVE SAMPLE DATA, not ITU data: no pledge, pledger or amount in it is real."
        ),
        headline={
            "pledges": format_number(len(kept), locale),
            "pledgers": format_number(total.pledgers, locale),
            "usd": format_money(total.usd_rounded, locale, code=True),
            "usd_compact": format_money(total.usd_rounded, locale, compact=True),
            "stated": format_number(with_amount, locale),
            "converted": format_number(with_amount - len(total.unconverted), locale),
            "unconverted": format_number(len(total.unconverted), locale),
            "without": format_number(total.without_amount, locale),
            "reasons": [(format_number(n, locale), text) for text, n in sorted(reasons.items())],
            "sources": _rate_sources(normalized, locale),
            "policy": str(policy),
            "policy_text": rule_text(str(policy), locale),
        },
        breakdowns=breakdowns,
        groups=groups,
        countries=_tile_map(kept, rates, policy, locale),
        largest={
            "rows": largest_rows,
            "chart": _svg.bars(
                "largest",
                _("Largest pledgers"),
                _("Bar chart of the USD value pledged by the largest pledgers."),
                [_svg.Bar(r["label"], r["usd_exact"], r["usd"]) for r in largest_rows],
                colour=_svg.PALETTE[5],
                rtl=locale == "ar",
            ),
        },
        timeline=timeline,
        targets=targets,
        filters=_options(kept, locale),
        page_json=_embedded_json(page),
        css=Markup(_asset("css")),  # noqa: S704 - the package's own file
        script=Markup(script),  # noqa: S704 - the package's own file
        script_hash=digest,
    )
