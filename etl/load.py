"""A load: a folder of files applied to a copy of the warehouse, validated, reconciled, then swapped in."""

import fcntl
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import duckdb

from etl.contract import ENTITIES, Entity
from etl.read_files import (
    BROKEN_TEXT,
    FileRefused,
    Problem,
    entity_of,
    is_users_file,
    number_lines,
    read_file,
    unreadable,
)
from etl.validate import SQL_TYPES, in_place_valid, insert_typed, validate
from warehouse.build import ReconciliationError, build_models, reconcile
from warehouse.connect import remove_stale_pins
from warehouse.location import not_a_warehouse

REPORT_LIMIT = 40  # problems listed per file; the rest are counted
NEEDED_BY_MARTS = ("cohorts", "participants", "pairs")  # a load may never leave one of these empty
MEMORY_LIMIT = os.environ.get("MENTORING_LOAD_MEMORY", "1GB")  # DuckDB's share of a load's memory

Progress = Callable[[str], None]


class Translated(Protocol):
    """The files of a folder translated from exports (etl/exports/stage.py), told as the coordinator has them."""

    def retraced(self, staged: str, line: int, message: str) -> tuple[str, int, str]:
        """A translated row's file and line in the exports, and `message` with the lines it mentions retraced."""

    def named(self, staged: str) -> str:
        """A translated file's name with the files it was made from."""


class LoadError(Exception):
    """The load did not happen; the warehouse is exactly as it was."""


class LoadRefused(LoadError):
    def __init__(self, report: str, problem_count: int, refused_files: tuple[str, ...] = ()):
        super().__init__(report)
        self.problem_count = problem_count
        self.refused_files = refused_files  # files refused whole: --quarantine cannot load them either


class LoadBusy(LoadError):
    pass


@dataclass
class FileResult:
    file: str
    entity: str
    sha256: str  # "" until the file's hash is known (see `hashing`)
    size: int
    rows_read: int = 0
    rows_rejected: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    same_as_load: int | None = None  # skipped: the very file (same sha256) that load last loaded, nothing set aside
    undone: int = 0  # sessions the warehouse has as held, missed or cancelled that this file has as scheduled

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected

    @property
    def rows_unchanged(self) -> int:
        return self.rows_loaded - self.rows_inserted - self.rows_updated


def rows_text(count: int) -> str:
    return "1 row" if count == 1 else f"{count:,} rows"


def returned_warning(summary: "LoadSummary") -> str:
    """What to say when a load brought back people erased before (`python -m etl forget` records a hash of each)."""
    return (
        f"Erased before and brought back by this load: {', '.join(summary.returned)}. Erase them again (python -m"
        " etl forget), and delete their rows from the files you load."
    )


def undone_warning(result: FileResult) -> str:
    n = result.undone
    sessions = "1 session" if n == 1 else f"{n:,} sessions"
    return (
        f"{result.file}: {sessions} the warehouse has as held, missed or cancelled {'is' if n == 1 else 'are'}"
        " scheduled in this file, which sets them back to scheduled (the last file loaded wins): is it an older copy?"
    )


@dataclass
class LoadSummary:
    load_id: int | None
    files: list[FileResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    seconds: float = 0.0
    report: str = ""  # problems of quarantined rows
    replaced_demo: bool = False  # the warehouse held only the demo, which this load's files replaced
    returned: list[str] = field(default_factory=list)  # participants erased before whom this load brought back

    @property
    def changed(self) -> bool:
        return any(f.rows_inserted or f.rows_updated or f.rows_rejected for f in self.files)

    def totals(self) -> dict[str, int]:
        names = ("rows_read", "rows_loaded", "rows_rejected", "rows_inserted", "rows_updated")
        return {n: sum(getattr(f, n) for f in self.files) for n in names}


def find_files(folder: Path) -> tuple[list[tuple[Entity, Path]], list[str]]:
    """Recognised files in load order (parents before children) and the names of ignored ones."""
    if folder.is_file():
        raise LoadError(f"{folder} is a file. Give the folder that holds it: {folder.parent}")
    if not folder.is_dir():
        raise LoadError(f"{folder}: no such folder. Give the folder that holds your CSV or XLSX files.")
    found: dict[str, Path] = {}
    ignored = []
    for path in sorted(p for p in folder.iterdir() if is_users_file(p)):
        entity = entity_of(path)
        if entity is None:
            ignored.append(path.name)
            continue
        if entity.name in found:
            raise LoadError(
                f"{folder}: both {found[entity.name].name} and {path.name} hold {entity.name}. Keep only one of them."
            )
        found[entity.name] = path
    if not found:
        names = ", ".join(e.name + ".csv" for e in ENTITIES)
        raise LoadError(f"{folder}: no recognised file. Expected files named like {names} (or .xlsx).")
    return [(e, found[e.name]) for e in ENTITIES if e.name in found], ignored


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def hashing(paths: list[Path]) -> Iterator[dict[Path, Future]]:
    """Each file's sha256, computed on a thread of its own while the load goes on (hashlib lets go of the GIL): a
    load waits for a hash only to tell whether a file was loaded before, and to record it."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        futures = {path: pool.submit(sha256_of, path) for path in paths}
        try:
            yield futures
        finally:
            for future in futures.values():
                future.cancel()  # a failed load does not wait for the hashes it no longer needs


def create_raw_table(con: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """A row's file is its load's file of its entity (load_files), so rows carry only the load and their line: a
    column naming the file cost 0.3-0.6 s on 12 M rows. Warehouses from before lose that column here."""
    columns = ", ".join(f'"{c.name}" {SQL_TYPES[c.kind]}' for c in entity.columns)
    con.execute(f"create table if not exists raw_{entity.name} ({columns}, _source_line bigint, _load_id bigint)")
    con.execute(f"alter table raw_{entity.name} drop column if exists _source_file")


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Raw tables from the contract, plus the audit tables."""
    for entity in ENTITIES:
        create_raw_table(con, entity)
    con.execute(
        """create table if not exists load_history (
            load_id bigint, started_at timestamp, finished_at timestamp, outcome varchar,
            folder varchar, is_demo boolean, files bigint, rows_read bigint, rows_loaded bigint, rows_rejected bigint,
            rows_inserted bigint, rows_updated bigint, reconciliation varchar)"""
    )
    con.execute(
        """create table if not exists load_files (
            load_id bigint, file_name varchar, entity varchar, sha256 varchar, bytes bigint,
            rows_read bigint, rows_loaded bigint, rows_rejected bigint,
            rows_inserted bigint, rows_updated bigint, rows_unchanged bigint)"""
    )
    for table in SAVED_TABLES:
        con.execute(table)
    con.execute(
        """create table if not exists quarantine (
            load_id bigint, file_name varchar, entity varchar, line bigint, problems varchar, row_text varchar)"""
    )


# quarantined rows still to fix: those of each entity's latest load; a later load of the entity's file loaded them,
# or set them aside again (and lists them anew)
OUTSTANDING_QUARANTINE = """select q.* from quarantine q
    where q.load_id = (select max(f.load_id) from load_files f where f.entity = q.entity)"""

# what the dashboard saves (etl/saved.py); loads keep it, since they start from a copy of the live file
SCENARIOS_TABLE = """create table if not exists roi_scenarios (
    name varchar primary key, value_active double, value_idea double, value_mentor double, attribution double,
    confidence double, baseline_turnover double, saved_at timestamp, last_used_at timestamp)"""
# when a coordinator contacted a pair, with a short note ("called on ..."): one per pair and day
CONTACTS_TABLE = """create table if not exists pair_contacts (
    pair_id varchar, contacted_on date, note varchar, recorded_at timestamp, primary key (pair_id, contacted_on))"""
SAVED_TABLES = (SCENARIOS_TABLE, CONTACTS_TABLE)  # what users save from the dashboard, kept across loads


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value of a query, read to the end: a half-read result blocks the connection in DuckDB 2."""
    return con.execute(sql, params or []).fetchall()[0][0]


def is_empty(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return not scalar(con, f"select count(*) from (select 1 from {table} limit 1)")


def count_first_load(con: duckdb.DuckDBPyConnection, table: str, result: FileResult) -> None:
    """Rows in = rows out: the table, empty before, holds exactly the file's good rows."""
    result.rows_inserted = scalar(con, f"select count(*) from {table}")
    if result.rows_inserted != result.rows_loaded:
        raise ReconciliationError(
            f"Reconciliation failed: {result.file} has {result.rows_loaded:,} good rows but {table} holds"
            f" {result.rows_inserted:,}"
        )


def upsert(con: duckdb.DuckDBPyConnection, entity: Entity, result: FileResult, load_id: int) -> None:
    """Good rows of `batch` replace the warehouse rows with the same natural key; identical rows stay as they are."""
    table = f"raw_{entity.name}"
    columns = ", ".join(f'"{c}"' for c in entity.column_names)
    keys = ", ".join(f'"{k}"' for k in entity.key)
    good = "_line not in (select line from bad_lines)"
    if is_empty(con, table):
        # a first load: every good row is new, no need to compare them with the table
        insert = f"insert into {table} select {columns}, _line, ? from batch where {good}"
        con.execute(insert, [load_id])
        count_first_load(con, table, result)
        return
    # each good row against the table's row of its key, column by column: a set difference of whole rows took 5.8 s
    # instead of 2.5 s for 12 million rows of which 1% changed, 18.7 s when every row changed
    on = " and ".join(f't."{k}" = g."{k}"' for k in entity.key)
    differs = " or ".join(f'g."{c}" is distinct from t."{c}"' for c in entity.column_names if c not in entity.key)
    known = f't."{entity.key[0]}" is not null'  # a key's columns are required: null only where no row matched
    con.execute(
        f"""create or replace temp table changed as
            select g.*, {known} as _known from batch g left join {table} t on {on}
            where g.{good} and (not {known} or {differs or "false"})"""
    )
    result.rows_updated = scalar(con, "select count(*) from changed where _known")
    if entity.name == "sessions":  # the last file loaded wins: an older copy would undo what was recorded since
        result.undone = scalar(
            con,
            f"""select count(*) from changed c join {table} t using ({keys})
                where c.status = 'scheduled' and t.status in ('held', 'missed', 'cancelled')""",
        )
    result.rows_inserted = scalar(con, "select count(*) from changed") - result.rows_updated
    match = " and ".join(f't."{k}" = c."{k}"' for k in entity.key)
    count = f"select count(*) from {table}"
    before = scalar(con, count)
    # deleted and inserted, not merged in place as partial rebuilds are (warehouse/build.py, merge_rows): merged, a
    # file whose 12 million rows all changed took a quarter longer
    con.execute(f"delete from {table} t using changed c where {match}")
    con.execute(f"insert into {table} select {columns}, _line, ? from changed", [load_id])
    grown = scalar(con, count) - before
    if grown != result.rows_inserted or result.rows_unchanged < 0:
        raise ReconciliationError(
            f"Reconciliation failed: {result.file} has {result.rows_inserted:,} new rows but {table} grew by {grown:,}"
        )


def load_one(con, entity: Entity, path: Path, load_id: int, today: date, progress: Progress) -> FileResult:
    try:
        return load_file(con, entity, path, load_id, today, progress)
    except duckdb.InvalidInputException as error:  # the reader gave up; the transaction went with it
        raise LoadRefused(unreadable(path, error), 1, (path.name,)) from None


def load_file(con, entity: Entity, path: Path, load_id: int, today: date, progress: Progress) -> FileResult:
    result = FileResult(path.name, entity.name, "", path.stat().st_size)
    table = f"raw_{entity.name}"
    if is_empty(con, table):
        result.rows_read = valid_first_load(con, entity, path, today, (table, load_id), progress)
        if result.rows_read:
            count_first_load(con, table, result)
            return result
    try:
        read = read_file(con, path, entity, "source")
    except FileRefused as refused:
        add_problems(con, refused.problems)
        con.execute("insert into refused_files values (?, ?)", [entity.name, path.name])
        return result
    result.rows_read = read.rows_read
    progress(f"  {path.name}: {rows_text(read.rows_read)} read, validating")
    add_problems(con, read.problems)
    validate(con, path.name, "source", read.columns, entity, today)
    con.execute(
        "create or replace temp table bad_lines as select distinct line from file_problems where file = ?", [path.name]
    )
    result.rows_rejected = scalar(con, "select count(*) from bad_lines")
    if len(entity.key) == 1:
        # root: the file whose problems a row was set aside for, when they are its only fault (a refused file, or the
        # file of a row it refers to); its children are counted under that file too
        con.execute(
            f"""insert into refused_keys select ?, b."{entity.key[0]}__text", coalesce(f.root, ?) from batch b join (
                    select line, case when count(*) = count(parent_file) then min(parent_file) end as root
                    from file_problems where file = ? group by line) f on f.line = b._line""",
            [entity.name, path.name, path.name],
        )
    upsert(con, entity, result, load_id)
    if result.rows_rejected:
        quarantine_rows(con, entity, result, load_id)
    return result


def valid_first_load(con, entity: Entity, path: Path, today: date, target: tuple, progress: Progress) -> int:
    """The usual first load: the file typed straight into its empty raw table and checked there; its rows. 0, with
    the table empty again, when anything is off: the careful path then finds each problem, with its line and column."""
    rows = insert_typed(con, path, entity, today, target)
    if rows:
        progress(f"  {path.name}: {rows_text(rows)} read, validating")
        if in_place_valid(con, entity, target[0], today):
            # numbered once known valid: the checks read faster before the update
            number_lines(con, target[0], "_source_line")
            return rows
    # made again rather than emptied: deleting millions of rows just written cost 5 s more at the commit
    con.execute(f"drop table {target[0]}")
    create_raw_table(con, entity)
    return 0


def quarantine_rows(con, entity: Entity, result: FileResult, load_id: int) -> None:
    con.execute(
        """insert into quarantine
           select ?, ?, ?, p.line,
                  -- a line that could not be read names no column
                  string_agg(coalesce(p.column_name || ': ', '') || 'got ' || p.got || ', expected ' || p.expected,
                             '; ' order by p.column_name),
                  -- a line that could not be read as cells is kept as it was written
                  any_value(case when s._line is null then json_object('line_text', b.text)
                                 else to_json(s) end)::varchar
           from file_problems p left join source s on s._line = p.line
           left join broken_text b on b.file = p.file and b.line = p.line
           where p.file = ? and p.line is not null group by p.line""",
        [load_id, result.file, entity.name, result.file],
    )


def retrace_quarantine(con, load_id: int, translated: Translated) -> None:
    """This load's quarantined rows named by the exports' files and lines, which the coordinator fixes."""
    rows = con.execute(
        "select rowid, file_name, line, problems from quarantine where load_id = ?", [load_id]
    ).fetchall()
    traced = [(rowid, *translated.retraced(file, line, problems)) for rowid, file, line, problems in rows]
    con.execute(
        """update quarantine q set file_name = t.file, line = t.line, problems = t.problems
           from (select unnest($rowid) as rowid, unnest($file) as file, unnest($line) as line,
                        unnest($problems) as problems) t
           where q.rowid = t.rowid""",
        {name: [row[i] for row in traced] for i, name in enumerate(("rowid", "file", "line", "problems"))},
    )


def add_problems(con, problems: list[Problem]) -> None:
    if problems:
        con.execute(
            """insert into file_problems
               select unnest($line)::bigint, unnest($column)::varchar, unnest($got), unnest($expected), unnest($file),
                      null, null""",
            {
                "line": [p.line for p in problems],
                "column": [p.column for p in problems],
                "got": [p.got for p in problems],
                "expected": [p.expected for p in problems],
                "file": [p.file for p in problems],
            },
        )


# a date written another way (3/5/2012, 05.03.2012, 5 March 2012, with or without a time), quoted in `got`
OTHER_DATE = (
    r"(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{8}|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4}|[A-Za-z]{3,9} \d{1,2},? \d{4})"
    r"([ T].*)?"
)
IN_OTHER_DATE_FORMAT = f"expected = 'a date as YYYY-MM-DD' and regexp_full_match(trim(got, ''''), '{OTHER_DATE}')"
LISTED = f"parent_file is null and not coalesce({IN_OTHER_DATE_FORMAT}, false)"


def problem_report(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """Root causes first: files refused whole, then rows that only follow from them (one line per file), then each
    file's own problems, capped at REPORT_LIMIT lines per file; dates in another format get one hint per column."""
    refused = [file for (file,) in con.execute("select file from refused_files order by file").fetchall()]
    lines = []
    for file in refused:
        lines += listed_problems(con, file)
    lines += follow_on_lines(con, of_refused_files=True)
    others = con.execute(
        "select distinct file from file_problems where file not in (select file from refused_files) order by file"
    ).fetchall()
    for (file,) in others:
        lines += other_date_format_lines(con, file) + listed_problems(con, file)
    lines += follow_on_lines(con, of_refused_files=False)  # after the rows they follow from
    return "\n".join(lines), scalar(con, "select count(*) from file_problems where parent_file is null")


def listed_problems(con, file: str) -> list[str]:
    rows = con.execute(
        f"""select line, column_name, got, expected from file_problems where file = ? and {LISTED}
            order by line nulls first, column_name limit ?""",
        [file, REPORT_LIMIT],
    ).fetchall()
    lines = [str(Problem(file, line, column, got, expected)) for line, column, got, expected in rows]
    more = con.execute(
        f"""select column_name, count(*) from (select * from file_problems where file = ? and {LISTED}
               order by line nulls first, column_name offset ?) group by all order by 2 desc, 1""",
        [file, REPORT_LIMIT],
    ).fetchall()
    if more:
        counts = ", ".join(f"{column or 'row'}: {n:,}" for column, n in more)
        lines.append(f"{file}: ... and {sum(n for _, n in more):,} more problems ({counts})")
    return lines


def follow_on_lines(con, of_refused_files: bool) -> list[str]:
    """Rows whose fault may only follow from another: a reference into a refused file, or to a row set aside (for a
    refused file or for problems of its own, listed above): counted, not listed."""
    rows = con.execute(
        """select p.file, p.parent_entity, p.parent_file, r.file is not null, r.entity = p.parent_entity,
                  count(distinct p.line)
           from file_problems p left join refused_files r on r.file = p.parent_file
           where p.parent_file is not null and (r.file is not null) = ?
           group by all order by 1, 3, 2""",
        [of_refused_files],
    ).fetchall()
    return [
        f"{n:,} {'row' if n == 1 else 'rows'} of {file} {'refers' if n == 1 else 'refer'} to {entity}"
        + (
            (f" from {parent}, which was refused" if direct else f" set aside because {parent} was refused")
            if refused
            else f" set aside because of problems in {parent}"
        )
        + f": fix {parent} first"
        for file, entity, parent, refused, direct, n in rows
    ]


def other_date_format_lines(con, file: str) -> list[str]:
    rows = con.execute(
        f"""select column_name, min(line), arg_min(trim(got, ''''), line), count(*) from file_problems
            where file = ? and {IN_OTHER_DATE_FORMAT} group by 1 order by 2""",
        [file],
    ).fetchall()
    return [
        f"{file}:{line} {column}: {example}: write dates as YYYY-MM-DD"
        f" ({n:,} {'date' if n == 1 else 'dates'} in another format in this column)"
        for column, line, example, n in rows
    ]


@contextmanager
def writer_lock(live: Path) -> Iterator[None]:
    """One load at a time per warehouse; a second one is refused at once with who holds the lock."""
    live.parent.mkdir(parents=True, exist_ok=True)
    lock_path = live.with_name(live.name + ".lock")
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LoadBusy(
                f"Another load is writing to {live} ({holder}). Wait for it to finish, then run this command again."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        remove_stale_pins(live)
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def left_by_killed_writers(live: Path) -> None:
    """A killed load's or erasure's copies of the warehouse and the rows DuckDB spilled beside them: they hold everyone
    (an erased person too), and only a writer, under the lock, makes them."""
    for suffix in (".loading", ".forgetting"):
        work = live.with_name(live.name + suffix)
        remove_quietly(work, Path(f"{work}.wal"))
        shutil.rmtree(f"{work}.tmp", ignore_errors=True)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(work: Path, live: Path) -> None:
    """The written work copy becomes the live file in one rename, durable on disk, with the live file's permissions (a
    warehouse kept 0600 stays so: the copy was made with the process's defaults)."""
    if live.exists():
        shutil.copymode(live, work)
    fsync_path(work)
    os.replace(work, live)
    fsync_path(live.parent)


def load_folder(
    folder: Path,
    live: Path,
    quarantine: bool = False,
    progress: Progress = lambda message: None,
    today: date | None = None,
    is_demo: bool = False,
    origin: Path | None = None,
    translated: Translated | None = None,
) -> LoadSummary:
    """Load every recognised file of `folder` into the warehouse at `live`, all or nothing.

    When `folder` holds files `translated` from exports (etl/exports), `origin` is the folder the history records;
    quarantined rows and the files recorded are named as the coordinator has them."""
    started = time.perf_counter()
    today = today or date.today()
    if unusable := not_a_warehouse(live):
        raise LoadError(unusable)
    files, ignored = find_files(Path(folder))
    with writer_lock(live), hashing([path for _, path in files]) as hashes:
        work = live.with_name(live.name + ".loading")
        left_by_killed_writers(live)
        try:
            history = live_history(live)
            base = live if builds_on(history, live, is_demo) else None
            planned = plan(history.last_files if base else {}, files, hashes)
            if all(same_as for *_, same_as in planned):
                # every file is one already loaded: nothing to copy, validate or write
                summary = LoadSummary(None, [skipped(entity, path, *rest) for entity, path, *rest in planned], ignored)
                summary.seconds = time.perf_counter() - started
                return summary
            if base:
                shutil.copyfile(base, work)
            where = str(Path(origin or folder).resolve())
            summary = apply_files(work, planned, hashes, quarantine, progress, today, (where, is_demo), translated)
            summary.ignored = ignored
            summary.replaced_demo = live.exists() and not base
            if summary.changed:
                swap_in(work, live)
        except PermissionError as error:
            raise LoadError(
                f"The load could not write beside the warehouse, in {live.parent}: {error}. Load as a user who may"
                " write there, or give a --warehouse in a folder you can write to."
            ) from error
        except (OSError, duckdb.IOException, duckdb.FatalException) as error:
            # the live file was never touched: only the work copy failed (a full disk, a lost device)
            raise LoadError(
                f"The load stopped while writing: {error}. If the disk is full, free space and load again."
            ) from error
        except duckdb.OutOfMemoryException as error:
            raise LoadError(
                f"The load needed more memory than it may use ({MEMORY_LIMIT}, MENTORING_LOAD_MEMORY): {error}. Set"
                " MENTORING_LOAD_MEMORY higher (for example 4GB), or free disk space for it to spill to, and load"
                " again."
            ) from error
        finally:
            remove_quietly(work, Path(f"{work}.wal"))
    summary.seconds = time.perf_counter() - started
    return summary


def plan(previous: dict[str, tuple], files: list[tuple[Entity, Path]], hashes: dict[Path, Future]) -> list[tuple]:
    """(entity, path, previous record or None) per file; the record when loading the file again changes nothing: the
    last load of its entity loaded this very file (same sha256), set no row aside, and no erasure came after it
    (loads never delete rows, so every row of it is still there as loaded). A file of another size is another file:
    its hash is not waited for."""
    planned = []
    for entity, path in files:
        record = previous.get(entity.name)
        same = record and record[3] == path.stat().st_size and record[0] == hashes[path].result()
        planned.append((entity, path, record if same else None))
    return planned


@dataclass(frozen=True)
class LiveHistory:
    """What a load needs from the live warehouse's history, read in one look: each opening of the file costs
    0.02-0.04 s, a few percent of next month's load."""

    kinds: frozenset[bool]  # is_demo of its loads: {True} when it holds only the demo
    # per entity: (sha256, load id, rows read, bytes) of its file in the latest load, if that file set no row aside
    # and no erasure followed
    last_files: dict[str, tuple[str, int, int, int]]


def live_history(live: Path) -> LiveHistory | None:
    """The loads recorded in `live` (a warehouse: see not_a_warehouse), None when there is no file yet."""
    if not live.exists():
        return None
    # attached to a connection of its own: a process may not open one file with two configurations (the dashboard's
    # hardened readers and others), and an attached file is not the one opened
    con = duckdb.connect()
    try:
        con.execute(f"attach '{str(live).replace(chr(39), chr(39) * 2)}' as live (read_only)")
        kinds = frozenset(kind for (kind,) in con.execute("select distinct is_demo from live.load_history").fetchall())
        erasures = "select count(*) from duckdb_tables() where database_name = 'live' and table_name = 'erasures'"
        erased = "(select max(erased_at) from live.erasures)" if con.execute(erasures).fetchone()[0] else "null"
        rows = con.execute(
            f"""select f.entity, f.sha256, f.load_id, f.rows_read, f.bytes, f.rows_rejected = 0
                     and h.finished_at > coalesce({erased}, timestamp '1900-01-01')
                from live.load_files f join live.load_history h using (load_id)
                qualify f.load_id = max(f.load_id) over (partition by f.entity)"""
        ).fetchall()
    finally:
        con.close()
    last = {entity: (sha, load_id, read, size) for entity, sha, load_id, read, size, reusable in rows if reusable}
    return LiveHistory(kinds, last)


def builds_on(history: LiveHistory | None, live: Path, is_demo: bool) -> bool:
    """Whether a load builds on the live warehouse: not when there is none, nor when it holds only the demo and this
    load is a program's own files, which replace the fictional pairs instead of joining them. The demo is never
    loaded into a program's warehouse."""
    if history is None:
        return False
    if is_demo and False in history.kinds:
        raise LoadError(
            f"{live} holds your program's data: the demo goes into a warehouse of its own, for example"
            f" python -m etl demo --warehouse {live.with_name('demo.duckdb')}"
        )
    return is_demo or history.kinds != {True}


def base_warehouse(live: Path, is_demo: bool) -> Path | None:
    """The warehouse a load builds on: `live`, or None (see builds_on)."""
    return live if builds_on(live_history(live), live, is_demo) else None


def skipped(entity: Entity, path: Path, same_as: tuple) -> FileResult:
    sha256, load_id, rows_read, size = same_as
    return FileResult(path.name, entity.name, sha256, size, rows_read, same_as_load=load_id)


def open_work(work: Path) -> duckdb.DuckDBPyConnection:
    """The work copy, with memory bounded: DuckDB spills to disk beyond MEMORY_LIMIT instead of growing."""
    # rows carry their line numbers: keeping their order would only hold more of them in memory
    con = duckdb.connect(str(work), config={"memory_limit": MEMORY_LIMIT, "preserve_insertion_order": False})
    con.execute(f"set enable_progress_bar = {sys.stderr.isatty()}")  # a bar helps in a terminal, not in logs
    return con


def apply_files(
    work: Path,
    files,
    hashes: dict[Path, Future],
    quarantine: bool,
    progress: Progress,
    today: date,
    origin: tuple,
    translated: Translated | None,
) -> LoadSummary:
    con = open_work(work)
    try:
        create_tables(con)
        con.execute("checkpoint")
        con.execute("begin transaction")
        con.execute(
            "create temp table file_problems"
            " (line bigint, column_name varchar, got varchar, expected varchar, file varchar,"
            " parent_entity varchar, parent_file varchar)"
        )
        con.execute("create temp table refused_keys (entity varchar, key varchar, root varchar)")
        con.execute("create temp table refused_files (entity varchar, file varchar)")
        con.execute(f"create temp table {BROKEN_TEXT}")
        load_id = scalar(con, "select coalesce(max(load_id), 0) + 1 from load_history")
        summary = LoadSummary(load_id)
        started_at = datetime.now()
        for number, (entity, path, same_as) in enumerate(files, start=1):
            progress(f"[{number}/{len(files)}] {path.name}")
            if same_as:
                progress(f"  {path.name}: the same file (sha256) as load {same_as[1]}, skipped")
                summary.files.append(skipped(entity, path, same_as))
            else:
                summary.files.append(load_one(con, entity, path, load_id, today, progress))
                summary.files[-1].sha256 = hashes[path].result()
        report, problem_count = problem_report(con)
        refused = tuple(file for (file,) in con.execute("select file from refused_files order by file").fetchall())
        if refused or (problem_count and not quarantine):
            raise LoadRefused(report, problem_count, refused)
        empty = empty_entities(con, summary)
        if empty:
            raise LoadRefused("\n".join([*empty, report]).strip(), 0)  # its own advice: --quarantine can't help
        summary.report = report
        if not summary.changed:
            con.execute("rollback")
            return summary
        progress("building the marts")
        written = {f"raw_{f.entity}" for f in summary.files if f.rows_inserted or f.rows_updated}
        changed = build_models(con, written, load_id)
        checks = reconcile(con, changed)
        if scalar(con, "select count(*) from information_schema.tables where table_name = 'erasures'"):
            summary.returned = [who for (who,) in con.execute(
                """select participant_id from raw_participants where _load_id = ?
                   and sha256(participant_id) in (select participant_sha256 from erasures) order by 1""",
                [load_id],
            ).fetchall()]  # fmt: skip
        if translated:
            if summary.totals()["rows_rejected"]:
                retrace_quarantine(con, load_id, translated)
            for result in summary.files:
                result.file = translated.named(result.file)
        # the rows, then their history in a transaction of its own (the live file changes only at swap_in): the
        # checkpoint after that small change merges the partly filled row groups a parallel insert leaves. The big
        # commit's own checkpoint leaves them to the next one, which the next load would pay (0.1 s at 73,000 pairs)
        con.execute("commit")
        con.execute("begin transaction")
        record_load(con, summary, started_at, origin, checks)
        con.execute("commit")
        con.execute("checkpoint")
        return summary
    finally:
        con.close()  # an open transaction dies with the connection, and the work file is deleted


def empty_entities(con, summary: LoadSummary) -> list[str]:
    """Why the marts would have nothing to show: an entity they need has no row, new or already loaded."""
    reasons = []
    for name in NEEDED_BY_MARTS:
        if scalar(con, f"select count(*) from raw_{name}"):
            continue
        files = [f.file for f in summary.files if f.entity == name]
        reason = f"every row of {files[0]} was set aside" if files else f"the folder has no {name}.csv"
        reasons.append(
            f"No {name} would be in the warehouse: {reason}. The dashboard needs cohorts, participants and pairs:"
            f" {'fix its rows' if files else 'add it'} and load again."
        )
    return reasons


def record_load(con, summary: LoadSummary, started_at: datetime, origin: tuple, checks: str) -> None:
    totals = summary.totals()
    outcome = "loaded with quarantined rows" if totals["rows_rejected"] else "loaded"
    con.execute(
        "insert into load_history values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [summary.load_id, started_at, datetime.now(), outcome, *origin, len(summary.files), *totals.values(), checks],
    )
    for f in summary.files:
        con.execute(
            "insert into load_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                summary.load_id,
                f.file,
                f.entity,
                f.sha256,
                f.size,
                f.rows_read,
                f.rows_loaded,
                f.rows_rejected,
                f.rows_inserted,
                f.rows_updated,
                f.rows_unchanged,
            ],
        )
