"""A page viewed as of a date D equals the same page on a warehouse that holds only the data known at D."""

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import load, open_page
from tests.known_at import write_known_at

# the Data page describes the loads themselves (times, files, hashes), which differ by construction
PAGES = ["overview", "learning_phases", "roi", "pair_health", "survey_outcomes", "cohort_comparison",
         "social_adoption"]  # fmt: skip
# days on which a demo session happened, so that the cut warehouse's data date is the day itself
DAYS = {
    "pilot running": date(2011, 5, 12),
    "between cohorts": date(2011, 12, 5),
    "expansion running": date(2012, 5, 10),
    "2013 wave running": date(2013, 7, 16),
}
LOAD_NOTES = ("Data date:", "Data freshness:")


def happened_day(folder: Path, target: date) -> date:
    """The latest day on or before `target` on which a demo session was held, missed or cancelled."""
    sessions = pd.read_csv(folder / "sessions.csv", dtype=str, keep_default_na=False)
    days = pd.to_datetime(sessions["held_on"].where(sessions["held_on"] != "", sessions["scheduled_on"])).dt.date
    return max(d for d, s in zip(days, sessions["status"], strict=True) if s != "scheduled" and d <= target)


def page_content(warehouse: Path, page: str, monkeypatch, **url) -> dict:
    """Everything a page shows: metrics, tables, chart data and captions (not the notes about the load itself)."""
    test = open_page(warehouse, page, monkeypatch, **url)
    return {
        "metrics": [(m.label, m.value) for m in test.metric],
        "tables": [frame.value.astype(str).to_dict("split") for frame in [*test.dataframe, *test.table]],
        "charts": [json.loads(chart.proto.spec)["data"] for chart in test.get("plotly_chart")],
        "captions": [c.value for c in test.caption if not c.value.startswith(LOAD_NOTES)],
        "text": [m.value for m in test.markdown] + [i.value for i in test.info],
    }


@pytest.fixture(scope="module", params=list(DAYS), ids=list(DAYS))
def cut(request, demo_folder, tmp_path_factory):
    """(day, a warehouse loaded with only the data known on that day)."""
    on = happened_day(demo_folder, DAYS[request.param])
    folder = tmp_path_factory.mktemp("known") / "files"
    write_known_at(demo_folder, folder, on)
    warehouse = folder.parent / "known.duckdb"
    load(folder, warehouse)
    return on, warehouse


@pytest.mark.parametrize("page", PAGES)
def test_page_as_of_a_day_equals_the_page_on_the_data_known_that_day(cut, page, demo_warehouse, monkeypatch):
    on, known = cut
    full = page_content(demo_warehouse, page, monkeypatch, as_of=on.isoformat())
    then = page_content(known, page, monkeypatch)
    assert any(f"As of {on:%d %B %Y}" in c for c in full["captions"]) or full["text"]
    assert full == then
