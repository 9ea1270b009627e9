"""Meeting reports as coordinators really get them: trimmed Teams columns, one person on two devices, Zoom's waiting
room, a meeting Teams split into two reports, dates whose day and month order only a guess could tell, and a Teams
report saved as a workbook."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from etl.exports.load import load_with_exports
from etl.load import LoadRefused
from tests import exports_fixture
from tests.conftest import TODAY, rows

TEAMS_HEADER = ["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"]
ZOOM_INFO = ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants"]
ZOOM_HEADER = ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"]
HELD = """select pair_id, session_no, status, held_on::varchar, duration_min, mentor_present, mentee_present
          from raw_sessions where status <> 'scheduled' order by pair_id, session_no"""


def text(table: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The fixture's roster and schedule (pairs P1 Mia/Eve, P2 Max/Ed, P3 Mo/Em; sessions on 6 Jan, 27 Jan, 17 Feb
    2020), and no report yet."""
    folder = tmp_path / "exports"
    folder.mkdir()
    exports_fixture.write_roster(folder)
    pairs, sessions = exports_fixture.PAIRS, exports_fixture.SCHEDULE
    schedule = [[p, str(n), day, "scheduled"] for p, _, _ in pairs for n, day, _ in sessions]
    (folder / "sessions.csv").write_text(text([["pair_id", "session_no", "scheduled_on", "status"], *schedule]))
    return folder


def teams_rows(start: str, header: list[str], people: list[list[str]]) -> list[list[str]]:
    summary = [["Meeting title", "P1 check-in"], ["Attended participants", "2"], ["Start time", start],
               ["End time", start], ["Meeting duration", "50m"]]  # fmt: skip
    return [["1. Summary"], *summary, [], ["2. Participants"], header, *people, [], ["3. In-Meeting Activities"],
            ["Name", "Join Time", "Leave Time", "Duration", "Email", "Role"]]  # fmt: skip


def write_teams(path: Path, start: str, header: list[str], people: list[list[str]]) -> None:
    """A Teams attendance report as Teams writes it: UTF-16 with a byte-order mark, tab-separated."""
    path.write_bytes(text(teams_rows(start, header, people), "\t").encode("utf-16"))


def mia_and_eve(start: str, mia: str = "50m", eve: str = "50m") -> list[list[str]]:
    return [["Mia Mentor", start, start, mia, "mia@example.com", "mia@example.com", "Organizer"],
            ["Eve Exec", start, start, eve, "eve@example.com", "eve@example.com", "Presenter"]]  # fmt: skip


def write_zoom(path: Path, header: list[str], people: list[list[str]]) -> None:
    info = ["812 3456 7890", "Mentoring P2", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "max@example.com",
            "45", str(len(people))]  # fmt: skip
    path.write_text(text([ZOOM_INFO, info, [], header, *people]))


def load(folder: Path, warehouse: Path, **options):
    return load_with_exports(folder, warehouse, today=TODAY, **options)


def refusal(folder: Path, warehouse: Path) -> str:
    with pytest.raises(LoadRefused) as refused:
        load(folder, warehouse)
    return str(refused.value)


def notes_of(outcome, file: str) -> list[str]:
    return next(f.notes for f in outcome.staging.files if f.file == file)


# ---- A2: Teams participants columns are found by their names (or content), never by their place


def test_a_teams_report_without_email_columns_matches_people_by_name(folder, tmp_path):
    start = "1/7/20, 9:58:02 AM"
    people = [["Mia Mentor", start, start, "50m"], ["Eve Exec", start, start, "45m"]]
    write_teams(folder / "teams_p1.csv", start, TEAMS_HEADER[:4], people)
    load(folder, tmp_path / "w.duckdb")  # an IndexError before
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-07", 45, True, True)]


def test_teams_columns_in_another_order_are_read_by_their_names(folder, tmp_path):
    start = "1/7/20, 9:58:02 AM"
    header = ["Email", "In-Meeting Duration", "Name", "First Join", "Last Leave"]
    people = [["mia@example.com", "50m", "Mia M.", start, start], ["eve@example.com", "12m", "Eve E.", start, start]]
    write_teams(folder / "teams_p1.csv", start, header, people)
    load(folder, tmp_path / "w.duckdb")  # by place, "50m" was taken for a name and the email for a duration
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-07", 12, True, True)]


def test_teams_columns_in_a_language_it_does_not_know_are_found_by_their_content(folder, tmp_path):
    start = "13/01/2020, 10:00:00"
    header = ["Nombre completo", "Hora", "Tiempo en la reunion", "Direccion"]  # names it doesn't know
    people = [["Mia Mentor", start, "40m", "mia@example.com"], ["Eve Exec", start, "35m", "eve@example.com"]]
    write_teams(folder / "teams_p1.csv", start, header, people)
    load(folder, tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-13", 35, True, True)]


def test_a_teams_report_without_durations_says_which_column_it_needs(folder, tmp_path):
    start = "1/7/20, 9:58:02 AM"
    people = [["Mia Mentor", start, start, "Organizer"], ["Eve Exec", start, start, "Presenter"]]
    write_teams(folder / "teams_p1.csv", start, ["Name", "First Join", "Last Leave", "Role"], people)
    assert refusal(folder, tmp_path / "w.duckdb") == (
        "teams_p1.csv:9 participants header: got the columns Name, First Join, Last Leave, Role, expected a column of"
        " how long each person stayed (In-Meeting Duration, such as 1h 2m 3s)"
    )


# ---- B1: one person on two devices is one participant, minutes summed


LAPTOP_AND_PHONE = [
    ["Max Mentor", "max@example.com", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "45", "No"],
    ["Ed Exec", "ed@example.com", "01/06/2020 10:00:00 AM", "01/06/2020 10:25:00 AM", "25", "No"],
    ["Ed's iPhone (Ed Exec)", "", "01/06/2020 10:27:00 AM", "01/06/2020 10:33:00 AM", "6", "No"],
]


@pytest.mark.parametrize("rows_", [LAPTOP_AND_PHONE, LAPTOP_AND_PHONE[::-1]], ids=["laptop first", "phone first"])
def test_zoom_one_person_on_a_laptop_and_a_phone_is_summed(folder, tmp_path, rows_):
    # before: the last of the two rows replaced the other (6 minutes: missed; or held but 6 minutes long)
    write_zoom(folder / "zoom_p2.csv", ZOOM_HEADER, rows_)
    load(folder, tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", HELD) == [("P2", 1, "held", "2020-01-06", 31, True, True)]


def test_teams_one_person_signed_in_and_as_a_guest_is_summed(folder, tmp_path):
    start = "1/7/20, 9:58:02 AM"
    people = [*mia_and_eve(start, eve="8m"), ["Eve Exec (Guest)", start, start, "30m", "", "", "Attendee"]]
    write_teams(folder / "teams_p1.csv", start, TEAMS_HEADER, people)
    load(folder, tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-07", 38, True, True)]


# ---- B2: Zoom's waiting room is not time in the meeting


def test_zoom_waiting_room_rows_are_not_presence(folder, tmp_path):
    header = ["Name (original name)", "Email", "Join time", "Leave time", "Duration (minutes)", "Guest",
              "Recording disclaimer response", "In waiting room"]  # fmt: skip
    write_zoom(folder / "zoom_p2.csv", header, [
        ["Max Mentor", "max@example.com", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "45", "No", "", "No"],
        ["Ed Exec", "ed@example.com", "01/06/2020 10:02:00 AM", "01/06/2020 10:17:00 AM", "15", "No", "", "Yes"],
    ])  # fmt: skip
    outcome = load(folder, tmp_path / "w.duckdb")  # before: held, 15 minutes
    assert rows(tmp_path / "w.duckdb", HELD) == [("P2", 1, "missed", None, None, True, False)]
    assert "1 row in the waiting room: not counted as time in the meeting" in notes_of(outcome, "zoom_p2.csv")


def test_zoom_time_after_the_waiting_room_counts(folder, tmp_path):
    header = [*ZOOM_HEADER, "In waiting room"]
    write_zoom(folder / "zoom_p2.csv", header, [
        ["Max Mentor", "max@example.com", "01/06/2020 10:00:00 AM", "01/06/2020 10:45:00 AM", "45", "No", "No"],
        ["Ed Exec", "ed@example.com", "01/06/2020 10:00:00 AM", "01/06/2020 10:05:00 AM", "5", "No", "Yes"],
        ["Ed Exec", "ed@example.com", "01/06/2020 10:05:00 AM", "01/06/2020 10:45:00 AM", "40", "No", "No"],
    ])  # fmt: skip
    load(folder, tmp_path / "w.duckdb")  # before: 45 minutes
    assert rows(tmp_path / "w.duckdb", HELD) == [("P2", 1, "held", "2020-01-06", 40, True, True)]


# ---- B9: two Teams reports of one pair on one day are one meeting


@pytest.mark.parametrize("quarantine", [False, True])
def test_two_teams_reports_of_a_pair_on_one_day_are_one_meeting(folder, tmp_path, quarantine):
    first, second = "1/7/20, 9:58:02 AM", "1/7/20, 10:08:30 AM"
    write_teams(folder / "teams_p1_part1.csv", first, TEAMS_HEADER, mia_and_eve(first, "6m 10s", "6m 10s"))
    write_teams(folder / "teams_p1_part2.csv", second, TEAMS_HEADER, mia_and_eve(second, "40m 2s", "39m"))
    # before: refused as "a second meeting for pair P1 session 1", and with --quarantine missed, nobody present
    outcome = load(folder, tmp_path / "w.duckdb", quarantine=quarantine)
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-07", 45, True, True)]
    assert "2020-01-07: pair P1 session 1, held (with teams_p1_part2.csv: one meeting)" in notes_of(
        outcome, "teams_p1_part1.csv"
    )
    assert notes_of(outcome, "teams_p1_part2.csv")[-1] == (
        "2020-01-07: pair P1, the same meeting as teams_p1_part1.csv:4 (one pair, one day: one meeting, minutes summed)"
    )


def test_two_teams_reports_of_a_pair_on_two_days_are_still_a_problem(folder, tmp_path):
    write_teams(folder / "teams_a.csv", "1/7/20, 9:58:02 AM", TEAMS_HEADER, mia_and_eve("1/7/20, 9:58:02 AM"))
    write_teams(folder / "teams_b.csv", "1/8/20, 9:58:02 AM", TEAMS_HEADER, mia_and_eve("1/8/20, 9:58:02 AM"))
    assert refusal(folder, tmp_path / "w.duckdb") == (
        "teams_b.csv:4 got a second meeting for pair P1 session 1, expected one meeting per session (the other is"
        " teams_a.csv:4)"
    )


# ---- B7: a day and month order that only am/pm suggests is never taken silently


def test_day_first_dates_with_am_pm_that_both_readings_fit_are_refused_with_the_setting_to_use(folder, tmp_path):
    start = "3/02/2020, 10:00:00 am"  # Teams en-AU: 3 February; read as US it is 2 March, near session 3 too
    write_teams(folder / "teams_p1.csv", start, TEAMS_HEADER, mia_and_eve(start))
    assert refusal(folder, tmp_path / "w.duckdb") == (
        "teams_p1.csv:4 start time: got '3/02/2020, 10:00:00 am', which can be 2020-03-02 (month/day) or 2020-02-03"
        ' (day/month), both near pair P1\'s scheduled sessions, expected date_order = "mdy" (month first, US) or'
        " \"dmy\" (day first) in mapping.toml: this file's dates can't tell (no day over 12), and am/pm doesn't"
        " either (Australia and India write the day first with am/pm)"
    )


def test_day_first_dates_with_am_pm_load_once_the_order_is_set(folder, tmp_path):
    start = "3/02/2020, 10:00:00 am"
    write_teams(folder / "teams_p1.csv", start, TEAMS_HEADER, mia_and_eve(start))
    (folder / "mapping.toml").write_text('date_order = "dmy"\n')
    load(folder, tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 2, "held", "2020-02-03", 50, True, True)]


def test_a_guessed_order_whose_other_reading_is_far_from_the_schedule_loads_and_says_so(folder, tmp_path):
    start = "1/7/20, 9:58:02 AM"  # 7 January; read day first, 1 July, months after the pair's last session
    write_teams(folder / "teams_p1.csv", start, TEAMS_HEADER, mia_and_eve(start))
    outcome = load(folder, tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-07", 50, True, True)]
    assert notes_of(outcome, "teams_p1.csv")[0] == (
        "'1/7/20, 9:58:02 AM' read as 2020-01-07 (month/day), as day/month it would be 2020-07-01, far from pair P1's"
        " schedule (if that is wrong, set date_order in mapping.toml)"
    )


def test_a_guessed_order_is_turned_when_only_the_other_reading_fits_the_schedule(folder, tmp_path):
    start = "6/01/2020, 10:00:00 am"  # en-IN: 6 January; read as US, 1 June
    write_teams(folder / "teams_p1.csv", start, TEAMS_HEADER, mia_and_eve(start))
    outcome = load(folder, tmp_path / "w.duckdb")  # before: refused, "a meeting on 2020-06-01, 105 days from ..."
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-06", 50, True, True)]
    assert notes_of(outcome, "teams_p1.csv")[0] == (
        "'6/01/2020, 10:00:00 am' read as 2020-01-06 (day/month), as month/day it would be 2020-06-01, far from pair"
        " P1's schedule (if that is wrong, set date_order in mapping.toml)"
    )


def test_zoom_dates_only_am_pm_suggests_are_refused_when_both_readings_fit(folder, tmp_path):
    rows_ = [["Max Mentor", "max@example.com", "02/01/2020 10:00:00 AM", "x", "45", "No"],
             ["Ed Exec", "ed@example.com", "02/01/2020 10:00:00 AM", "x", "45", "No"]]  # fmt: skip
    write_zoom(folder / "zoom_p2.csv", ZOOM_HEADER, rows_)
    path = folder / "zoom_p2.csv"
    path.write_text(path.read_text().replace("01/06/2020", "02/01/2020"))  # 1 February or 2 January
    assert refusal(folder, tmp_path / "w.duckdb").startswith(
        "zoom_p2.csv:2 start time: got '02/01/2020 10:00:00 AM', which can be 2020-02-01 (month/day) or 2020-01-02"
        " (day/month), both near pair P2's scheduled sessions, expected date_order"
    )


# ---- C5: a Teams report opened in Excel and saved as a workbook


def test_a_teams_report_saved_as_a_workbook_is_recognised(folder, tmp_path):
    start = "1/7/20, 9:58:02 AM"
    book = Workbook()
    for row in teams_rows(start, TEAMS_HEADER, mia_and_eve(start)):
        book.active.append(row)
    book.save(folder / "Mentoring P1 - Attendance report 1-7-20.xlsx")
    outcome = load(folder, tmp_path / "w.duckdb")  # before: refused as neither a canonical file nor a known export
    taken = {f.file: f.taken_for for f in outcome.staging.files}
    assert taken["Mentoring P1 - Attendance report 1-7-20.xlsx"] == "Microsoft Teams attendance report -> sessions"
    assert rows(tmp_path / "w.duckdb", HELD) == [("P1", 1, "held", "2020-01-07", 50, True, True)]
