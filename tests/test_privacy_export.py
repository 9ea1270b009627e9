"""Small groups are hidden (with complementary suppression) and exports are formula-safe."""

import csv
import io

import numpy as np
import openpyxl
import pandas as pd

from warehouse.export import csv_bytes, formula_safe, xlsx_bytes
from warehouse.privacy import min_group, suppress


def test_groups_under_five_are_hidden_with_the_next_smallest():
    frame = pd.DataFrame({"cohort": ["A", "B", "C", "D"], "n": [12, 3, 7, 20], "mean": [4.1, 3.0, 3.5, 3.9]})
    result = suppress(frame, "n", ["mean"], 5)
    # B (3 people) is hidden; C (the next smallest) too, so B cannot be recovered from a total
    assert result["suppressed"].tolist() == [False, True, True, False]
    assert result["mean"].tolist()[0] == 4.1 and np.isnan(result["mean"].tolist()[1])
    assert np.isnan(result["mean"].tolist()[2]) and result["mean"].tolist()[3] == 3.9


def test_rows_that_do_not_partition_a_total_get_no_complement():
    frame = pd.DataFrame({"n": [3, 7, 20], "mean": [1.0, 2.0, 3.0]})
    assert suppress(frame, "n", ["mean"], 5, partition=False)["suppressed"].tolist() == [True, False, False]


def test_one_hidden_group_of_two_takes_the_other_with_it():
    frame = pd.DataFrame({"n": [3, 40], "mean": [1.0, 2.0]})
    assert suppress(frame, "n", ["mean"], 5)["suppressed"].tolist() == [True, True]


def test_two_hidden_groups_need_no_complement():
    frame = pd.DataFrame({"n": [2, 3, 9], "mean": [1.0, 2.0, 3.0]})
    assert suppress(frame, "n", ["mean"], 5)["suppressed"].tolist() == [True, True, False]


def test_threshold_setting_never_goes_below_three(monkeypatch):
    monkeypatch.setenv("MENTORING_MIN_GROUP", "1")
    assert min_group() == 3
    monkeypatch.setenv("MENTORING_MIN_GROUP", "8")
    assert min_group() == 8
    monkeypatch.delenv("MENTORING_MIN_GROUP")
    assert min_group() == 5


def test_formula_cells_get_an_apostrophe():
    frame = pd.DataFrame({"text": ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "plain", "a=b"], "n": range(7)})
    assert formula_safe(frame)["text"].tolist() == ["'=SUM(A1)", "'+1", "'-2", "'@cmd", "'\tx", "plain", "a=b"]


def test_csv_export_is_formula_safe_and_excel_readable():
    data = csv_bytes(pd.DataFrame({"label": ["=1+1"], "value": [-3]}))
    assert data.startswith(b"\xef\xbb\xbf") and b"'=1+1" in data and b",-3" in data


def test_xlsx_export_stores_text_not_formulas():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({"label": ['=HYPERLINK("x")']}))))
    cell = book.active["A2"]
    assert cell.value == '\'=HYPERLINK("x")' and cell.data_type == "s"


PAYLOADS = {
    "carriage return": "ok\r=2+2",
    "line feed": "ok\n=2+2",
    "leading space": "  =1+1",
    "non-breaking space": "\u00a0=1+1",
    "full-width equals": "＝1+1",
    "full-width plus": "＋1",
    "tab": "\t=1",
    "hyperlink": '=HYPERLINK("http://example.com","x")',
}


def test_every_payload_is_neutralised_in_cells_and_headers():
    frame = pd.DataFrame({name: [payload] for name, payload in PAYLOADS.items()})
    frame.columns = list(PAYLOADS.values())  # cohort names become headers of the comparison export
    safe = formula_safe(frame)
    assert list(safe.columns) == [
        "ok\r=2+2", "ok\n=2+2", "'  =1+1", "'\u00a0=1+1", "'＝1+1", "'＋1", "'\t=1", '\'=HYPERLINK("http://example.com","x")'
    ]  # fmt: skip
    assert safe.iloc[0].tolist() == list(safe.columns)


def test_a_line_break_never_starts_a_new_csv_record():
    data = csv_bytes(pd.DataFrame({"note": ["ok\r=2+2", "ok\n=2+2"], "n": [1, 2]}))
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert records == [["note", "n"], ["ok\r=2+2", "1"], ["ok\n=2+2", "2"]]
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["n"].dtype.kind == "i"  # numbers stay numbers


def test_xlsx_headers_and_look_alikes_are_text():
    frame = pd.DataFrame({'=HYPERLINK("http://example.com")': ["＝1+1", "\u00a0@SUM(A1)"], "n": [1.5, 2.0]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert {cell.data_type for cell in cells} == {"s", "n"}  # no "f" (formula) anywhere
    assert book.active["A1"].value == '\'=HYPERLINK("http://example.com")'
    assert [book.active["A2"].value, book.active["A3"].value] == ["'＝1+1", "'\u00a0@SUM(A1)"]
    assert book.active["B2"].value == 1.5
