"""Benchmark: demo generation and load times by scale. Prints figures and ratios; run on demand.

python benchmarks/bench_load.py 1 100 1000
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.demo import generate  # noqa: E402
from etl.load import load_folder  # noqa: E402


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def bench(scale: int, root: Path) -> None:
    folder, warehouse = root / f"demo{scale}", root / f"demo{scale}.duckdb"
    counts, generate_s = timed(lambda: generate(folder, scale=scale))
    rows = sum(counts.values())
    megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    _, load_s = timed(lambda: load_folder(folder, warehouse))
    _, reload_s = timed(lambda: load_folder(folder, warehouse))
    print(
        f"scale {scale:>5}: {counts['pairs']:>9,} pairs {rows:>12,} rows {megabytes:>8.1f} MB | "
        f"generate {generate_s:6.1f} s | first load {load_s:6.1f} s ({rows / load_s:>10,.0f} rows/s) | "
        f"same files again {reload_s:6.1f} s | warehouse {warehouse.stat().st_size / 1e6:7.1f} MB"
    )
    shutil.rmtree(folder)
    warehouse.unlink()


if __name__ == "__main__":
    scales = [int(a) for a in sys.argv[1:]] or [1, 100]
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            bench(scale, Path(tmp))
