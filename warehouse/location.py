"""Where the warehouse file lives: one place, so the ETL, the dashboard and the tests agree."""

import os
from pathlib import Path

DEFAULT_WAREHOUSE = Path(__file__).resolve().parent / "mentoring.duckdb"
ENV_VAR = "MENTORING_WAREHOUSE"


def warehouse_path(explicit: str | Path | None = None) -> Path:
    """The --warehouse argument, else $MENTORING_WAREHOUSE, else warehouse/mentoring.duckdb."""
    chosen = explicit or os.environ.get(ENV_VAR) or DEFAULT_WAREHOUSE
    return Path(chosen).expanduser().resolve()


def not_a_warehouse(path: Path) -> str | None:
    """Why `path` cannot be a warehouse (a folder, or a file DuckDB did not write), else None: said before anything
    opens it, in place of DuckDB's own error (or an attempt to write over someone's file)."""
    if path.is_dir():
        return f"{path} is a folder. Give a warehouse file, for example {path / 'mentoring.duckdb'}."
    if path.exists():
        with path.open("rb") as handle:
            if handle.read(12)[8:] != b"DUCK":  # DuckDB's files carry this mark after their first 8 bytes
                return not_ours(path)
        if not has_load_history(path):  # another application's DuckDB file: never written into
            return not_ours(path)
    return None


def not_ours(path: Path) -> str:
    return (
        f"{path} is not a warehouse (a DuckDB file written by a load) and was left as it is. Give the warehouse you"
        " loaded before, or a new file name ending in .duckdb."
    )


def has_load_history(path: Path) -> bool:
    """Whether a DuckDB file holds the loads' history, as every warehouse does from its first load (True when it can't
    be read just now: a load will say why)."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return True
    try:
        found = "select count(*) from information_schema.tables where table_name = 'load_history'"
        return bool(con.execute(found).fetchone()[0])
    finally:
        con.close()
