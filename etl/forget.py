"""Erasure: a participant removed from every table, written into a fresh file so no old value stays in its bytes.

Deleting in place would leave the old rows in the file's free blocks, so the warehouse is copied table by table,
without the person, into a new file that is then swapped in under the loads' lock, as a load is.
"""

import getpass
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from etl.load import left_by_killed_writers, remove_quietly, swap_in, writer_lock
from warehouse.build import build_models, read_models, reconcile
from warehouse.connect import open_read_only

PERSON_COLUMNS = ("participant_id", "mentor_id", "mentee_id")
ERASURES_TABLE = """create table if not exists erasures (
    erased_at timestamp, participant_sha256 varchar, erased_by varchar, rows_removed bigint)"""


class ForgetError(Exception):
    """Nothing was erased; the warehouse is unchanged."""


@dataclass(frozen=True)
class Person:
    participant_id: str
    pair_ids: tuple[str, ...]  # their pairs, as mentor or mentee (loaded or set aside): the pairs' sessions go too
    contacts: tuple[str, ...]  # their email and name, compared without letter case


# a quarantined row's fields that name a person or a pair, as its file had them (trimmed: a refused row may be messy)
QUARANTINED = {name: f"trim(json_extract_string(row_text, '$.{name}'))" for name in (*PERSON_COLUMNS, "pair_id")}


def find_person(con: duckdb.DuckDBPyConnection, participant_id: str, db: str) -> Person:
    if not participant_id.strip():
        raise ForgetError("Give the participant_id of the person to erase (it is empty); nothing was changed.")
    found = con.execute(
        f"select email, display_name from {db}.raw_participants where participant_id = ?", [participant_id]
    ).fetchall()
    # pairs set aside count too: their quarantined sessions are the person's as well
    pairs = con.execute(
        f"""select pair_id from {db}.raw_pairs where ? in (mentor_id, mentee_id)
            union select {QUARANTINED["pair_id"]} from {db}.quarantine
            where entity = 'pairs' and ? in ({QUARANTINED["mentor_id"]}, {QUARANTINED["mentee_id"]})
            order by 1""",
        [participant_id, participant_id],
    ).fetchall()
    contacts = [v.strip().lower() for row in found for v in row if v and v.strip()]
    return Person(participant_id, tuple(p for (p,) in pairs if p), tuple(dict.fromkeys(contacts)))


def row_filter(table: str, columns: list[str], person: Person) -> tuple[str, list]:
    """A where clause keeping the rows that are not the person's, with its parameters."""
    if table == "quarantine":
        # a refused row is theirs when a field that names a person or a pair is theirs, its email or name is, or its
        # problems quote one of those ('E01'): never for any value equal to the ID (a session number 1 is not person
        # 1's), nor any word of a problem
        ids = "|".join(re.escape(q) for q in (person.participant_id, *person.pair_ids))  # letter case counts
        contacts = "|".join(re.escape(q) for q in person.contacts)
        pattern = "'(" + ids + (f"|(?i:{contacts})" if contacts else "") + ")'"
        fields = " or ".join(f"coalesce({QUARANTINED[c]} = ?, false)" for c in PERSON_COLUMNS)
        return (
            f"""not ({fields}
                    or coalesce(list_contains(?, {QUARANTINED["pair_id"]}), false)
                    or coalesce(list_contains(?, lower(trim(json_extract_string(row_text, '$.email')))), false)
                    or coalesce(list_contains(?, lower(trim(json_extract_string(row_text, '$.display_name')))), false)
                    or regexp_matches(coalesce(problems, ''), ?))""",
            [*[person.participant_id] * len(PERSON_COLUMNS), list(person.pair_ids), list(person.contacts),
             list(person.contacts), pattern],
        )  # fmt: skip
    checks, params = [], []
    for column in columns:
        if column in PERSON_COLUMNS:
            checks.append(f'coalesce("{column}" = ?, false)')
            params.append(person.participant_id)
        elif column == "pair_id" and person.pair_ids:
            checks.append('coalesce(list_contains(?, "pair_id"), false)')
            params.append(list(person.pair_ids))
    return (f"not ({' or '.join(checks)})" if checks else "true"), params


def rows_to_remove(live: Path, participant_id: str) -> dict[str, int]:
    """What forgetting would remove, per table, for the confirmation prompt (read-only)."""
    con = open_read_only(live)
    try:
        db = con.execute("select current_database()").fetchone()[0]
        person = find_person(con, participant_id, db)
        return {table: n for table, n in counts(con, db, person).items() if n}
    finally:
        con.close()


def counts(con: duckdb.DuckDBPyConnection, db: str, person: Person) -> dict[str, int]:
    out = {}
    for table, columns in kept_tables(con, db):
        where, params = row_filter(table, columns, person)
        out[table] = con.execute(
            f'select count(*) filter (where not ({where})) from {db}."{table}"', params
        ).fetchone()[0]
    return out


def kept_tables(con: duckdb.DuckDBPyConnection, db: str) -> list[tuple[str, list[str]]]:
    """The tables a rewrite copies: every base table but the marts, which are rebuilt from the raw rows."""
    models = {m.name for m in read_models()} | {"models_version"}
    found = con.execute(
        """select table_name, list(column_name order by column_index) from duckdb_columns()
           where database_name = ? and schema_name = 'main'
             and table_name in (select table_name from duckdb_tables() where database_name = ?)
           group by table_name order by table_name""",
        [db, db],
    ).fetchall()
    return [(table, columns) for table, columns in found if table not in models]


def forget(live: Path, participant_id: str, erased_by: str | None = None) -> dict[str, int]:
    """Remove the participant everywhere and record the erasure; returns rows removed per table."""
    if not live.exists():
        raise ForgetError(f"No warehouse at {live}.")
    with writer_lock(live):
        work = live.with_name(live.name + ".forgetting")
        left_by_killed_writers(live)
        try:
            removed = write_without(live, work, participant_id, erased_by or getpass.getuser())
            swap_in(work, live)
        except (OSError, duckdb.IOException) as error:  # the live file is untouched until the swap
            raise ForgetError(
                f"The erasure stopped while writing: {error}. If the disk is full, free space."
            ) from error
        finally:
            remove_quietly(work, Path(f"{work}.wal"))
        # copies a killed write left behind hold the person too; the live file's log was replayed into the copy
        for leftover in (".wal", ".loading", ".loading.wal", ".rewriting", ".rewriting.wal"):
            remove_quietly(live.with_name(live.name + leftover))
    return removed


def write_without(live: Path, work: Path, participant_id: str, erased_by: str) -> dict[str, int]:
    """The work file is thrown away on any failure, so its two transactions are all or nothing together."""
    con = duckdb.connect(str(work))
    try:
        con.execute(f"attach '{str(live).replace(chr(39), chr(39) * 2)}' as old (read_only)")
        person = find_person(con, participant_id, "old")
        removed = {table: n for table, n in counts(con, "old", person).items() if n}
        if not removed:
            raise ForgetError(f"No row of {participant_id} is in the warehouse; nothing was changed.")
        ddl = dict(con.execute("select table_name, sql from duckdb_tables() where database_name = 'old'").fetchall())
        con.execute("begin transaction")
        for table, columns in kept_tables(con, "old"):
            con.execute(ddl[table])  # the table's own definition, constraints included
            where, params = row_filter(table, columns, person)
            con.execute(f'insert into main."{table}" select * from old."{table}" where {where}', params)
        con.execute("commit")
        con.execute("detach old")  # the models are built from the new file's rows alone
        con.execute("begin transaction")
        build_models(con)
        reconcile(con)
        con.execute(ERASURES_TABLE)
        con.execute(
            "insert into erasures values (?, ?, ?, ?)",
            [datetime.now(), participant_sha256(participant_id), erased_by, sum(removed.values())],
        )
        con.execute("commit")
        con.execute("checkpoint")
        return removed
    finally:
        con.close()


def participant_sha256(participant_id: str) -> str:
    return hashlib.sha256(participant_id.encode()).hexdigest()
