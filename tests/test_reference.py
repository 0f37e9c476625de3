"""Tests of the reference data summary: rate sources' coverage and tables' as-of dates."""

from __future__ import annotations

import datetime as dt
import json
import re
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
