"""Render screenshots of the dashboard in English, Arabic and Chinese into ``docs/_static/``.

Builds the page of the bundled sample with :func:`p2c_pledges.report.html`, opens it
from ``file://`` in headless Chromium (Debian's ``chromium`` and ``chromium-driver``)
and saves the top of each page, then shots of the focus-area charts, the
country tiles, the pledge table, and the detail of one pledge after a search.

Run: ``python scripts/screenshots.py``
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import p2c_pledges as p2c
from p2c_pledges import fx, report


ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from _chromium import start  # noqa: E402 - the tests' browser helper


OUT = ROOT / "docs" / "_static"
LOCALES = ("en", "ar", "zh")


def main() -> None:
    pledges = p2c.load(Path(str(files("p2c_pledges") / "data" / "sample_pledges.json")))
    folder = Path(tempfile.mkdtemp(prefix="p2c-pages-"))
    driver, profile = start(1200, 1000)
    try:
        for locale in LOCALES:
            page = folder / f"dashboard-{locale}.html"
            page.write_text(
                report.html(pledges, fx.bundled_rates(), locale=locale, sample=True),
                encoding="utf-8",
            )
            driver.get(page.as_uri())
            driver.save_screenshot(str(OUT / f"dashboard-{locale}.png"))
            for section in ("by-focus_area", "countries", "pledges"):
                driver.execute_script(f"document.getElementById('{section}').scrollIntoView()")
                driver.save_screenshot(str(OUT / f"dashboard-{locale}-{section}.png"))
            # The detail of the first pledge with an amount, after a search.
            driver.find_element("id", "search").send_keys("fibre")
            driver.execute_script(
                "Array.from(document.querySelectorAll('#pledge-table tbody tr'))"
                ".find(r => r.lastChild.textContent).querySelector('button').click()"
            )
            driver.save_screenshot(str(OUT / f"dashboard-{locale}-detail.png"))
            print(OUT / f"dashboard-{locale}.png")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
