"""The HTML dashboard: what Python writes, then the page in headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from babel import Locale
from hypothesis import example, given
from hypothesis import strategies as st
from wcwidth import wcswidth

import p2c_pledges as p2c
from _chromium import missing, start
from p2c_pledges import fx, report
from p2c_pledges.aggregate import summarize
from p2c_pledges.l10n import LOCALES, format_money, format_number
from p2c_pledges.query import fold, query
from p2c_pledges.report import _display, _html, _svg, _words
from p2c_pledges.report._html import _embedded_json


SAMPLE = Path(str(files("p2c_pledges") / "data" / "sample_pledges.json"))
SCRIPT_ESCAPE = "</script><script>window.__ran = 1; alert(1)</script>"
IMG_ESCAPE = '<img src=x onerror="window.__ran = 2">'


@pytest.fixture(scope="module")
def pledges() -> list[p2c.Pledge]:
    return p2c.load(SAMPLE)


@pytest.fixture(scope="module")
def rates() -> Any:
    return fx.bundled_rates()


@pytest.fixture(scope="module")
def english(pledges: list[p2c.Pledge], rates: Any) -> str:
    return report.html(pledges, rates, locale="en", sample=True)


def _embedded(page: str) -> Any:
    found = re.search(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', page, re.DOTALL
    )
    assert found is not None
    return json.loads(found.group(1))


def _injected(pledges: list[p2c.Pledge]) -> list[p2c.Pledge]:
    second = attrs.evolve(
        pledges[1],
        title=IMG_ESCAPE,
        pledger=attrs.evolve(pledges[1].pledger, name="<b>bold</b> & co"),
    )
    # The model refuses such a URL; the page must not trust that alone.
    object.__setattr__(second, "source_url", "javascript:alert(3)")
    return [
        attrs.evolve(pledges[0], title=SCRIPT_ESCAPE, source_url="https://example.org/a?b=<c>"),
        second,
        *pledges[2:5],
    ]


class TestPage:
    def test_self_contained(self, english: str) -> None:
        """The page loads nothing: no src, no stylesheet link, and a CSP that forbids requests."""
        assert [] == re.findall(r"<(?:script|img|iframe)[^>]* src=|<link ", english)
        assert "default-src 'none'" in english

    def test_script_hash(self, english: str) -> None:
        """The CSP allows exactly the page's own script, by its SHA-256."""
        script = re.findall(r"<script>(.*?)</script>", english, re.DOTALL)
        digest = base64.b64encode(hashlib.sha256(script[0].encode()).digest()).decode()
        assert 1 == len(script)
        assert f"'sha256-{digest}'" in english

    def test_embedded_rows(self, english: str, pledges: list[p2c.Pledge]) -> None:
        """The embedded JSON has one row per pledge, in order."""
        assert [p.id for p in pledges] == [row["id"] for row in _embedded(english)["pledges"]]

    def test_illustrative_notice(self, pledges: list[p2c.Pledge], rates: Any) -> None:
        """The sample notice shows only when asked for."""
        assert report.ILLUSTRATIVE not in report.html(pledges[:5], rates)
        assert report.ILLUSTRATIVE in report.html(pledges[:5], rates, sample=True)

    def test_injected_titles_escaped(self, pledges: list[p2c.Pledge], rates: Any) -> None:
        """Markup in a title or a name reaches the page only as escaped text or JSON."""
        page = report.html(_injected(pledges), rates)
        assert SCRIPT_ESCAPE not in page
        assert IMG_ESCAPE not in page
        assert "<b>bold</b>" not in page
        rows = _embedded(page)["pledges"]
        assert (SCRIPT_ESCAPE, IMG_ESCAPE) == (rows[0]["title"], rows[1]["title"])
        assert ("https://example.org/a?b=<c>", None) == (rows[0]["url"], rows[1]["url"])

    @pytest.mark.parametrize("locale", LOCALES)
    def test_every_locale(self, pledges: list[p2c.Pledge], rates: Any, locale: str) -> None:
        """Every locale renders (a missing translation raises) with its lang and direction."""
        page = report.html(pledges[:40], rates, locale=locale)
        direction = "rtl" if locale == "ar" else "ltr"
        assert f'<html lang="{locale}" dir="{direction}">' in page

    def test_by(self, pledges: list[p2c.Pledge], rates: Any) -> None:
        """``by`` chooses the breakdowns charted."""
        page = report.html(pledges[:40], rates, by=["status"])
        assert 'id="by-status"' in page
        assert 'id="by-focus_area"' not in page

    def test_unknown_by_names_the_dimensions(self, pledges: list[p2c.Pledge], rates: Any) -> None:
        """A dimension that does not exist is refused with the names there are."""
        with pytest.raises(
            ValueError, match="'colour' is not a dimension; the dimensions are focus_area"
        ):
            report.html(pledges[:5], rates, by=["colour"])

    def test_deterministic(self, pledges: list[p2c.Pledge], rates: Any) -> None:
        """The same pledges give the same bytes."""
        assert report.html(pledges[:30], rates) == report.html(pledges[:30], rates)


class TestEmbeddedJson:
    @given(
        st.recursive(
            st.text() | st.integers() | st.none(),
            lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        )
    )
    def test_round_trip(self, value: Any) -> None:
        """Any JSON value comes back whole, with no character that could end the script element."""
        text = str(_embedded_json(value))
        assert value == json.loads(text)
        assert not set("<>&") & set(text)


POLICIES = ["exact", "on_or_before", "on_or_before:30", "monthly_average", "annual_average"]


class TestProvenanceWords:
    @pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "en"])
    @pytest.mark.parametrize(
        "rule",
        [*(str(fx.Policy.parse(p)) for p in POLICIES), str(fx.fixed(Decimal("0.5"))), "identity"],
    )
    def test_rule_translated(self, locale: str, rule: str) -> None:
        """Every rule a USD figure can come from is worded in the page's language, not as its code."""
        translated, english = _words.rule_text(rule, locale), _words.rule_text(rule, "en")
        assert rule not in {translated, english}
        assert translated != english

    @pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "en"])
    def test_page_rules_and_sources(
        self, pledges: list[p2c.Pledge], rates: Any, locale: str
    ) -> None:
        """The detail view names the rule and the library's own sources in the page's language."""
        usd = attrs.evolve(pledges[0], id="usd", amount=p2c.Money(Decimal(5), "USD"))
        rows = _embedded(report.html([usd, *pledges[:20]], rates, locale=locale))["pledges"]
        rules = {row["provenance"].get("rule") for row in rows} - {None}
        sources = {row["provenance"].get("source") for row in rows}
        assert set() == rules & {"identity", "on_or_before(7)"}
        assert "identity" not in sources
        assert len(rules) >= 2


class TestCounted:
    @pytest.mark.parametrize("count", [0, 1, 2, 21])
    @pytest.mark.parametrize("locale", LOCALES)
    def test_plural_as_babel(self, count: int, locale: str) -> None:
        """A count takes the "one" message exactly where CLDR's rule of the locale says "one"."""
        one = "one" == Locale.parse(locale).plural_form(count)
        message = "{count} pledge" if one else "{count} pledges"
        expected = _words.translator(locale)(message, count=count)
        assert expected == _words.counted("{count} pledge", "{count} pledges", count, locale)

    def test_unknown_locale(self) -> None:
        """An unknown locale is locale.unknown, each time it is asked for."""
        for _ in range(2):
            with pytest.raises(p2c.PledgeDataError) as caught:
                _words.counted("pledge", "pledges", 2, "de")
            assert ["locale.unknown"] == caught.value.codes


class TestEmptyParts:
    @pytest.mark.parametrize("locale", LOCALES)
    def test_no_targets_said(self, pledges: list[p2c.Pledge], rates: Any, locale: str) -> None:
        """Pledges without a measurable target say so under "Targets pledged", not an empty box."""
        bare = [attrs.evolve(p, targets=()) for p in pledges[:5]]
        page = report.html(bare, rates, locale=locale)
        section = page[
            page.index('id="h-targets"') : page.index("</section>", page.index('id="h-targets"'))
        ]
        assert _words.translator(locale)("No measurable target.") in section


class TestChartLabels:
    @given(st.text(max_size=200))
    def test_fitted(self, text: str) -> None:
        """A chart label takes at most its columns, and is the text whole or a prefix of it and an ellipsis."""
        shown = _svg.fitted(text)
        assert max(wcswidth(shown), 0) <= _svg.LABEL_COLUMNS or shown == text
        assert shown == text or (shown.endswith("\u2026") and text.startswith(shown[:-1]))

    @given(
        st.text(
            st.one_of(st.characters(), st.sampled_from("\t\n\r\x00\x1b\x7f\x85\u2028")),
            max_size=200,
        )
    )
    @example("x" * 200 + "\n")
    def test_fitted_with_control_characters(self, text: str) -> None:
        """A label holding a tab or a line break is cut to its columns too, each counted as its escape."""
        shown = _svg.fitted(text)
        assert _display.width(shown) <= _svg.LABEL_COLUMNS
        assert shown == text or (shown.endswith("\u2026") and text.startswith(shown[:-1]))

    def test_long_name_cut_with_tooltip(self, pledges: list[p2c.Pledge], rates: Any) -> None:
        """A pledger's very long name is cut in the chart, whole in its tooltip and table."""
        name = "B" * 300
        long = attrs.evolve(pledges[0], pledger=attrs.evolve(pledges[0].pledger, name=name))
        page = report.html([long, *pledges[1:5]], rates)
        chart = page[
            page.index('id="svglargestt"') : page.index("</svg>", page.index('id="svglargestt"'))
        ]
        assert f"<title>{name} (BA)</title>" in chart
        assert f">{name}<" not in chart
        assert f"<bdi>{name} (BA)</bdi>" in page


AMOUNTS = st.decimals(
    min_value=-(Decimal(10) ** 20), max_value=Decimal(10) ** 20, places=2, allow_nan=False
)


class TestChartGeometry:
    @given(st.lists(AMOUNTS, max_size=8))
    def test_bars_inside(self, values: list[Decimal]) -> None:
        """Every bar, of a negative value too, has a width of zero or more and stays in the chart."""
        chart = str(
            _svg.bars(
                "k", "t", "d", [_svg.Bar("x", v, "x") for v in values], colour="#000", rtl=False
            )
        )
        rects = [
            (float(x), float(width))
            for x, width in re.findall(r'<rect x="([-0-9.]+)" y="[^"]*" width="([-0-9.]+)"', chart)
        ]
        assert len(values) == len(rects)
        assert all(width >= 0 and 0 <= x <= x + width <= 600 for x, width in rects)

    @given(st.lists(AMOUNTS, max_size=8))
    def test_line_inside(self, values: list[Decimal]) -> None:
        """A running total that falls below zero is drawn inside the chart, not above or below it."""
        points = [(f"2022-01-{n + 1:02}", v) for n, v in enumerate(values)]
        chart = str(_svg.line("k", "t", "d", points, ("a", "b"), colour="#000"))
        found = re.search(r'<polyline points="([^"]*)"', chart)
        assert found is not None
        heights = [float(pair.split(",")[1]) for pair in found.group(1).split()]
        assert all(10 <= y <= 170 for y in heights)


# --- In headless Chromium ---------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI: {reason}")
        pytest.skip(reason)
    driver, profile = start()
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(
    tmp_path_factory: pytest.TempPathFactory, pledges: list[p2c.Pledge], rates: Any
) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for name, content in (
        ("en", report.html(pledges, rates, locale="en", sample=True)),
        ("ar", report.html(pledges, rates, locale="ar", sample=True)),
        ("injected", report.html(_injected(pledges), rates)),
    ):
        path = folder / f"{name}.html"
        path.write_text(content, encoding="utf-8")
        written[name] = path.as_uri()
    return written


def _ids(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#pledge-table tbody tr'), r => r.dataset.id)"
    )


def _errors(driver: Any) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.slow
class TestInChromium:
    def test_loads_without_error(
        self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge]
    ) -> None:
        """The English page loads from file:// with no console error and lists every pledge."""
        browser.get(pages["en"])
        assert [] == _errors(browser)
        assert f"250 of {len(pledges)} shown" == browser.find_element("id", "pledge-count").text

    def test_search_equals_query(
        self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge]
    ) -> None:
        """Typing "school" leaves exactly the rows query(text="school") returns."""
        browser.get(pages["en"])
        browser.find_element("id", "search").send_keys("school")
        assert [p.id for p in query(pledges, text="school")] == _ids(browser)

    def test_accents_and_case(
        self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge]
    ) -> None:
        """The search ignores case and accents as query() does."""
        browser.get(pages["en"])
        browser.find_element("id", "search").send_keys("ÇOMMUNÎTY NETWORKS")
        expected = [p.id for p in query(pledges, text="ÇOMMUNÎTY NETWORKS")][:250]
        assert expected == _ids(browser)
        assert expected

    def test_focus_filter_equals_query(
        self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge]
    ) -> None:
        """A focus-area filter leaves the rows query(focus_areas=...) returns."""
        browser.get(pages["en"])
        browser.execute_script(
            "const s = document.querySelector('select[data-filter=focus_area]');"
            "s.value = 'acceleration'; s.dispatchEvent(new Event('input'));"
        )
        expected = [p.id for p in query(pledges, focus_areas={p2c.FocusArea.ACCELERATION})]
        assert expected[:250] == _ids(browser)

    def test_totals_equal_summarize(
        self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge], rates: Any
    ) -> None:
        """The headline shows the counts and USD total of summarize()."""
        browser.get(pages["en"])
        total = summarize(pledges, "focus_area", rates).total
        shown = [
            browser.find_element("id", name).text for name in ("total-pledges", "total-pledgers")
        ]
        assert [format_number(len(pledges)), format_number(total.pledgers)] == shown
        usd = browser.find_element("id", "total-usd").text
        assert format_money(total.usd_rounded, compact=True) in usd
        assert format_money(total.usd_rounded, code=True).replace("\xa0", " ") in usd

    def test_sort(self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge]) -> None:
        """A click on the USD header sorts by USD value, then reverses."""
        browser.get(pages["en"])
        browser.find_element("css selector", "th[data-sort=usd] button").click()
        browser.find_element("css selector", "th[data-sort=usd] button").click()
        largest = max(
            (p for p in p2c.normalize(pledges, fx.bundled_rates()) if p.conversion),
            key=lambda i: i.usd_exact,
        )
        assert largest.pledge.id == _ids(browser)[0]

    def test_detail_view(
        self, browser: Any, pages: dict[str, str], pledges: list[p2c.Pledge]
    ) -> None:
        """The detail of a converted pledge names its rate source; of an unconverted one, the reason."""
        browser.get(pages["en"])
        assert pledges[0].id == _ids(browser)[0]
        browser.find_element("css selector", "td button.open").click()
        body = browser.find_element("id", "detail-body").text
        assert "ECB euro reference rates" in body
        assert "People trained" in body

    def test_arabic_right_to_left(self, browser: Any, pages: dict[str, str]) -> None:
        """The Arabic page is right to left: the heading starts at the right edge."""
        browser.get(pages["ar"])
        direction, right, width = browser.execute_script(
            "const h = document.querySelector('h1'); const r = h.getBoundingClientRect();"
            "return [getComputedStyle(h).direction, r.right, document.documentElement.clientWidth]"
        )
        assert ("rtl", True) == (direction, right > width * 0.75)
        assert [] == _errors(browser)

    def test_injected_titles_inert(self, browser: Any, pages: dict[str, str]) -> None:
        """Titles with markup show as text, run nothing, and a javascript: URL makes no link."""
        browser.get(pages["injected"])
        titles = browser.execute_script(
            "return Array.from(document.querySelectorAll('td button.open'), b => b.textContent)"
        )
        assert [SCRIPT_ESCAPE, IMG_ESCAPE] == titles[:2]
        browser.find_elements("css selector", "td button.open")[1].click()
        assert [] == browser.find_elements("css selector", "#detail-body a")
        assert (None, 0) == (
            browser.execute_script("return window.__ran"),
            len(browser.find_elements("css selector", "#pledge-table img, #pledge-table b")),
        )


class TestSearchTables:
    def test_tables_cover_every_code_point(self) -> None:
        """The folding tables scanned over the scripts' planes are those of every code point."""
        codes = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
        casefolded = {
            chr(c): chr(c).casefold() for c in codes if chr(c).casefold() != chr(c).lower()
        }
        combining = [c for c in codes if unicodedata.combining(chr(c))]

        assert casefolded == _html._casefold_table()
        assert combining == [
            c for first, last in _html._combining_ranges() for c in range(first, last + 1)
        ]


@pytest.mark.slow
class TestSearchFolding:
    def test_fold_equals_query_fold(self, browser: Any, pages: dict[str, str]) -> None:
        """The page folds every character as query.fold does (marks of class 0 such as Hindi vowels stay)."""
        script = _html._asset("js")
        folding = script[script.index("const hex =") : script.index("function format(")]
        chars = [
            chr(code)
            for code in range(0x20, 0x30000)
            if not 0xD800 <= code <= 0xDFFF and unicodedata.category(chr(code)) != "Cn"
        ]
        browser.get(pages["en"])
        folded = browser.execute_script(
            "const page = {fold: arguments[0], marks: arguments[1]};"
            + folding
            + "return arguments[2].map(fold);",
            _html._casefold_table(),
            _html._combining_ranges(),
            chars,
        )
        assert [] == [c for c, js in zip(chars, folded, strict=True) if fold(c) != js]

    def test_hindi_search(
        self, browser: Any, pledges: list[p2c.Pledge], rates: Any, tmp_path: Path
    ) -> None:
        """A search in a script with vowel signs finds the rows query() finds."""
        titled = [
            attrs.evolve(p, title=title)
            for p, title in zip(pledges, ["कुछ नया गाँव", "डिजिटल कौशल", "कुछ स्कूल"], strict=False)
        ]
        path = tmp_path / "hindi.html"
        path.write_text(report.html(titled, rates), encoding="utf-8")
        browser.get(path.as_uri())
        browser.find_element("id", "search").send_keys("कुछ")
        expected = [p.id for p in query(titled, text="कुछ")]
        assert 2 == len(expected)
        assert expected == _ids(browser)


@pytest.mark.slow
class TestNarrow:
    @pytest.mark.parametrize(
        "shown", [("en", "screen"), ("ar", "screen"), ("en", "print"), ("ar", "print")]
    )
    def test_no_sideways_scroll(
        self, browser: Any, pledges: list[p2c.Pledge], rates: Any, tmp_path: Path, shown: Any
    ) -> None:
        """On a phone and in print, very long names and titles never widen the page past the screen."""
        long = [
            attrs.evolve(
                p,
                title="T" * 300,
                pledger=attrs.evolve(p.pledger, name=f"{'B' * 200} {n}"),
            )
            for n, p in enumerate(pledges[:12])
        ]
        locale, media = shown
        path = tmp_path / "long.html"
        path.write_text(report.html(long, rates, locale=locale), encoding="utf-8")
        # A phone's width on screen; about an A4 page's width (190 mm of text) in print.
        browser.set_window_size(360 if media == "screen" else 720, 800)
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
        try:
            browser.get(path.as_uri())
            widths = browser.execute_script(
                "const e = document.documentElement; return [e.scrollWidth, e.clientWidth]"
            )
        finally:
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
            browser.set_window_size(1280, 900)
        assert widths[0] <= widths[1]
        assert [] == _errors(browser)


@pytest.mark.slow
class TestScale:
    def test_ten_thousand(
        self, browser: Any, pledges: list[p2c.Pledge], rates: Any, tmp_path: Path
    ) -> None:
        """10,000 pledges: the page loads and a search answers with query()'s rows (timings printed)."""
        many = [attrs.evolve(p, id=f"{p.id}-{n}") for n in range(25) for p in pledges]
        started = time.perf_counter()
        page = report.html(many, rates, sample=True)
        rendered = time.perf_counter() - started
        path = tmp_path / "many.html"
        path.write_text(page, encoding="utf-8")
        browser.get(path.as_uri())
        interactive = browser.execute_script(
            "const t = performance.getEntriesByType('navigation')[0]; return [t.domInteractive, t.loadEventEnd]"
        )
        search = browser.execute_script(
            "const input = document.getElementById('search'); const times = [];"
            "for (const word of ['s', 'sc', 'sch', 'scho', 'schoo', 'school']) {"
            "  input.value = word; const t = performance.now();"
            "  input.dispatchEvent(new Event('input')); times.push(performance.now() - t); }"
            "return times"
        )
        count = browser.find_element("id", "pledge-count").text
        expected = len(query(many, text="school"))
        print(  # noqa: T201 - the measurements for docs/performance.md
            f"\n10,000 pledges: python render {rendered:.2f} s, {len(page.encode()):,} bytes; "
            f"DOM interactive {interactive[0]:.0f} ms, load end {interactive[1]:.0f} ms; "
            f"search per keystroke (ms): {', '.join(f'{t:.1f}' for t in search)}"
        )
        assert f"{min(250, expected):,} of {expected:,} shown" == count
        assert [] == _errors(browser)
