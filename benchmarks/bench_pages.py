"""Benchmark: first-run and warm render time of every page under AppTest on a demo warehouse.

python benchmarks/bench_pages.py [scale]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def main(scale: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "bench.duckdb"
        generate(Path(tmp) / "files", scale=scale)
        load_folder(Path(tmp) / "files", warehouse)
        os.environ["MENTORING_WAREHOUSE"] = str(warehouse)
        test = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        print(f"scale {scale}: page, first run (s), warm rerun (s)")
        for page in PAGES:
            first = render(test, page)
            warm = render(test, page)
            print(f"  {page:<18} {first:6.2f} {warm:6.2f}  ratio {first / warm:5.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
