"""Benchmark: a real server's start to its first page (benchmarks/bench_server.py), then every page's cold and warm
render time under AppTest, the median of three renders.

python benchmarks/bench_pages.py [scale]               # a demo warehouse of that scale, generated and loaded
python benchmarks/bench_pages.py --warehouse FILE      # an existing warehouse (benchmarks/bench_load.py uses this)

The first page's first run includes Python's imports (what a server's first visitor waits for). Cold = the page with
every cached query cleared; warm = the same page again, served from the cache.
"""

import importlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
import streamlit.logger  # noqa: E402
from bench_server import first_page_seconds  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from etl.demo import generate  # noqa: E402
from etl.load import load_folder  # noqa: E402

PAGES = ["overview", "learning_phases", "roi", "pair_health", "survey_outcomes", "cohort_comparison",
         "social_adoption", "data"]  # fmt: skip


def render(test: AppTest, page: str) -> float:
    started = time.perf_counter()
    if page == "overview":
        test.run()
    else:
        test.switch_page(f"pages/{page}.py").run()
    assert not test.exception, test.exception
    return time.perf_counter() - started


def bench(warehouse: Path) -> None:
    print(f"  server start to first page (Chromium): {first_page_seconds(warehouse):.2f} s", flush=True)
    streamlit.logger.set_log_level("error")  # no warnings about running without a server
    # nor, each time the cache is cleared outside a server, that it found none (a logger of its own)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").disabled = True
    os.environ["MENTORING_WAREHOUSE"] = str(warehouse)
    test = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    print(f"  pages: first page after start (imports included) {render(test, 'overview'):.2f} s")
    # the pages below are timed on a server that has started: the first page's run leaves scipy.stats importing on a
    # thread for about a second (dashboard.py), which a page timed meanwhile would share the cores with
    importlib.import_module("scipy.stats")
    # the median of three renders each: one render now and then takes a third longer on this shared machine
    print(f"  {'page':<20} {'cold (s)':>9} {'warm (s)':>9}   (median of 3; cold range)")
    for page in PAGES:
        colds, warms = [], []
        for _ in range(3):
            st.cache_data.clear()
            colds.append(render(test, page))
            warms.append(render(test, page))
        low, high = min(colds), max(colds)
        print(f"  {page:<20} {median(colds):9.2f} {median(warms):9.2f}   ({low:.2f}-{high:.2f})", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--warehouse"]:
        bench(Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
            generate(Path(tmp) / "files", scale=scale)
            load_folder(Path(tmp) / "files", Path(tmp) / "bench.duckdb")
            print(f"scale {scale}:")
            bench(Path(tmp) / "bench.duckdb")
