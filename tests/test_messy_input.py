"""Folders a coordinator might really have: reports lead with root causes, --quarantine never leaves a warehouse
the dashboard can't use, and status and every page work on the smallest warehouse a load can produce."""

import csv
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.load import LoadRefused
from etl.status import status_report
from tests.conftest import ENTRYPOINT, TINY, load, render_every_page, rows, sha256
from warehouse.location import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True)


def report_lines(folder: Path, warehouse: Path, **options) -> list[str]:
    with pytest.raises(LoadRefused) as refused:
        load(folder, warehouse, **options)
    return str(refused.value).splitlines()


def data_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rewrite(path: Path, change) -> None:
    """Apply `change` to every row of a CSV file, keeping its header."""
    table = data_rows(path)
    for row in table:
        change(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def us_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(month)}/{int(day)}/{year}"


def test_a_renamed_key_column_in_a_new_warehouse_is_a_report_not_a_traceback(tiny_folder, tmp_path):
    path = tiny_folder / "cohorts.csv"
    path.write_text(path.read_text().replace("cohort_id", "cohort", 1))
    warehouse = tmp_path / "new.duckdb"
    result = run("load", str(tiny_folder), "--warehouse", str(warehouse))
    assert (result.returncode, "Traceback" in result.stderr, warehouse.exists()) == (1, False, False)
    report = result.stderr.split("Nothing was loaded; the warehouse is unchanged.\n")[1]
    assert report.splitlines() == [
        "cohorts.csv:1 cohort: got the unknown column 'cohort', expected cohort_id (a misspelling?)",
        "cohorts.csv:1 got no column cohort_id, expected every required column",
        "1 row of costs.csv refers to cohorts from cohorts.csv, which was refused: fix cohorts.csv first",
        "5 rows of pairs.csv refer to cohorts from cohorts.csv, which was refused: fix cohorts.csv first",
        "15 rows of sessions.csv refer to pairs set aside because cohorts.csv was refused: fix cohorts.csv first",
        "",
        "Refused whole: cohorts.csv. Fix it first and load again (--quarantine sets bad rows aside, not whole files).",
    ]


@pytest.fixture
def messy_demo(demo_folder, tmp_path) -> Path:
    """The issue's folder: Latin-1 participants, a renamed column in pairs.csv, 'four' and '4,5' as trust ratings
    and held_on dates written 3/5/2012."""
    folder = tmp_path / "messy"
    shutil.copytree(demo_folder, folder)
    participants = folder / "participants.csv"
    text = participants.read_text(encoding="utf-8")
    participants.write_bytes(text.replace("\n", "\nX000000,mentee,Zoë Müller,,,,,,,,\n", 1).encode("latin-1"))
    pairs = folder / "pairs.csv"
    pairs.write_text(pairs.read_text().replace("matched_on", "matched", 1))
    ratings = iter(["four", "4,5"])

    def mess(row: dict[str, str]) -> None:
        if row["trust_rating"]:
            row["trust_rating"] = next(ratings, row["trust_rating"])
        row["held_on"] = us_date(row["held_on"]) if row["held_on"] else ""

    rewrite(folder / "sessions.csv", mess)
    return folder


def test_root_causes_lead_and_follow_on_rows_are_counted_not_listed(messy_demo, tmp_path):
    sessions = data_rows(messy_demo / "sessions.csv")
    rated = [line for line, row in enumerate(sessions, start=2) if row["trust_rating"] in ("four", "4,5")]
    held = [(line, row["held_on"]) for line, row in enumerate(sessions, start=2) if row["held_on"]]
    responses = len(data_rows(messy_demo / "survey_responses.csv"))
    activity = len(data_rows(messy_demo / "social_activity.csv"))
    assert report_lines(messy_demo, tmp_path / "w.duckdb") == [
        "pairs.csv:1 matched: got the unknown column 'matched', expected matched_on (a misspelling?)",
        "pairs.csv:1 got no column matched_on, expected every required column",
        "participants.csv:2 got the byte 0xEB, which is not UTF-8 (a Latin-1 or Windows file?),"
        " expected UTF-8 text: in Excel use Save As > CSV UTF-8",
        f"{len(sessions):,} rows of sessions.csv refer to pairs from pairs.csv, which was refused: fix pairs.csv first",
        f"{activity:,} rows of social_activity.csv refer to participants from participants.csv, which was refused:"
        " fix participants.csv first",
        f"{responses:,} rows of survey_responses.csv refer to participants from participants.csv, which was refused:"
        " fix participants.csv first",
        f"sessions.csv:{held[0][0]} held_on: {held[0][1]}: write dates as YYYY-MM-DD"
        f" ({len(held):,} dates in another format in this column)",
        f"sessions.csv:{rated[0]} trust_rating: got 'four', expected a whole number",
        f"sessions.csv:{rated[1]} trust_rating: got '4,5', expected a whole number",
    ]


def test_one_hint_per_column_for_dates_like_3_5_2012(tiny_folder, tmp_path):
    rewrite(tiny_folder / "sessions.csv", lambda row: row.update(scheduled_on="3/5/2012"))
    assert report_lines(tiny_folder, tmp_path / "w.duckdb") == [
        "sessions.csv:2 scheduled_on: 3/5/2012: write dates as YYYY-MM-DD (15 dates in another format in this column)"
    ]


def test_quarantine_does_not_load_around_a_file_refused_whole(messy_demo, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    before = sha256(warehouse)
    result = run("load", str(messy_demo), "--warehouse", str(warehouse), "--quarantine")
    assert (result.returncode, sha256(warehouse)) == (1, before)
    assert result.stderr.splitlines()[-1] == (
        "Refused whole: pairs.csv, participants.csv. Fix them first and load again"
        " (--quarantine sets bad rows aside, not whole files)."
    )


@pytest.mark.parametrize("quarantine", [False, True])
def test_a_quote_left_open_refuses_its_file_instead_of_losing_the_rows_it_swallowed(tiny_folder, tmp_path, quarantine):
    """Line 3 opens a quote that line 4 never closes: DuckDB's reader would take line 4 into line 3's topic and set
    both aside as one row, so 14 of 15 rows would be counted and every later line misnumbered."""
    path = tiny_folder / "sessions.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace(",Search,", ',"Search, and more,')
    lines[6] = lines[6].replace(",held,", ",hold,")  # a fault of its own further down
    path.write_text("".join(lines))
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    before = sha256(warehouse)
    refused = report_lines(tiny_folder, warehouse, quarantine=quarantine)
    assert refused == [
        'sessions.csv:3 topic: got a quote (") that is never closed, so the lines after it were read as part of this'
        " value, expected the closing quote, or no quote at all: fix this line and load again"
    ]
    assert sha256(warehouse) == before


def test_quarantine_refuses_a_load_that_would_leave_no_pairs(tiny_folder, tmp_path):
    rewrite(tiny_folder / "pairs.csv", lambda row: row.update(matched_on="soon"))
    warehouse = tmp_path / "w.duckdb"
    lines = report_lines(tiny_folder, warehouse, quarantine=True)
    assert lines[0] == (
        "No pairs would be in the warehouse: every row of pairs.csv was set aside."
        " The dashboard needs cohorts, participants and pairs: fix its rows and load again."
    )
    assert "pairs.csv:2 matched_on: got 'soon', expected a date as YYYY-MM-DD" in lines
    assert not warehouse.exists()


def test_a_first_load_without_participants_is_refused_with_that_reason(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(TINY / "cohorts.csv", folder)
    assert report_lines(folder, tmp_path / "w.duckdb") == [
        "No participants would be in the warehouse: the folder has no participants.csv."
        " The dashboard needs cohorts, participants and pairs: add it and load again.",
        "No pairs would be in the warehouse: the folder has no pairs.csv."
        " The dashboard needs cohorts, participants and pairs: add it and load again.",
    ]


def odd_warehouse(shape: str, tmp_path: Path) -> Path:
    """The smallest warehouses a load can produce."""
    folder = tmp_path / "files"
    shutil.copytree(TINY, folder)
    warehouse = tmp_path / f"{shape.replace(' ', '_')}.duckdb"
    if shape == "pairs but no sessions, surveys, social activity or costs":
        for name in ("sessions", "survey_items", "survey_responses", "social_activity", "costs"):
            (folder / f"{name}.csv").unlink()
        load(folder, warehouse)
    elif shape == "one pair":
        for name in ("pairs", "sessions"):
            path = folder / f"{name}.csv"
            lines = path.read_text().splitlines(keepends=True)
            path.write_text("".join(line for line in lines if not line.startswith(("P2", "P3", "P4", "P5"))))
        load(folder, warehouse)
    elif shape == "baseline social activity only, before the cohort starts":
        for name in ("sessions", "survey_responses"):
            (folder / f"{name}.csv").unlink()
        path = folder / "social_activity.csv"
        path.write_text("".join(line for line in path.read_text().splitlines(True) if "2020-" not in line))
        load(folder, warehouse)
    elif shape == "sessions scheduled, none held yet":  # no data date, while the pages have pairs and sessions
        blank = dict.fromkeys(("held_on", "duration_min", "mentor_present", "mentee_present", "trust_rating",
                               "aha_moment", "ideas_count", "notes"), "")  # fmt: skip
        rewrite(folder / "sessions.csv", lambda row: row.update(status="scheduled", **blank))
        for name in ("survey_items", "survey_responses", "social_activity"):
            (folder / f"{name}.csv").unlink()
        load(folder, warehouse)
    elif shape == "only quarantined sessions":
        rewrite(folder / "sessions.csv", lambda row: row.update(status="done"))
        for name in ("survey_items", "survey_responses", "social_activity", "costs"):
            (folder / f"{name}.csv").unlink()
        load(folder, warehouse, quarantine=True)
    return warehouse


SHAPES = [
    "pairs but no sessions, surveys, social activity or costs",
    "one pair",
    "baseline social activity only, before the cohort starts",  # the data date is before the first cohort's start
    "only quarantined sessions",
    "sessions scheduled, none held yet",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_status_and_every_page_work_on_the_smallest_warehouses(shape, tmp_path, monkeypatch):
    warehouse = odd_warehouse(shape, tmp_path)
    assert "Rows per entity" in status_report(warehouse)
    render_every_page(warehouse)


def test_a_program_none_of_whose_cohorts_has_started_says_when_the_first_starts(tmp_path, monkeypatch):
    # matched, not started: every page would read zeros without a word
    folder = tmp_path / "files"
    shutil.copytree(TINY, folder)
    start, end = date.today() + timedelta(days=400), date.today() + timedelta(days=500)
    (folder / "cohorts.csv").write_text(
        f"cohort_id,name,start_date,end_date,planned_sessions,cadence_days,audience\nT1,Test wave,{start},{end},4,14,"
        "Executives\n"
    )
    for name in ("sessions", "survey_items", "survey_responses", "social_activity", "costs"):
        (folder / f"{name}.csv").unlink()
    warehouse = tmp_path / "w.duckdb"
    load(folder, warehouse)
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.run()
    notice = f"Test wave starts on {start:%d %B %Y}, after the as-of date: its pairs and sessions show from that day."
    assert notice in [i.value for i in test.info]


def test_without_a_data_date_status_and_pages_say_what_to_load(tmp_path, monkeypatch):
    warehouse = odd_warehouse(SHAPES[0], tmp_path)
    report = status_report(warehouse)
    assert "Data date (latest date recorded in the data): none yet: load sessions.csv, survey_responses.csv or" in (
        report
    )
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.run()
    assert not test.date_input  # no as-of date to choose before any activity is loaded
    assert test.sidebar.caption[0].value.startswith("No data date yet: load sessions, survey responses or social")
    assert [i.value for i in test.info if not i.value.startswith("Local mode")] == [
        "No sessions in the warehouse yet: this page shows them once sessions.csv (or your tools' exports of them)"
        " are loaded. Upload them on the Load data page, which lists the columns each file needs (or, in a terminal,"
        " run `python -m etl load FOLDER`)."
    ]
    test.switch_page("pages/survey_outcomes.py").run()
    assert [i.value for i in test.info if not i.value.startswith("Local mode")] == [
        "No survey items and survey responses in the warehouse yet: this page shows them once survey_items.csv,"
        " survey_responses.csv (or your tools' exports of them) are loaded. Upload them on the Load data page, which"
        " lists the columns each file needs (or, in a terminal, run `python -m etl load FOLDER`)."
    ]


def test_status_lists_quarantined_rows_when_nothing_else_of_a_file_loaded(tmp_path):
    warehouse = odd_warehouse("only quarantined sessions", tmp_path)
    report = status_report(warehouse)
    assert "  sessions          0   " in report.splitlines()
    assert "Quarantined rows: 15" in report


@pytest.mark.parametrize(
    ("without_surveys", "value", "caption"),
    [
        (True, "no survey", "No survey answers by 17 February 2020: survey_responses.csv (with survey_items.csv)"
         " brings them."),
        (False, "held back", "Answers count in groups of 5 people of one cohort and mentee level who answered both"
         " the pre and the post survey, so that no one is singled out: no such group yet. A cohort with fewer than 5"
         " mentees at each level never shows one."),
    ],
)  # fmt: skip
def test_the_overview_says_why_no_survey_change_shows(
    tiny_folder, tmp_path, monkeypatch, without_surveys, value, caption
):
    """No survey at all is not a privacy matter: the card says which it is (the tiny program has fewer than 5
    matched people)."""
    if without_surveys:
        for name in ("survey_items", "survey_responses"):
            (tiny_folder / f"{name}.csv").unlink()
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.run()
    [card] = [m for m in test.metric if m.label == "Survey score change (on a 0-100 scale)"]
    assert card.value == value
    assert caption in [c.value for c in test.caption]


def test_pilot_vs_expansion_with_one_cohort_waits_for_a_second(tiny_folder, tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.run()
    test.switch_page("pages/cohort_comparison.py").run()
    assert [i.value for i in test.info if not i.value.startswith("Local mode")] == [
        "Fewer than two cohorts had started by 20 February 2020: nothing to compare until a second cohort starts (on"
        " a later as-of date, or once its files are loaded)."
    ]


def test_rows_of_commas_only_are_blank_lines_and_later_lines_keep_their_numbers(tiny_folder, tmp_path):
    """Excel writes ',,,,,,' for a formatted empty row; it looks empty there, so it is skipped like an empty line."""
    path = tiny_folder / "sessions.csv"
    lines = path.read_text().splitlines(keepends=True)
    width = lines[0].count(",")
    lines.insert(3, "," * width + "\n")
    lines.append("," * width + "\n")
    lines[6] = lines[6].replace(",held,", ",hold,")  # a fault on line 7, after the blank row on line 4
    path.write_text("".join(lines))
    assert report_lines(tiny_folder, tmp_path / "w.duckdb") == [
        "sessions.csv:7 status: got 'hold', expected one of scheduled, held, missed, cancelled, rescheduled"
    ]
    lines[6] = lines[6].replace(",hold,", ",held,")
    path.write_text("".join(lines))
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    assert [(f.rows_read, f.rows_inserted) for f in summary.files if f.entity == "sessions"] == [(15, 15)]


def test_empty_columns_without_a_name_are_passed_over(tiny_folder, tmp_path):
    """Excel ends each line with ',,,' for columns once formatted, and keeps a sheet's formatted empty columns."""
    path = tiny_folder / "pairs.csv"
    path.write_text("".join(line.rstrip("\n") + ",, ,\n" for line in path.read_text().splitlines(keepends=True)))
    for name in ("sessions.csv", "participants.csv"):
        (tiny_folder / name).write_text((tiny_folder / name).read_text().replace("\n", ",,\n"))
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    loaded = {f.entity: (f.rows_read, f.rows_inserted) for f in summary.files}
    assert (loaded["pairs"], loaded["sessions"], loaded["participants"]) == ((5, 5), (15, 15), (11, 11))
    assert rows(tmp_path / "w.duckdb", "select pair_id, mentee_id from raw_pairs order by 1 limit 1") == [("P1", "E01")]


def test_status_lists_the_quarantined_rows_still_to_fix_not_every_load_of_them(tiny_folder, tmp_path):
    """The same bad rows loaded twice are 2 to fix, not 4; once the fixed file loads, none."""
    warehouse = tmp_path / "w.duckdb"
    path = tiny_folder / "sessions.csv"
    good = path.read_text()
    path.write_text(
        good.replace("P1,2,2020-01-20,held,", "P1,2,2020-01-20,hold,").replace(",Search,,4,", ",Search,,9,")
    )
    load(tiny_folder, warehouse, quarantine=True)
    (tiny_folder / "costs.csv").write_text((tiny_folder / "costs.csv").read_text() + "T1,Catering,100,\n")
    load(tiny_folder, warehouse, quarantine=True)  # a new costs file: sessions.csv is read, and set aside, again
    assert "Quarantined rows: 2 (and 2 from earlier loads of files loaded again since)" in status_report(warehouse)
    path.write_text(good)
    load(tiny_folder, warehouse)
    assert "Quarantined rows: 0 (and 4 from earlier loads of files loaded again since)" in status_report(warehouse)


def test_both_rows_of_a_repeated_key_point_at_each_other(tiny_folder, tmp_path):
    path = tiny_folder / "sessions.csv"
    path.write_text(
        path.read_text().replace("P1,2,2020-01-20,held,2020-01-20,45", "P1,1,2020-01-20,held,2020-01-20,45")
    )
    assert report_lines(tiny_folder, tmp_path / "w.duckdb") == [
        "sessions.csv:2 session_no: got a second row for pair_id=P1, session_no=1 with other values (see line 3),"
        " expected one row per pair_id, session_no",
        "sessions.csv:3 session_no: got a second row for pair_id=P1, session_no=1 with other values (see line 2),"
        " expected one row per pair_id, session_no",
    ]


def test_rows_that_only_follow_from_a_bad_row_are_counted_after_it_not_listed(tiny_folder, tmp_path):
    """One bad cohort row sets aside its pairs, their sessions, answers and activity: one line per file, not one per
    row, and the count of problems is the one to fix."""
    rewrite(tiny_folder / "cohorts.csv", lambda row: row.update(planned_sessions="seven"))
    with pytest.raises(LoadRefused) as refused:
        load(tiny_folder, tmp_path / "w.duckdb")
    assert str(refused.value).splitlines() == [
        "cohorts.csv:2 planned_sessions: got 'seven', expected a whole number",
        "1 row of costs.csv refers to cohorts set aside because of problems in cohorts.csv: fix cohorts.csv first",
        "5 rows of pairs.csv refer to cohorts set aside because of problems in cohorts.csv: fix cohorts.csv first",
        "15 rows of sessions.csv refer to pairs set aside because of problems in cohorts.csv: fix cohorts.csv first",
    ]
    assert refused.value.problem_count == 1


def test_the_overview_says_when_quarantined_rows_are_missing_from_its_figures(tiny_folder, tmp_path, monkeypatch):
    rewrite(tiny_folder / "sessions.csv", lambda row: row.update(status="hold") if row["pair_id"] == "P3" else None)
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse, quarantine=True)
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.run()
    assert [w.value for w in test.warning] == [
        "3 rows of the latest loads are in quarantine and not in these figures: the Data page lists them with their"
        " problems."
    ]
    # listed whole (a table that wraps), and downloadable
    test.switch_page("pages/data.py").run()
    [listed] = [t.value for t in test.table if "Problems" in t.value.columns]
    assert listed["Line"].tolist() == [10, 11, 12] and listed["Problems"].iloc[0].startswith("status: got 'hold'")
    assert "Download the quarantined rows (CSV)" in [b.proto.label for b in test.get("download_button")]


@pytest.mark.parametrize("first_load", [True, False])
def test_a_file_whose_lines_end_in_two_ways_is_refused_by_name_and_the_warehouse_kept(
    tiny_folder, tmp_path, first_load
):
    warehouse = tmp_path / "w.duckdb"
    if not first_load:
        load(TINY, warehouse)
    before = sha256(warehouse) if warehouse.exists() else None
    # a row added in another editor: the header ends as on Linux, the rows as on Windows
    (tiny_folder / "costs.csv").write_bytes(
        b"cohort_id,category,amount,note\nT1,Launch event,1000,x\r\nT1,Food,2,y\r\n"
    )
    with pytest.raises(LoadRefused) as refused:
        load(tiny_folder, warehouse)
    assert str(refused.value) == (
        "costs.csv: its lines end in two ways (some as Windows writes them, some as Mac and Linux do), as when a file"
        " is edited in two programs, and it cannot be read. Open it in Excel and save it again as CSV UTF-8, then load"
        " again."
    )
    assert refused.value.refused_files == ("costs.csv",)
    assert (sha256(warehouse) if warehouse.exists() else None) == before
