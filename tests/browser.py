"""A real headless Chromium for the browser tests: Debian's ``chromium`` and ``chromium-driver`` (``make test`` installs them).

Selenium is given the driver's path, so Selenium Manager never downloads
anything. Without the browser, the tests that use :func:`browser` are
skipped, saying what to install.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The window the reports are looked at in (and the screenshots are taken at).
WINDOW = (1280, 900)


def missing() -> str | None:
    """Why the browser cannot run here, or ``None`` when it can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists() and shutil.which(path.name) is None:
            return f"{path} not found: apt-get install chromium chromium-driver (make test does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed: pip install -e '.[test]'"
    return None


def start_browser() -> Any:
    """A headless Chromium driven by Selenium through Debian's chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    driver_path = str(CHROMEDRIVER if CHROMEDRIVER.exists() else shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=Service(driver_path))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (skipped when it cannot be found)."""
    why = missing()
    if why:
        pytest.skip(why)
    driver = start_browser()
    try:
        yield driver
    finally:
        driver.quit()
