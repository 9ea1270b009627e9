"""Tool exports loaded as coordinators hold them: each format with its quirks, refusals with their reasons, and
a folder of exports loading to the same marts as the canonical files it was made from."""

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.cli import main
from etl.exports.load import check_folder, load_with_exports
from etl.exports.parse import likert_value
from etl.exports.stage import Staging
from etl.exports.viva_engage import count as viva_count
from etl.load import LoadRefused
from tests import exports_fixture
from tests.conftest import TODAY, rows, snapshot

REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real"


def load(folder: Path, warehouse: Path, **options):
    return load_with_exports(folder, warehouse, today=TODAY, **options)


@pytest.fixture
def program(tmp_path: Path) -> tuple[Path, Path]:
    """(canonical folder, exports folder) of the same program."""
    return exports_fixture.write(tmp_path / "program")


@pytest.fixture
def exports(program) -> Path:
    return program[1]


def refusal(folder: Path, warehouse: Path) -> str:
    with pytest.raises(LoadRefused) as refused:
        load(folder, warehouse)
    assert not warehouse.exists()  # a refused first load writes nothing
    return str(refused.value)


def marts(warehouse: Path) -> dict[str, list[tuple]]:
    """Marts, staging views and raw rows without where they came from (file, line, load)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
        out = {}
        for table in sorted(tables):
            if table.startswith(("fct_", "dim_", "stg_")):
                out[table] = sorted(con.execute(f"select * from {table}").fetchall(), key=repr)
            elif table.startswith("raw_"):
                columns = "* exclude (_source_line, _load_id)"
                out[table] = sorted(con.execute(f"select {columns} from {table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_a_folder_of_exports_loads_to_the_same_marts_as_its_canonical_files(program, tmp_path):
    canonical, exports = program
    load(canonical, tmp_path / "canonical.duckdb")
    load(exports, tmp_path / "exports.duckdb")
    from_canonical, from_exports = marts(tmp_path / "canonical.duckdb"), marts(tmp_path / "exports.duckdb")
    assert len(from_canonical["fct_sessions"]) == 9 and len(from_canonical["fct_construct_scores"]) == 20
    assert len(from_canonical["fct_social_activity"]) == 7
    assert from_exports == from_canonical
    assert rows(tmp_path / "exports.duckdb", "select folder from load_history") == [(str(exports.resolve()),)]


def test_the_report_says_what_each_file_was_taken_for(exports, tmp_path):
    outcome = load(exports, tmp_path / "w.duckdb")
    taken = {f.file: (f.taken_for, f.rows) for f in outcome.staging.files}
    assert taken == {
        "google_followup.csv": ("Google Forms survey -> survey_responses", 10),
        "ms_forms_retro.xlsx": ("Microsoft Forms survey -> survey_responses", 10),
        "qualtrics_pre.csv": ("Qualtrics survey export -> survey_responses", 15),
        "survey_after.csv": ("Qualtrics survey export -> survey_responses", 15),
        "viva_engage_2020_01.csv": ("Viva Engage user activity report -> social_activity", 2),
        "viva_engage_2020_02.csv": ("Viva Engage user activity report -> social_activity", 3),
        "session_log_forms.xlsx": ("Microsoft Forms session log -> sessions", 0),
        "session_log_google.csv": ("Google Forms session log -> sessions", 1),
        "teams_p1_s1.csv": ("Microsoft Teams attendance report -> sessions", 1),
        "teams_p1_s2.csv": ("Microsoft Teams attendance report -> sessions", 1),
        "teams_p3_s1.csv": ("Microsoft Teams attendance report -> sessions", 1),
        "zoom_p2_s1.csv": ("Zoom participants report -> sessions", 1),
        "zoom_p2_s2.csv": ("Zoom participants report -> sessions", 1),
        "cohorts.csv": ("cohorts (canonical file)", 1),
        "costs.csv": ("costs (canonical file)", 1),
        "pairs.csv": ("pairs (canonical file)", 3),
        "participants.csv": ("participants (canonical file)", 7),
        "sessions.csv": ("sessions (canonical file)", 9),
        "social_activity.csv": ("social_activity (canonical file)", 2),
        "survey_items.csv": ("survey_items (canonical file)", 5),
    }


def test_sessions_due_before_the_latest_report_without_one_are_listed_not_guessed(exports, tmp_path):
    (exports / "zoom_p2_s2.csv").unlink()  # P2's session of 27 January: no report; the latest report is of 29 January
    warehouse = tmp_path / "w.duckdb"
    outcome = load(exports, warehouse)
    assert outcome.staging.unreported == ["pair P2 session 2 (scheduled 2020-01-27)"]
    assert outcome.notes[-1] == (
        "Scheduled before the latest report, with no report (not guessed; 1): pair P2 session 2 (scheduled 2020-01-27)"
    )
    assert rows(warehouse, "select status from raw_sessions where pair_id = 'P2' and session_no = 2") == [
        ("scheduled",)
    ]


def test_meetings_become_sessions_with_rejoins_summed_and_short_presence_missed(exports, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    # the load records the file it read by the files the coordinator gave
    sessions_file = "sessions.csv (with session_log_google.csv, teams_p1_s1.csv, teams_p1_s2.csv and 3 more)"
    sql = """select pair_id, session_no, status, held_on::varchar, duration_min, mentor_present, mentee_present,
                    phase, trust_rating, aha_moment, f.file_name
             from raw_sessions s join load_files f on f.load_id = s._load_id and f.entity = 'sessions'
             where status <> 'scheduled' order by pair_id, session_no"""
    assert rows(warehouse, sql) == [
        # Teams, US dates; the mentor left and rejoined (20 + 25 minutes); the log joins from MS Forms
        ("P1", 1, "held", "2020-01-07", 45, True, True, "trust", 3, False, sessions_file),
        # Teams in German (1. Zusammenfassung...), dates 28.01.20
        ("P1", 2, "held", "2020-01-28", 60, True, True, "insight", 4, True, sessions_file),
        # Zoom: the mentee renamed "Ed's iPhone (Ed Exec)", no email, rejoined (30 + 8 minutes)
        ("P2", 1, "held", "2020-01-06", 38, True, True, "trust", 4, False, sessions_file),
        # Zoom: the mentee stayed 4 minutes, under the 10-minute minimum
        ("P2", 2, "missed", None, None, True, False, None, None, None, sessions_file),
        # Teams, day-first dates 13/01/2020; the mentee stayed 12 minutes
        ("P3", 1, "held", "2020-01-13", 12, True, True, None, None, None, sessions_file),
        # a session log with no meeting report: held on the log's date, nearest the schedule's session 2
        ("P3", 2, "held", "2020-01-29", None, None, None, "brainstorm", 2, False, sessions_file),
    ]


def test_teams_report_is_utf16_with_bom_and_tabs(exports):
    data = (exports / "teams_p1_s2.csv").read_bytes()
    assert data[:2] == b"\xff\xfe"
    assert data.decode("utf-16").splitlines()[:2] == ["1. Zusammenfassung", "Besprechungstitel\tP1 check-in"]


def test_presence_minimum_comes_from_mapping(exports, tmp_path):
    mapping = exports / "mapping.toml"
    mapping.write_text(mapping.read_text().replace("presence_minutes = 10", "presence_minutes = 15"))
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    assert rows(
        warehouse,
        "select status, mentor_present, mentee_present from raw_sessions where pair_id = 'P3' and session_no = 1",
    ) == [("missed", True, False)]


def test_mapping_settings_it_does_not_know_are_named_not_ignored(exports, tmp_path):
    mapping = exports / "mapping.toml"
    mapping.write_text(
        mapping.read_text().replace('wave = "post"', 'wave = "post"\npresence_minutes = 50\nwav = "pre"')
        + '\n[files."survey_before.csv"]\nwave = "pre"\n'
    )
    assert refusal(exports, tmp_path / "w.duckdb").splitlines()[:3] == [
        "mapping.toml files.survey_after.csv.presence_minutes: got an unknown setting, expected it before the first"
        ' [files."..."] section: it is a setting of the whole folder',
        "mapping.toml files.survey_after.csv.wav: got an unknown setting, expected wave (a misspelling?)",
        "mapping.toml files.survey_before.csv: got a file that is not in the folder, expected a file name of this"
        " folder, as written there (with its extension)",
    ]


def test_a_kind_the_mapping_cannot_have_is_one_problem_and_the_file_read_by_its_content(exports, tmp_path):
    # the Zoom report was also read as a survey: "no wave", "no column that is a survey item"
    with (exports / "mapping.toml").open("a") as mapping:
        mapping.write('\n[files."zoom_p2_s1.csv"]\nkind = "webex"\n')
    assert refusal(exports, tmp_path / "w.duckdb").splitlines() == [
        "mapping.toml files.zoom_p2_s1.csv.kind: got 'webex', expected one of qualtrics, ms_forms, google_forms, teams,"
        " zoom, viva_engage"
    ]


def test_a_meeting_of_strangers_is_reported_not_loaded(exports, tmp_path):
    (exports / "zoom_stranger.csv").write_text(
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        "1,Chat,02/03/2020 10:00:00 AM,02/03/2020 10:30:00 AM,a@b.com,30,2\n\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Pat Nobody,pat@elsewhere.com,02/03/2020 10:00:00 AM,02/03/2020 10:30:00 AM,30,Yes\n"
        "Mia Mentor,,02/03/2020 10:00:00 AM,02/03/2020 10:30:00 AM,30,Yes\n"
    )
    assert refusal(exports, tmp_path / "w.duckdb") == (
        "zoom_stranger.csv:2 got a meeting on 2020-02-03 that matches no pair (recognised: M1), "
        "expected a meeting of a pair's mentor and mentee (emails or names as in participants.csv)"
    )


def test_a_meeting_of_two_pairs_is_reported_not_loaded(exports, tmp_path):
    text = (exports / "zoom_p2_s1.csv").read_text()
    text += "Mia Mentor,MIA@example.com ,01/06/2020 10:00:00 AM,x,40,No,\nEve Exec,,01/06/2020 10:00:00 AM,x,40,No,\n"
    (exports / "zoom_p2_s1.csv").write_text(text)
    assert refusal(exports, tmp_path / "w.duckdb") == (
        "zoom_p2_s1.csv:2 got a meeting on 2020-01-06 attended by pairs P1 and P2, "
        "expected one pair per meeting report: split the report or load it by hand"
    )


def test_a_name_two_people_share_is_not_guessed(exports, tmp_path):
    people = exports / "participants.csv"
    people.write_text(people.read_text().replace("Xavier Comp", "Ed Exec"))
    message = refusal(exports, tmp_path / "w.duckdb")
    assert message.splitlines()[0] == (
        "zoom_p2_s1.csv:2 got a meeting on 2020-01-06 that matches no pair (recognised: M2) "
        '("Ed\'s iPhone (Ed Exec)" is the name of E2 and X1: add their email to participants.csv), '
        "expected a meeting of a pair's mentor and mentee (emails or names as in participants.csv)"
    )


def test_surveys_take_choice_text_and_numeric_codes_and_drop_previews_and_unfinished(exports, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    outcome = load(exports, warehouse)
    notes = {f.file: f.notes for f in outcome.staging.files}
    assert notes["qualtrics_pre.csv"] == [
        "3 responses; dropped 1 preview or test and 1 unfinished",
        "column 'Q6' is not a survey item: ignored",
    ]
    answers = """select wave, string_agg(value::int::varchar, ' ' order by item_id), any_value(submitted_on)::varchar
                 from raw_survey_responses where participant_id = ? group by wave order by wave"""
    # E1: pre in choice text (Q4 through mapping.toml), post in codes, retro_pre in an MS Forms workbook,
    # followup from Google Forms (a GMT-5 timestamp, labels in capitals with doubled spaces); C1 C2 K1 K2 K3
    assert rows(warehouse, answers, ["E1"]) == [
        ("followup", "7 6 5 4 1", "2020-06-01"),
        ("post", "6 6 4 4 2", "2020-03-02"),
        ("pre", "3 4 2 3 4", "2020-01-03"),
        ("retro_pre", "2 3 1 2 5", "2020-03-03"),
    ]
    # the preview (all 5s and 7s) and E2's unfinished response (all 1s) are not loaded
    assert rows(warehouse, answers, ["E2"])[1:] == [
        ("pre", "2 2 3 3 3", "2020-01-03"),
        ("retro_pre", "2 2 2 2 4", "2020-03-03"),
    ]


def test_an_unknown_label_and_an_unknown_respondent_are_problems(exports, tmp_path):
    path = exports / "google_followup.csv"
    text = path.read_text().replace("SOMEWHAT  AGREE,SOMEWHAT  AGREE", "SOMEWHAT  AGREE,Kinda agree")
    path.write_text(text.replace("eve@example.com", "eve@elsewhere.com"))
    assert refusal(exports, tmp_path / "w.duckdb").splitlines() == [
        "google_followup.csv:2 respondent: got 'eve@elsewhere.com', expected the email or ID of a participant in "
        "participants.csv",
        "google_followup.csv:3 I can manage my own profile.: got the unknown label 'Kinda agree', expected one of "
        "Strongly disagree, Disagree, Somewhat disagree, Neither agree nor disagree, Somewhat agree, Agree, "
        "Strongly agree (the 7-point scale of item C2)",
    ]


def test_a_respondent_whose_email_two_participants_share_is_told_so(exports, tmp_path):
    # a 2011 comparison executive who became a 2012 mentee, with two IDs and one email
    path = exports / "participants.csv"
    path.write_text(path.read_text().replace("xavier@example.com", "eve@example.com"))
    lines = refusal(exports, tmp_path / "w.duckdb").splitlines()
    share = "expected the email of one participant: E1 and X1 share it in participants.csv (give each their own)"
    assert f"google_followup.csv:2 respondent: got 'eve@example.com', {share}" in lines
    assert f"viva_engage_2020_01.csv:2 User Principal Name: got 'eve@example.com', {share}" in lines


def test_a_file_that_is_none_of_these_is_refused_clearly(exports, tmp_path):
    (exports / "budget.csv").write_text("month,amount\n2020-01,5\n")
    assert refusal(exports, tmp_path / "w.duckdb") == (
        "budget.csv got a file that is neither a canonical file nor a known export, expected one of cohorts.csv, "
        "participants.csv, pairs.csv, sessions.csv, survey_items.csv, survey_responses.csv, social_activity.csv, "
        "costs.csv, or a Qualtrics, Microsoft Forms, Google Forms, Teams, Zoom or Viva Engage export "
        "(name its kind in mapping.toml if it is one)"
    )


def test_a_bad_value_in_a_session_log_is_the_logs_problem_and_never_takes_its_meeting_aside(exports, tmp_path):
    # it was blamed on the Teams report (which has no phase), and --quarantine set the meeting aside with the log: the
    # corrected log loaded alone then left the meeting's attendance out
    log = exports / "session_log_google.csv"
    log.write_text(log.read_text().replace(",Search,Insight,", ",Search,Implementation,"))
    assert [p for p in refusal(exports, tmp_path / "w.duckdb").splitlines() if "phase" in p] == [
        "session_log_google.csv:2 phase: got 'implementation', expected one of trust, insight, brainstorm"
    ]
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse, quarantine=True)
    session = "select status, duration_min, mentor_present, mentee_present, topic, phase from raw_sessions"
    session += " where pair_id = 'P1' and session_no = 2"
    assert rows(warehouse, session) == [("held", 60, True, True, "Search", None)]  # the meeting, not the log
    later = tmp_path / "later"
    later.mkdir()
    log.write_text(log.read_text().replace(",Search,Implementation,", ",Search,Insight,"))
    shutil.copy(log, later / log.name)
    load(later, warehouse)
    assert rows(warehouse, session) == [("held", 60, True, True, "Search", "insight")]


def test_an_empty_export_and_a_pdf_named_csv_are_told_what_they_are(exports, tmp_path):
    # they were "neither a canonical file nor a known export", and an empty one named a Zoom report in mapping.toml
    # lacked "a participants table"
    (exports / "zoom_march.csv").write_bytes(b"")
    with (exports / "mapping.toml").open("a") as mapping:
        mapping.write('\n[files."zoom_march.csv"]\nkind = "zoom"\n')
    (exports / "report.csv").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00")
    assert refusal(exports, tmp_path / "w.duckdb").splitlines() == [
        "report.csv got binary content (a PDF or another program's file under a .csv name), expected the tool's CSV"
        " or Excel export: download it again as CSV",
        "zoom_march.csv got an empty file, expected the export's rows as the tool wrote them: download it again",
    ]


def test_a_problem_in_a_translated_row_points_at_the_export_line(exports, tmp_path):
    path = exports / "session_log_google.csv"
    path.write_text(path.read_text().replace("Brainstorming,2,", "Brainstorming,9,"))
    assert refusal(exports, tmp_path / "w.duckdb") == (
        "session_log_google.csv:3 (as sessions.csv row) trust_rating: got '9', expected a value from 1 to 5"
    )


def test_quarantine_sets_aside_the_rows_with_problems_and_loads_the_rest(exports, tmp_path):
    path = exports / "google_followup.csv"
    path.write_text(path.read_text().replace("SOMEWHAT  AGREE,SOMEWHAT  AGREE", "SOMEWHAT  AGREE,Kinda agree"))
    warehouse = tmp_path / "w.duckdb"
    outcome = load(exports, warehouse, quarantine=True)
    assert "google_followup.csv:3 I can manage my own profile.: got the unknown label 'Kinda agree'" in (
        outcome.summary.report
    )
    assert rows(
        warehouse, "select participant_id, count(*) from raw_survey_responses where wave = 'followup' group by 1"
    ) == [("E1", 5)]


def test_a_form_submitted_twice_is_one_problem_at_the_second_submission(exports, tmp_path):
    path = exports / "google_followup.csv"
    again = "2020/06/02 9:00:00 AM GMT-5,em@example.com,AGREE,AGREE,DISAGREE,SOMEWHAT  AGREE,SOMEWHAT  AGREE\n"
    path.write_text(path.read_text() + again)
    assert refusal(exports, tmp_path / "refused.duckdb") == (
        "google_followup.csv:4 respondent: got 'em@example.com' again (first submitted on line 3), expected one"
        " submission per person and wave (followup): delete the one that should not count"
    )
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse, quarantine=True)  # the first submission stands whole: no half of each
    assert rows(warehouse, "select count(*), min(submitted_on)::varchar from raw_survey_responses"
                " where participant_id = 'E3' and wave = 'followup'") == [(5, "2020-06-01")]  # fmt: skip


def test_a_second_submission_in_another_file_of_the_wave_is_one_problem_too(exports, tmp_path):
    (exports / "late_followup.csv").write_text(
        "Timestamp,Email Address,I know how colleagues use social media.\n"
        "2020/06/20 9:00:00 AM GMT-5,eve@example.com,AGREE\n"
    )
    assert refusal(exports, tmp_path / "w.duckdb") == (
        "late_followup.csv:2 respondent: got 'eve@example.com' again (first submitted on line 2 of"
        " google_followup.csv), expected one submission per person and wave (followup): delete the one that should not"
        " count"
    )


def test_a_later_submission_in_a_later_load_is_a_problem_and_the_loaded_one_stands(exports, tmp_path):
    # next month's download holds Eve's second, partial follow-up: upserted by item, it merged with the first into
    # answers nobody gave; her first submission again (same date) is the same answers, and loads as unchanged
    warehouse, later = loaded_then(exports, tmp_path)
    before = rows(warehouse, "select * from raw_survey_responses where participant_id = 'E1' order by all")
    header = "Timestamp,Email Address,I know how colleagues use social media.\n"
    (later / "followup_new.csv").write_text(header + "2020/06/20 9:00:00 AM GMT-5,eve@example.com,Strongly disagree\n")
    with pytest.raises(LoadRefused) as refused:
        load(later, warehouse)
    assert str(refused.value) == (
        "followup_new.csv:2 respondent: got 'eve@example.com' again (first submitted on 2020-06-01, already loaded),"
        " expected one submission per person and wave (followup): the loaded one stands; delete this one, or correct"
        " the loaded answers with survey_responses.csv"
    )
    (later / "followup_new.csv").write_text(header + "2020/06/01 6:15:22 PM GMT-5,eve@example.com,Strongly agree\n")
    load(later, warehouse)
    assert rows(warehouse, "select * from raw_survey_responses where participant_id = 'E1' order by all") == before


def test_quarantined_rows_of_an_export_are_named_by_its_file_and_line(exports, tmp_path):
    path = exports / "session_log_google.csv"
    path.write_text(path.read_text().replace("Brainstorming,2,", "Brainstorming,9,"))
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse, quarantine=True)
    assert rows(warehouse, "select file_name, line, entity from quarantine") == [
        ("session_log_google.csv", 3, "sessions")
    ]


@pytest.mark.parametrize(
    ("label", "points", "value"),
    [("Neutral", 5, 3), ("neutral", 7, 4), ("Neither agree or disagree", 5, 3), ("Slightly agree", 7, 5),
     ("Slightly disagree", 7, 3), ("Kinda agree", 5, None)],
)  # fmt: skip
def test_other_words_forms_use_for_a_scale_point(label, points, value):
    assert likert_value(label, 1, points) == value


def test_a_canonical_file_under_another_name_is_told_to_take_its_name(exports, tmp_path):
    (exports / "sessions.csv").rename(exports / "sessions_november.csv")
    assert "sessions_november.csv got the columns of sessions.csv, expected the name sessions.csv: rename the file" in (
        refusal(exports, tmp_path / "w.duckdb").splitlines()
    )


def test_lines_a_problem_mentions_are_traced_to_the_exports_too(tmp_path):
    staged = {"survey_responses.csv": [("form.csv", 3), ("form.csv", 3), ("form.csv", 4), ("other.csv", 2)]}
    staging = Staging(tmp_path, sources=staged)
    assert staging.retraced("survey_responses.csv", 4, "a copy of line 2 and line 5 (see line 99)") == (
        "form.csv",
        4,
        "a copy of line 3 and line 2 of other.csv (see line 99)",  # a line it does not know stays as it is
    )
    # what the load records for the file it read
    assert staging.named("survey_responses.csv") == "survey_responses.csv (from form.csv, other.csv)"
    staging.sources["sessions.csv"] = [("sessions.csv", 2), *((f"teams_{n}.csv", 2) for n in range(5))]
    assert staging.named("sessions.csv") == "sessions.csv (with teams_0.csv, teams_1.csv, teams_2.csv and 2 more)"
    assert staging.named("cohorts.csv") == "cohorts.csv"


def test_viva_engage_months_and_activity(exports, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    assert rows(
        warehouse,
        """select participant_id, strftime(month, '%Y-%m'), active, posts, interactions from raw_social_activity
           where platform = 'internal' order by 1, 2""",
    ) == [
        ("E1", "2020-01", True, 2, 3),
        ("E1", "2020-02", True, 0, 1),  # liked only: active
        ("E2", "2020-01", False, 0, 0),  # read only: not active
        ("E2", "2020-02", False, 0, 0),
        ("X1", "2020-02", True, 1, 0),
    ]


def test_viva_engage_counts_load_as_written_and_what_cannot_be_a_month_is_a_problem(exports, tmp_path):
    write = exports_fixture.write_csv
    users = [("eve@example.com", "1,204", 10, 3), ("ed@example.com", "12.5", 4, "0")]
    write(exports / "viva_engage_2020_01.csv", exports_fixture.viva("2020-02-01", 30, users))
    write(exports / "viva_engage_2020_02.csv", exports_fixture.viva("2020-07-01", 180, [("eve@example.com", 1, 1, 1)]))
    assert refusal(exports, tmp_path / "w.duckdb").splitlines() == [
        "viva_engage_2020_01.csv:3 Posted Count: got '12.5', expected a count, such as 12 or 1,204",
        "viva_engage_2020_02.csv:2 Report Period: got '180', expected the 7- or 30-day report, one a month: a longer"
        " period cannot tell the month someone was active in",
    ]
    write(exports / "viva_engage_2020_01.csv", exports_fixture.viva("2020-02-01", 30, users[:1]))
    (exports / "viva_engage_2020_02.csv").unlink()
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    assert rows(warehouse, "select posts from raw_social_activity where platform = 'internal'") == [(1204,)]


def test_viva_engage_dates_excel_rewrote_and_a_report_without_its_refresh_date(exports, tmp_path):
    write = exports_fixture.write_csv
    january, february = exports / "viva_engage_2020_01.csv", exports / "viva_engage_2020_02.csv"
    # saved again by Excel: 2/1/2020 alone tells neither day nor month
    write(january, exports_fixture.viva("2/1/2020", 30, [("eve@example.com", 2, 10, 3)]))
    write(february, [["User Principal Name", "Posted Count", "Liked Count"], ["eve@example.com", "4", "0"]])
    assert refusal(exports, tmp_path / "w.duckdb").splitlines() == [
        "viva_engage_2020_01.csv:2 Report Refresh Date: got '2/1/2020', expected a date whose day and month can be"
        ' told apart: set date_order = "mdy" (US) or "dmy" in mapping.toml',
        "viva_engage_2020_02.csv:1 Report Refresh Date: got no such column, expected the report's Report Refresh"
        ' Date and Report Period columns, or month = "YYYY-MM" under [files."viva_engage_2020_02.csv"] in'
        " mapping.toml",
    ]
    # a last activity on 1/28/2020 tells the order; the month comes from the mapping when the column is gone
    rows_ = exports_fixture.viva("2/1/2020", 30, [("eve@example.com", 2, 10, 3)])
    rows_[1][5] = "1/28/2020"
    write(january, rows_)
    with (exports / "mapping.toml").open("a") as mapping:
        mapping.write('\n[files."viva_engage_2020_02.csv"]\nmonth = "2020-02"\n')
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    assert rows(
        warehouse,
        "select strftime(month, '%Y-%m'), posts from raw_social_activity where platform = 'internal' order by 1",
    ) == [("2020-01", 2), ("2020-02", 4)]


@pytest.mark.parametrize(
    ("written", "read"),
    [("12", 12), ("1204.0", 1204), ("1,204", 1204), ("1.204", 1204), ("1 204", 1204), ("", 0), (None, 0),
     ("12.5", None), ("1,5", None), ("1.000,5", None), ("abc", None), ("-3", None)],
)  # fmt: skip
def test_a_viva_engage_count_is_read_only_when_it_can_mean_one_number(written, read):
    assert viva_count(written) == read


def test_loading_the_same_exports_again_changes_nothing(exports, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    before = snapshot(warehouse)
    assert not load(exports, warehouse).summary.changed
    assert snapshot(warehouse) == before


def loaded_then(exports: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A warehouse the exports were loaded into, and an empty folder for the next load."""
    warehouse, later = tmp_path / "w.duckdb", tmp_path / "later"
    load(exports, warehouse)
    later.mkdir()
    return warehouse, later


def test_next_months_meeting_report_loads_alone_on_the_warehouse_schedule(exports, tmp_path):
    warehouse, later = loaded_then(exports, tmp_path)
    shutil.copy(exports / "zoom_p2_s1.csv", later / "zoom.csv")
    (later / "zoom.csv").write_text((later / "zoom.csv").read_text().replace("01/06/2020", "02/18/2020"))
    load(later, warehouse)
    assert rows(
        warehouse, "select status, held_on::varchar, topic from raw_sessions where pair_id = 'P2' and session_no = 3"
    ) == [("held", "2020-02-18", "Networking")]


def test_a_meeting_report_loaded_again_keeps_the_ratings_a_session_log_gave(exports, tmp_path):
    # the report knows attendance only: the columns it cannot fill keep what the warehouse holds
    warehouse, later = loaded_then(exports, tmp_path)
    shutil.copy(exports / "teams_p1_s1.csv", later / "teams_p1_s1.csv")
    load(later, warehouse)
    assert rows(
        warehouse,
        "select status, topic, trust_rating, aha_moment, ideas_count, notes from raw_sessions"
        " where pair_id = 'P1' and session_no = 1",
    ) == [("held", "Technology and Devices", 3, False, 0, "Set up LinkedIn")]


def test_a_file_without_optional_columns_loaded_with_exports_keeps_what_the_warehouse_holds(exports, tmp_path):
    # the canonical rows and the report's become one file: the columns the canonical file leaves out keep their values
    warehouse, later = loaded_then(exports, tmp_path)
    (later / "sessions.csv").write_text(
        "pair_id,session_no,scheduled_on,status,held_on\nP1,1,2020-01-06,held,2020-01-07\n"
    )
    shutil.copy(exports / "teams_p3_s1.csv", later / "teams_p3_s1.csv")
    load(later, warehouse)
    assert rows(
        warehouse,
        "select topic, trust_rating, aha_moment, ideas_count, notes from raw_sessions"
        " where pair_id = 'P1' and session_no = 1",
    ) == [("Technology and Devices", 3, False, 0, "Set up LinkedIn")]


def test_people_matched_by_email_from_the_warehouse_when_the_roster_file_leaves_emails_out(exports, tmp_path):
    warehouse, later = loaded_then(exports, tmp_path)
    (later / "participants.csv").write_text("participant_id,role,level\nE1,mentee,c_suite\n")
    shutil.copy(exports / "qualtrics_pre.csv", later / "qualtrics_pre.csv")
    (later / "mapping.toml").write_text('[files."qualtrics_pre.csv".items]\nQ4 = "C1"\n')
    load(later, warehouse)  # refused before: the respondents' emails were not in the file
    assert rows(warehouse, "select email from raw_participants where participant_id = 'E1'") == [("eve@example.com",)]


def test_check_folder_previews_without_writing(exports, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    (exports / "budget.csv").write_text("month,amount\n2020-01,5\n")
    outcome = check_folder(exports, warehouse, TODAY)
    assert outcome.summary is None and outcome.problem_count == 1
    assert outcome.problems.startswith("budget.csv got a file that is neither")
    preview = {f.file: f.preview for f in outcome.staging.files}
    assert preview["zoom_p2_s2.csv"][["pair_id", "session_no", "status"]].values.tolist() == [["P2", "2", "missed"]]
    assert not warehouse.exists()
    (exports / "budget.csv").unlink()
    assert check_folder(exports, warehouse, TODAY).summary.totals()["rows_loaded"] == 83
    assert not warehouse.exists()


def test_the_command_line_loads_a_folder_of_exports(exports, tmp_path, capsys):
    assert main(["load", str(exports), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr()
    assert "teams_p1_s2.csv: taken for Microsoft Teams attendance report -> sessions, 1 row" in out.err
    assert (
        "  sessions.csv (with session_log_google.csv, teams_p1_s1.csv, teams_p1_s2.csv and 3 more): 9 read, 9 new,"
        " 0 updated, 0 unchanged\n"
    ) in out.out


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared real exports are not on this machine")
def test_real_exports_are_recognised_and_read(tmp_path):
    from etl.exports import zoom
    from etl.exports.detect import detect, read_rows
    from etl.exports.mapping import Mapping
    from etl.exports.roster import Roster
    from etl.exports.translation import Context

    assert detect(REAL / "qualtrics_sample.csv", read_rows(REAL / "qualtrics_sample.csv")) == "qualtrics"
    rows_ = read_rows(REAL / "zoom_participants_sample.csv")
    assert detect(REAL / "zoom_participants_sample.csv", rows_) == "zoom"
    roster = Roster.build({}, None)
    _, [meeting] = zoom.translate("z.csv", rows_, Context(roster, Mapping(), TODAY))
    assert str(meeting.held_on) == "2020-09-24" and len(meeting.people()) == 10
    assert (meeting.people()[0].name, meeting.people()[0].minutes) == ("Andrew Knight", 75.0)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("1h 2m 3s", 62.05), ("45m", 45), ("30s", 0.5), ("1 Std. 2 Min. 3 Sek.", 62.05), ("1 h 27 min", 87),
     ("0:45:30", 45.5), ("12", 12), ("soon", None), ("1h later", None)],
)  # fmt: skip
def test_durations_in_the_layouts_tools_write(text, minutes):
    from etl.exports.parse import parse_minutes

    assert parse_minutes(text) == pytest.approx(minutes) if minutes is not None else parse_minutes(text) is None


@pytest.mark.parametrize(
    ("values", "order", "first"),
    [(["1/7/20, 9:58:02 AM"], "mdy", "2020-01-07"), (["13/01/2020, 14:00:00", "01/02/2020"], "dmy", "2020-01-13"),
     (["28.01.20, 10:00:00"], "dmy", "2020-01-28"), (["2020/06/01 6:15:22 PM GMT-5"], "ymd", "2020-06-01"),
     (["01/02/2020 10:00"], None, None),
     # Google's year-first timestamps prove nothing about its date questions' 1/7/2020
     (["2020/01/07 6:15:22 PM GMT-5", "1/7/2020"], None, "2020-01-07")],
)  # fmt: skip
def test_a_files_date_order_is_judged_on_all_its_dates(values, order, first):
    from etl.exports.parse import date_order, parse_date

    assert date_order(values, None) == order
    assert str(parse_date(values[0], order)) == str(first)


def test_the_folders_date_order_is_for_files_whose_dates_cant_tell(tmp_path):
    from etl.exports.mapping import read_mapping
    from etl.exports.parse import date_order

    (tmp_path / "P12_s5.csv").write_text("")
    (tmp_path / "mapping.toml").write_text('date_order = "dmy"\n[files."P12_s5.csv"]\nkind = "teams"\n')
    mapping, problems = read_mapping(tmp_path)
    assert problems == [] and mapping.of("P12_s5.csv").date_orders == (None, "dmy")
    us, european, unclear = ["3/13/25, 9:00:00 AM"], ["13/03/2025, 10:00:00"], ["03/10/2025 10:00"]
    australian = ["7/01/2020, 9:58:02 am"]  # day first with am/pm: the folder's setting decides, not the clock
    folder = mapping.of("teams_report.csv").date_orders
    assert [date_order(dates, *folder) for dates in (us, european, unclear, australian)] == ["mdy", "dmy", "dmy", "dmy"]
    assert date_order(australian, None, None) == "mdy"  # with no setting, a 12-hour clock suggests the US
    assert date_order(us, "dmy", None) == "dmy"  # a file's own setting holds whatever its dates look like
    assert date_order(["2020/01/07 6:15:22 PM GMT-5", "1/7/2020"], None, "mdy") == "mdy"  # Google's timestamps


def test_session_logs_whose_dates_cant_be_read_are_problems(program, tmp_path):
    # with no meeting report and no date read, there was nothing to judge overdue sessions by: it crashed
    canonical, exports = program
    folder = tmp_path / "logs"
    shutil.copytree(canonical, folder)
    log = (exports / "session_log_google.csv").read_text()
    (folder / "session_log_google.csv").write_text(log.replace("1/28/2020", "last Tuesday").replace("1/29/2020", "?"))
    problems = refusal(folder, tmp_path / "w.duckdb")
    assert "session_log_google.csv:2 session date: got 'last Tuesday', expected a date" in problems
    assert "session_log_google.csv:3 session date: got '?', expected a date" in problems


def test_an_anonymous_form_finds_people_by_an_email_question(exports, tmp_path):
    (exports / "google_followup.csv").unlink()
    (exports / "followup_form.csv").write_text(
        "Horodateur,Your work e-mail,I know how colleagues use social media.\n"
        "2020/06/01 9:00:00 AM GMT+1,em@example.com,Agree\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(exports, warehouse)
    assert rows(
        warehouse, "select participant_id, item_id, value from raw_survey_responses where wave = 'followup'"
    ) == [("E3", "K1", 4.0)]


def test_a_meeting_near_a_session_already_held_on_another_day_is_not_overwritten(exports, tmp_path):
    warehouse, later = loaded_then(exports, tmp_path)
    report = (exports / "zoom_p2_s1.csv").read_text().replace("01/06/2020", "01/09/2020")
    (later / "zoom.csv").write_text(report)
    with pytest.raises(LoadRefused) as refused:
        load(later, warehouse)
    assert str(refused.value) == (
        "zoom.csv:2 got a session on 2020-01-09, nearest pair P2 session 1, which was held on 2020-01-06, "
        "expected a session not yet recorded: add it to the pair's schedule in sessions.csv"
    )


def test_a_teams_start_time_that_cant_be_read_is_pointed_at_in_the_summary(exports, tmp_path):
    path = exports / "teams_p1_s1.csv"
    path.write_bytes(path.read_bytes().decode("utf-16").replace("1/7/20,", "soon,").encode("utf-16"))
    assert refusal(exports, tmp_path / "w.duckdb").splitlines()[0] == (
        "teams_p1_s1.csv:4 start time: got 'soon, 9:58:02 AM', not a date that can be read, expected dates such as"
        " 1/20/20, 9:58:02 AM (set date_order in mapping.toml when day and month can't be told)"
    )


def test_a_meeting_months_from_any_scheduled_session_is_refused_not_assigned(exports, tmp_path):
    # 6 July read for 7 June, or a date month-first read day-first: no session of the pair is near it
    warehouse, later = loaded_then(exports, tmp_path)
    (later / "zoom.csv").write_text((exports / "zoom_p2_s1.csv").read_text().replace("01/06/2020", "07/06/2020"))
    with pytest.raises(LoadRefused) as refused:
        load(later, warehouse)
    assert str(refused.value) == (
        "zoom.csv:2 got a meeting on 2020-07-06, 140 days from pair P2's nearest scheduled session, expected a meeting"
        ' near a scheduled session: if its day and month are read the wrong way round, set date_order = "dmy" or'
        ' "mdy" for this file in mapping.toml; if it is a session of its own, add it to the pair\'s schedule in'
        " sessions.csv"
    )


def test_with_quarantine_the_set_aside_problems_are_printed(exports, tmp_path, capsys):
    path = exports / "google_followup.csv"
    path.write_text(path.read_text().replace("SOMEWHAT  AGREE,SOMEWHAT  AGREE", "SOMEWHAT  AGREE,Kinda agree"))
    assert main(["load", str(exports), "--warehouse", str(tmp_path / "w.duckdb"), "--quarantine"]) == 0
    err = capsys.readouterr().err
    assert (
        "Set aside (not loaded) because of these problems:\ngoogle_followup.csv:3 I can manage my own profile." in err
    )


def test_exports_that_give_no_rows_say_so(tmp_path):
    folder = tmp_path / "only"
    folder.mkdir()
    (folder / "viva.csv").write_text(
        "Report Refresh Date,User Principal Name,Display Name,User State,State Change Date,Last Activity Date,"
        "Posted Count,Read Count,Liked Count,Assigned Products,Report Period\n"
        "2020-02-01,5F2C7A1B9E,5F2C7A1B9E,Active,,2020-01-30,1,1,1,,30\n"
    )
    outcome = check_folder(folder, tmp_path / "w.duckdb", TODAY)
    assert outcome.problems == f"{folder}: nothing to load; the exports gave no rows (see what each was taken for)."
    assert outcome.staging.files[0].notes[1].startswith("no participant found: if the report shows codes, not names")


def test_a_problem_in_a_canonical_file_merged_with_exports_keeps_its_own_line(exports, tmp_path):
    path = exports / "sessions.csv"
    lines = path.read_text().splitlines()
    lines[9] = lines[9].replace(",scheduled,", ",done,")  # P3 session 3, line 10, after rows that meetings replace
    path.write_text("\n".join(lines[:5] + ["", ",,,,"] + lines[5:]) + "\n")  # an empty line, and Excel's empty row
    assert refusal(exports, tmp_path / "w.duckdb") == (
        "sessions.csv:12 status: got 'done', expected one of scheduled, held, missed, cancelled, rescheduled"
    )
    assert (
        "sessions.csv: taken for sessions (canonical file), 9 rows"
        in check_folder(exports, tmp_path / "x", TODAY).notes
    )


@pytest.mark.parametrize(
    ("shown", "names"),
    [("Ed's iPhone (Ed Exec)", ["ed's iphone (ed exec)", "ed's iphone", "ed exec"]),
     ("Mentor, Mia", ["mentor, mia", "mia mentor"]), ("  Éve  EXEC ", ["eve exec"])],
)  # fmt: skip
def test_names_a_meeting_shows_for_a_person(shown, names):
    from etl.exports.parse import name_candidates

    assert name_candidates(shown) == names


def test_microsoft_forms_as_csv_with_us_times_loads_like_the_workbook(program, tmp_path):
    canonical, exports = program
    workbook = exports / "ms_forms_retro.xlsx"
    frame = pd.read_excel(workbook, engine="calamine", dtype=object)
    for column in ("Start time", "Completion time"):
        frame[column] = "3/13/2020 4:05:00 PM"  # Excel's US layout once saved as CSV
    frame.to_csv(exports / "ms_forms_retro.csv", index=False)
    workbook.unlink()
    load(exports, tmp_path / "exports.duckdb")
    load(canonical, tmp_path / "canonical.duckdb")
    sql = "select * exclude (_source_line, _load_id) from raw_survey_responses where wave = 'retro_pre'"
    retro = sorted(rows(tmp_path / "exports.duckdb", sql))
    assert len(retro) == 10
    # the same answers; submitted on the day the CSV says
    assert retro == sorted(r[:4] + (date(2020, 3, 13),) for r in rows(tmp_path / "canonical.duckdb", sql))


@pytest.mark.parametrize(
    ("file", "wave", "problem"),
    [("Retro survey (retro pre).xlsx", "retro_pre", None), ("post_survey.csv", "post", None),
     ("retrospective-pre.csv", "retro_pre", None), ("Retrospective_Pre_Survey.csv", "retro_pre", None),
     ("retro_pre_survey.csv", "retro_pre", None), ("retrospective.csv", "retro_pre", None),
     ("pre and post.csv", None, "no wave in mapping.toml, and 2 wave words (pre, post) in the file name"),
     ("survey.csv", None, "no wave in mapping.toml and none in the file name")],
)  # fmt: skip
def test_the_wave_is_the_one_wave_word_in_the_file_name(file, wave, problem):
    from etl.exports.mapping import Mapping
    from etl.exports.surveys import wave_of
    from etl.exports.translation import Context, Translation

    translation = Translation(file, "survey")
    assert wave_of(translation, Context(roster=None, mapping=Mapping(), today=date(2026, 1, 1))) == wave
    assert [p.got for p in translation.problems] == ([problem] if problem else [])


def test_a_teams_meeting_title_starting_with_a_date_is_not_its_start(exports, tmp_path):
    path = exports / "teams_p1_s1.csv"
    text = path.read_bytes().decode("utf-16").replace("P1 check-in", "2/17/20 plan - P1 check-in", 1)
    path.write_bytes(text.encode("utf-16"))
    load(exports, tmp_path / "w.duckdb")
    held = rows(tmp_path / "w.duckdb", "select session_no, held_on from raw_sessions where pair_id = 'P1' order by 1")
    # the Start time row's date (7 January, session 1), not the title's (17 February: session 3 held)
    assert held == [(1, date(2020, 1, 7)), (2, date(2020, 1, 28)), (3, None)]
