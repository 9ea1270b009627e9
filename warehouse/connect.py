"""Read-only connections to the warehouse as it is at the moment they open, hardened so that no query can touch other
files."""

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
PIN_INFIX = ".reading-"
_pins = itertools.count()


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return open_version(path)[0]


def open_version(path: Path) -> tuple[duckdb.DuckDBPyConnection, int]:
    """The file attached read-only to a database of the connection's own, as the file is now whatever a load swaps
    in later, and the version it is (its mtime in ns: loads and rewrites swap in a newly written file).

    `duckdb.connect(path)` would share one database per path in the process: while any reader still had it open, a
    file swapped in by a load would not be seen. The file is opened through a `pinned` name: DuckDB opens a path more
    than once while attaching it, and a swap in between gave a short read ("Could not read enough bytes")."""
    con = duckdb.connect(":memory:", config=NO_EXTENSIONS)
    try:
        with pinned(Path(path)) as pin:
            con.execute("attach ? as warehouse (read_only)", [str(pin)])
            version = pin.stat().st_mtime_ns
        con.execute("use warehouse")
        # only now: with external access off, not even the warehouse could be attached
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con, version


@contextmanager
def pinned(path: Path) -> Iterator[Path]:
    """A hard link to the file as it is now, gone when the context ends (an open file stays readable without it):
    loads replace the file, never write into it, so the link's content never changes."""
    link = path.with_name(f".{path.name}{PIN_INFIX}{os.getpid()}-{next(_pins)}")
    while True:
        try:
            os.link(path, link)
            break
        except FileNotFoundError:
            if not path.exists():
                yield path  # DuckDB says the warehouse does not exist, as without the pin
                return
            # swapped while linking (Linux refuses a link to a file just replaced): link the new file
        except OSError:
            # a folder this process may not write to, or a file system without hard links: loads, which write a
            # copy beside the file, cannot swap it there either
            yield path
            return
    try:
        yield link
    finally:
        link.unlink(missing_ok=True)


def remove_stale_pins(path: Path) -> None:
    """Pins left by readers that were killed between linking and opening (they would keep an old file's space)."""
    for link in path.parent.glob(f".{path.name}{PIN_INFIX}*"):
        pid = link.name.rsplit(PIN_INFIX, 1)[1].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            link.unlink(missing_ok=True)
