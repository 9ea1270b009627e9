"""Exports that are safe to open in Excel: no cell is ever read as a formula."""

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells starting with = + - @ tab or carriage return get a leading apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object:
            text = safe[column]
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            safe.loc[risky, column] = "'" + text[risky].astype(str)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return formula_safe(frame).to_csv(index=False).encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "export") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        formula_safe(frame).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()
