"""Benchmark: a real Streamlit server's start to its first page, read in headless Chromium.

python benchmarks/bench_server.py                     # the demo: a warehouse built first, then a server started on it
python benchmarks/bench_server.py --warehouse FILE    # an existing warehouse (benchmarks/bench_load.py uses this)

The clock starts when `streamlit run dashboard.py` is launched (as `make run` does) and stops when the browser shows
the Overview's title with the page finished running. Chromium is started before the clock.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Error, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.demo import demo_folder_for, generate  # noqa: E402
from etl.load import load_folder  # noqa: E402
from warehouse.location import ENV_VAR  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FIRST_PAGE_TITLE = "Is the program working?"
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_page_seconds(warehouse: Path) -> float:
    """Seconds from launching the server to the first page shown in full."""
    port = free_port()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env={**os.environ, ENV_VAR: str(warehouse)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while True:  # the server is not listening yet
                try:
                    page.goto(f"http://127.0.0.1:{port}", timeout=60_000)
                    break
                except Error:
                    time.sleep(0.05)
            page.get_by_text(FIRST_PAGE_TITLE).first.wait_for(timeout=600_000)
            page.wait_for_selector(FINISHED, timeout=600_000)
            return time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            browser.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--warehouse"]:
        print(f"  server start to first page: {first_page_seconds(Path(sys.argv[2])):.2f} s")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            warehouse = Path(tmp) / "mentoring.duckdb"
            generate(demo_folder_for(warehouse))
            load_folder(demo_folder_for(warehouse), warehouse, is_demo=True)
            print(f"demo: server start to first page {first_page_seconds(warehouse):.2f} s")
