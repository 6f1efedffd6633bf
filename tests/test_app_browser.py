"""The app in a real browser: `python -m app` served on a free loopback port over a store of the real
R1-family outputs (every file of ../shared/data/replay, replayed), every page loaded in headless Chromium
(Debian's chromium + chromium-driver, through selenium); no Streamlit exception element, no console
error, and a screenshot of each page in tests/artifacts/app/ (git-ignored). Also: a 72,654-character R1
trace read with the search and the jump links, and the static export opened from disk.

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
def served(replay_store, app_curation, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("app_server") / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "app", "--db", str(replay_store), "--curation", str(app_curation),
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


def _open(browser, served: str, name: str) -> None:
    """Open the app at its root and move by the sidebar, as a user does: loading a sub-path directly makes
    Streamlit's frontend probe <sub-path>/_stcore/... for its base URL, a 404 the console reports."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(1500, 2200)
    path, title = PAGES[name]
    browser.get(served)
    _wait_rendered(browser, "Runs")
    if path:
        browser.find_element(By.CSS_SELECTOR, f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
        _wait_rendered(browser, title)


def _no_errors(browser) -> None:
    from selenium.webdriver.common.by import By

    exceptions = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert not exceptions, [e.text for e in exceptions]
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def _screenshot(browser, name: str, title: str | None, max_height: int = 7000) -> None:
    """The whole page (up to `max_height` pixels) in tests/artifacts/app/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    height = browser.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body; return m.scrollHeight;")
    browser.set_window_size(1500, min(max(int(height) + 200, 1200), max_height))
    if title:
        _wait_rendered(browser, title, timeout=30)
    assert browser.save_screenshot(str(shot)), shot
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000 and os.path.getsize(shot) > 0


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_in_chromium_without_errors(served, browser, name):
    browser.get_log("browser")  # drop what earlier pages logged
    _open(browser, served, name)
    _no_errors(browser)
    _screenshot(browser, name, PAGES[name][1])


def _choose(browser, label: str, text: str) -> None:
    """Type `text` into the Streamlit selectbox labelled `label` and pick the first match."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = next(b for b in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSelectbox"]')
               if b.text.splitlines()[0].strip() == label)
    field = box.find_element(By.CSS_SELECTOR, "input")
    field.click()
    field.send_keys(text)
    field.send_keys(Keys.ENTER)


def _type(browser, label: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    field = browser.find_element(By.CSS_SELECTOR, f'input[aria-label="{label}"]')
    field.clear()
    field.send_keys(text, Keys.ENTER)


def _top(browser, anchor: str) -> float:
    return browser.execute_script(f"return document.getElementById('{anchor}').getBoundingClientRect().top;")


def test_a_long_r1_trace_folds_finds_and_jumps_to_the_extracted_answer(served, browser):
    """R1's 72,654-character trace of AIME 2024 #21: middle folded, search hits marked, the jump links land."""
    from selenium.webdriver.common.by import By

    browser.get_log("browser")
    _open(browser, served, "samples")
    _choose(browser, "Problem", "aime24-21")
    _wait_rendered(browser, "Samples")
    text = browser.find_element(By.CSS_SELECTOR, '[data-testid="stMain"]').text
    assert "aime24-21 · sample 0" in text and "characters of the reasoning folded" in text, text[:2000]
    extracted = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stCode"]')[1].text.strip()
    _type(browser, "Find in this trace", extracted)
    _wait_rendered(browser, "Samples")
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "mark")]
    assert marks.count(extracted) >= 2, marks  # the search hits and the extracted answer in context
    browser.set_window_size(1500, 1000)
    for anchor in ("sv-answer-region", "sv-extracted-answer"):
        browser.execute_script("document.getElementById('sv-top').scrollIntoView()")
        assert _top(browser, anchor) > 1000, "the anchor starts out of sight"
        browser.find_element(By.CSS_SELECTOR, f'a[href="#{anchor}"]').click()
        time.sleep(1.0)
        assert -5 < _top(browser, anchor) < 900, (anchor, _top(browser, anchor))
    browser.execute_script("document.getElementById('sv-top').scrollIntoView()")
    _no_errors(browser)
    _screenshot(browser, "samples_long_trace", None, max_height=9000)


def test_run_detail_of_a_math500_run_in_chromium(served, browser):
    """TLDR-7B on MATH-500: breakdowns by level and subject with intervals, quantile length bins."""
    from selenium.webdriver.common.by import By

    browser.get_log("browser")
    _open(browser, served, "run_detail")
    _choose(browser, "Run", "tldr/tldr-7b")
    _wait_rendered(browser, "Run detail")
    text = browser.find_element(By.CSS_SELECTOR, '[data-testid="stMain"]').text
    assert "pass@1 by level" in text and "pass@1 by subject" in text and "10 bins of ≥30 samples" in text, text[:2000]
    _no_errors(browser)
    _screenshot(browser, "run_detail_math500", "Run detail")


def test_compare_side_by_side_traces(served, browser):
    from selenium.webdriver.common.by import By

    browser.get_log("browser")
    _open(browser, served, "compare")
    text = browser.find_element(By.CSS_SELECTOR, '[data-testid="stMain"]').text
    assert "McNemar exact p" in text and "Side by side" in text and "Run A: deepseek/r1" in text, text[:3000]
    assert "Run B: tldr/sft-7b" in text
    _no_errors(browser)


def test_static_export_opens_offline_in_chromium(replay_store, browser, tmp_path):
    """`python -m app export`: one file, no request leaves it, every sample there, the filters work."""
    from selenium.webdriver.common.by import By

    out = tmp_path / "r1_aime24.html"
    done = subprocess.run([sys.executable, "-m", "app", "export", str(replay_store), "deepseek/r1:aime24", "-o",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert "http://" not in page and "https://" not in page and "<link" not in page and "src=" not in page
    browser.get_log("browser")
    browser.set_window_size(1400, 2000)
    browser.get(out.as_uri())
    from app import queries, sources

    store, con = sources.open_store(replay_store)
    run = next(r for r in sources.list_runs(store) if r["model"] == "deepseek/r1")
    stored = queries.sample_count(con, queries.SampleFilter(runs=(queries.RunKey.of(run),)))
    con.close()
    samples = browser.find_elements(By.CSS_SELECTOR, "details.sample")
    assert len(samples) == stored == 29  # R1's file: 30 problems, one of which matches no AIME 2024 problem text
    shown = lambda: int(browser.find_element(By.ID, "shown").text)
    assert shown() == stored
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "outcome")).select_by_visible_text("wrong")
    wrong = shown()
    assert 0 < wrong < stored and wrong == sum(s.get_attribute("data-outcome") == "wrong" for s in samples)
    Select(browser.find_element(By.ID, "outcome")).select_by_visible_text("all")
    browser.find_element(By.ID, "search").send_keys("aime24-21")
    assert shown() == 1
    browser.find_element(By.ID, "search").clear()
    browser.execute_script("document.getElementById('search').dispatchEvent(new Event('input'))")
    browser.find_elements(By.CSS_SELECTOR, "details.sample > summary")[0].click()
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1400, 4000)
    assert browser.save_screenshot(str(ARTIFACTS / "export.png"))
