"""Tests of the reference data summary: rate sources' coverage and tables' as-of dates."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest

from p2c_pledges import countries, fx, reference


@pytest.fixture
def no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, so that the bundled ECB series answers."""
    monkeypatch.setenv(fx.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


class TestTables:
    def test_every_bundled_table_has_source_and_as_of(self) -> None:
        """Pegs, euro conversion rates and the country tables each carry a source and an as-of date."""
        found = {source.file: source for source in reference.table_sources()}
        assert {
            "pegs.json",
            "legacy_euro.json",
            "country_codes.json",
            "itu_regions.json",
            "country_groups.json",
        } == set(found)
        assert all(len(s.source) > 20 and s.as_of.year >= 2024 for s in found.values())


class TestStatus:
    def test_status_names_each_source_and_table(self, no_cache: Path) -> None:
        """Status gives the bundled series' coverage, where the cache would be, and every as-of date."""
        lines = reference.status_lines()
        bundled = fx.ecb_files()[0]
        assert any(
            line.startswith(
                f"  bundled: {bundled.first} to {bundled.last}, {len(bundled.currencies)} currencies"
            )
            for line in lines
        )
        assert f"  cached: none in {no_cache} (run p2c-pledges rates update)" in lines
        assert all(f"  {s.file}: {s.as_of}" in lines for s in reference.table_sources())


class TestFooter:
    def test_dates_past_a_table_are_named_with_its_day(self, no_cache: Path) -> None:
        """A pledge date after the ECB series' last day and after a table's as-of is reported with that day."""
        last = fx.ecb_files()[0].last
        later = last + dt.timedelta(days=400)
        lines = reference.footer_lines(later)
        assert f"Reference data: ECB rates (bundled) to {last}" == lines[0]
        assert any(f"after the ECB series' last day {last}" in line for line in lines)
        stale = [s for s in reference.table_sources() if later > s.as_of]
        assert len(stale) == sum(1 for line in lines if "as-of date" in line)

    def test_no_staleness_within_coverage(self, no_cache: Path) -> None:
        """A date within every table's coverage adds no staleness line."""
        assert not any("after" in line for line in reference.footer_lines(dt.date(2020, 1, 1)))

    def test_user_table_is_named(self, tmp_path: Path, no_cache: Path) -> None:
        """A user's table in force is listed in the footer as the user's."""
        path = tmp_path / "groups.json"
        path.write_text(
            json.dumps({"source": "team", "as_of": "2026-12-01", "memberships": []}),
            encoding="utf-8",
        )
        with countries.use_tables(countries.load_tables(groups=path)):
            lines = reference.footer_lines()
        assert f"  {path} as of 2026-12-01 (user's table)" in lines

    @pytest.mark.parametrize("locale", ["ar", "ru", "zh"])
    def test_no_latin_word_in_other_scripts(self, no_cache: Path, locale: str) -> None:
        """In Arabic, Russian and Chinese the footer has no Latin word but file names and the command."""
        last = fx.ecb_files()[0].last
        lines = reference.footer_lines(last + dt.timedelta(days=400), locale)
        text = re.sub(r"\S+\.json|p2c-pledges rates update", "", "\n".join(lines))
        assert set() == set(re.findall(r"[A-Za-z]{2,}", text))
        assert len(reference.footer_lines(last + dt.timedelta(days=400))) == len(lines)

    def test_french(self, no_cache: Path) -> None:
        """The footer is worded in the report's language."""
        last = fx.ecb_files()[0].last
        assert (
            f"Données de référence : taux de la BCE (fournis) jusqu'au {last}"
            == (reference.footer_lines(locale="fr")[0])
        )


class TestStatusTruth:
    """What ``rates status`` says of the cache is what the cache is."""

    def test_damaged_cache_is_named_not_called_absent(self, no_cache: Path) -> None:
        """A cache file that cannot be read is reported as ignored, with its path, not as "none"."""
        no_cache.mkdir(parents=True)
        path = no_cache / "ecb-eurofxref-hist.zip"
        path.write_bytes(b"PK\x03\x04 cut short")
        lines = reference.status_lines()
        assert [] == [line for line in lines if line.startswith("  cached: none")]
        assert any(
            line.startswith(f"  cached: {path} cannot be read") and "ignored" in line
            for line in lines
        )

    def test_cache_reaching_the_same_day_is_not_said_to_be_older(self, no_cache: Path) -> None:
        """A cache that ends on the bundled series' last day is not in use, and status says why truly."""
        bundled = fx.ecb_files()[0]
        no_cache.mkdir(parents=True)
        with (
            zipfile.ZipFile(bundled.path) as source,
            zipfile.ZipFile(no_cache / "ecb-eurofxref-hist.zip", "w") as cached,
        ):
            cached.writestr("eurofxref-hist.csv", source.read("eurofxref-hist.csv"))
            cached.writestr(
                "download.json",
                json.dumps(
                    {"url": "http://127.0.0.1:9/x.zip", "downloaded": "2026-12-01T00:00:00+00:00"}
                ),
            )
        lines = reference.status_lines()
        cached_line = next(line for line in lines if line.startswith("  cached: "))
        bundled_line = next(line for line in lines if line.startswith("  bundled: "))
        assert (True, True) == (
            cached_line.endswith("not in use (it reaches no later day than the bundled copy)"),
            bundled_line.endswith("in use"),
        )


class TestEveryBundledFile:
    def test_every_data_file_says_where_it_comes_from(self) -> None:
        """Every file in p2c_pledges/data has a source and an as-of day, in it or in its .source.json."""
        folder = files("p2c_pledges") / "data"
        missing = []
        for entry in folder.iterdir():
            if not entry.name.endswith(".json") or entry.name.endswith(".source.json"):
                continue
            document = json.loads(entry.read_text("utf-8"))
            if not ("source" in document and "as_of" in document):
                sidecar = folder / entry.name.replace(".json", ".source.json")
                document = json.loads(sidecar.read_text("utf-8")) if sidecar.is_file() else {}
            if not (str(document.get("source", "")).strip() and "as_of" in document):
                missing.append(entry.name)
                continue
            dt.date.fromisoformat(document["as_of"])
        assert [] == missing
        assert {e.name for e in folder.iterdir()} <= {
            e.name for e in folder.iterdir() if e.name.endswith(".json")
        }


class TestPartialCache:
    def test_a_cache_without_the_early_years_is_not_used(self, no_cache: Path) -> None:
        """A cache that reaches later but lacks the early years (an older version's partial mirror) is not used, and status says why."""
        bundled = fx.ecb_files()[0]
        with zipfile.ZipFile(bundled.path) as source:
            header, *rows = source.read("eurofxref-hist.csv").decode("utf-8").splitlines()
        cells = rows[0].split(",")
        newer = ",".join([(bundled.last + dt.timedelta(days=3)).isoformat(), *cells[1:]])
        no_cache.mkdir(parents=True)
        with zipfile.ZipFile(no_cache / "ecb-eurofxref-hist.zip", "w") as cached:
            cached.writestr("eurofxref-hist.csv", "\n".join([header, newer, *rows[:60]]) + "\n")
            cached.writestr(
                "download.json",
                json.dumps(
                    {"url": "http://127.0.0.1:9/x.zip", "downloaded": "2026-12-01T00:00:00+00:00"}
                ),
            )
        quote = fx.ecb_rates().quote("EUR", dt.date(2020, 1, 2), fx.exact())
        assert bundled.label == quote.source
        cached_line = next(line for line in reference.status_lines() if "  cached: " in line)
        assert cached_line.endswith(f"after the bundled copy ({bundled.first}))")
