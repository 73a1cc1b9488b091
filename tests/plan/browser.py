"""Headless Debian Chromium through Selenium and chromedriver, with no network: used by the browser test
and by `benchmarks/`-style scripts that take the README screenshot. Not a test module (no tests here)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

__all__ = ["chromium_paths", "headless_chromium", "check_rendered_report", "browser_or_skip"]

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextlib.contextmanager
def headless_chromium(width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A WebDriver on a fresh profile; every request other than file:// and data: is refused by the
    browser itself (a proxy that does not exist), so a page that fetched anything would show it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    if paths is None:
        raise RuntimeError("chromium and chromedriver are not installed")
    profile = tempfile.mkdtemp(prefix="polyschema-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--proxy-server=http://127.0.0.1:9")  # nothing listens there: no network
    options.add_argument("--proxy-bypass-list=<-loopback>")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def browser_or_skip() -> None:
    """Skip when chromium is missing, except under CI=true (then fail: .ci/run installs it)."""
    import os

    import pytest

    if chromium_paths() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium/chromedriver are missing; .ci/run installs them")
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")


def check_rendered_report(driver: Any, report: Any, targets: int) -> None:
    """Open `report` (a Path) offline and assert: it loads, one summary row per target, every SVG (the ER
    diagram, one design diagram per target, the load charts) has children and a non-empty box, no request
    left the page other than file:/data:, and the console has no error."""
    import json

    driver.get(report.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    rows = driver.find_elements("css selector", "#summary tbody tr.target-row")
    assert len(rows) == targets
    svgs = driver.find_elements("css selector", "svg")
    diagrams = driver.find_elements("css selector", "svg.diagram")
    assert len(diagrams) == 1 + targets
    assert len(svgs) > len(diagrams)
    boxes = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg')).map(s => {"
        " const b = s.getBBox(); return [s.childElementCount, b.width, b.height]; });")
    empty = [i for i, (children, width, height) in enumerate(boxes) if not (children and width > 0 and height > 0)]
    assert not empty, f"{len(empty)} SVG elements drew nothing (first: #{empty[0]})"
    messages = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    urls = {m["params"]["request"]["url"] for m in messages if m["method"] == "Network.requestWillBeSent"
            and m["params"].get("documentURL", "").startswith("file:")}
    assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def screenshot(html: str, png: str, width: int = 1400, height: int = 1100) -> None:
    """The docs' screenshot of a report: `python -m tests.plan.browser plan/report.html docs/plan-report.png`."""
    from pathlib import Path

    with headless_chromium(width, height) as driver:
        driver.get(Path(html).resolve().as_uri())
        driver.save_screenshot(png)


if __name__ == "__main__":
    import sys

    screenshot(sys.argv[1], sys.argv[2])
