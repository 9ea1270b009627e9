"""What a file is, judged by its content: a canonical file (by name) or one tool's export (by its header)."""

import csv
import io
from datetime import datetime
from pathlib import Path

from etl.exports.parse import DATE_PARTS, squash
from etl.read_files import entity_of, is_users_file

TABULAR = (".csv", ".xlsx", ".tsv")
LABELS = {
    "qualtrics": "Qualtrics survey export",
    "ms_forms": "Microsoft Forms export",
    "google_forms": "Google Forms export",
    "teams": "Microsoft Teams attendance report",
    "zoom": "Zoom participants report",
    "viva_engage": "Viva Engage user activity report",
}


def decode(data: bytes) -> str:
    """Teams writes UTF-16 with a BOM; the others UTF-8 (with or without BOM), older tools Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path) -> list[list[object]]:
    """Every row of a text table (tab- or comma-separated) or of a workbook's first sheet, blank rows kept."""
    if path.suffix.lower() == ".xlsx":
        import pandas as pd  # workbooks only: a load of CSV files starts without it

        frame = pd.read_excel(path, header=None, engine="calamine", dtype=object)
        return [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    text = decode(path.read_bytes())
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))]


def delimiter_of(text: str) -> str:
    """Tab (Teams), else comma, else semicolon (a CSV saved by Excel where the list separator is ';', as in most of
    Europe): the one that splits the first lines into the most cells, quotes respected (Google Forms joins the
    choices of a checkbox question with ';' inside a comma-separated file)."""
    head = text[:65536]  # Teams' first line is a lone section title: judge on several lines
    if head[:4096].count("\t") > head[:4096].count(","):
        return "\t"
    lines = head.splitlines(keepends=True)[:20]
    if len(lines) > 1 and len(head) == 65536:
        lines = lines[:-1]  # the last line may be cut short

    def cells(delimiter: str) -> int:
        return sum(len(row) - 1 for row in csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter))

    return ";" if cells(";") > cells(",") else ","


# Google Forms' first column in the languages of its users (each checked against real exports where one was found)
TIMESTAMP = (
    "timestamp",  # en
    "zeitstempel",  # de
    "marca temporal",  # es
    "horodateur",  # fr
    "informazioni cronologiche",  # it
    "tijdstempel",  # nl
    "carimbo de data/hora",  # pt
    "sygnatura czasowa",  # pl
    "tidstampel",  # sv (Tidstämpel, accents folded)
    "タイムスタンプ",  # ja
    "отметка времени",  # ru
)


def looks_like_ms_forms(rows: list[list[object]]) -> bool:
    """A Microsoft Forms export in another language: ID, two times, then an email (or 'anonymous')."""
    if len(rows) < 2 or len(rows[1]) < 5:
        return False
    start, end, email = rows[1][1], rows[1][2], str(rows[1][3] or "").lower()
    return all(isinstance(v, datetime) or DATE_PARTS.match(str(v or "")) for v in (start, end)) and (
        "@" in email or email == "anonymous"
    )


def header_words(row: list[object]) -> set[str]:
    return {squash(cell) for cell in row if cell is not None and str(cell).strip()}


def detect(path: Path, rows: list[list[object]]) -> str | None:
    """The export kind of a non-canonical file, or None when it is none of the known layouts."""
    filled = [row for row in rows if any(str(c or "").strip() for c in row)]
    if not filled:
        return None
    first = header_words(filled[0])
    cells = [str(c).strip() for c in filled[0] if c is not None and str(c).strip()]
    if len(cells) == 1 and cells[0][:2] == "1.":
        return "teams"  # a numbered first section title, in whatever language the report was made in
    if {"meeting id", "topic"} <= first or "name (original name)" in first:
        return "zoom"
    third = [str(c or "") for c in filled[2]] if len(filled) > 2 else []
    if "startdate" in first and ("responseid" in first or any('"ImportId"' in c for c in third)):
        return "qualtrics"
    if {"id", "start time", "completion time"} <= first or (squash(cells[0]) == "id" and looks_like_ms_forms(filled)):
        return "ms_forms"
    if squash(cells[0]) in TIMESTAMP:
        return "google_forms"
    if {"user principal name", "posted count", "liked count"} <= first:
        return "viva_engage"
    return None


def has_exports(folder: Path) -> bool:
    return any(is_tabular(p) and not is_canonical(p) for p in folder.iterdir())


def is_canonical(path: Path) -> bool:
    return entity_of(path) is not None


def is_tabular(path: Path) -> bool:
    return is_users_file(path) and path.suffix.lower() in TABULAR
