"""What users save from the dashboard into the warehouse: named ROI scenarios (assumptions of the ROI page) and
coordinators' contacts with pairs, written like a load (etl/rewrite.py), so they survive the next load and readers
never wait for them."""

from dataclasses import astuple, dataclass, fields
from datetime import date, datetime
from pathlib import Path

from etl.rewrite import rewrite


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


def save_scenario(live: Path, name: str, scenario: Scenario, now: datetime | None = None) -> None:
    """Create or overwrite the scenario `name`; it becomes the last used one."""
    now = now or datetime.now()
    values = [name, *astuple(scenario), now, now]
    rewrite(
        live, lambda con: con.execute("insert or replace into roi_scenarios values (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
    )


def use_scenario(live: Path, name: str, now: datetime | None = None) -> None:
    """Remember `name` as the last used scenario: the page opens with it next time, for everyone."""
    values = [now or datetime.now(), name]
    rewrite(live, lambda con: con.execute("update roi_scenarios set last_used_at = ? where name = ?", values))


def rename_scenario(live: Path, old: str, new: str) -> None:
    rewrite(live, lambda con: con.execute("update roi_scenarios set name = ? where name = ?", [new, old]))


def save_contact(live: Path, pair_id: str, contacted_on: date, note: str, now: datetime | None = None) -> None:
    """Record that a coordinator contacted the pair on that day (a second note for the same day replaces it)."""
    values = [pair_id, contacted_on, note.strip(), now or datetime.now()]
    rewrite(live, lambda con: con.execute("insert or replace into pair_contacts values (?, ?, ?, ?)", values))
