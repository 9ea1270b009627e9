"""Small groups are hidden (with complementary suppression) and exports are formula-safe."""

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
