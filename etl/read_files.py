"""Input files (CSV or XLSX) read into a DuckDB table of text columns, one row per data line."""

import codecs
import csv
import difflib
import math
import mmap
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.contract import BY_NAME, ENTITIES, Entity
from warehouse.build import ReconciliationError

if TYPE_CHECKING:  # pandas reads workbooks only: a CSV load starts without importing it
    import pandas as pd

MAX_LINE_BYTES = 2_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit: a longer value cannot have come from a spreadsheet
SUFFIXES = (".csv", ".xlsx")
READ_BLOCK = 1 << 20


BROKEN_TEXT = "broken_text (file varchar, line bigint, text varchar)"
UNNAMED = "_blank"  # the name of a column whose header cell is empty, before its position


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as possible."""

    file: str
    line: int | None
    column: str | None
    got: str
    expected: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" {self.column}:" if self.column else ""
        return f"{where}{column} got {self.got}, expected {self.expected}"


class FileRefused(Exception):
    """The file as a whole cannot be read (encoding, header, format)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class ReadResult:
    table: str  # temp table with _line plus one VARCHAR column per contract column present
    rows_read: int
    columns: list[str]
    problems: list[Problem] = field(default_factory=list)  # lines that could not be parsed


def show(value: object, limit: int = 60) -> str:
    """A value as it appears in an error message: quoted, shortened."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


def is_users_file(path: Path) -> bool:
    """A file a person put in the folder: not hidden (.DS_Store) and not the owner file Excel keeps beside a workbook
    while it is open (~$sessions.xlsx)."""
    return path.is_file() and not path.name.startswith((".", "~$"))


def entity_of(path: Path) -> Entity | None:
    if path.suffix.lower() not in SUFFIXES:
        return None
    return BY_NAME.get(path.stem.lower())


def normalise_header(name: object) -> str:
    return str(name).strip().lower().replace(" ", "_")


def check_header(file: str, header: list[object], entity: Entity) -> list[str]:
    """Contract column names in file order, or FileRefused listing every header problem. A column with an empty
    header cell is named `_blank<position>`: `drop_unnamed_columns` drops it if it holds nothing."""
    problems = []
    names = []
    for position, raw in enumerate(header, start=1):
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == "":
            names.append(f"{UNNAMED}{position}")
            continue
        names.append(normalise_header(raw))
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(file, 1, name, f"the column {show(name)} {names.count(name)} times", "it once"))
    known = entity.column_names
    for name in names:
        if name not in known and not name.startswith(UNNAMED):
            hint = difflib.get_close_matches(name, known, n=1)
            expected = (
                f"{hint[0]} (a misspelling?)"
                if hint
                else f"only the columns of {entity.name} ({', '.join(known)}): delete or rename it"
            )
            problems.append(Problem(file, 1, name, f"the unknown column {show(name)}", expected))
    missing = [c for c in entity.required_columns if c not in names]
    if missing:
        problems.append(Problem(file, 1, None, "no column " + ", ".join(missing), "every required column"))
    if problems:  # refused: empty header cells may be why (merged cells), said in their place
        problems[:0] = [
            Problem(
                file,
                1,
                f"column {n.removeprefix(UNNAMED)}",
                "an empty header cell",
                "a column name (merged header cells?)",
            )
            for n in names
            if n.startswith(UNNAMED)
        ]
        other = [e.name for e in ENTITIES if e is not entity and set(e.required_columns) <= set(names)]
        if other:
            problems.append(
                Problem(file, None, None, f"the columns of a {other[0]} file", f"a {entity.name} file (wrong file?)")
            )
        raise FileRefused(problems)
    return names


def drop_unnamed_columns(con: duckdb.DuckDBPyConnection, file: str, table: str, names: list[str]) -> list[str]:
    """Columns with an empty header cell are dropped from `table` when they hold nothing (Excel writes ",,," for
    columns once formatted, and keeps formatted empty columns in a sheet); a value in one belongs to no column, and
    the file is refused. Returns the names left."""
    unnamed = [name for name in names if name.startswith(UNNAMED)]
    problems = []
    for name in unnamed:
        [(line,)] = con.execute(f"select min(_line) from {table} where trim(\"{name}\") <> ''").fetchall()
        if line is not None:
            position = name.removeprefix(UNNAMED)
            problems.append(
                Problem(file, line, f"column {position}", "a value in a column whose header cell is empty",
                        f"a column name in row 1 above it (merged header cells?), or column {position} deleted")
            )  # fmt: skip
    if problems:
        con.execute(f"drop table {table}")
        raise FileRefused(problems)
    for name in unnamed:
        con.execute(f'alter table {table} drop column "{name}"')
    return [name for name in names if name not in unnamed]


def sniff_text(path: Path, head: bytes) -> None:
    """Refuse files that are not comma-separated text by their first bytes, saying how to fix them."""
    file = path.name
    if head.startswith(b"PK\x03\x04"):
        raise FileRefused([Problem(file, None, None, "an Excel workbook named .csv", "a CSV file: rename it to .xlsx")])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            [Problem(file, None, None, "UTF-16 text (as Teams reports are)", "UTF-8: in Excel use Save As > CSV UTF-8")]
        )
    if b"\x00" in head[:65536]:
        raise FileRefused([Problem(file, None, None, "binary content", "a text CSV file (UTF-8, comma-separated)")])


def check_utf8(path: Path, whole: bool = True) -> tuple[str, bool]:
    """The first line of a UTF-8 file and whether anything but blanks follows the BOM; FileRefused on a byte that is
    not UTF-8. Read in blocks: a whole file in memory would cost several times its size. With whole=False, only up to
    the end of the first line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first_line, pending, lines_before, has_text, offset = None, "", 0, False, 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(READ_BLOCK), b""):
            if offset == 0:
                sniff_text(path, block)
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as error:
                raise not_utf8(path, block, error, lines_before) from None
            if first_line is None:
                pending += text
                if "\n" in pending or "\r" in pending:
                    first_line = pending.lstrip("\ufeff").splitlines()[0]
            has_text = has_text or bool(block.strip(b"\xef\xbb\xbf \t\r\n"))
            if first_line is not None and not whole:
                return first_line, has_text
            lines_before += block.count(b"\n")
            offset += len(block)
        try:
            text = decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise not_utf8(path, b"", error, lines_before) from None
    if first_line is None and has_text:
        first_line = (pending + text).lstrip("\ufeff").splitlines()[0]
    return first_line or "", has_text


def not_utf8(path: Path, block: bytes, error: UnicodeDecodeError, lines_before: int) -> FileRefused:
    line = lines_before + block[: error.start].count(b"\n") + 1
    byte = block[error.start : error.start + 1].hex().upper() or "at the end"
    return FileRefused(
        [
            Problem(
                path.name,
                line,
                None,
                f"the byte 0x{byte}, which is not UTF-8 (a Latin-1 or Windows file?)",
                "UTF-8 text: in Excel use Save As > CSV UTF-8",
            )
        ]
    )


def csv_columns(path: Path, entity: Entity, whole: bool = True) -> list[str]:
    """Contract column names in the file's order; FileRefused when the file is not a CSV of `entity`. With
    whole=False, bytes that are not UTF-8 after the header are not looked for."""
    file = path.name
    first_line, has_text = check_utf8(path, whole)
    if not has_text:
        raise FileRefused([Problem(file, None, None, "an empty file", "a header row and data rows")])
    header = next(csv.reader([first_line]))
    if len(header) == 1:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs")):
            if delimiter in first_line:
                raise FileRefused(
                    [
                        Problem(
                            file,
                            1,
                            None,
                            f"columns separated by {label}",
                            "commas: save it as .xlsx (which loads as it is), or as CSV UTF-8 where Excel's list"
                            " separator is a comma",
                        )
                    ]
                )
    return check_header(file, header, entity)


def csv_rows(path: Path, names: list[str], table: str) -> tuple[str, list]:
    """SQL and parameters reading the CSV's cells as text, each row with `_line` 1 until `number_lines` sets it;
    lines that cannot be read go to `<table>_rejects`. Insert it `in_file_order`."""
    sql = f"""select 1 as _line, * from read_csv(
            ?, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
            columns = ?, store_rejects = true, rejects_table = '{table}_rejects',
            rejects_scan = '{table}_scans', max_line_size = {MAX_LINE_BYTES})"""
    return sql, [str(path), {name: "VARCHAR" for name in names}]


@contextmanager
def in_file_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Rows inserted meanwhile are stored in the file's order, read on every core. Numbering them in the query
    (row_number() over ()) would read the file on one thread; `number_lines` numbers them from their row ids instead.
    An IN list is rewritten as a join, which gives up the order: that rewrite is off meanwhile."""
    settings = ("preserve_insertion_order", "disabled_optimizers")
    before = con.execute(f"select {', '.join(f'current_setting({s!r})' for s in settings)}").fetchall()[0]
    disabled = ",".join(filter(None, [before[1], "in_clause"]))
    con.execute("set preserve_insertion_order = true")
    con.execute("set disabled_optimizers = ?", [disabled])
    # not restored after a failed read: it aborted the transaction, and the load ends with its connection
    yield
    for setting, value in zip(settings, before, strict=True):
        con.execute(f"set {setting} = ?", [value])


def number_lines(con: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    """Multiply `column` (1, or -1 for a row with a bad cell) by the row's line in its file (the header is line 1),
    for a table that held nothing before its rows were inserted `in_file_order`: their row ids follow the file."""
    first, last, rows = con.execute(f"select min(rowid), max(rowid), count(*) from {table}").fetchall()[0]
    if rows and last - first + 1 != rows:
        raise ReconciliationError(
            f"Reconciliation failed: {rows:,} rows read into {table} hold {last - first + 1:,} row ids, so their lines"
            " cannot be told"
        )
    con.execute(f"update {table} set {column} = {column} * (rowid - {first or 0} + 2)")


def empty_lines(path: Path) -> list[int]:
    """The spreadsheet row numbers of a CSV file's empty lines: DuckDB's reader skips them, so rows numbered from
    its row ids would come before their lines. A search of the file for two line ends in a row, usually all."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        # two line ends in a row, whichever kind (a cell may hold another kind than the file's lines: Excel's CRLF)
        if all(data.find(pair) < 0 for pair in (b"\n\n", b"\n\r\n", b"\r\r")):
            return []
    # rows as a spreadsheet counts them: a line break inside quotes does not start one
    csv.field_size_limit(MAX_LINE_BYTES)
    with path.open(newline="", encoding="utf-8-sig") as text:
        return [number for number, row in enumerate(csv.reader(text), start=1) if not row]


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, table: str) -> ReadResult:
    file = path.name
    names = csv_columns(path, entity)
    empty = empty_lines(path)
    con.execute(f"drop table if exists {table}")
    sql, params = csv_rows(path, names, table)
    with in_file_order(con):
        con.execute(f"create temp table {table} as {sql}", params)
    number_lines(con, table, "_line")
    refuse_unclosed_quote(con, file, table)
    # a line of spaces or tabs only is as blank as an empty line, though DuckDB reads it as a row of one field
    con.execute(
        f"""create or replace temp table {table}_lines as
            select line, arg_min(error_type, coalesce(column_idx, 0)) as kind,
                   arg_min(error_message, coalesce(column_idx, 0)) as message,
                   trim(any_value(csv_line), chr(13) || chr(10)) as text
            from {table}_rejects group by line"""
    )
    blank = "trim(text, ' ' || chr(9)) = ''"
    rejects = con.execute(f"select line, kind, message from {table}_lines where not {blank} order by line").fetchall()
    empty += [line for (line,) in con.execute(f"select line from {table}_lines where {blank}").fetchall()]
    good = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    problems = [broken_line(file, line, kind, message, len(names)) for line, kind, message in rejects]
    # a broken line's text, for the quarantine: it has no cells to keep
    con.execute(f"create temp table if not exists {BROKEN_TEXT}")
    con.execute(f"insert into broken_text select ?, line, text from {table}_lines where not {blank}", [file])
    rows_read = good + len(rejects)
    if rejects or empty:
        # DuckDB numbers a broken line as a spreadsheet does (header = line 1, empty lines counted); the good rows,
        # numbered as if no line was broken or empty, fill the other numbers
        con.execute(
            f"""update {table} t set _line = g.line
                from (select line, row_number() over (order by line) + 1 as counted
                      from range(2, ? + 2) lines(line)
                      where line not in (select line from {table}_rejects) and line not in (select unnest(?))) g
                where t._line = g.counted""",
            [rows_read + len(empty), empty],
        )
    con.execute(f"drop table {table}_rejects; drop table {table}_scans; drop table {table}_lines")
    # a row of commas only is what Excel writes for a formatted empty row: as blank as an empty line
    cells = ", ".join(f'"{name}"' for name in names)
    rows_read -= con.execute(f"delete from {table} where coalesce({cells}) is null").fetchall()[0][0]
    if rows_read == 0:
        raise FileRefused([Problem(file, None, None, "a header and no data rows", "at least one data row")])
    return ReadResult(table, rows_read, drop_unnamed_columns(con, file, table, names), problems)


def refuse_unclosed_quote(con: duckdb.DuckDBPyConnection, file: str, table: str) -> None:
    """A quote left open reads the lines after it into one value, up to the next quote: how many rows it swallowed
    cannot be told, so the file is refused whole rather than loaded without them (and its later rows misnumbered)."""
    opened = con.execute(
        f"""select line, column_name from {table}_rejects
            where error_type = 'UNQUOTED VALUE' and regexp_matches(csv_line, '[\r\n]') order by line limit 1"""
    ).fetchall()
    if opened:
        con.execute(f"drop table {table}; drop table {table}_rejects; drop table {table}_scans")
        line, column = opened[0]
        raise FileRefused(
            [
                Problem(
                    file,
                    line,
                    column,
                    'a quote (") that is never closed, so the lines after it were read as part of this value',
                    "the closing quote, or no quote at all: fix this line and load again",
                )
            ]
        )


def broken_line(file: str, line: int, kind: str, message: str, width: int) -> Problem:
    if kind == "LINE SIZE OVER MAXIMUM":
        return Problem(file, line, None, "a line over 2 MB", "lines under 2 MB (a runaway quote or pasted data?)")
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        got = message.split("Found:")[-1].strip() if "Found:" in message else "a different number"
        return Problem(file, line, None, f"{got} fields", f"{width} fields like the header (a cut or broken row?)")
    return Problem(file, line, None, f"an unreadable row ({message.splitlines()[0]})", "a well-formed CSV row")


def cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def choose_sheet(file: str, sheets: dict, entity: Entity) -> "pd.DataFrame":
    if len(sheets) == 1:
        return next(iter(sheets.values()))
    # a workbook with a sheet per file (participants, pairs, ...) would load one and leave the others without a word
    others = [name for name in sheets if str(name).strip().lower() in BY_NAME.keys() - {entity.name}]
    if others:
        listed = ", ".join(map(show, others))
        expected = "one file per entity: save each of those sheets as a workbook (or CSV) of its own, named after it"
        raise FileRefused([Problem(file, None, None, f"sheets of other files ({listed})", expected)])
    for name, frame in sheets.items():
        if str(name).strip().lower() == entity.name:
            return frame
    names = ", ".join(map(show, sheets))
    expected = f"one sheet, or a sheet named {entity.name!r}"
    raise FileRefused([Problem(file, None, None, f"{len(sheets)} sheets ({names})", expected)])


CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
SAVED_VALUE = re.compile(rb"<v>[^<]+</v>")


def uncached_formulas(path: Path) -> list[Problem]:
    """Formula cells with no saved value (written by a program, never opened in Excel): they would read as empty."""
    try:
        with zipfile.ZipFile(path) as book:
            sheets = [book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    except (zipfile.BadZipFile, OSError):
        return []  # the workbook reader says what is wrong with it
    problems = []
    for xml in sheets:
        if b"<f" not in xml:
            continue
        for column, row, body in CELL.findall(xml):
            if body and b"<f" in body and not SAVED_VALUE.search(body):
                problems.append(
                    Problem(
                        path.name,
                        int(row),
                        f"cell {column.decode()}{row.decode()}",
                        "a formula with no saved value",
                        "a value: open the file in Excel and save it, or paste the cells as values",
                    )
                )
    return problems


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, table: str) -> ReadResult:
    import pandas as pd

    file = path.name
    formulas = uncached_formulas(path)
    if formulas:
        raise FileRefused(formulas)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as error:  # calamine raises several types for damaged files
        raise FileRefused(
            [Problem(file, None, None, f"an unreadable workbook ({error})", "an .xlsx file saved by Excel")]
        ) from None
    frame = choose_sheet(file, sheets, entity)
    if frame.empty:
        raise FileRefused([Problem(file, None, None, "an empty sheet", "a header row and data rows")])
    try:
        names = check_header(file, list(frame.iloc[0]), entity)
    except FileRefused:
        refuse_title_rows(file, frame, entity)
        raise
    body = frame.iloc[1:]
    body = body[body.notna().any(axis=1)]  # blank rows at the end of a sheet are not data
    if body.empty:
        raise FileRefused([Problem(file, None, None, "a header and no data rows", "at least one data row")])
    problems = []
    kinds = {c.name: c.kind for c in entity.columns}
    text = {}
    for position, name in enumerate(names):
        cells = body.iloc[:, position]
        if kinds.get(name) == "date":  # a date cell with a time of day (a session at 14:30) is that day
            cells = cells.map(lambda value: value.date() if isinstance(value, datetime) else value)
        if kinds.get(name) == "month":  # Excel makes a typed 2019-10 the date 2019-10-01
            cells = cells.map(lambda value: f"{value:%Y-%m}" if isinstance(value, date) and value.day == 1 else value)
        if kinds.get(name) == "id":
            for index, value in cells.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool) and not pd.isna(value):
                    problems.append(
                        Problem(
                            file,
                            int(index) + 1,
                            name,
                            f"the number {cell_text(value)}",
                            "text: format the column as Text in Excel so IDs keep leading zeros",
                        )
                    )
        text[name] = pd.array([cell_text(v) for v in cells], dtype="str")
    text["_line"] = body.index.to_numpy(dtype="int64") + 1
    con.register("xlsx_frame", pd.DataFrame(text))
    con.execute(f"drop table if exists {table}")
    con.execute(f"create temp table {table} as select * from xlsx_frame")
    con.unregister("xlsx_frame")
    return ReadResult(table, len(body), drop_unnamed_columns(con, file, table, names), problems)


def refuse_title_rows(file: str, frame, entity: Entity) -> None:
    """A sheet whose column names are a few rows down, under a title (a report's usual layout), is refused with
    that reason rather than one problem per title cell."""
    for row in range(1, min(len(frame), 6)):
        if not set(entity.required_columns) <= {normalise_header(cell) for cell in frame.iloc[row]}:
            continue
        above = "a title" if row == 1 else f"{row} rows"
        raise FileRefused(
            [Problem(file, 1, None, f"{above} above the column names (row {row + 1})",
                     "the column names in row 1: delete the rows above them")]
        )  # fmt: skip


def unreadable(path: Path, error: duckdb.Error) -> str:
    """Why DuckDB's CSV reader gave up on a file, and what to do: mixed line endings are the usual cause."""
    data = path.read_bytes()
    if b"\r\n" in data and re.search(rb"(?<!\r)\n", data):
        return (
            f"{path.name}: its lines end in two ways (some as Windows writes them, some as Mac and Linux do), as when a"
            " file is edited in two programs, and it cannot be read. Open it in Excel and save it again as CSV UTF-8,"
            " then load again."
        )
    return f"{path.name}: it cannot be read as CSV ({str(error).splitlines()[0]}). Save it again as CSV UTF-8."


def read_file(con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, table: str) -> ReadResult:
    reader = read_xlsx if path.suffix.lower() == ".xlsx" else read_csv
    return reader(con, path, entity, table)
