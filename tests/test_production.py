"""The production look: level labels from one lookup, a box with a reference instead of a traceback."""

import logging
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from pages import ui
from warehouse.location import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]


def failing_page():
    from pages import ui

    ui.run_page(lambda: format(1.5, "d"))  # the ValueError a bad load once raised on every page


@pytest.fixture
def details_hidden():
    """The production setting of .streamlit/config.toml (tests otherwise see exceptions: tests/conftest.py)."""
    config.set_option("client.showErrorDetails", "none")
    yield
    config.set_option("client.showErrorDetails", "full")


def test_a_failing_page_shows_a_reference_and_logs_the_traceback(details_hidden, caplog):
    caplog.set_level(logging.ERROR, logger="mentoring.dashboard")
    test = AppTest.from_function(failing_page, default_timeout=30).run()
    assert not test.exception
    [box] = test.error
    [record] = caplog.records
    reference = record.args[0]
    assert len(reference) == 8
    assert f"reference **{reference}**" in box.value
    assert "Unknown format code 'd'" not in box.value
    assert "Unknown format code 'd'" in record.exc_text


def test_a_failing_page_raises_when_details_are_shown():
    test = AppTest.from_function(failing_page, default_timeout=30).run()
    assert "Unknown format code 'd'" in test.exception[0].value
    assert not test.error


def test_production_settings_hide_toolbar_module_list_and_tracebacks():
    text = (ROOT / ".streamlit" / "config.toml").read_text()
    for setting in ('toolbarMode = "minimal"', "showSidebarNavigation = false", 'showErrorDetails = "none"'):
        assert setting in text


def test_levels_read_as_people_write_them(demo_warehouse, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(demo_warehouse))
    test = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert test.multiselect(key="levels").options == [
        "C-suite", "Department head", "Direct report", "LOB president", "Manager",
    ]  # fmt: skip
    test.switch_page("pages/cohort_comparison.py").run()
    composition = test.table[-1].value
    assert composition["Level"].tolist() == ["C-suite", "Department head", "Direct report", "LOB president"]
    assert composition["2011 pilot"].astype(str).tolist() == ["6", "0", "0", "6"]  # whole mentees, not 6.0000


def test_a_value_that_rounds_to_zero_shows_no_minus_sign():
    assert [ui.number(-0.004), ui.signed(-0.004), ui.signed(-0.04, 1), ui.points(-0.0004), ui.percent(-0.001)] == [
        "0.00",
        "+0.00",
        "+0.0",
        "+0.0 pp",
        "0%",
    ]
    assert [ui.signed(-0.006), ui.signed(float("nan")), ui.number(1234.5)] == ["-0.01", "n/a", "1,234.50"]


def test_an_roi_near_minus_100_percent_is_not_rounded_to_no_benefit_at_all():
    assert [ui.roi_percent(v) for v in (-99.96, -99.5, -100.0, -99.4, 1234.56, float("nan"))] == [
        "-99.96%",
        "-99.5%",
        "-100%",
        "-99%",
        "1,235%",
        "n/a",
    ]
