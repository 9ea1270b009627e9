"""Read-only connections to the warehouse, hardened so that no query can touch other files."""

from pathlib import Path

import duckdb

NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """The file attached to a database of the connection's own. `duckdb.connect(path)` would share one database per
    path in the process: while any reader still had it open, a file swapped in by a load would not be seen, and a
    page would cache the old rows under the new version."""
    con = duckdb.connect(":memory:", config=NO_EXTENSIONS)
    con.execute("attach ? as warehouse (read_only)", [str(path)])
    con.execute("use warehouse")
    # only now: with external access off, not even the warehouse could be attached
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con
