"""Read-only connections to the warehouse, hardened so that no query can touch other files."""

from pathlib import Path

import duckdb

READ_ONLY = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=READ_ONLY)
