"""Pair health at a glance: a list that fits, overdue in words, contacts to call, and calls recorded."""

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl.saved import save_contact
from pages import charts, ui
from tests.conftest import load, open_page, rows
from warehouse import read


@pytest.fixture
def warehouse(demo_warehouse, tmp_path) -> Path:
    """A copy of the demo the test may write to."""
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    return copy


def pair_health(warehouse: Path, monkeypatch, **url) -> AppTest:
    return open_page(warehouse, "pair_health", monkeypatch, **url)


def test_the_list_shows_pair_status_and_the_whole_reason(demo_warehouse, monkeypatch):
    listed = pair_health(demo_warehouse, monkeypatch).table[0].value.set_index("Pair")
    assert listed.columns.tolist() == ["Mentee", "Mentor", "Status", "Why", "Last contact"]
    assert listed.loc["PR000070", "Why"] == (
        "Trust falling: last two ratings 2 and 2; Stalled: no aha moment after 5 sessions"
    )


def test_a_pair_that_ended_early_says_when_and_why_and_has_no_bullet_for_a_reason(demo_warehouse, monkeypatch):
    test = pair_health(demo_warehouse, monkeypatch, health_status="Ended early")
    assert test.table[0].value.set_index("Pair").loc["PR000073", "Why"] == "\\-"  # a dash, not a Markdown bullet
    test.selectbox(key="pair_detail").set_value("PR000073").run()
    assert "Ended early on 23 Jul 2013 (Mentee moved to a new role): no session is due." in [
        m.value for m in test.markdown
    ]


def test_a_pair_without_sessions_says_so_instead_of_an_empty_chart(demo_warehouse, monkeypatch):
    test = pair_health(demo_warehouse, monkeypatch)
    test.selectbox(key="pair_detail").set_value("PR000064").run()
    assert [i.value for i in test.info] == [
        "No session of this pair is in sessions.csv yet: once its sessions are scheduled there, they show here."
    ]
    assert not any("Sessions of this pair" in chart.proto.spec for chart in test.get("plotly_chart"))


def test_overdue_is_explained_in_words_with_the_contacts(demo_warehouse, monkeypatch):
    test = pair_health(demo_warehouse, monkeypatch)
    test.selectbox(key="pair_detail").set_value("PR000071").run()
    texts = [m.value for m in test.markdown]
    assert (
        "Last session 73 days ago (25 Jun 2013); sessions are every 21 days, so the next was due 52 days ago."
    ) in texts
    people = test.table[1].value
    assert people["Email"].tolist() == ["blake.garcia.e000071@example.com", "jordan.garcia.m000071@example.com"]


def test_a_recorded_contact_shows_in_the_list_and_the_export_from_its_day(warehouse, monkeypatch):
    handed = {}
    monkeypatch.setattr(ui, "downloads", lambda frame, name, metadata, kinds: handed.update(locals()))
    test = pair_health(warehouse, monkeypatch)
    test.selectbox(key="pair_detail").set_value("PR000071").run()
    test.date_input(key="contact_on").set_value(date(2013, 9, 2))
    test.text_input(key="contact_note").input("called the mentee, session booked")
    test.button(key="contact_save").click().run()
    assert not test.exception
    listed = test.table[0].value.set_index("Pair")
    assert listed.loc["PR000071", "Last contact"] == "02 Sep 2013: called the mentee, session booked"
    row = handed["frame"].set_index("Pair").loc["PR000071"]
    assert (row["Last contacted on"], row["Contact note"]) == (date(2013, 9, 2), "called the mentee, session booked")
    assert row["Mentee email"] == "blake.garcia.e000071@example.com"
    assert handed["kinds"] == ("csv",) and handed["metadata"]["As of"] == "2013-09-06"
    before = pair_health(warehouse, monkeypatch, as_of="2013-09-01").table[0].value.set_index("Pair")
    assert before.loc["PR000071", "Last contact"] == ""  # not yet made on the as-of date


def test_a_contact_made_after_the_data_date_shows_at_the_data_date_and_not_as_of_before_it(warehouse, monkeypatch):
    # the sessions loaded run to 6 September 2013; a coordinator calls on the 20th: the list must show the call
    test = pair_health(warehouse, monkeypatch)
    test.selectbox(key="pair_detail").set_value("PR000071").run()
    assert test.date_input(key="contact_on").value == date.today()  # the day of the call, not the data date
    test.date_input(key="contact_on").set_value(date(2013, 9, 20))
    test.text_input(key="contact_note").input("emailed the mentor")
    test.button(key="contact_save").click().run()
    assert [s.value for s in test.success] == ["Recorded the contact of 20 September 2013 with PR000071."]
    assert test.table[0].value.set_index("Pair").loc["PR000071", "Last contact"] == "20 Sep 2013: emailed the mentor"
    # as of an earlier date, a contact shows once the as-of date reaches it
    earlier = pair_health(warehouse, monkeypatch, as_of="2013-08-01")
    earlier.selectbox(key="pair_detail").set_value("PR000071").run()
    assert "No contact with this pair recorded yet (by the as-of date, when one is chosen)." in [
        c.value for c in earlier.caption
    ]
    earlier.date_input(key="contact_on").set_value(date(2013, 9, 2))
    earlier.button(key="contact_save").click().run()
    assert [s.value for s in earlier.success] == [
        "Recorded the contact of 02 September 2013 with PR000071. It shows here from that day on: set the as-of date"
        " in the sidebar to it or later, or clear it."
    ]
    assert earlier.table[0].value.set_index("Pair").loc["PR000071", "Last contact"] == ""


def test_contacts_survive_the_next_load(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    save_contact(warehouse, "P2", date(2020, 2, 1), "  left a voicemail ")
    sessions = tiny_folder / "sessions.csv"
    sessions.write_text(sessions.read_text().replace("P5,1,2020-02-24,scheduled", "P5,1,2020-02-24,missed"))
    assert load(tiny_folder, warehouse).changed
    contacts = read.pair_contacts(read.Source(warehouse, warehouse.stat().st_mtime_ns), read.Filters())
    assert contacts.astype(str).to_numpy().tolist() == [["P2", "2020-02-01", "left a voicemail"]]


def test_the_pair_timeline_counts_in_whole_sessions_and_ratings():
    sessions = pd.DataFrame({"scheduled_on": [], "session_no": [], "as_of_status": [], "trust_rating": []})
    figure = charts.session_timeline(sessions)
    assert (figure.layout.yaxis.dtick, figure.layout.yaxis.tickformat, figure.layout.yaxis2.dtick) == (1, "d", 1)


def test_counts_cover_every_pair_while_the_list_stops_at_its_limit(large, monkeypatch):
    test = pair_health(large, monkeypatch, health_status="Completed")
    every = dict(rows(large, "select health_status, count(*) from fct_pair_health group by 1"))
    assert sum(every.values()) == 18_250 and every["Completed"] > read.PAIR_LIST_LIMIT
    [line] = [m.value for m in test.markdown if m.value.startswith("**At risk**")]
    statuses = ["At risk", "Needs check-in", "Too early to tell", "On track", "Completed", "Ended early"]
    assert line == " · ".join(f"**{status}**: {every.get(status, 0):,}" for status in statuses)
    counted = f"{every['Completed']:,} of 18,250 pairs have the chosen status; the 200 most urgent are listed here, "
    assert any(counted + "the 10,000 most urgent in the CSV." in c.value for c in test.caption)
