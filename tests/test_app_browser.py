"""The app in a real browser: `python -m app` served on a free loopback port, every page loaded in
headless Chromium (Debian's chromium + chromium-driver, through selenium); no Streamlit exception
element, no console error, and a screenshot of each page in tests/artifacts/app/ (git-ignored).

Skips only when Chromium or its driver is absent (scripts/install_sandbox_deps.sh installs both).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts" / "app"
# page: (url path, title)
PAGES = {"runs": ("", "Runs"), "run_detail": ("run", "Run detail"), "samples": ("samples", "Samples"),
         "compare": ("compare", "Compare runs"), "curation": ("curation", "Curation")}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium chromium-driver; "
                       "scripts/install_sandbox_deps.sh does it)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(app_store, app_curation, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("app_server") / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "app", "--db", str(app_store), "--curation", str(app_curation),
                                   "--port", str(port)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        print(f"\napp server log: {log}")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert DRIVER, "Chromium is here but not its WebDriver: apt-get install chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,2200"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _wait_rendered(driver, title: str, timeout: float = 60) -> None:
    """The page's title is drawn and the script has stopped running (no "Running..." status)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:  # the page is redrawn while we look: an element can go stale between finding and reading it
            titles = [t.text.strip() for t in driver.find_elements(By.CSS_SELECTOR, "h1")]
        except StaleElementReferenceException:
            continue
        running = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        if titles and titles[0] == title and not running:
            time.sleep(1.5)  # charts (vega) draw after the script finishes
            if not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'):
                return
        time.sleep(0.3)
    raise AssertionError(f"{driver.current_url} did not finish rendering in {timeout}s")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_in_chromium_without_errors(served, browser, name):
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # drop what earlier pages logged
    # Open the app at its root and move by the sidebar, as a user does: loading a sub-path directly makes
    # Streamlit's frontend probe <sub-path>/_stcore/... for its base URL, a 404 the console reports.
    path, title = PAGES[name]
    browser.get(served)
    _wait_rendered(browser, "Runs")
    if path:
        browser.find_element(By.CSS_SELECTOR, f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
        _wait_rendered(browser, title)
    exceptions = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert not exceptions, [e.text for e in exceptions]
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    height = browser.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body; return m.scrollHeight;")
    browser.set_window_size(1500, min(max(int(height) + 200, 1200), 6000))
    _wait_rendered(browser, title, timeout=20)
    assert browser.save_screenshot(str(shot)), shot
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000 and os.path.getsize(shot) > 0
