"""The reference data in use: rate sources and country tables, their coverage and as-of dates.

``p2c-pledges rates status`` prints :func:`status_lines`; the text report ends
with :func:`footer_lines`, so that every answer says which tables made it, how
current each is, and whether a user's table was layered over the bundled ones.
It reads :mod:`p2c_pledges.countries`, :mod:`p2c_pledges.fx` and
:mod:`p2c_pledges.l10n` (layer 2) and nothing above them; the footer's messages are
in the reports' catalogs.

.. versionadded:: 0.2
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files

from . import countries, fx
from .fx._ecb import bundled_ecb_file, cache_path, current_ecb_file, file_stamp, narrower
from .l10n import translate


__all__ = ["footer_lines", "status_lines", "table_sources"]

_RATE_TABLES = ("pegs.json", "legacy_euro.json")


def table_sources() -> list[countries.DataSource]:
    """Every bundled table with its source and as-of date, then the user's tables in use."""
    rate_tables = []
    for name in _RATE_TABLES:
        document = json.loads((files("p2c_pledges") / "data" / name).read_text("utf-8"))
        rate_tables.append(
            countries.DataSource(
                file=name,
                source=document["source"],
                as_of=dt.date.fromisoformat(document["as_of"]),
            )
        )
    return [*rate_tables, *countries.sources()]


def _ecb_line(file: fx.EcbFile, *, used: bool) -> str:
    lacks = narrower(file, bundled_ecb_file()) if file.kind == "cached" else ""
    if used:
        state = "in use"
    elif file.kind == "bundled":
        state = "not in use (the cached copy reaches a later day)"
    elif lacks:
        state = f"not in use ({lacks})"
    else:
        state = "not in use (it reaches no later day than the bundled copy)"
    origin = (
        f"downloaded {file.downloaded} from {file.url}" if file.kind == "cached" else "bundled"
    )
    return (
        f"  {file.kind}: {file.first} to {file.last}, {len(file.currencies)} currencies "
        f"({', '.join(sorted(file.currencies))}); {origin}; {file.path}; {state}"
    )


def status_lines() -> list[str]:
    """The lines of ``p2c-pledges rates status``: each rate source's coverage, each table's as-of."""
    in_use = current_ecb_file().label
    lines = ["ECB euro reference rates:"]
    lines += [_ecb_line(file, used=file.label == in_use) for file in fx.ecb_files()]
    if len(fx.ecb_files()) == 1:
        path = cache_path()
        if file_stamp(path) is None:
            lines.append(f"  cached: none in {fx.cache_dir()} (run p2c-pledges rates update)")
        else:
            lines.append(
                f"  cached: {path} cannot be read (damaged, or not a file this version "
                "wrote): ignored; run p2c-pledges rates update to replace it"
            )
    lines.append("Tables (as of):")
    for source in table_sources():
        user = " (user's table, layered over the bundled one)" if source.user else ""
        lines.append(f"  {source.file}: {source.as_of}{user}")
    return lines


def footer_lines(latest: dt.date | None = None, locale: str = "en") -> list[str]:
    """The report's footer: the tables used and their as-of dates, and what is past them.

    Args:
        latest: The latest date the report's pledges carry; a date past the ECB
            series' last day or past a table's as-of date is said with that day.
        locale: The language of the lines (one of the six UN languages); file
            names, dates and the command to run stay as they are.

    .. versionchanged:: 0.2
       ``locale``.
    """

    def _(message: str, **values: object) -> str:
        return translate(message, locale).format(**values)

    ecb = current_ecb_file()
    kind = _("bundled") if ecb.kind == "bundled" else _("cached")
    lines = [_("Reference data: ECB rates ({kind}) to {last}", kind=kind, last=ecb.last)]
    for source in table_sources():
        if source.user:
            line = _("{file} as of {as_of} (user's table)", file=source.file, as_of=source.as_of)
        else:
            line = _("{file} as of {as_of}", file=source.file, as_of=source.as_of)
        lines.append("  " + line)
    if latest is not None:
        if latest > ecb.last:
            lines.append(
                "  "
                + _(
                    "pledges dated up to {latest}, after the ECB series' last day {last}: "
                    "run p2c-pledges rates update",
                    latest=latest,
                    last=ecb.last,
                )
            )
        lines += [
            "  "
            + _(
                "pledges dated up to {latest}, after {file}'s as-of date {as_of}",
                latest=latest,
                file=source.file,
                as_of=source.as_of,
            )
            for source in table_sources()
            if latest > source.as_of
        ]
    return lines
