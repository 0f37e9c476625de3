"""Headless Chromium through Selenium, for the dashboard's browser tests and screenshots.

Debian's ``chromium`` and ``chromium-driver`` packages (``.ci/run`` installs them);
:func:`missing` says what is absent, so a test can skip locally and fail in CI.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any


BROWSER = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
# Flags that work as root in a container: no sandbox, no GPU, and nothing that
# reaches the network by itself (the pages make no request either).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def missing() -> str | None:
    """Why no browser can start here, or None when one can."""
    for path in (BROWSER, DRIVER):
        if not Path(path).exists() and shutil.which(Path(path).name) is None:
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401, PLC0415 - only to say whether it is there
    except ImportError:
        return "selenium is not installed (it is in the tests dependency group)"
    return None


def start(width: int = 1280, height: int = 900) -> tuple[Any, Path]:
    """Start headless Chromium with a fresh profile; return the driver and the profile folder."""
    from selenium import webdriver  # noqa: PLC0415 - optional for the rest of the suite
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    profile = Path(tempfile.mkdtemp(prefix="p2c-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or BROWSER
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or DRIVER)
    return webdriver.Chrome(options=options, service=service), profile
