"""Exports that are safe to open in Excel: no cell or header is ever read as a formula, no record ever splits."""

import csv
import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@")
BREAKS = ("\t", "\r", "\n")
# full-width and small forms that spreadsheets may read as their ASCII twins
LOOK_ALIKES = str.maketrans({"＝": "=", "＋": "+", "－": "-", "＠": "@", "﹦": "=", "﹢": "+", "﹣": "-", "﹫": "@"})


def neutral(value):
    """A text that a spreadsheet could take for a formula (after any leading whitespace, or a look-alike sign)
    gets a leading apostrophe; anything else, numbers included, stays as it is."""
    if not isinstance(value, str):
        return value
    first = value.lstrip().translate(LOOK_ALIKES)[:1]
    return "'" + value if value.startswith(BREAKS) or first in FORMULA_STARTS else value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header neutralised (DOMAIN.md section 5)."""
    safe = frame.rename(columns=neutral)
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutral)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # text quoted, numbers bare: a line break inside a value never starts a new record
    text = formula_safe(frame).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)
    return text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "export") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        formula_safe(frame).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()
