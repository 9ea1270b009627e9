"""The dashboard's readers: one read-only connection per version of the warehouse file, kept open and shared by every
page run of the process. Opening the file for each query cost 15-30 ms, and more in queries that started with
DuckDB's cache of the file empty (0.3-0.4 s per page at 73,000 pairs)."""

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.connect import open_version

KEPT_FILES = 4  # warehouses held open at once (the dashboard reads one; tests and tools may read several)


@dataclass
class Snapshot:
    version: int  # open_version's
    con: duckdb.DuckDBPyConnection
    queries: int = 0  # running now
    superseded: bool = False

    def close_if_done(self) -> None:
        if self.superseded and self.queries == 0:
            self.con.close()


_lock = threading.Lock()
_latest: OrderedDict[Path, Snapshot] = OrderedDict()


def latest_version(path: Path) -> int:
    """The version of the file now; the reader of that version is open from here on."""
    with _lock:
        return _current(path).version


@contextmanager
def cursor(path: Path, version: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection of its own (settings and variables are per connection) to the reader of `version`; to the file
    as it is now if a load has replaced that version since (its results are then newer than the version says, never
    older: pages cache results under the version they asked for)."""
    with _lock:
        held = _latest.get(path)
        snapshot = held if held is not None and held.version == version else _current(path)
        snapshot.queries += 1
    try:
        con = snapshot.con.cursor()
        try:
            con.execute("use warehouse")
            yield con
        finally:
            con.close()
    finally:
        with _lock:
            snapshot.queries -= 1
            snapshot.close_if_done()


def _current(path: Path) -> Snapshot:
    """The reader of the file as it is now (under _lock); the one it replaces closes once its queries end."""
    held = _latest.get(path)
    if held is not None and held.version == path.stat().st_mtime_ns:
        _latest.move_to_end(path)
        return held
    con, version = open_version(path)
    fresh = _latest[path] = Snapshot(version, con)
    _latest.move_to_end(path)
    for old in [held, *(_latest.pop(p) for p in list(_latest)[:-KEPT_FILES])]:
        if old is not None:
            old.superseded = True
            old.close_if_done()
    return fresh
