"""The dashboard under Streamlit's AppTest, on a real demo warehouse."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from warehouse.location import ENV_VAR

ENTRYPOINT = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture
def app(demo_warehouse, monkeypatch) -> AppTest:
    monkeypatch.setenv(ENV_VAR, str(demo_warehouse))
    return AppTest.from_file(ENTRYPOINT, default_timeout=60).run()


def test_entrypoint_runs_without_exception(app):
    assert not app.exception


def test_shows_the_data_date_and_marks_demo_data(app):
    assert "Data as of 06 September 2013" in app.caption[0].value
    assert app.warning[0].value.startswith("Demo data")


def test_row_counts_match_the_warehouse(app):
    counts = dict(zip(app.dataframe[0].value["File"], app.dataframe[0].value["Rows"], strict=True))
    assert counts["pairs"] == 73 and counts["cohorts"] == 3


def test_builds_the_demo_warehouse_when_none_exists(tmp_path, monkeypatch):
    warehouse = tmp_path / "fresh" / "mentoring.duckdb"
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    app = AppTest.from_file(ENTRYPOINT, default_timeout=120).run()
    assert not app.exception
    assert warehouse.exists() and (warehouse.parent / "demo_data" / "sessions.csv").exists()
