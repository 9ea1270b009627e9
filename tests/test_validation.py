"""Each validation rule refuses the load with a message naming file, line, column, what was found and expected."""

import codecs
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.contract import BY_NAME
from etl.exports.load import load_with_exports
from etl.load import LoadError, LoadRefused
from etl.validate import keys_may_repeat
from tests.conftest import TINY, TODAY, load

SESSIONS = (TINY / "sessions.csv").read_text()


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text()
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1))


def refusal_lines(folder: Path, tmp_path: Path) -> list[str]:
    warehouse = tmp_path / "refused.duckdb"
    with pytest.raises(LoadError) as refused:
        load(folder, warehouse)
    assert not warehouse.exists(), "a refused first load must not leave a warehouse behind"
    return str(refused.value).splitlines()


EDITS = {
    "renamed header": (
        "sessions.csv",
        "session_no,scheduled_on,status,",
        "session_no,scheduled_on,state,",
        "sessions.csv:1 state: got the unknown column 'state', expected status (a misspelling?)",
    ),
    "missing required column": (
        "sessions.csv",
        "session_no,scheduled_on,status,",
        "session_no,scheduled_on,state,",
        "sessions.csv:1 got no column status, expected every required column",
    ),
    "misspelled header": (
        "sessions.csv",
        "session_no,",
        "sesion_no,",
        "sessions.csv:1 sesion_no: got the unknown column 'sesion_no', expected session_no (a misspelling?)",
    ),
    "duplicated header": (
        "costs.csv",
        "cohort_id,category,amount,note",
        "cohort_id,category,amount,amount",
        "costs.csv:1 amount: got the column 'amount' 2 times, expected it once",
    ),
    "value under a blank header cell": (
        "costs.csv",
        "cohort_id,category,amount,note\nT1,Launch event,1000,Kick-off lunch",
        "cohort_id,category,amount,note,\nT1,Launch event,1000,Kick-off lunch,catering",
        "costs.csv:2 column 5: got a value in a column whose header cell is empty, expected a column name in row 1"
        " above it (merged header cells?), or column 5 deleted",
    ),
    "text in a whole-number column": (
        "sessions.csv",
        "P1,2,2020-01-20",
        "P1,two,2020-01-20",
        "sessions.csv:3 session_no: got 'two', expected a whole number",
    ),
    "value outside an enum": (
        "sessions.csv",
        "P1,2,2020-01-20,held",
        "P1,2,2020-01-20,done",
        "sessions.csv:3 status: got 'done', expected one of scheduled, held, missed, cancelled, rescheduled",
    ),
    "bool that is not one": (
        "sessions.csv",
        "P1,1,2020-01-06,held,2020-01-06,60,true",
        "P1,1,2020-01-06,held,2020-01-06,60,maybe",
        "sessions.csv:2 mentor_present: got 'maybe', expected true or false",
    ),
    "required value missing": (
        "sessions.csv",
        "P1,1,2020-01-06,held",
        "P1,1,,held",
        "sessions.csv:2 scheduled_on: got nothing, expected a value (required)",
    ),
    "rating outside its range": (
        "sessions.csv",
        "Search,,4,true",
        "Search,,9,true",
        "sessions.csv:3 trust_rating: got '9', expected a value from 1 to 5",
    ),
    "decimal comma": (
        "participants.csv",
        "millennial,40",
        'millennial,"40,5"',
        "participants.csv:2 hourly_cost: got '40,5', expected a number with a dot for decimals",
    ),
    "thousands separator": (
        "participants.csv",
        "millennial,40",
        'millennial,"1,040"',
        "participants.csv:2 hourly_cost: got '1,040', expected a number without thousands separators: 1040 if that is"
        " what it means (a dot for decimals)",
    ),
    "currency and thousands separator": (
        "participants.csv",
        "millennial,40",
        'millennial,"$1,040"',
        "participants.csv:2 hourly_cost: got '$1,040', expected a number without a currency sign or thousands"
        " separators: 1040 if that is what it means (a dot for decimals)",
    ),
    "currency sign": (
        "participants.csv",
        "millennial,40",
        "millennial,$40",
        "participants.csv:2 hourly_cost: got '$40', expected a number without a currency sign: 40",
    ),
    "an Excel date number": (
        "sessions.csv",
        "P1,2,2020-01-20,held,2020-01-20",
        "P1,2,2020-01-20,held,43850",
        "sessions.csv:3 held_on: got '43850', expected a date as YYYY-MM-DD (43850 looks like Excel's number for"
        " 2020-01-20: format the column as a date, YYYY-MM-DD)",
    ),
    "likert 6 on a 1-5 item": (
        "survey_responses.csv",
        "E01,pre,K1,2,",
        "E01,pre,K1,6,",
        "survey_responses.csv:2 value: got '6', expected a whole number from 1 to 5 (the scale of item K1)",
    ),
    "likert 0 on a 1-5 item": (
        "survey_responses.csv",
        "E01,pre,K1,2,",
        "E01,pre,K1,0,",
        "survey_responses.csv:2 value: got '0', expected a whole number from 1 to 5 (the scale of item K1)",
    ),
    "likert 7 on a 1-5 item": (
        "survey_responses.csv",
        "E01,pre,K1,2,",
        "E01,pre,K1,7,",
        "survey_responses.csv:2 value: got '7', expected a whole number from 1 to 5 (the scale of item K1)",
    ),
    "likert -1": (
        "survey_responses.csv",
        "E01,pre,K1,2,",
        "E01,pre,K1,-1,",
        "survey_responses.csv:2 value: got '-1', expected a whole number from 1 to 5 (the scale of item K1)",
    ),
    "29 February in a year without one": (
        "sessions.csv",
        "P1,2,2020-01-20,held,2020-01-20",
        "P1,2,2020-01-20,held,2019-02-29",
        "sessions.csv:3 held_on: got '2019-02-29', expected a real calendar date",
    ),
    "likert 8 on a 1-7 item": (
        "survey_responses.csv",
        "E01,pre,C1,3,",
        "E01,pre,C1,8,",
        "survey_responses.csv:5 value: got '8', expected a whole number from 1 to 7 (the scale of item C1)",
    ),
    "likert 3.5": (
        "survey_responses.csv",
        "E01,pre,K1,2,",
        "E01,pre,K1,3.5,",
        "survey_responses.csv:2 value: got '3.5', expected a whole number from 1 to 5 (the scale of item K1)",
    ),
    "likert as text": (
        "survey_responses.csv",
        "E01,pre,K1,2,",
        "E01,pre,K1,agree,",
        "survey_responses.csv:2 value: got 'agree', expected a number",
    ),
    "impossible date": (
        "sessions.csv",
        "P1,2,2020-01-20,held,2020-01-20",
        "P1,2,2020-01-20,held,2020-02-30",
        "sessions.csv:3 held_on: got '2020-02-30', expected a real calendar date",
    ),
    "ambiguous date": (
        "sessions.csv",
        "P1,2,2020-01-20,held,2020-01-20",
        "P1,2,2020-01-20,held,01/20/2020",
        "sessions.csv:3 held_on: 01/20/2020: write dates as YYYY-MM-DD (1 date in another format in this column)",
    ),
    "text in a date": (
        "sessions.csv",
        "P1,2,2020-01-20,held,2020-01-20",
        "P1,2,2020-01-20,held,soon",
        "sessions.csv:3 held_on: got 'soon', expected a date as YYYY-MM-DD",
    ),
    "impossible month": (
        "social_activity.csv",
        "E01,linkedin,2019-10",
        "E01,linkedin,2019-13",
        "social_activity.csv:2 month: got '2019-13', expected a month as YYYY-MM",
    ),
    "held before the pair was matched": (
        "sessions.csv",
        "P1,1,2020-01-06,held,2020-01-06",
        "P1,1,2020-01-06,held,2019-12-30",
        "sessions.csv:2 held_on: got 2019-12-30, expected a date on or after the pair's matched_on 2020-01-02",
    ),
    "held in the future": (
        "sessions.csv",
        "P1,1,2020-01-06,held,2020-01-06",
        "P1,1,2020-01-06,held,2027-01-06",
        "sessions.csv:2 held_on: got '2027-01-06', expected a date from 1990-01-01 to 2026-11-25 (not after today)",
    ),
    "scheduled in the far future": (
        "sessions.csv",
        "P5,1,2020-02-24",
        "P5,1,2099-02-24",
        "sessions.csv:16 scheduled_on: got '2099-02-24', expected a date from 1990-01-01 to 2031-11-01"
        " (not in the far future)",
    ),
    "held_on for a missed session": (
        "sessions.csv",
        "P1,3,2020-02-03,missed,,",
        "P1,3,2020-02-03,missed,2020-02-03,",
        "sessions.csv:4 held_on: got 2020-02-03, expected no held_on date for a session whose status is missed",
    ),
    "cohort ending before it starts": (
        "cohorts.csv",
        "2020-01-06,2020-03-02",
        "2020-01-06,2019-03-02",
        "cohorts.csv:2 end_date: got 2019-03-02, expected a date on or after start_date 2020-01-06",
    ),
    "scale upside down": (
        "survey_items.csv",
        "social media.,1,5",
        "social media.,5,1",
        "survey_items.csv:2 scale_max: got 1, expected a number above scale_min 5",
    ),
    "malformed e-mail": (
        "participants.csv",
        "mia@example.com",
        "mia at example",
        "participants.csv:2 email: got mia at example, expected an e-mail address like name@example.com",
    ),
    "duplicate key with other values": (
        "sessions.csv",
        "P1,2,2020-01-20,held,2020-01-20,45",
        "P1,1,2020-01-20,held,2020-01-20,45",
        "sessions.csv:3 session_no: got a second row for pair_id=P1, session_no=1 with other values (see line 2),"
        " expected one row per pair_id, session_no",
    ),
    # keys with a month are checked by a bitmap of months per person and platform: a repeat must still be found
    "a month repeated with other values": (
        "social_activity.csv",
        "E01,linkedin,2020-02,true,4",
        "E01,linkedin,2019-12,true,4",
        "social_activity.csv:4 month: got a second row for participant_id=E01, platform=linkedin, month=2019-12-01 with"
        " other values (see line 3), expected one row per participant_id, platform, month",
    ),
    "a month repeated as a copy": (
        "social_activity.csv",
        "E01,linkedin,2020-02,true,4,9,20",
        "E01,linkedin,2019-12,true,2,5,12",
        "social_activity.csv:4 month: got a copy of line 3, expected one row per participant_id, platform, month",
    ),
    "a month repeated out of range": (
        "social_activity.csv",
        "X01,linkedin,2019-12,true,1,1,50",
        "X01,linkedin,2999-01,true,1,1,50\nX01,linkedin,2999-01,true,1,1,50",
        "social_activity.csv:6 month: got a copy of line 5, expected one row per participant_id, platform, month",
    ),
    "unknown cohort": (
        "pairs.csv",
        "P2,T1,",
        "P2,T9,",
        "pairs.csv:3 cohort_id: got 'T9', expected a cohort_id that is in cohorts.csv (add it there, or correct it"
        " here)",
    ),
    "rows of a refused parent": (
        "pairs.csv",
        "P2,T1,",
        "P2,T9,",
        "4 rows of sessions.csv refer to pairs set aside because of problems in pairs.csv: fix pairs.csv first",
    ),
    "unknown pair": (
        "sessions.csv",
        "P3,1,",
        "P9,1,",
        "sessions.csv:10 pair_id: got 'P9', expected a pair_id that is in pairs.csv (add it there, or correct it here)",
    ),
    "unknown participant": (
        "survey_responses.csv",
        "E02,pre,K1",
        "E99,pre,K1",
        "survey_responses.csv:11 participant_id: got 'E99', expected a participant_id that is in participants.csv"
        " (add it there, or correct it here)",
    ),
    "unknown item": (
        "survey_responses.csv",
        "E02,pre,K1",
        "E02,pre,K9",
        "survey_responses.csv:11 item_id: got 'K9', expected an item_id that is in survey_items.csv (add it there,"
        " or correct it here)",
    ),
    "mentor who is a mentee": (
        "pairs.csv",
        "P2,T1,M02,E02",
        "P2,T1,E03,E02",
        "pairs.csv:3 mentor_id: got 'E03', expected a participant whose role is mentor",
    ),
    "mentor who is no participant": (
        "pairs.csv",
        "P2,T1,M02,E02",
        "P2,T1,NOBODY,E02",
        "pairs.csv:3 mentor_id: got 'NOBODY', expected a participant_id that is in participants.csv (add it there, or"
        " correct it here)",
    ),
    "a column of the user's own": (
        "costs.csv",
        "cohort_id,category,amount,note\nT1,Launch event,1000,Kick-off lunch",
        "cohort_id,category,amount,note,Comments\nT1,Launch event,1000,Kick-off lunch,ok",
        "costs.csv:1 comments: got the unknown column 'comments', expected only the columns of costs (cohort_id,"
        " category, amount, note): delete or rename it",
    ),
    "semicolon delimiter": (
        "costs.csv",
        "cohort_id,category,amount,note\nT1,Launch event,1000,Kick-off lunch",
        "cohort_id;category;amount;note\nT1;Launch event;1000;Kick-off lunch",
        "costs.csv:1 got columns separated by semicolons, expected commas: save it as .xlsx (which loads as it is), or"
        " as CSV UTF-8 where Excel's list separator is a comma",
    ),
    # a new key that other files could never name: it would be a second pair, counted twice
    "tab before an ID": (
        "pairs.csv",
        "P2,T1,M02",
        "\tP2,T1,M02",
        "pairs.csv:3 pair_id: got '<tab>P2', expected an ID without tabs, line breaks or invisible characters"
        " (delete them from the cell)",
    ),
    "invisible character in an ID": (
        "participants.csv",
        "M02,mentor",
        "M\u200b02,mentor",
        "participants.csv:3 participant_id: got 'M<invisible character>02', expected an ID without tabs, line"
        " breaks or invisible characters (delete them from the cell)",
    ),
    "direction mark in an ID": (
        "pairs.csv",
        "P2,T1,M02",
        "P2\u200e,T1,M02",
        "pairs.csv:3 pair_id: got 'P2<invisible character>', expected an ID without tabs, line breaks or invisible"
        " characters (delete them from the cell)",
    ),
    "zero-width space in a cost's category": (
        "costs.csv",
        "T1,Launch event,",
        "T1,Launch\u200bevent,",
        "costs.csv:2 category: got 'Launch<invisible character>event', expected an ID without tabs, line breaks or"
        " invisible characters (delete them from the cell)",
    ),
    "invisible character in a reference": (
        "pairs.csv",
        "P2,T1,M02",
        "P2,T1,M02\u200b",
        "pairs.csv:3 mentor_id: got 'M02<invisible character>', expected a participant_id that is in participants.csv"
        " (add it there, or correct it here)",
    ),
    "line break in a quoted ID": (
        "pairs.csv",
        "P2,T1,M02",
        '"P2\n",T1,M02',
        "pairs.csv:3 pair_id: got 'P2<line break>', expected an ID without tabs, line breaks or invisible characters"
        " (delete them from the cell)",
    ),
    "empty lines before a bad cell": (
        "sessions.csv",
        "Technology and Devices,,3,false,0,\nP1,2,2020-01-20,held,2020-01-20,45,true,true,Search,,4,",
        "Technology and Devices,,3,false,0,\n\n\nP1,2,2020-01-20,held,2020-01-20,45,true,true,Search,,9,",
        "sessions.csv:5 trust_rating: got '9', expected a value from 1 to 5",
    ),
    "a line of spaces before a bad cell": (
        "sessions.csv",
        "Technology and Devices,,3,false,0,\nP1,2,2020-01-20,held,2020-01-20,45,true,true,Search,,4,",
        "Technology and Devices,,3,false,0,\n   \t \nP1,2,2020-01-20,held,2020-01-20,45,true,true,Search,,9,",
        "sessions.csv:4 trust_rating: got '9', expected a value from 1 to 5",
    ),
    "truncated last row": (
        "sessions.csv",
        SESSIONS,
        SESSIONS + "P4,4,2020-03-20,sched",
        "sessions.csv:17 got 4 fields, expected 14 fields like the header (a cut or broken row?)",
    ),
}


@pytest.mark.parametrize("case", EDITS)
def test_bad_cell_is_refused_with_its_location(case, tiny_folder, tmp_path):
    file, old, new, message = EDITS[case]
    edit(tiny_folder, file, old, new)
    assert message in refusal_lines(tiny_folder, tmp_path)


@pytest.mark.parametrize(("line_end", "in_cell"), [("\n", "\n"), ("\r\n", "\n"), ("\n", "\r\n")])
def test_rows_after_empty_lines_keep_their_spreadsheet_row_numbers(line_end, in_cell, tiny_folder, tmp_path):
    # DuckDB's reader skips empty lines; a spreadsheet counts them, and a line break inside quotes starts no row.
    # The bad cell sends the file to the careful path, which numbers every row it loads (the fast path does not
    # look for empty lines: README, Validation)
    lines = SESSIONS.splitlines()
    lines[1] = lines[1].replace("Technology and Devices", f'"Technology{in_cell}and Devices"')
    lines[2:2] = ["", ""]
    lines[-1] = lines[-1].replace("scheduled,,,", "scheduled,,sixty,")
    (tiny_folder / "sessions.csv").write_bytes(line_end.join(lines).encode() + line_end.encode())
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse, quarantine=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    found = con.execute(
        "select session_no, _source_line from raw_sessions where pair_id = 'P1' order by session_no"
    ).fetchall()
    assert found == [(1, 2), (2, 5), (3, 6), (4, 7)]


def test_a_whole_number_written_with_zero_decimals_loads_as_that_number(tiny_folder, tmp_path):
    # pandas writes a whole-number column with blanks as 45.0
    edit(tiny_folder, "sessions.csv", "P1,2,2020-01-20,held,2020-01-20,45,", "P1,2,2020-01-20,held,2020-01-20,45.0,")
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select duration_min from raw_sessions where pair_id = 'P1' and session_no = 2").fetchall() == [
        (45,)
    ]


def test_a_non_breaking_space_at_an_ids_end_is_trimmed_on_the_first_load_too(tiny_folder, tmp_path):
    # the fast path leaves it, finds it, and hands the file to the careful path, which trims it as any later load does
    edit(tiny_folder, "pairs.csv", "P2,T1,M02", "P2\u00a0,T1,M02")
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from raw_pairs where pair_id = 'P2'").fetchall() == [(1,)]


def test_an_enum_written_with_other_separators_loads_as_its_code(tiny_folder, tmp_path):
    # "Follow-up" as forms and people write it is the wave followup; "Retro pre" is retro_pre
    edit(tiny_folder, "survey_responses.csv", "E01,post,K1,4,2020-02-20", "E01,Follow-up,K1,4,2020-02-20")
    edit(tiny_folder, "survey_responses.csv", "E01,pre,K2,3,", "E01,Retro pre,K2,3,")
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(
        "select item_id, wave from raw_survey_responses where participant_id = 'E01' and item_id in ('K1', 'K2')"
        " order by all"
    ).fetchall() == [("K1", "followup"), ("K1", "pre"), ("K2", "post"), ("K2", "retro_pre")]


def test_a_line_of_spaces_is_passed_over_like_an_empty_line(tiny_folder, tmp_path):
    edit(tiny_folder, "sessions.csv", "Search,,4,true,0,\n", "Search,,4,true,0,\n  \t \n")
    warehouse = tmp_path / "w.duckdb"
    [sessions] = [f for f in load(tiny_folder, warehouse).files if f.entity == "sessions"]
    assert (sessions.rows_read, sessions.rows_rejected) == (15, 0)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select _source_line from raw_sessions where pair_id = 'P1' and session_no = 3").fetchall() == [
        (5,)
    ]  # after the blank row 4, as a spreadsheet numbers it


def test_exact_copy_of_a_row_is_refused_once(tiny_folder, tmp_path):
    (tiny_folder / "costs.csv").write_text(
        "cohort_id,category,amount,note\nT1,Launch event,1000,Kick-off lunch\nT1,Launch event,1000,Kick-off lunch\n"
    )
    lines = refusal_lines(tiny_folder, tmp_path)
    assert lines == ["costs.csv:3 category: got a copy of line 2, expected one row per cohort_id, category"]


def test_leading_zeros_eaten_by_excel_are_pointed_out(tiny_folder, tmp_path):
    edit(tiny_folder, "survey_items.csv", "C2,confidence", "007,confidence")
    edit(tiny_folder, "survey_responses.csv", "E02,pre,K1", "E02,pre,7")
    assert (
        "survey_responses.csv:11 item_id: got '7' (Excel may have dropped the leading zeros of '007'),"
        " expected an item_id that is in survey_items.csv (add it there, or correct it here)"
    ) in refusal_lines(tiny_folder, tmp_path)


FILES = {
    "empty file": (b"", "costs.csv got an empty file, expected a header row and data rows"),
    "header only": (
        b"cohort_id,category,amount,note\n",
        "costs.csv got a header and no data rows, expected at least one data row",
    ),
    "latin-1": (
        "cohort_id,category,amount,note\nT1,Caf\xe9,1000,x\n".encode("latin-1"),
        "costs.csv:2 got the byte 0xE9, which is not UTF-8 (a Latin-1 or Windows file?),"
        " expected UTF-8 text: in Excel use Save As > CSV UTF-8",
    ),
    # past the first megabyte, which a first load reads itself: DuckDB's reader sets the line aside
    "latin-1 far down": (
        ("cohort_id,category,amount,note\n" + "T1,Launch event,1000,x\n" * 60_000 + "T1,Caf\xe9,1000,x\n").encode(
            "latin-1"
        ),
        "costs.csv:60002 got the byte 0xE9, which is not UTF-8 (a Latin-1 or Windows file?),"
        " expected UTF-8 text: in Excel use Save As > CSV UTF-8",
    ),
    "utf-16": (
        codecs.BOM_UTF16_LE + "cohort_id\tcategory\tamount\tnote\nT1\tx\t1\ty\n".encode("utf-16-le"),
        "costs.csv got UTF-16 text (as Teams reports are), expected UTF-8: in Excel use Save As > CSV UTF-8",
    ),
    "binary": (
        bytes(range(256)) * 4,
        "costs.csv got binary content, expected a text CSV file (UTF-8, comma-separated)",
    ),
    "workbook named .csv": (
        b"PK\x03\x04" + bytes(100),
        "costs.csv got an Excel workbook named .csv, expected a CSV file: rename it to .xlsx",
    ),
    "another entity's file": (
        (TINY / "cohorts.csv").read_bytes(),
        "costs.csv got the columns of a cohorts file, expected a costs file (wrong file?)",
    ),
}


@pytest.mark.parametrize("case", FILES)
def test_unreadable_file_is_refused_with_how_to_fix_it(case, tiny_folder, tmp_path):
    content, message = FILES[case]
    (tiny_folder / "costs.csv").write_bytes(content)
    assert message in refusal_lines(tiny_folder, tmp_path)


def test_file_without_a_header_row_is_refused(tiny_folder, tmp_path):
    text = (tiny_folder / "costs.csv").read_text().splitlines()[1]
    (tiny_folder / "costs.csv").write_text(text + "\n")
    assert "costs.csv:1 got no column cohort_id, category, amount, expected every required column" in refusal_lines(
        tiny_folder, tmp_path
    )


def test_value_over_excels_cell_limit_is_refused(tiny_folder, tmp_path):
    (tiny_folder / "costs.csv").write_text(
        "cohort_id,category,amount,note\nT1,Launch event,1000," + "x" * 1_500_000 + "\n"
    )
    assert "costs.csv:2 note: got 1500000 characters, expected at most 32,767" in refusal_lines(tiny_folder, tmp_path)


def test_line_over_2_mb_is_refused(tiny_folder, tmp_path):
    (tiny_folder / "costs.csv").write_text(
        "cohort_id,category,amount,note\nT1,Launch event,1000," + "x" * 2_500_000 + "\n"
    )
    assert "costs.csv:2 got a line over 2 MB, expected lines under 2 MB (a runaway quote or pasted data?)" in (
        refusal_lines(tiny_folder, tmp_path)
    )


def test_every_problem_is_reported_not_only_the_first(tiny_folder, tmp_path):
    edit(tiny_folder, "sessions.csv", "P1,2,2020-01-20,held", "P1,2,2020-01-20,done")
    edit(tiny_folder, "survey_responses.csv", "E01,pre,K1,2,", "E01,pre,K1,6,")
    edit(tiny_folder, "costs.csv", ",1000,", ",lots,")
    lines = refusal_lines(tiny_folder, tmp_path)
    assert lines == [
        "costs.csv:2 amount: got 'lots', expected a number",
        "sessions.csv:3 status: got 'done', expected one of scheduled, held, missed, cancelled, rescheduled",
        "survey_responses.csv:2 value: got '6', expected a whole number from 1 to 5 (the scale of item K1)",
    ]


def test_problem_count_is_reported(tiny_folder, tmp_path):
    edit(tiny_folder, "sessions.csv", "P1,2,2020-01-20,held", "P1,2,2020-01-20,done")
    with pytest.raises(LoadRefused) as refused:
        load(tiny_folder, tmp_path / "w.duckdb")
    assert refused.value.problem_count == 1


def test_headers_in_another_case_are_accepted(tiny_folder, tmp_path):
    edit(tiny_folder, "costs.csv", "cohort_id,category,amount,note", "Cohort_ID, Category ,AMOUNT,Note")
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    assert [f.rows_loaded for f in summary.files if f.entity == "costs"] == [1]


def test_utf8_bom_is_accepted(tiny_folder, tmp_path):
    path = tiny_folder / "costs.csv"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    assert [f.rows_loaded for f in summary.files if f.entity == "costs"] == [1]


def test_formulas_load_as_plain_text(tiny_folder, tmp_path):
    (tiny_folder / "costs.csv").write_text('cohort_id,category,amount,note\nT1,"=HYPERLINK(""x"")",1000,+1\n')
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    from tests.conftest import rows

    assert rows(warehouse, "select category, note from raw_costs") == [('=HYPERLINK("x")', "+1")]


def test_unknown_files_are_ignored_and_listed(tiny_folder, tmp_path):
    (tiny_folder / "notes.txt").write_text("not data")
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    assert summary.ignored == ["notes.txt"]


def test_files_a_person_did_not_put_there_are_passed_over(tiny_folder, tmp_path):
    """Excel keeps an owner file (~$name.xlsx, hidden in Explorer) beside a workbook while it is open; macOS leaves
    .DS_Store. Neither is data, nor an export to translate, nor worth listing."""
    (tiny_folder / "~$sessions.xlsx").write_bytes(b"\x0bJohn Doe  \x00")
    (tiny_folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    summary = load_with_exports(tiny_folder, tmp_path / "w.duckdb", today=TODAY).summary
    assert (summary.ignored, summary.totals()["rows_loaded"]) == ([], 52)


def test_two_files_for_one_entity_are_refused(tiny_folder, tmp_path):
    pd.read_csv(tiny_folder / "costs.csv", dtype=str).to_excel(tiny_folder / "costs.xlsx", index=False)
    with pytest.raises(LoadError, match="both costs.csv and costs.xlsx hold costs. Keep only one of them."):
        load(tiny_folder, tmp_path / "w.duckdb")


def test_a_file_given_for_the_folder_names_the_folder_to_give(tiny_folder, tmp_path):
    with pytest.raises(LoadError) as refused:
        load(tiny_folder / "sessions.csv", tmp_path / "w.duckdb")
    assert (
        str(refused.value) == f"{tiny_folder / 'sessions.csv'} is a file. Give the folder that holds it: {tiny_folder}"
    )


def test_folder_without_known_files_is_refused(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(LoadError, match="no recognised file"):
        load(tmp_path, tmp_path / "w.duckdb")


MONTHS = st.one_of(st.none(), st.dates(date(1980, 1, 1), date(2040, 12, 1)).map(lambda d: d.replace(day=1)))
ACTIVITY_KEYS = st.lists(
    st.tuples(st.sampled_from(["E1", "E2", None]), st.sampled_from(["linkedin", "twitter"]), MONTHS)
)


@settings(max_examples=150, deadline=None)
@given(ACTIVITY_KEYS)
def test_a_repeated_key_with_a_month_is_always_suspected(keys):
    """The cheap key test never misses a repeat (missing and out-of-range months included), and on keys with every
    month in range it raises no false alarm."""
    today = date(2026, 11, 27)
    con = duckdb.connect()
    con.execute("create table t (participant_id varchar, platform varchar, month date)")
    if keys:
        con.executemany("insert into t values (?, ?, ?)", keys)
    suspected = con.execute(keys_may_repeat(BY_NAME["social_activity"], "t", today)).fetchall()[0][0]
    full = [k for k in keys if None not in k]
    if len(set(full)) < len(full):
        assert suspected
    if len(set(keys)) == len(keys) and all(k[2] and date(1990, 1, 1) <= k[2] <= today for k in keys):
        assert not suspected
