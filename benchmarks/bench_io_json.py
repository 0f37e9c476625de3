"""How fast p2c-pledges reads a JSON document, against pydantic v2 and msgspec.

The three load the same bytes (200,000 pledges written by ``p2c_pledges.io.dumps``)
into their own frozen classes: this library's attrs classes, pydantic v2 models
and msgspec Structs, declared as a user of each would declare the same fields.
Runs are interleaved (the order rotates every round), and the median of the
rounds is reported. Each competitor is run as its documentation shows: pydantic
by ``PDocument.model_validate_json(data)`` (strict, frozen models, unknown keys
forbidden), msgspec by a ``msgspec.json.Decoder(MDocument)`` made once, outside
the timing, and p2c-pledges by ``loads(data)``; all three decode the same bytes
in memory. ``loads`` has its default engine, ``auto``, which reads a document
this large with msgspec's parser when msgspec is installed (as it is here, for
the competitor); ``loads(data, engine="python")``, with the json module's
parser, is reported beside it, as the figure without the ``msgspec`` extra.
The garbage collector meets them in three modes, each in its own rounds
(``MODES``): as users have it (p2c-pledges pauses the collector during its
reads, the others do not), with the collector on for everyone (that pause
switched off), and with every result kept until the round ends (a program that
keeps what it loads). The targets apply to the first, the competitors' most
favourable: a collection before each run leaves them a clean heap. A program
that holds data meets the third: every collection the competitors' loads set
off walks what the program holds, while p2c-pledges's reads pause the
collector and move what they built out of its young generations. That is why
an outside run that kept its data found p2c-pledges faster against both than
the first mode says.

What the other two check is what each library declares natively: types, enums,
required fields, unknown keys refused, text length and non-blank pattern,
ISO country and currency codes as Literal sets, numeric bounds (pydantic only:
msgspec has none for Decimal). What only p2c-pledges checks: alpha-3 country
codes normalized and regions derived, repeated values within a list, a
target's unit against its metric (pint), Money's digit limits, decimals given
as JSON numbers refused, and the error rules (period order, negative amounts,
duplicate ids).

Run: ``python benchmarks/bench_io_json.py [--count 200000] [--rounds 5]``;
``--quick`` runs 2,000 pledges once, ``--report PATH`` also writes the ratios as
JSON for ``report.py``. The peak memory of ``iter_load`` over JSON Lines is
measured by ``bench_memory.py`` (``--rss`` here runs that measurement alone).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
import pydantic
from _results import Result, verdict, write
from babel.numbers import list_currencies

import p2c_pledges as p2c
from p2c_pledges import countries
from p2c_pledges import io as p2c_io
from p2c_pledges.io import dumps, loads
from p2c_pledges.model import MAX_TEXT_LENGTH


SEED = 20220606
TARGETS = {"pydantic": 1.5, "msgspec": 0.7}
VERSIONS = {"pydantic": pydantic.VERSION, "msgspec": msgspec.__version__}

_NAMES, _ALPHA2_OF = countries._codes()  # noqa: SLF001 - the benchmark's own sample data
MEMBER_STATES = sorted(code for code in _NAMES if countries.region_of(code) is not None)
TITLES = [
    "Rural broadband for {} communities",
    "Digital skills for {} young people",
    "Connecting {} schools",
    "Fibre backbone extension, phase {}",
    "Affordable devices for {} households",
    "Community networks in {} villages",
]
DESCRIPTION = (
    "Extend last-mile connectivity to underserved districts, with training for local "
    "operators and a public dashboard of progress; reported yearly to the coalition."
)
CURRENCIES = ["USD", "USD", "USD", "EUR", "EUR", "GBP", "CHF", "JPY", "XOF", "KES"]
METRIC_UNITS = {
    p2c.Metric.PEOPLE_CONNECTED: "people",
    p2c.Metric.SCHOOLS_CONNECTED: "school",
    p2c.Metric.FIBRE_KM: "km",
    p2c.Metric.BANDWIDTH: "Gbit/s",
    p2c.Metric.PEOPLE_TRAINED: "people",
}


def sample_pledges(count: int, seed: int = SEED) -> list[p2c.Pledge]:
    """Return ``count`` made-up pledges shaped like P2C pledges (about 10 a pledger)."""
    rng = random.Random(seed)
    pledgers = []
    for number in range(max(1, count // 10)):
        sector = rng.choice(list(p2c.Sector))
        if sector is p2c.Sector.INTERNATIONAL_ORGANIZATION:
            pledger = p2c.Pledger(
                name=f"Organization {number}", sector=sector, region=rng.choice(list(p2c.Region))
            )
        else:
            home = rng.choice(MEMBER_STATES)
            pledger = p2c.Pledger(name=f"Organization {number}", sector=sector, country=home)
        pledgers.append(pledger)
    result = []
    for number in range(count):
        pledger = rng.choice(pledgers)
        types = rng.sample(list(p2c.PledgeType), rng.choice([1, 1, 2]))
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        has_period = rng.random() < 0.6
        amount = None
        if p2c.PledgeType.FINANCIAL in types or rng.random() < 0.2:
            cents = rng.randrange(100, 10**11)
            amount = p2c.Money(Decimal(cents).scaleb(-2), rng.choice(CURRENCIES))
        metric = rng.choice(list(METRIC_UNITS))
        result.append(
            p2c.Pledge(
                id=f"P2C-{number:07d}",
                title=rng.choice(TITLES).format(rng.randrange(2, 5000)),
                description=DESCRIPTION if rng.random() < 0.5 else None,
                pledger=pledger,
                co_pledgers=[rng.choice(pledgers)] if rng.random() < 0.05 else [],
                pledge_types=types,
                focus_areas=rng.sample(list(p2c.FocusArea), rng.choice([1, 1, 2, 3])),
                amount=amount,
                announced_on=start - dt.timedelta(days=rng.randrange(400)),
                period_start=start if has_period else None,
                period_end=start + dt.timedelta(days=365 * rng.choice([1, 2, 3, 5]))
                if has_period
                else None,
                beneficiary_countries=rng.sample(MEMBER_STATES, rng.choice([0, 1, 1, 2, 3])),
                beneficiary_regions=rng.sample(list(p2c.Region), rng.choice([0, 0, 0, 1])),
                target_groups=rng.sample(list(p2c.TargetGroup), rng.choice([0, 1, 2])),
                sdgs=rng.sample(list(p2c.SDG), rng.choice([1, 2, 3])),
                targets=[
                    p2c.Target(
                        metric=metric,
                        value=Decimal(rng.randrange(1, 10**6)),
                        unit=METRIC_UNITS[metric],
                    )
                ]
                if rng.random() < 0.3
                else [],
                status=rng.choice(list(p2c.PledgeStatus)),
                progress=Decimal(rng.randrange(101)).scaleb(-2) if rng.random() < 0.3 else None,
                source_url=f"https://pledges.example.org/p2c/{number}"
                if rng.random() < 0.5
                else None,
            )
        )
    return result


# -- pydantic v2 -------------------------------------------------------------------

_CODES = (*sorted(_NAMES), *sorted(_ALPHA2_OF))
PCountry = Literal[_CODES]  # type: ignore[valid-type]
PCurrency = Literal[tuple(sorted(list_currencies()))]  # type: ignore[valid-type]
PText = Annotated[
    str, pydantic.StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH, pattern=r"\S")
]
_FROZEN = pydantic.ConfigDict(frozen=True, extra="forbid", strict=True)


class PMoney(pydantic.BaseModel):
    model_config = _FROZEN
    amount: Annotated[Decimal, pydantic.Field(ge=0)]
    currency: PCurrency


class PPledger(pydantic.BaseModel):
    model_config = _FROZEN
    name: PText
    sector: p2c.Sector
    country: PCountry | None = None
    region: p2c.Region | None = None


class PTarget(pydantic.BaseModel):
    model_config = _FROZEN
    metric: p2c.Metric
    value: Annotated[Decimal, pydantic.Field(gt=0)]
    unit: PText
    deadline: dt.date | None = None


class PPledge(pydantic.BaseModel):
    model_config = _FROZEN
    id: PText
    title: PText
    pledger: PPledger
    pledge_types: Annotated[tuple[p2c.PledgeType, ...], pydantic.Field(min_length=1)]
    focus_areas: Annotated[tuple[p2c.FocusArea, ...], pydantic.Field(min_length=1)]
    announced_on: dt.date
    description: PText | None = None
    co_pledgers: tuple[PPledger, ...] = ()
    amount: PMoney | None = None
    value_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    beneficiary_countries: tuple[PCountry, ...] = ()
    beneficiary_regions: tuple[p2c.Region, ...] = ()
    target_groups: tuple[p2c.TargetGroup, ...] = ()
    sdgs: tuple[p2c.SDG, ...] = ()
    targets: tuple[PTarget, ...] = ()
    status: p2c.PledgeStatus = p2c.PledgeStatus.ANNOUNCED
    progress: Annotated[Decimal, pydantic.Field(ge=0, le=1)] | None = None
    source_url: Annotated[str, pydantic.StringConstraints(pattern=r"^https?://\S*$")] | None = None


class PDocument(pydantic.BaseModel):
    model_config = _FROZEN
    schema_version: str
    pledges: list[PPledge]


# -- msgspec -----------------------------------------------------------------------

MText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_LENGTH, pattern=r"\S")]


class MMoney(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    amount: Decimal
    currency: PCurrency


class MPledger(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: MText
    sector: p2c.Sector
    country: PCountry | None = None
    region: p2c.Region | None = None


class MTarget(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    metric: p2c.Metric
    value: Decimal
    unit: MText
    deadline: dt.date | None = None


class MPledge(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: MText
    title: MText
    pledger: MPledger
    pledge_types: Annotated[tuple[p2c.PledgeType, ...], msgspec.Meta(min_length=1)]
    focus_areas: Annotated[tuple[p2c.FocusArea, ...], msgspec.Meta(min_length=1)]
    announced_on: dt.date
    description: MText | None = None
    co_pledgers: tuple[MPledger, ...] = ()
    amount: MMoney | None = None
    value_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    beneficiary_countries: tuple[PCountry, ...] = ()
    beneficiary_regions: tuple[p2c.Region, ...] = ()
    target_groups: tuple[p2c.TargetGroup, ...] = ()
    sdgs: tuple[p2c.SDG, ...] = ()
    targets: tuple[MTarget, ...] = ()
    status: p2c.PledgeStatus = p2c.PledgeStatus.ANNOUNCED
    progress: Decimal | None = None
    source_url: Annotated[str, msgspec.Meta(pattern=r"^https?://\S*$")] | None = None


class MDocument(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    schema_version: str
    pledges: list[MPledge]


# -- the run -----------------------------------------------------------------------


def loaders(data: bytes) -> dict[str, Callable[[], Any]]:
    """Return the loaders to compare, each giving the list of its pledges."""
    decoder = msgspec.json.Decoder(MDocument)
    return {
        "p2c-pledges": lambda: loads(data),
        "p2c-pledges (python engine)": lambda: loads(data, engine="python"),
        "p2c-pledges (check_rules=False)": lambda: loads(data, check_rules=False),
        "pydantic": lambda: PDocument.model_validate_json(data).pledges,
        "msgspec": lambda: decoder.decode(data).pledges,
    }


#: The loads of this library, and the benchmark each is reported as.
OURS = {
    "p2c-pledges": "JSON load",
    "p2c-pledges (python engine)": "JSON load, python engine",
    "p2c-pledges (check_rules=False)": "JSON load, check_rules=False",
}


#: How the garbage collector meets the loads: each mode is timed in its own rounds.
MODES = {
    "as users have it": (
        "the collector enabled with default thresholds; p2c-pledges pauses it during its own "
        "reads (as every user's read does), the others run with it on; gc.collect() before each "
        "run, outside the timing, and each result dropped after its run"
    ),
    "collector on for everyone": (
        "as above, but p2c-pledges's pause is switched off for the benchmark, so the collector "
        "walks every library's objects alike"
    ),
    "results kept": (
        "as users have it, but every result of a round is kept until the round ends, as a "
        "program keeps what it loads: later runs meet a heap of earlier pledges"
    ),
}


def msgspec_reads(data: bytes) -> list[p2c.Pledge]:
    """The pledges of the msgspec engine itself (an error if it declines the document)."""
    from p2c_pledges.io import _msgspec, _read  # noqa: PLC0415 - private, for this check

    pledges = _msgspec.read_document(data, _read.Reading(engine="msgspec"))
    if pledges is None:
        raise RuntimeError("the msgspec engine declined the document")
    return pledges


def timings(
    data: bytes, count: int, rounds: int, mode: str = "as users have it"
) -> dict[str, list[float]]:
    """Return each loader's times over ``rounds`` interleaved rounds, the collector as ``mode`` says."""
    runs = loaders(data)
    for name, run in runs.items():  # each gives every pledge, and the same first one
        pledges = run()
        if len(pledges) != count or pledges[0].id != "P2C-0000000":
            raise RuntimeError(f"{name} did not load the {count} pledges")
        del pledges
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    pause = p2c_io._building  # noqa: SLF001 - switched off for one mode, then restored
    if mode == "collector on for everyone":
        p2c_io._building = contextlib.nullcontext  # type: ignore[assignment]  # noqa: SLF001
    try:
        for round_number in range(rounds):
            kept = []
            for name in names[round_number % len(names) :] + names[: round_number % len(names)]:
                gc.collect()
                start = time.perf_counter()
                result = runs[name]()
                times[name].append(time.perf_counter() - start)
                if mode == "results kept":
                    kept.append(result)
                del result
            del kept
    finally:
        p2c_io._building = pause  # noqa: SLF001
    return times


def report(
    times: dict[str, list[float]], count: int, rounds: int, mode: str = "as users have it"
) -> list[Result]:
    """Print records per second and the ratios against the targets; return the ratios.

    A ratio is the median, over the rounds, of the ratio within each round: the
    runs of one round are seconds apart, so a machine that slows down for a
    while slows them alike.
    """
    for name, values in times.items():
        spread = ", ".join(f"{value:.2f}" for value in values)
        rate = count / statistics.median(values)
        print(f"{name:34} {rate:>10,.0f} pledges/s  (times: {spread} s)")
    found = []
    for ours, named in OURS.items():
        for other, target in TARGETS.items():
            ratios = [
                theirs / mine for mine, theirs in zip(times[ours], times[other], strict=True)
            ]
            benchmark = named
            if mode != "as users have it":
                benchmark += f" ({mode})"
            result = Result(
                benchmark=benchmark,
                competitor=f"{other} {VERSIONS[other]}",
                ratio=statistics.median(ratios),
                ratio_is="their time / ours",
                # The rules cost about a tenth; only the default load, with the
                # collector as users have it, has targets.
                target=target if ours == "p2c-pledges" and mode == "as users have it" else None,
                higher_is_better=True,
                measured=(
                    f"{statistics.median(times[ours]):.2f} s against "
                    f"{statistics.median(times[other]):.2f} s (medians)"
                ),
                parameters=f"{count:,} pledges, median of {rounds} interleaved rounds; {MODES[mode]}",
            )
            found.append(result)
            print(
                f"{ours} / {other}: {result.ratio:.2f} ({verdict(result)}; "
                f"rounds: {', '.join(f'{value:.2f}' for value in ratios)})"
            )
    return found


def results(count: int, rounds: int) -> list[Result]:
    """Load ``count`` pledges with each library over ``rounds`` rounds; print and return the ratios."""
    data = dumps(sample_pledges(count)).encode("utf-8")
    print(
        f"{count:,} pledges, {len(data) / 2**20:,.1f} MiB of JSON; "
        f"Python {sys.version.split()[0]}, pydantic {pydantic.VERSION}, "
        f"msgspec {msgspec.__version__}; median of {rounds} interleaved rounds"
    )
    # msgspec reads the document itself (the default load's engine at this size),
    # not the json module after a decline: checked once, outside every timing.
    if msgspec_reads(data) != loads(data, engine="python"):
        raise RuntimeError("the msgspec engine read other pledges than the json module")
    found = []
    for mode, how in MODES.items():
        print(f"-- {mode}: {how}")
        found += report(timings(data, count, rounds, mode), count, rounds, mode)
    print(
        f"peak RSS of this run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
    )
    return found


def renumbered(pledges: list[p2c.Pledge], offset: int) -> list[p2c.Pledge]:
    """Return copies of pledges with ids counted from ``offset``."""
    return [
        p2c.Pledge(**{**_fields(pledge), "id": f"P2C-{offset + index:07d}"})
        for index, pledge in enumerate(pledges)
    ]


def _fields(pledge: p2c.Pledge) -> dict[str, Any]:
    return {name: getattr(pledge, name) for name in pledge.__slots__ if name != "__weakref__"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, help="pledges (default 200,000)")
    parser.add_argument("--rounds", type=int, help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a small size")
    parser.add_argument("--report", help="also write the results as JSON to this file")
    parser.add_argument("--rss", action="store_true", help="measure iter_load's peak RSS")
    options = parser.parse_args()
    if options.rss:
        from bench_memory import streaming_rss  # noqa: PLC0415 - it imports this module

        write([streaming_rss(options.count or 1_000_000)], options.report)
        return
    count = options.count or (2_000 if options.quick else 200_000)
    rounds = options.rounds or (1 if options.quick else 5)
    write(results(count, rounds), options.report)


if __name__ == "__main__":
    main()
