"""Exports that are safe to open in Excel (no cell or header is ever read as a formula, no record ever splits),
keep numbers as numbers, and say what they are: as-of date, filters, method and the small-groups rule, in a header
block (CSV), a sheet (XLSX) or the file's metadata (Parquet, as `DataFrame.attrs`)."""

import csv
import io
import re

import pandas as pd
from openpyxl.utils import get_column_letter

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


def safe_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """Metadata holds user text (cohort names): formula-safe, one line per entry."""
    return {name: neutral(" ".join(str(value).split())) for name, value in metadata.items()}


def without_commas(text: str) -> str:
    """A CSV header line stays one cell that starts with '#' (pandas skips it as a comment, Excel shows it whole):
    thousands separators go ($2,000 as $2000), other commas become semicolons. Excel set to a semicolon locale splits
    the line there, so each piece after one is formula-safe as well."""
    pieces = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text).replace(",", ";").split(";")
    return ";".join([pieces[0], *map(neutral, pieces[1:])])


def csv_bytes(frame: pd.DataFrame, metadata: dict[str, str] | None = None) -> bytes:
    """The table, after a block of '# name: value' lines (read it back with pandas.read_csv(..., comment="#"))."""
    header = "".join(f"# {name}: {without_commas(value)}\n" for name, value in safe_metadata(metadata or {}).items())
    # text quoted, numbers bare: a line break inside a value never starts a new record
    table = formula_safe(frame).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)
    return (header + table).encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def xlsx_bytes(
    frame: pd.DataFrame, sheet: str = "export", metadata: dict[str, str] | None = None, formats: dict | None = None
) -> bytes:
    """The table on its own sheet with readable widths and number formats (`formats`: column -> Excel format;
    by default whole numbers "#,##0" and decimals "0.00"), and the metadata on an "About" sheet."""
    safe = formula_safe(frame)
    about = pd.DataFrame(safe_metadata(metadata or {}).items(), columns=["About this export", ""])
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=sheet, index=False)
        worksheet = writer.sheets[sheet]
        worksheet.freeze_panes = "A2"
        for position, column in enumerate(safe.columns, start=1):
            letter = get_column_letter(position)
            worksheet.column_dimensions[letter].width = column_width(safe[column])
            number_format = (formats or {}).get(column, default_format(safe[column]))
            for (cell,) in worksheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = number_format
        if not about.empty:
            about.to_excel(writer, sheet_name="About", index=False)
            writer.sheets["About"].column_dimensions["A"].width = column_width(about.iloc[:, 0])
            writer.sheets["About"].column_dimensions["B"].width = 100
    return buffer.getvalue()


def parquet_bytes(frame: pd.DataFrame, metadata: dict[str, str] | None = None) -> bytes:
    """Typed columns for analysts; the metadata travels as DataFrame.attrs (pandas.read_parquet restores it)."""
    typed = formula_safe(frame)
    typed.attrs = safe_metadata(metadata or {})
    return typed.to_parquet(index=False)


def default_format(values: pd.Series) -> str:
    if pd.api.types.is_integer_dtype(values):
        return "#,##0"
    return "0.00" if pd.api.types.is_float_dtype(values) else "General"


def column_width(values: pd.Series) -> int:
    """Wide enough for the header and the longest value as shown, within 8 to 60 characters."""
    shown = values.head(1000).map(lambda v: f"{v:,.2f}" if isinstance(v, float) else str(v))
    longest = max([len(str(values.name)), *shown.str.len()])
    return min(max(longest + 2, 8), 60)


def without_float_noise(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers to 12 significant digits: 8.55, not the 8.550000000000004 that the order of a sum can leave, and a
    p-value of 3.2e-14 stays itself (decimal places would make it 0)."""
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{column: frame[column].map(significant) for column in floats}) if len(floats) else frame


def significant(value: float) -> float:
    return float(f"{value:.12g}")


def export_file(kind: str, frame: pd.DataFrame, metadata: dict[str, str], formats: dict | None = None) -> bytes:
    """One export of the table with its metadata: kind "csv", "xlsx" or "parquet"."""
    frame = without_float_noise(frame)
    if kind == "xlsx":
        return xlsx_bytes(frame, "data", metadata, formats)
    return csv_bytes(frame, metadata) if kind == "csv" else parquet_bytes(frame, metadata)
