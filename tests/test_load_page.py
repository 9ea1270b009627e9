"""The Load data page under AppTest: upload, recognition, preview, a problem, the fix, the load, the history."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.exports import uploads
from etl.load import writer_lock
from tests import exports_fixture
from tests.conftest import ENTRYPOINT, rows
from tests.test_exports import load
from warehouse.location import ENV_VAR


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A warehouse holding the fixture program as canonical files, and the program's exports folder."""
    canonical, exports = exports_fixture.write(tmp_path / "program")
    warehouse = tmp_path / "w.duckdb"
    load(canonical, warehouse)
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    return warehouse, exports


def next_meeting(exports: Path) -> bytes:
    """Pair P2's third session, held on 18 February 2020, as a Zoom report."""
    return (exports / "zoom_p2_s1.csv").read_text().replace("01/06/2020", "02/18/2020").encode()


def open_page() -> AppTest:
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.run()
    test.switch_page("pages/load_data.py").run()
    assert not test.exception, test.exception
    return test


def texts(test: AppTest) -> str:
    return "\n".join(e.value for kind in ("success", "error", "info", "code", "text") for e in test.get(kind))


def test_upload_preview_problem_fix_and_load(warehouse):
    warehouse, exports = warehouse
    test = open_page()
    assert "Choose or drop files" in texts(test)
    test.file_uploader(key="load_uploads").set_value(
        [
            ("zoom_march.csv", next_meeting(exports), "text/csv"),
            ("budget.csv", b"month,amount\n2020-01,5\n", "text/csv"),
        ]
    ).run()
    assert not test.exception, test.exception
    taken = test.table[0].value  # file names are escaped for Markdown: the page shows zoom_march.csv as typed
    assert taken.reset_index().values.tolist() == [
        ["budget.csv", "(not recognised)", "0"],  # counts as the Data page writes them: 487,472
        ["zoom\\_march.csv", "Zoom participants report -\\> sessions", "1"],
    ]
    preview = test.dataframe[1].value
    assert preview[["pair_id", "session_no", "status", "held_on", "duration_min"]].values.tolist() == [
        ["P2", "3", "held", "2020-02-18", "38"]
    ]
    assert "budget.csv got a file that is neither a canonical file nor a known export" in texts(test)
    assert [b.key for b in test.button] == []  # no way to load while a problem stands
    assert rows(warehouse, "select count(*) from load_history") == [(1,)]

    test.file_uploader(key="load_uploads").set_value([("zoom_march.csv", next_meeting(exports), "text/csv")]).run()
    assert "Ready: 0 rows to add and 1 row to update, no problems." in texts(test)
    test.button(key="load_confirm").click().run()
    assert not test.exception, test.exception
    assert re.search(r"Load 2 done in \d+\.\d s: 0 new and 1 updated rows\.", texts(test))
    # the loaded files, still in the picker, are not checked again as "nothing to load"
    assert "These files are loaded. Remove them from the list above" in texts(test)
    assert "Nothing to load" not in texts(test)
    assert test.dataframe[0].value["Load"].tolist()[:2] == [2, 1]
    assert rows(
        warehouse, "select status, held_on::varchar from raw_sessions where pair_id = 'P2' and session_no = 3"
    ) == [("held", "2020-02-18")]


def test_rows_with_problems_can_be_set_aside_from_the_page(warehouse):
    warehouse, _ = warehouse
    costs = b"cohort_id,category,amount,note\nX1,Catering,300,x\nX1,Travel,lots,y\n"
    test = open_page()
    test.file_uploader(key="load_uploads").set_value([("costs.csv", costs, "text/csv")]).run()
    assert "costs.csv:3 amount: got 'lots', expected a number" in texts(test)
    assert [b.key for b in test.button] == ["load_quarantine"]  # not "Load into the warehouse"
    test.button(key="load_quarantine").click().run()
    assert not test.exception, test.exception
    assert re.search(r"Load 2 done in \d+\.\d s: 1 new and 0 updated rows\. 1 row is in quarantine", texts(test))
    assert "costs.csv:3 amount: got 'lots', expected a number" in texts(test)  # what was left out, and why
    assert rows(warehouse, "select category from raw_costs where category in ('Catering', 'Travel')") == [("Catering",)]
    assert rows(warehouse, "select file_name, line from quarantine") == [("costs.csv", 3)]


def test_a_load_refused_because_another_runs_says_so_in_words(warehouse):
    # it said "run this command again", with the server's path and a process id, in a collapsed box
    warehouse, exports = warehouse
    test = open_page()
    test.file_uploader(key="load_uploads").set_value([("zoom_march.csv", next_meeting(exports), "text/csv")]).run()
    with writer_lock(warehouse):
        test.button(key="load_confirm").click().run()
    assert [e.value for e in test.error] == [
        "Another load is writing to the warehouse. Wait a minute, then press the button again."
    ]
    assert rows(warehouse, "select count(*) from load_history") == [(1,)]


def test_no_row_good_offers_no_load_of_the_good_rows(warehouse):
    # a load of 0 rows said "These files are loaded"
    costs = b"cohort_id,category,amount,note\nX1,Catering,cheap,x\nX1,Travel,lots,y\n"
    test = open_page()
    test.file_uploader(key="load_uploads").set_value([("costs.csv", costs, "text/csv")]).run()
    assert "costs.csv:3 amount: got 'lots', expected a number" in texts(test)
    assert [b.key for b in test.button] == []
    assert "Nothing can be loaded until these are fixed: correct the files and upload them again." in texts(test)


def test_setting_rows_aside_when_the_good_rows_are_all_there_names_no_load(warehouse):
    warehouse, exports = warehouse
    form = (
        (exports / "google_followup.csv").read_text().replace("SOMEWHAT  AGREE,SOMEWHAT  AGREE", "SOMEWHAT  AGREE,Meh")
    )
    test = open_page()
    test.file_uploader(key="load_uploads").set_value([("google_followup.csv", form.encode(), "text/csv")]).run()
    test.button(key="load_quarantine").click().run()
    assert not test.exception, test.exception
    assert "Nothing new was loaded: the good rows were there." in texts(test)
    assert "google_followup.csv:3 I can manage my own profile.: got the unknown label 'Meh'" in texts(test)
    assert rows(warehouse, "select count(*) from load_history") == [(1,)]


def test_two_files_of_one_name_are_refused_with_how_to_keep_both(tmp_path):
    # two meetings' reports downloaded as attendance.csv: "keep one" would have dropped a meeting
    refusals = uploads.save_uploads([("attendance.csv", b"a"), ("Attendance.csv", b"b")], tmp_path)
    assert refusals == [
        "attendance.csv: two files of this name; if both are needed (two meetings' reports), rename one"
    ]
    assert list(tmp_path.iterdir()) == []


def test_an_upload_over_the_size_limit_is_refused_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_MB", 1)
    refusals = uploads.save_uploads([("a.csv", b"x" * 1_000_001), ("b.csv", b"ok"), ("../c.pdf", b"")], tmp_path)
    assert refusals == [  # a megabyte as Streamlit's uploader counts it, so the two never disagree
        "a.csv: 1,000,001 bytes, over the 1 MB (1,000,000 bytes) limit per file",
        "c.pdf: not a CSV, XLSX, TSV or mapping.toml file",
    ]
    assert list(tmp_path.iterdir()) == []
    assert uploads.save_uploads([("a.csv", b"x" * 1_000_000)], tmp_path) == []


def test_the_page_lists_the_columns_each_file_needs(warehouse):
    test = open_page()
    [contract] = [e for e in test.get("expander") if e.label == "Which files, and which columns each needs"]
    shown = "\n".join(m.value for m in contract.markdown)
    assert "### `sessions.csv` / `sessions.xlsx`" in shown
    assert "| held_on | date YYYY-MM-DD, not after today | 2011-03-08 |" in shown
    examples = [c.value for c in contract.code]  # each file's header and an example row, wrapped on screen
    assert examples[0].splitlines()[0] == "cohort_id,name,start_date,end_date,planned_sessions,cadence_days,audience"


def test_the_page_says_where_to_click_to_export_each_file(warehouse):
    # coordinators who never used a terminal do not open the README: its table of export steps is on the page
    test = open_page()
    [steps] = [e for e in test.get("expander") if e.label == "How to export each file from your tools"]
    [text] = [m.value for m in steps.markdown]
    table = text.split("\n\n")[0]
    assert table.startswith("| file | how to export it | what it becomes |")
    assert "Teams calendar > open the meeting > **Attendance** > **Download**" in table
    assert table.count("\n") == 8  # the header, its rule and the seven tools
    assert 'wave = "post"                  # pre, post, retro_pre or followup' in text  # mapping.toml's example
