"""Writes outside a load (saved scenarios, the models rebuilt after an upgrade), made the way a load is made.

Each takes the loads' lock, changes a copy of the live file in one transaction and swaps it in, so it survives the
next load (which starts from the live file), and readers, who open the live file read-only, never wait for it.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from etl.load import SAVED_TABLES, remove_quietly, swap_in, writer_lock
from warehouse.build import build_models, built_version, models_version, reconcile
from warehouse.connect import open_read_only


def rewrite(live: Path, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Run `change` in one transaction on a copy of the warehouse, then swap the copy in."""
    with writer_lock(live):
        work = live.with_name(live.name + ".rewriting")
        remove_quietly(work, Path(f"{work}.wal"))
        try:
            shutil.copyfile(live, work)
            con = duckdb.connect(str(work))
            try:
                for table in SAVED_TABLES:  # a warehouse from before a table existed gets it here
                    con.execute(table)
                con.execute("begin transaction")
                change(con)
                con.execute("commit")
                con.execute("checkpoint")
            finally:
                con.close()
            swap_in(work, live)
        finally:
            remove_quietly(work, Path(f"{work}.wal"))


def models_out_of_date(live: Path) -> bool:
    con = open_read_only(live)
    try:
        return built_version(con) != models_version()
    finally:
        con.close()


def upgrade_models(live: Path) -> None:
    """Rebuild the marts and as-of views of a warehouse built by another version of the models."""
    rewrite(live, lambda con: (build_models(con), reconcile(con)))
