"""What users save from the dashboard into the warehouse: named ROI scenarios (assumptions of the ROI page).

A save is a small load: it takes the loads' lock, writes a copy of the live file and swaps it in, so it survives
the next load (which starts from the live file) and readers never wait for it.
"""

import os
import shutil
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

from etl.load import SCENARIOS_TABLE, fsync_path, remove_quietly, writer_lock


@dataclass(frozen=True)
class Scenario:
    """Benefit assumptions of the Phillips ROI: values in dollars, shares from 0 to 1."""

    value_active: float = 2_000.0  # per executive newly active on social media
    value_idea: float = 500.0  # per idea logged in sessions
    value_mentor: float = 5_000.0  # per mentor retained beyond the baseline (avoided replacement)
    attribution: float = 0.25  # share of the benefit attributed to the program
    confidence: float = 0.5  # confidence in these estimates
    baseline_turnover: float = 0.15  # share of comparable employees who leave within a year anyway


SCENARIO_FIELDS = [f.name for f in fields(Scenario)]
DEFAULT_NAME = "Conservative defaults"


def write(live: Path, statements: list[tuple[str, list]]) -> None:
    """Run `statements` in one transaction on a copy of the warehouse, then swap the copy in."""
    with writer_lock(live):
        work = live.with_name(live.name + ".saving")
        remove_quietly(work, Path(f"{work}.wal"))
        try:
            shutil.copyfile(live, work)
            con = duckdb.connect(str(work))
            try:
                con.execute(SCENARIOS_TABLE)
                con.execute("begin transaction")
                for sql, params in statements:
                    con.execute(sql, params)
                con.execute("commit")
                con.execute("checkpoint")
            finally:
                con.close()
            fsync_path(work)
            os.replace(work, live)
            fsync_path(live.parent)
        finally:
            remove_quietly(work, Path(f"{work}.wal"))


def save_scenario(live: Path, name: str, scenario: Scenario, now: datetime | None = None) -> None:
    """Create or overwrite the scenario `name`; it becomes the last used one."""
    now = now or datetime.now()
    write(
        live,
        [
            (
                "insert or replace into roi_scenarios values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [name, *astuple(scenario), now, now],
            )
        ],
    )


def use_scenario(live: Path, name: str, now: datetime | None = None) -> None:
    """Remember `name` as the last used scenario: the page opens with it next time, for everyone."""
    write(live, [("update roi_scenarios set last_used_at = ? where name = ?", [now or datetime.now(), name])])


def rename_scenario(live: Path, old: str, new: str) -> None:
    write(live, [("update roi_scenarios set name = ? where name = ?", [new, old])])
