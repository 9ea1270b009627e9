"""The Load data page in Chromium: upload an export, see its preview and a problem, fix it, load, see the load."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests import exports_fixture
from tests.conftest import rows
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, open_page, start_server
from tests.test_exports import load


@pytest.fixture
def server(tmp_path):
    canonical, exports = exports_fixture.write(tmp_path / "program")
    warehouse = tmp_path / "w.duckdb"
    load(canonical, warehouse)
    process, url = start_server(warehouse)
    yield url, warehouse, exports
    process.terminate()
    process.wait(timeout=20)


def meeting_file(exports: Path, folder: Path, duration: str) -> Path:
    """Pair P2's third session as a Zoom report; the mentee's second join lasted `duration` minutes."""
    text = (exports / "zoom_p2_s1.csv").read_text().replace("01/06/2020", "02/18/2020")
    lines = text.splitlines()
    lines[-1] = lines[-1].replace(",8,", f",{duration},")
    path = folder / "zoom_march.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_upload_see_problem_fix_and_load_in_chromium(server, tmp_path):
    url, warehouse, exports = server
    assert Path(CHROMIUM).exists(), "install Debian's chromium (bash .ci/run does)"
    broken, fixed = tmp_path / "broken", tmp_path / "fixed"
    broken.mkdir(), fixed.mkdir()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = open_page(browser, f"{url}/load_data")
        page.get_by_text("Load new data").first.wait_for(timeout=60_000)

        page.locator('input[type="file"]').set_input_files(str(meeting_file(exports, broken, "eight")))
        page.get_by_text("1 problem", exact=True).wait_for(timeout=60_000)
        page.get_by_text("zoom_march.csv:7 Duration (Minutes): got 'eight', expected a number of minutes").wait_for()
        page.get_by_text("Preview of zoom_march.csv (1 row)").click()
        page.get_by_text("2020-02-18: pair P2 session 3, held").wait_for()
        assert page.get_by_role("button", name="Load into the warehouse").count() == 0

        page.get_by_role("button", name="Remove zoom_march.csv").click()
        page.get_by_text("Choose or drop files").wait_for(timeout=60_000)
        page.locator('input[type="file"]').set_input_files(str(meeting_file(exports, fixed, "8")))
        page.get_by_text("Ready: 0 rows to add and 1 row to update, no problems.").wait_for(timeout=60_000)
        page.get_by_role("button", name="Load into the warehouse").click()
        page.get_by_text("Load 2 done in").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        browser.close()
    assert rows(warehouse, "select load_id, outcome from load_history order by load_id") == [
        (1, "loaded"),
        (2, "loaded"),
    ]
    assert rows(warehouse, "select status, duration_min from raw_sessions where pair_id = 'P2' and session_no = 3") == [
        ("held", 38)
    ]
