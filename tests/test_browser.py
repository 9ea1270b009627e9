"""Smoke test in a real browser: a headless Streamlit server and Debian's Chromium; accessibility checked by
axe-core (bundled in axe-playwright-python, nothing downloaded at run time) and by keyboard."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
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
    wait_until_healthy(url)
    return process, url


def wait_until_healthy(url: str) -> None:
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the Streamlit server did not answer /_stcore/health")


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
    "cohort_comparison": ("Did the expansion keep", 1),
    "social_adoption": ("Do mentees take up social media?", 2),
    "data": ("Where does this data come from?", 0),
    "load_data": ("Load new data", 0),
}
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TABLE_TOGGLE = '[data-testid="stExpander"] summary:has-text("data as a table")'


SCREENSHOTS = {"": "overview.png", "pair_health": "pair-health.png", "cohort_comparison": "pilot-vs-expansion.png"}
WIDTH, HEIGHT = 1280, 800
# What a reader would have to scroll sideways for: the main area scrolling sideways, elements showing past the
# window's right edge (what a box clips, or a visually hidden input, does not show), and tables whose own scroller
# is wider than the table
LAYOUT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const edge = document.documentElement.clientWidth;
    const shownRight = e => {
        const style = getComputedStyle(e);
        if (style.clipPath !== 'none' || style.clip !== 'auto' || Number(style.opacity) <= 0.01) return 0;
        let right = e.getBoundingClientRect().right;
        for (let box = e.parentElement; box && box !== main; box = box.parentElement) {
            const clips = getComputedStyle(box).overflowX !== 'visible';
            if (clips) right = Math.min(right, box.getBoundingClientRect().right);
        }
        return right;
    };
    const wide = [...main.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().width > 0 && shownRight(e) > edge + 1)
        .map(e => e.closest('[data-testid]').getAttribute('data-testid'));
    const scrolling = [...main.querySelectorAll('[data-testid="stDataFrame"] *, [data-testid="stTable"] *')]
        .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.closest('[data-testid="stDataFrame"], [data-testid="stTable"]').innerText.slice(0, 80));
    return {page: document.documentElement.scrollWidth, main: main.scrollWidth <= main.clientWidth, wide, scrolling};
}"""


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(url)
    wait_for_the_run(page)
    return page


def wait_for_the_run(page) -> None:
    """Until the page's script run has ended: a button clicked while the run still draws may be drawn again, and the
    click lost."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)


def downloaded(page, button: str):
    """The file a click on `button` gives, made on the click. Clicked again when none came within 30 s, as a person
    would. On CI, three clicks once gave no file: each click ran the page again, and that run could drop the file's
    maker before it was asked for. Download buttons no longer run the page (pages/ui.py, downloads)."""
    for _ in range(3):
        wait_for_the_run(page)
        try:
            with page.expect_download(timeout=30_000) as download:
                page.get_by_role("button", name=button).click()
            return download.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"no file after 3 clicks on {button}")


def axe_violations(page) -> list[str]:
    """Every WCAG 2.0/2.1 A and AA violation axe-core finds, one line per element. No allow-list: the one
    violation Streamlit brought (its sidebar menu's list markup) is avoided by drawing our own menu."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    return [
        f"{rule['id']} ({rule['impact']}) {node['target']}: {node['failureSummary']}"
        for rule in results.response["violations"]
        for node in rule["nodes"]
    ]


def screenshot(page, name: str) -> None:
    """The whole page: the window grows to the main area's height (it scrolls inside, not the document)."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": height})
    page.wait_for_timeout(1_000)  # let the charts redraw at the new size
    page.screenshot(path=str(ROOT / "docs" / name), full_page=True)


def test_the_sidebar_never_lists_modules_while_the_demo_builds(server, browser):
    """The first test on the server: its first visit builds the demo. Streamlit would list pages/ (ui, charts...)
    before st.navigation runs; client.showSidebarNavigation = false means it never does."""
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(server)
    saw_the_build = False
    while not page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count():
        saw_the_build = saw_the_build or page.get_by_text("building the demo program").count() > 0
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        assert page.get_by_role("button", name="Stop").count() == 0  # no developer controls while it runs
        page.wait_for_timeout(100)
    assert saw_the_build
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    links = [text.splitlines()[-1] for text in page.locator('[data-testid="stPageLink"]').all_inner_texts()]
    assert links[:3] == ["Overview", "Learning phases", "Program ROI"]  # our navigation, drawn in the sidebar
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_at_1280_px_without_error(server, browser, path):
    title, charts = PAGES[path]
    page = open_page(browser, f"{server}/{path}")
    page.get_by_text(title).first.wait_for(timeout=60_000)
    if charts:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').nth(charts - 1).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    for text in ("Traceback", "Error", "could not be shown", "None"):
        assert page.locator('[data-testid="stMain"]').get_by_text(text, exact=True).count() == 0, text
    assert page.get_by_text("Demo data").count() == 1
    assert page.get_by_text("Nothing to show yet for these filters").count() == 0  # every demo chart has data
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= charts
    drawn = page.locator('[data-testid="stPlotlyChart"]').count()
    assert page.locator('[role="figure"][aria-label^="Chart: "]').count() == drawn  # a text alternative
    assert page.locator(TABLE_TOGGLE).count() == drawn  # every chart's numbers as a table
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.evaluate(LAYOUT) == {"page": WIDTH, "main": True, "wide": [], "scrolling": []}
    if path in SCREENSHOTS:
        screenshot(page, SCREENSHOTS[path])
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
    page.get_by_text("12 of 12 pairs have the chosen status").wait_for(timeout=60_000)
    page.close()


def test_a_link_to_a_page_works_as_the_first_request_to_a_new_server(browser, demo_warehouse):
    process, url = start_server(demo_warehouse)
    try:
        page = open_page(browser, f"{url}/pair_health?cohorts=2011+pilot&health_status=Completed")
        page.get_by_text("12 of 12 pairs have the chosen status").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Coordinators").count() >= 1  # our navigation, not the legacy pages list
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_download_is_written_when_its_button_is_clicked(server, browser):
    """Files are made on the click (not at every run of the page): the CSV a coordinator gets holds the pairs the page
    counts, and the analysts' Excel file reads back as numbers."""
    page = open_page(browser, f"{server}/pair_health")
    page.get_by_text("8 of 73 pairs have the chosen status").wait_for(timeout=60_000)
    pairs = pd.read_csv(downloaded(page, "Download CSV").path(), comment="#", encoding="utf-8-sig")
    assert len(pairs) == 8 and set(pairs["Status"]) == {"At risk", "Needs check-in"}
    page.close()

    page = open_page(browser, f"{server}/cohort_comparison")
    page.get_by_role("button", name="Download Excel").wait_for(timeout=60_000)
    xlsx = Path(downloaded(page, "Download Excel").path()).read_bytes()
    table = pd.read_excel(io.BytesIO(xlsx), sheet_name="data", engine="calamine")
    row = table.set_index("Metric").loc["Attendance rate"]
    assert (row["2011 pilot n"], row["2012 expansion n"]) == (12, 45)
    assert round(row["2011 pilot mean"], 1) == 89.5
    page.close()
