"""Benchmark: the project's load against DuckDB's raw load and pandas + SQLite on the same files, in one run.

python benchmarks/bench_load.py 1 100 1000 1370        # add --no-pages to skip the page times

Per scale: load time, rows/s and peak memory of `python -m etl load` (a fresh process each time, as a user runs it);
the two baselines on the same files with the ratios; the same files again; next month's sessions alone; the
warehouse's size against the CSV's; then each page's cold and warm times (benchmarks/bench_pages.py).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def measured(*args: str) -> tuple[float, float, str]:
    """Wall seconds, peak resident memory (MB) and output of one child process. The peak is taken by /usr/bin/time:
    a child forked from this process would start its high-water mark at this process's own size. The disk is synced
    first: a load's fsync would otherwise wait for what the steps before it wrote (gigabytes, for the baselines)."""
    os.sync()
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name, *args], cwd=ROOT, capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return seconds, int(peak.read().split()[-1]) / 1024, done.stdout + done.stderr


def raw_duckdb(folder: Path, database: Path) -> None:
    """The floor: each file copied into a table by DuckDB's CSV reader, no validation."""
    import duckdb

    con = duckdb.connect(str(database))
    for path in sorted(folder.glob("*.csv")):
        con.execute(f"create table {path.stem} as select * from read_csv(?)", [str(path)])
    con.close()


def pandas_sqlite(folder: Path, database: Path) -> None:
    """What an analyst would do: each file read whole by pandas and written to SQLite."""
    import sqlite3

    import pandas as pd

    with sqlite3.connect(database) as con:
        for path in sorted(folder.glob("*.csv")):
            pd.read_csv(path).to_sql(path.stem, con, index=False)


def next_month(folder: Path, out: Path) -> int:
    """Next month's sessions file alone: the sessions scheduled in the month after the data date, now held."""
    import duckdb

    out.mkdir()
    con = duckdb.connect()
    sessions = str(folder / "sessions.csv")
    con.execute(
        f"""copy (
            select pair_id, session_no, scheduled_on, 'held' as status, scheduled_on as held_on, 45 as duration_min,
                   true as mentor_present, true as mentee_present, topic, phase, 4 as trust_rating,
                   false as aha_moment, 0 as ideas_count, 'Held as planned.' as notes
            from read_csv(?, all_varchar = true)
            where status = 'scheduled' and scheduled_on::date >= (
                select date_trunc('month', max(held_on::date)) + interval 1 month from read_csv(?, all_varchar = true))
              and scheduled_on::date < (
                select date_trunc('month', max(held_on::date)) + interval 2 month from read_csv(?, all_varchar = true))
        ) to '{out / "sessions.csv"}' (header)""",
        [sessions, sessions, sessions],
    )
    return con.execute("select count(*) from read_csv(?)", [str(out / "sessions.csv")]).fetchall()[0][0]


def inside(output: str) -> str:
    """The load's own time, as the command reports it ("Load 1 done in 4.2 s: ...")."""
    return output.split(" done in ")[1].split(" s")[0]


def megabytes(path: Path) -> float:
    files = path.iterdir() if path.is_dir() else [path]
    return sum(p.stat().st_size for p in files) / 1e6


def bench(scale: int, root: Path, pages: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from etl.demo import generate  # here: the baselines' processes import only what they use

    folder, warehouse = root / f"demo{scale}", root / f"demo{scale}.duckdb"
    started = time.perf_counter()
    counts = generate(folder, scale=scale)
    generate_s, rows, csv_mb = time.perf_counter() - started, sum(counts.values()), megabytes(folder)
    print(f"\nscale {scale}: {counts['pairs']:,} pairs, {rows:,} rows, {csv_mb:,.1f} MB of CSV (generated in"
          f" {generate_s:.1f} s)", flush=True)  # fmt: skip
    load_s, load_mb, loaded = measured(PYTHON, "-m", "etl", "load", str(folder), "--warehouse", str(warehouse))
    warehouse_mb = megabytes(warehouse)
    # the same files again right after the first load, as the first load read them: from the page cache (after the
    # baselines' gigabytes, hashing 877 MB read them from disk, 1.4 s instead of 0.4 s)
    again_s, again_mb, again = measured(PYTHON, "-m", "etl", "load", str(folder), "--warehouse", str(warehouse))
    assert "Nothing changed" in again, again
    month_rows = next_month(folder, root / "month")
    month_s, month_mb, _ = measured(PYTHON, "-m", "etl", "load", str(root / "month"), "--warehouse", str(warehouse))
    raw_s, raw_mb, _ = measured(PYTHON, __file__, "--raw-duckdb", str(folder), str(root / "raw.duckdb"))
    pandas_s, pandas_mb, _ = measured(PYTHON, __file__, "--pandas-sqlite", str(folder), str(root / "pandas.sqlite"))
    rows_s = f"{rows / load_s:,.0f} rows/s"
    print(f"  project load (python -m etl load)   {load_s:7.2f} s  {rows_s:>16}  peak {load_mb:7,.0f} MB"
          f"  ({inside(loaded)} s of it in load_folder, the rest Python's start and imports)")  # fmt: skip
    print(f"  DuckDB read_csv, no validation      {raw_s:7.2f} s  {'':>16}  peak {raw_mb:7,.0f} MB"
          f"  load / raw = {load_s / raw_s:.2f}x")  # fmt: skip
    print(f"  pandas read_csv + to_sql (SQLite)   {pandas_s:7.2f} s  {'':>16}  peak {pandas_mb:7,.0f} MB"
          f"  pandas / load = {pandas_s / load_s:.2f}x (pandas / raw = {pandas_s / raw_s:.2f}x: the most a load"
          " that validates could reach)")  # fmt: skip
    print(f"  same files again                    {again_s:7.2f} s  {'':>16}  peak {again_mb:7,.0f} MB"
          f"  {again_s / load_s:.1%} of the first load")  # fmt: skip
    print(f"  next month's sessions ({month_rows:,} rows)".ljust(38) + f"{month_s:7.2f} s  {'':>16}  peak"
          f" {month_mb:7,.0f} MB  {month_s / load_s:.1%} of the first load")  # fmt: skip
    print(f"  warehouse {warehouse_mb:,.1f} MB for {csv_mb:,.1f} MB of CSV ({warehouse_mb / csv_mb:.2f}x)", flush=True)
    if pages:
        print(measured(PYTHON, str(ROOT / "benchmarks" / "bench_pages.py"), "--warehouse", str(warehouse))[2])
    shutil.rmtree(folder)
    shutil.rmtree(root / "month")
    for path in (warehouse, root / "raw.duckdb", root / "pandas.sqlite"):
        path.unlink()


if __name__ == "__main__":
    if sys.argv[1] in ("--raw-duckdb", "--pandas-sqlite"):
        baseline = raw_duckdb if sys.argv[1] == "--raw-duckdb" else pandas_sqlite
        baseline(Path(sys.argv[2]), Path(sys.argv[3]))
        sys.exit()
    print(f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in [int(a) for a in sys.argv[1:] if a.isdigit()] or [1, 100]:
            bench(scale, Path(tmp), "--no-pages" not in sys.argv)
