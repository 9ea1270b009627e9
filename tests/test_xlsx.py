"""XLSX files load like their CSV twins; spreadsheet-only problems get their own messages."""

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from etl.load import LoadError
from tests.conftest import load, rows

HEADER = ["cohort_id", "category", "amount", "note"]


def csv_to_xlsx(csv_path: Path, sheet: str = "Sheet1", extra_sheets: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for line in csv_path.read_text().splitlines():
        book.active.append(line.split(","))
    for name in extra_sheets:
        book.create_sheet(name)
    target = csv_path.with_suffix(".xlsx")
    book.save(target)
    csv_path.unlink()
    return target


def costs_workbook(folder: Path, *rows: list, merge: str = "") -> None:
    """costs.xlsx in place of costs.csv, with a header row and the given rows."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if merge:
        book.active.merge_cells(merge)
    book.save(folder / "costs.xlsx")
    (folder / "costs.csv").unlink()


def refusal(folder: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(LoadError) as refused:
        load(folder, tmp_path / "w.duckdb")
    return str(refused.value).splitlines()


def test_xlsx_loads_the_same_rows_as_csv(tiny_folder, tmp_path):
    csv_to_xlsx(tiny_folder / "pairs.csv")
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    sql = """select pair_id, matched_on::varchar, f.file_name, _source_line
             from raw_pairs p join load_files f on f.load_id = p._load_id and f.entity = 'pairs' order by 1"""
    assert rows(warehouse, sql)[:2] == [
        ("P1", "2020-01-02", "pairs.xlsx", 2),
        ("P2", "2020-01-02", "pairs.xlsx", 3),
    ]


def test_numbers_dates_and_booleans_typed_by_excel_load(tiny_folder, tmp_path):
    costs_workbook(tiny_folder, HEADER, ["T1", "Launch event", 1250.5, True])
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    assert rows(warehouse, "select amount, note from raw_costs") == [(1250.5, "true")]


def test_id_stored_as_a_number_is_refused(tiny_folder, tmp_path):
    costs_workbook(tiny_folder, HEADER, [42, "Launch event", 100, "x"])
    assert (
        "costs.xlsx:2 cohort_id: got the number 42, expected text: format the column as Text in Excel"
        " so IDs keep leading zeros"
    ) in refusal(tiny_folder, tmp_path)


def test_several_sheets_need_one_named_after_the_file(tiny_folder, tmp_path):
    csv_to_xlsx(tiny_folder / "costs.csv", sheet="Budget", extra_sheets=("Notes",))
    with pytest.raises(LoadError) as refused:
        load(tiny_folder, tmp_path / "w.duckdb")
    assert "costs.xlsx got 2 sheets ('Budget', 'Notes'), expected one sheet, or a sheet named 'costs'" in str(
        refused.value
    )


def test_the_sheet_named_after_the_file_is_used(tiny_folder, tmp_path):
    csv_to_xlsx(tiny_folder / "costs.csv", sheet="costs", extra_sheets=("Notes",))
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    assert [f.rows_loaded for f in summary.files if f.entity == "costs"] == [1]


def test_a_workbook_with_sheets_of_other_files_is_refused_not_read_in_part(tiny_folder, tmp_path):
    # its costs sheet loaded and its pairs sheet was left without a word
    csv_to_xlsx(tiny_folder / "costs.csv", sheet="costs", extra_sheets=("Pairs", "Notes"))
    with pytest.raises(LoadError) as refused:
        load(tiny_folder, tmp_path / "w.duckdb")
    assert (
        "costs.xlsx got sheets of other files ('Pairs'), expected one file per entity: save each of those sheets as a"
        " workbook (or CSV) of its own, named after it"
    ) in str(refused.value)


def test_merged_header_cells_are_refused(tiny_folder, tmp_path):
    costs_workbook(
        tiny_folder, ["cohort_id", "category", None, "note"], ["T1", "Launch event", 100, "x"], merge="B1:C1"
    )
    assert "costs.xlsx:1 column 3: got an empty header cell, expected a column name (merged header cells?)" in (
        refusal(tiny_folder, tmp_path)
    )


def test_formulas_without_saved_values_are_refused(tiny_folder, tmp_path):
    costs_workbook(tiny_folder, HEADER, ["T1", "Launch event", "=2*500", "x"])
    assert (
        "costs.xlsx:2 cell C2: got a formula with no saved value, expected a value: open the file in Excel and save"
        " it, or paste the cells as values"
    ) in refusal(tiny_folder, tmp_path)


def test_damaged_workbook_is_refused(tiny_folder, tmp_path):
    (tiny_folder / "costs.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tiny_folder / "costs.csv").unlink()
    with pytest.raises(
        LoadError, match=r"costs.xlsx got an unreadable workbook .*expected an .xlsx file saved by Excel"
    ):
        load(tiny_folder, tmp_path / "w.duckdb")


def test_a_date_cell_with_a_time_of_day_is_that_day(tiny_folder, tmp_path):
    # Excel keeps the time of a session typed as 2020-01-06 14:30; changing the cell's format does not remove it
    book = openpyxl.Workbook()
    lines = [line.split(",") for line in (tiny_folder / "sessions.csv").read_text().splitlines()]
    book.active.append(lines[0])
    for cells in lines[1:]:
        held = cells[4]
        cells[4] = datetime.fromisoformat(held + "T14:30") if held else None
        book.active.append(cells)
    book.save(tiny_folder / "sessions.xlsx")
    (tiny_folder / "sessions.csv").unlink()
    load(tiny_folder, tmp_path / "w.duckdb")
    assert rows(tmp_path / "w.duckdb", "select held_on from raw_sessions where pair_id = 'P1' order by session_no") == [
        (date(2020, 1, 6),),
        (date(2020, 1, 20),),
        (None,),
        (date(2020, 2, 17),),
    ]


def test_a_title_above_the_column_names_is_named_as_the_problem(tiny_folder, tmp_path):
    costs_workbook(tiny_folder, ["ACME reverse mentoring: costs (exported 2025-02-21)"], [], HEADER,
                   ["T1", "Launch event", 100, "x"], merge="A1:D1")  # fmt: skip
    assert refusal(tiny_folder, tmp_path) == [
        "costs.xlsx:1 got 2 rows above the column names (row 3), expected the column names in row 1: delete the rows"
        " above them"
    ]


def test_a_month_typed_in_excel_is_that_month(tiny_folder, tmp_path):
    # Excel turns a typed 2019-10 into the date 2019-10-01
    book = openpyxl.Workbook()
    lines = [line.split(",") for line in (tiny_folder / "social_activity.csv").read_text().splitlines()]
    book.active.append(lines[0])
    at = lines[0].index("month")
    for cells in lines[1:]:
        cells[at] = datetime.fromisoformat(cells[at] + "-01")
        book.active.append(cells)
    book.save(tiny_folder / "social_activity.xlsx")
    (tiny_folder / "social_activity.csv").unlink()
    summary = load(tiny_folder, tmp_path / "w.duckdb")
    assert [f.rows_loaded for f in summary.files if f.entity == "social_activity"] == [len(lines) - 1]


def test_a_title_above_column_names_with_a_misspelling_is_still_the_reason(tiny_folder, tmp_path):
    costs_workbook(tiny_folder, ["Costs report"], ["cohort_id", "category", "amount", "notes"],
                   ["T1", "Launch event", 100, "x"])  # fmt: skip
    assert refusal(tiny_folder, tmp_path) == [
        "costs.xlsx:1 got a title above the column names (row 2), expected the column names in row 1: delete the rows"
        " above them"
    ]
