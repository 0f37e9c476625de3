"""Public Hypothesis strategies that generate valid pledges and their parts.

Install the ``hypothesis`` extra (``pip install p2c-pledges[hypothesis]``) to
use them::

    from hypothesis import given
    from p2c_pledges import strategies as pst

    @given(pst.pledges(pledge_types=[p2c.PledgeType.FINANCIAL], currencies=["EUR"]))
    def test_my_function(pledge): ...

Every value these strategies generate can be built (its validators pass) and
has no error-severity issue in :func:`p2c_pledges.rules.check`; a list from
:func:`pledge_lists` has unique ids.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from babel.numbers import list_currencies
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from . import countries as _countries
from ._text import REFUSED_CHARACTER, is_blank, text_issue
from .codes import (
    SDG,
    CountryGroup,
    FocusArea,
    Metric,
    PledgeStatus,
    PledgeType,
    Region,
    Sector,
    TargetGroup,
)
from .errors import CODES, Issue, PledgeDataError, Severity
from .model import Pledge, Pledger, Target
from .money import (
    LARGEST_AMOUNT,
    MAX_FRACTION_DIGITS,
    NOT_MONEY,
    Money,
    check_currency,
    minor_units,
)
from .units import DIMENSIONS


__all__ = [
    "country_codes",
    "currency_codes",
    "extras",
    "invalid_pledge_documents",
    "json_values",
    "money",
    "pledge_documents",
    "pledge_lists",
    "pledgers",
    "pledges",
    "targets",
    "texts",
]

#: Currencies of the P2C pledges and of the bundled rate sources, tried first.
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CHF", "JPY", "CNY", "XOF", "RWF", "KES", "BHD")

_MIN_DATE = dt.date(2000, 1, 1)
_MAX_DATE = dt.date(2035, 12, 31)

# The units each metric is stated in by pledgers; all fit the metric's dimension.
_UNITS: dict[Metric, tuple[str, ...]] = {
    Metric.PEOPLE_CONNECTED: ("people", "person"),
    Metric.PEOPLE_TRAINED: ("people",),
    Metric.HOUSEHOLDS_CONNECTED: ("household", "households"),
    Metric.SCHOOLS_CONNECTED: ("school", "schools"),
    Metric.SITES_CONNECTED: ("site",),
    Metric.DEVICES_DISTRIBUTED: ("device",),
    Metric.FIBRE_KM: ("km", "mi", "m", "kilometer"),
    Metric.BANDWIDTH: ("bit/s", "Mbit/s", "Gbit/s", "Gbps", "kbit/s"),
}
if set(_UNITS) != set(DIMENSIONS):  # a new Metric needs its units here
    raise RuntimeError(f"no units for {set(DIMENSIONS) - set(_UNITS)}")


_URLS = st.builds(
    "https://{}.org/{}".format,
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789/_-", max_size=20),
)


def texts(*, max_size: int = 60) -> st.SearchStrategy[str]:
    """Non-blank text of at most ``max_size`` characters, with the characters that break naive writers.

    Unicode letters, quotes, separators (``;``, ``,``), newlines, and strings
    that a spreadsheet would run as a formula (``=SUM(A1)``, ``+1``, ``@x``).
    Lone surrogates and C0 control characters other than tab, LF and CR are
    excluded (text fields refuse them), and so are texts that show nothing.
    A failing example shrinks towards a short plain text, not a formula.

    .. versionchanged:: 0.2
       The tricky texts longer than ``max_size`` are left out (they were drawn whatever it was).
    """
    if max_size < 1:
        raise InvalidArgument(f"a text field holds at least one character: max_size={max_size!r}")
    free = st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters=_REFUSED_CONTROLS),
        min_size=1,
        max_size=max_size,
    )
    tricky = [text for text in _TRICKY_TEXTS if len(text) <= max_size]
    # The free texts come first: Hypothesis shrinks a one_of towards its first branch.
    drawn = st.one_of(free, st.sampled_from(tricky)) if tricky else free
    return drawn.filter(_text_field_takes)


_TRICKY_TEXTS = (
    "=SUM(A1:A2)",
    "+1",
    "-1",
    "@user",
    "\tx",
    "\rx",
    "'=x",
    "a;b",
    'say "hi"',
    "line 1\nline 2",
    "Côte d'Ivoire",
    "مرحبا",
    "联通",
    "\\;",
    "a,b",
)


# The C0 controls a text field refuses (all but tab, LF and CR), drawn from the rule itself.
_REFUSED_CONTROLS = "".join(
    char for char in map(chr, range(0x20)) if REFUSED_CHARACTER.fullmatch(char)
)


def _text_field_takes(text: str) -> bool:
    return not is_blank(text) and text_issue(text) is None


def currency_codes(currencies: Sequence[str] | None = None) -> st.SearchStrategy[str]:
    """ISO 4217 codes: ``currencies`` if given, else common ones first, then any a Money accepts
    (every code babel knows but those of ``p2c_pledges.money.NOT_MONEY``).

    Raises:
        hypothesis.errors.InvalidArgument: ``currencies`` is empty, or holds a code
            that a Money refuses (``"eur"``, ``"XXX"``).
    """
    if currencies is None:
        return _CURRENCIES
    codes = list(currencies)
    if not codes:
        raise InvalidArgument("currencies is empty: give at least one code, or None for any")
    refused = [code for code in codes if check_currency(code)]
    if refused:
        raise InvalidArgument(f"currencies holds codes that a Money refuses: {refused!r}")
    return st.sampled_from(codes)


_CURRENCIES = st.one_of(
    st.sampled_from(COMMON_CURRENCIES), st.sampled_from(sorted(set(list_currencies()) - NOT_MONEY))
)


_SCALES = st.integers(0, MAX_FRACTION_DIGITS)


def _unscaled_bounds(low: Decimal, high: Decimal, scale: int) -> tuple[int, int]:
    """The integers n with low <= n * 10**-scale <= high."""
    with decimal.localcontext(decimal.Context(prec=100)):
        return (
            int(low.scaleb(scale).to_integral_value(rounding=decimal.ROUND_CEILING)),
            int(high.scaleb(scale).to_integral_value(rounding=decimal.ROUND_FLOOR)),
        )


def money(
    currencies: Sequence[str] | None = None,
    *,
    min_value: Decimal = Decimal(0),
    max_value: Decimal | None = None,
) -> st.SearchStrategy[Money]:
    """Money in the given currencies (any ISO 4217 code if ``None``), within the amount limits.

    Amounts have the currency's minor units half of the time and any scale up to
    ``MAX_FRACTION_DIGITS`` (18) the other half; where no amount of that scale
    lies between the bounds (0.5 to 0.9 JPY), the fewest more decimals that hold one.

    Raises:
        hypothesis.errors.InvalidArgument: The bounds are reversed, beyond what a
            Money holds (20 digits before the point, 18 after), or hold no amount
            of at most 18 decimals; or ``currencies`` is refused (see :func:`currency_codes`).

    .. versionchanged:: 0.2
       Bounds that no amount of the drawn scale lies between, and bounds beyond
       Money's limits, are handled or refused at once (they failed while drawing).
    """
    codes = currency_codes(currencies)
    high = LARGEST_AMOUNT if max_value is None else Decimal(max_value)
    low = Decimal(min_value)
    if not LARGEST_AMOUNT.copy_negate() <= low <= high <= LARGEST_AMOUNT:
        raise InvalidArgument(
            f"money needs -{LARGEST_AMOUNT} <= min_value <= max_value <= {LARGEST_AMOUNT}, "
            f"not min_value={min_value!r}, max_value={max_value!r}"
        )
    first, last = _unscaled_bounds(low, high, MAX_FRACTION_DIGITS)
    if first > last:
        raise InvalidArgument(
            f"no amount of at most {MAX_FRACTION_DIGITS} decimals lies between "
            f"{min_value!r} and {max_value!r}"
        )
    return _money(codes, low, high)


@st.composite
def _money(draw: st.DrawFn, codes: st.SearchStrategy[str], low: Decimal, high: Decimal) -> Money:
    code = draw(codes)
    scale = minor_units(code) if draw(st.booleans()) else draw(_SCALES)
    first, last = _unscaled_bounds(low, high, scale)
    while first > last:  # ends by MAX_FRACTION_DIGITS, checked by money()
        scale += 1
        first, last = _unscaled_bounds(low, high, scale)
    # Draw the unscaled integer, so that every amount is exact at its scale.
    unscaled = draw(st.integers(first, last))
    return Money(Decimal(f"{unscaled}E-{scale}"), code)


def country_codes() -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 country codes."""
    names, _ = _countries._codes()  # noqa: SLF001 - the same module family
    return st.sampled_from(sorted(names))


@st.composite
def pledgers(draw: st.DrawFn, *, sectors: Sequence[Sector] | None = None) -> Pledger:
    """Pledgers with a country (region derived) or, like international organizations, without."""
    sector = draw(st.sampled_from(list(sectors) if sectors else list(Sector)))
    name = draw(texts())
    if draw(st.booleans()):
        return Pledger(name=name, sector=sector, country=draw(country_codes()))
    return Pledger(name=name, sector=sector, region=draw(st.none() | st.sampled_from(Region)))


@st.composite
def targets(draw: st.DrawFn, *, metrics: Sequence[Metric] | None = None) -> Target:
    """Measurable targets whose unit fits their metric."""
    metric = draw(st.sampled_from(list(metrics) if metrics else list(Metric)))
    value = draw(
        st.decimals(
            min_value=Decimal("0.001"), max_value=Decimal(10**12), places=3, allow_nan=False
        ).map(lambda value: value.normalize() if value == value.to_integral() else value)
    )
    return Target(
        metric=metric,
        value=value,
        unit=draw(st.sampled_from(_UNITS[metric])),
        deadline=draw(st.none() | st.dates(_MIN_DATE, _MAX_DATE)),
    )


def _unique_list(
    elements: st.SearchStrategy[object], *, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[list[object]]:
    return st.lists(elements, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def pledges(
    draw: st.DrawFn,
    *,
    pledge_types: Sequence[PledgeType] | None = None,
    currencies: Sequence[str] | None = None,
    with_amount: bool | None = None,
    announced_between: tuple[dt.date, dt.date] = (_MIN_DATE, _MAX_DATE),
    ids: st.SearchStrategy[str] | None = None,
) -> Pledge:
    """Valid pledges.

    Args:
        pledge_types: Every pledge has all of these types (and maybe others).
        currencies: Amounts are in one of these currencies.
        with_amount: ``True``: always an amount; ``False``: never; ``None``: either.
        announced_between: The range of ``announced_on`` (inclusive).
        ids: The strategy for ``id`` (default: short text).
    """
    required = list(pledge_types or [])
    extra = draw(_unique_list(st.sampled_from(PledgeType), min_size=0 if required else 1))
    types = required + [kind for kind in extra if kind not in required]
    start, end = announced_between
    announced = draw(st.dates(start, end))
    has_amount = draw(st.booleans()) if with_amount is None else with_amount
    amount = draw(money(currencies)) if has_amount else None
    period_start = draw(st.none() | st.dates(_MIN_DATE, _MAX_DATE))
    period_end = draw(
        st.none()
        | (st.dates(period_start, _MAX_DATE) if period_start else st.dates(_MIN_DATE, _MAX_DATE))
    )
    value_date = draw(st.none() | st.dates(_MIN_DATE, _MAX_DATE)) if amount else None
    status = draw(st.sampled_from(PledgeStatus))
    progress = draw(
        st.none()
        | st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)
    )
    if status is PledgeStatus.COMPLETED and progress is not None:
        progress = Decimal(1)
    return Pledge(
        id=draw(ids if ids is not None else texts(max_size=20)),
        title=draw(texts()),
        description=draw(st.none() | texts(max_size=200)),
        pledger=draw(pledgers()),
        co_pledgers=draw(_unique_list(pledgers(), max_size=2)),
        pledge_types=types,
        focus_areas=draw(_unique_list(st.sampled_from(FocusArea), min_size=1, max_size=4)),
        amount=amount,
        value_date=value_date,
        announced_on=announced,
        period_start=period_start,
        period_end=period_end,
        beneficiary_countries=draw(_unique_list(country_codes(), max_size=4)),
        beneficiary_regions=draw(_unique_list(st.sampled_from(Region))),
        beneficiary_groups=draw(_unique_list(st.sampled_from(CountryGroup))),
        target_groups=draw(_unique_list(st.sampled_from(TargetGroup))),
        sdgs=draw(_unique_list(st.sampled_from(SDG))),
        targets=draw(_unique_list(targets())),
        status=status,
        progress=progress,
        source_url=draw(st.none() | _URLS),
    )


def json_values(*, max_leaves: int = 10) -> st.SearchStrategy[Any]:
    """JSON values as ``json.loads`` gives them: no NaN or infinity, string keys, texts a pledge takes.

    .. versionadded:: 0.2
    """
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**63), max_value=2**63)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _json_texts
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(_json_texts, inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def extras() -> st.SearchStrategy[dict[str, Any]]:
    """Mappings that :attr:`Pledge.extras <p2c_pledges.Pledge>` takes: string keys, JSON values.

    The keys are not field names and have no ``/``, so that they are kept as
    they are by every reader and writer.

    .. versionadded:: 0.2
    """
    names = frozenset(field.name for field in attrs.fields(Pledge))
    keys = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
        lambda key: key not in names
    )
    return st.dictionaries(keys, json_values(), max_size=3)


_json_texts = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters=_REFUSED_CONTROLS), max_size=8
)


def pledge_lists(*, min_size: int = 0, max_size: int = 5) -> st.SearchStrategy[list[Pledge]]:
    """Lists of valid pledges with unique ids (so :func:`p2c_pledges.rules.check` finds no error)."""
    return st.lists(
        pledges(), min_size=min_size, max_size=max_size, unique_by=lambda pledge: pledge.id
    )


#: Where issues are, as the readers locate them.
_PATHS = st.sampled_from(
    [
        "$",
        "$.pledges[0]",
        "$.pledges[0].amount.currency",
        "$.pledges[2].targets[0].unit",
        "$.pledges[1].pledger.country",
        "$.resources[1].path",
    ]
)


def _issues() -> st.SearchStrategy[Issue]:
    """Issues as the library reports them: a registered code, a message, a place.

    For ``st.from_type(Issue)`` (the ``hypothesis`` entry point); an issue's
    ``value`` is any JSON value, as files hold them.
    """
    return st.builds(
        Issue,
        code=st.sampled_from(sorted(CODES)),
        message=texts(),
        value=st.none() | json_values(max_leaves=3),
        path=_PATHS,
        severity=st.sampled_from(Severity),
        file=st.none() | st.sampled_from(["pledges.json", "pledges.csv", "pledges.targets.csv"]),
        row=st.none() | st.integers(1, 10**6),
        column=st.none() | st.sampled_from(["id", "amount/currency", "unit"]),
    )


def _pledge_data_errors() -> st.SearchStrategy[PledgeDataError]:
    """Errors holding one or more issues, for ``st.from_type(PledgeDataError)``."""
    return st.lists(_issues(), min_size=1, max_size=3).map(PledgeDataError)


def _document(pledge: Pledge) -> dict[str, Any]:
    # Imported here: ``io`` is a sibling in layer 4, needed only for the JSON form,
    # and importing it at the top would make every strategy pay for the readers.
    from . import io  # noqa: PLC0415

    document: dict[str, Any] = json.loads(json.dumps(io.unstructure(pledge)))
    return document


def pledge_documents(**constraints: Any) -> st.SearchStrategy[dict[str, Any]]:
    """The JSON-ready form of valid pledges (plain dicts, lists, strings), as files hold them.

    Takes the same constraints as :func:`pledges`.
    """
    return pledges(**constraints).map(_document)


#: Mutations that make a valid pledge document invalid, with the issue each must
#: produce: (what it does, the change, the expected code, the expected path).
_MUTATIONS: tuple[tuple[str, Callable[[dict[str, Any]], None], str, str], ...] = (
    ("lower-case currency", lambda d: d["amount"].update(currency=d["amount"]["currency"].lower()), "currency.unknown", "$.amount.currency"),
    ("money as a JSON number", lambda d: d["amount"].update(amount=1.5), "value.float_money", "$.amount.amount"),
    ("SDG 18", lambda d: d.update(sdgs=[18]), "sdg.range", "$.sdgs[0]"),
    ("unknown country", lambda d: d["pledger"].update(country="XX"), "country.unknown", "$.pledger.country"),
    ("no focus area", lambda d: d.update(focus_areas=[]), "list.empty", "$.focus_areas"),
    ("unknown key", lambda d: d.update(colour="blue"), "key.unknown", "$.colour"),
    ("progress above 1", lambda d: d.update(progress="1.5"), "progress.range", "$.progress"),
    ("fibre counted in people", lambda d: d.update(targets=[{"metric": "fibre_km", "value": "10", "unit": "people"}]), "unit.dimension", "$.targets[0].unit"),
)  # fmt: skip


@st.composite
def invalid_pledge_documents(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A pledge document made invalid by one or more mutations, with the (code, path) pairs it must produce.

    Paths are relative to the pledge document (``$.amount.currency``); in an
    envelope they are under ``$.pledges[i]``.
    """
    document = draw(pledge_documents(with_amount=True))
    chosen = draw(
        st.lists(st.sampled_from(_MUTATIONS), min_size=1, max_size=3, unique_by=lambda m: m[0])
    )
    for _, mutate, _, _ in chosen:
        mutate(document)
    return document, sorted((code, path) for _, _, code, path in chosen)
