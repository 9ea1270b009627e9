"""Smoke test in a real browser: a headless Streamlit server and Debian's Chromium; accessibility checked by
axe-core (bundled in axe-playwright-python, nothing downloaded at run time) and by keyboard."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from warehouse.location import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(warehouse: Path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env={**os.environ, ENV_VAR: str(warehouse)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        raise AssertionError("the Streamlit server did not answer /_stcore/health")
    return process, url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server on a machine with no warehouse yet: it must build the demo itself."""
    process, url = start_server(tmp_path_factory.mktemp("browser") / "mentoring.duckdb")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "install Debian's chromium (bash .ci/run does)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PAGES = {  # url path: (a phrase of its title, charts it must render)
    "": ("Is the program working?", 1),
    "learning_phases": ("Do pairs move from trust", 2),
    "roi": ("What did the program cost", 2),
    "pair_health": ("Which pairs need a check-in?", 1),
    "survey_outcomes": ("What changed in the surveys?", 1),
    "cohort_comparison": ("Did the expansion keep", 0),
    "social_adoption": ("Do mentees take up social media?", 2),
    "data": ("Where does this data come from?", 0),
}
SCREENSHOT = ROOT / "docs" / "overview.png"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TABLE_TOGGLE = '[data-testid="stExpander"] summary:has-text("data as a table")'


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
    return page


def axe_violations(page) -> list[str]:
    """Every WCAG 2.0/2.1 A and AA violation axe-core finds, one line per element. No allow-list: the one
    violation Streamlit brought (its sidebar menu's list markup) is avoided by drawing our own menu."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    return [
        f"{rule['id']} ({rule['impact']}) {node['target']}: {node['failureSummary']}"
        for rule in results.response["violations"]
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_in_chromium_without_error(server, browser, path):
    title, charts = PAGES[path]
    page = open_page(browser, f"{server}/{path}")
    page.get_by_text(title).first.wait_for(timeout=60_000)
    if charts:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').nth(charts - 1).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Demo data").count() == 1
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= charts
    if path == "":
        page.wait_for_timeout(500)  # let the charts finish their transition
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    drawn = page.locator('[data-testid="stPlotlyChart"]').count()
    assert page.locator('[role="figure"][aria-label^="Chart: "]').count() == drawn  # a text alternative
    assert page.locator(TABLE_TOGGLE).count() == drawn  # every chart's numbers as a table
    for toggle in page.locator(TABLE_TOGGLE).all():
        toggle.click()  # open, so that axe checks the tables too
        toggle.locator("xpath=ancestor::*[@data-testid='stExpander']//*[@data-testid='stTable']").wait_for()
    assert axe_violations(page) == []
    page.close()


FOCUSED = """() => ({
    tag: document.activeElement.tagName,
    label: document.activeElement.getAttribute("aria-label") || document.activeElement.innerText || "",
    outline: getComputedStyle(document.activeElement).outlineStyle,
})"""


def test_the_keyboard_reaches_and_works_every_control_with_focus_shown(server, browser):
    page = open_page(browser, f"{server}/")
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=60_000)
    reached = []  # the lines of each focused control's name
    while "Attendance rate by cohort: data as a table" not in (reached[-1] if reached else []):
        assert len(reached) < 100, f"Tab never reached the chart's table; it went {reached}"
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"] != "none", f"no focus ring on {focused['tag']} {focused['label'][:80]!r}"
        # the main area takes focus too; its text, the whole page, names no control
        reached.append(focused["label"].splitlines() if focused["tag"] != "MAIN" else [])
    for control in ["Overview", "Learning phases", "Pair health", "Data", "Cohorts", "year, As of", "Mentee level"]:
        assert any(control in names for names in reached), f"Tab never reached {control}; it went {reached}"
    page.keyboard.press("Enter")  # the chart's table opens
    page.locator('[data-testid="stExpander"] [data-testid="stTable"]').wait_for()
    page.get_by_role("combobox", name="Cohorts").focus()
    page.keyboard.type("2011")
    page.keyboard.press("Enter")  # a cohort chosen by keyboard filters the page
    page.wait_for_url("**cohorts=2011+pilot*", timeout=60_000)
    page.close()


def test_shared_link_opens_with_its_filters(server, browser):
    page = open_page(browser, f"{server}/pair_health?cohorts=2011+pilot&health_status=Completed")
    page.get_by_text("12 of 12 pairs shown").wait_for(timeout=60_000)
    page.close()


def test_a_link_to_a_page_works_as_the_first_request_to_a_new_server(browser, demo_warehouse):
    process, url = start_server(demo_warehouse)
    try:
        page = open_page(browser, f"{url}/pair_health?cohorts=2011+pilot&health_status=Completed")
        page.get_by_text("12 of 12 pairs shown").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Coordinators").count() >= 1  # our navigation, not the legacy pages list
    finally:
        process.terminate()
        process.wait(timeout=20)
