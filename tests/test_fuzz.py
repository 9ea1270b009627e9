"""Messy folders a coordinator might really have, generated: the demo and the tiny program with random, realistic
corruptions, loaded strictly and with --quarantine. Whatever the input: no traceback; a refused load leaves the
warehouse byte for byte as it was; a load that succeeds leaves a warehouse `status` and every page can show.

Pages are rendered under AppTest once per warehouse shape (which entities are empty, one cohort, one pair,
quarantined rows), not for every case: rendering costs about 1-2 s, a load of the tiny program 0.1 s."""

import csv
import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st

from etl import cli
from etl.contract import ENTITIES
from tests.conftest import TINY, marts_unlike_their_models, render_every_page, rows, sha256

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))  # each example is two load cases: strict and --quarantine
KINDS = (
    "rename column",
    "drop column",
    "re-encode",
    "swap delimiter",
    "blank cells",
    "text in numbers",
    "other date format",
    "duplicate rows",
    "delete rows",
    "cut the file",
)
NEW_NAMES = ("state", "Held On", "cohort", "ID", "date", "")
BAD_NUMBERS = ("four", "4,5", "n/a", "-", "1 000", "3.7")
DATE_FORMATS = ("%m/%d/%Y", "%d.%m.%Y", "%d %B %Y", "%Y%m%d", "%Y-%m-%d 00:00:00", "%d/%m/%y")
ENCODINGS = ("latin-1", "utf-16", "utf-8-sig")


RENDERED: set[tuple] = set()  # warehouse shapes whose pages were rendered


@dataclass(frozen=True)
class Corruption:
    kind: str
    file: str
    pick: int  # which column (modulo the header's width)
    every: int  # rows touched: every n-th data row
    choice: int  # which name, value, format or encoding


corruptions = st.builds(
    Corruption,
    kind=st.sampled_from(KINDS),
    file=st.sampled_from([e.name for e in ENTITIES]),
    pick=st.integers(0, 15),
    every=st.sampled_from((1, 2, 3, 7, 50)),
    choice=st.integers(0, 5),
)


def read_table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_table(path: Path, table: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> None:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\n").writerows(table)
    path.write_bytes(text.getvalue().encode(encoding))


def touched(table: list[list[str]], every: int) -> list[list[str]]:
    return [row for n, row in enumerate(table[1:]) if n % every == 0]


def redate(value: str, fmt: str) -> str:
    try:
        return datetime.strptime(value, "%Y-%m-%d").strftime(fmt)
    except ValueError:
        return value


def corrupt(folder: Path, c: Corruption) -> str:
    """Apply one corruption to the folder's file; returns what was done, for the failing example's report."""
    path = folder / f"{c.file}.csv"
    if not path.exists():
        return f"{c.file}.csv: deleted, nothing to corrupt"
    try:
        table = read_table(path)
    except UnicodeDecodeError:
        table = None  # re-encoded by an earlier corruption: only byte-level changes still apply
    if c.kind == "cut the file":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) * (c.choice + 1) // 7])
        return f"{c.file}.csv: cut to {(c.choice + 1)}/7 of its bytes"
    if table is None or not table:
        return f"{c.file}.csv: left as it is"
    column = c.pick % len(table[0])
    name = table[0][column]
    if c.kind == "rename column":
        table[0][column] = NEW_NAMES[c.choice % len(NEW_NAMES)]
    elif c.kind == "drop column":
        table = [row[:column] + row[column + 1 :] for row in table]
    elif c.kind == "re-encode":
        encoding = ENCODINGS[c.choice % len(ENCODINGS)]
        table[-1][column] = table[-1][column] + "é"  # plain ASCII would read the same in any encoding
        write_table(path, table, encoding=encoding)
        return f"{c.file}.csv: written as {encoding} with an é in {name}"
    elif c.kind == "swap delimiter":
        delimiter = ";" if c.choice % 2 else "\t"
        write_table(path, table, delimiter=delimiter)
        return f"{c.file}.csv: separated by {delimiter!r}"
    else:
        for row in touched(table, c.every):
            if column < len(row):
                edit_cell(row, column, c)
        if c.kind == "duplicate rows":
            table = table + touched(table, c.every)
        elif c.kind == "delete rows":
            table = [table[0], *[row for n, row in enumerate(table[1:]) if n % c.every]]
    write_table(path, table)
    return f"{c.file}.csv: {c.kind} ({name}, every {c.every}, choice {c.choice})"


def edit_cell(row: list[str], column: int, c: Corruption) -> None:
    if c.kind == "blank cells":
        row[column] = ""
    elif c.kind == "text in numbers":
        row[column] = BAD_NUMBERS[c.choice % len(BAD_NUMBERS)]
    elif c.kind == "other date format":
        row[column] = redate(row[column], DATE_FORMATS[c.choice % len(DATE_FORMATS)])


def run_cli(*args: str) -> tuple[int, str]:
    """The command in this process: an exception escaping it is the traceback a user would see."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = cli.main(list(args))
    return code, out.getvalue()


def assert_root_causes_lead(output: str) -> None:
    """A file refused whole is named on the report's first line, before any row's problem."""
    report = output.split("Nothing was loaded; the warehouse is unchanged.\n")[1].splitlines()
    advice = report[-1]
    if advice.startswith("Refused whole: "):
        refused = advice.removeprefix("Refused whole: ").split(". Fix")[0].split(", ")
        assert report[0].startswith(tuple(refused)), report[0]


def shape(warehouse: Path) -> tuple:
    """What a page may trip over: empty entities, a single cohort or pair, quarantined rows."""
    counts = rows(
        warehouse,
        " union all ".join(f"select '{e.name}', count(*) from raw_{e.name}" for e in ENTITIES)
        + " union all select 'quarantine', count(*) from quarantine",
    )
    return tuple((name, min(n, 2)) for name, n in counts)


@pytest.fixture(scope="module")
def bases(demo_folder, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each base program's files and a warehouse already holding them (a later month's load)."""
    out = {}
    for name, folder in (("tiny", TINY), ("demo", demo_folder)):
        warehouse = tmp_path_factory.mktemp(f"base_{name}") / "loaded.duckdb"
        assert run_cli("load", str(folder), "--warehouse", str(warehouse))[0] == 0
        out[name] = (folder, warehouse)
    return out


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # a fixed seed: CI runs the same cases every time
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    base=st.sampled_from(("tiny", "tiny", "demo")),
    into_loaded=st.booleans(),
    # whole files are deleted apart from the other corruptions, so that warehouses without an entity come up often
    deleted=st.lists(st.sampled_from([e.name for e in ENTITIES]), max_size=3, unique=True),
    changes=st.lists(corruptions, max_size=3),
)
def test_messy_folders_never_break_a_load_status_or_page(bases, tmp_path_factory, base, into_loaded, deleted, changes):
    assume(deleted or changes)
    source, loaded = bases[base]
    case = tmp_path_factory.mktemp("case")
    folder = case / "files"
    shutil.copytree(source, folder)
    for name in deleted:
        (folder / f"{name}.csv").unlink()
    for change in changes:
        note(corrupt(folder, change))
    for mode in ((), ("--quarantine",)):
        warehouse = case / f"w{len(mode)}.duckdb"
        if into_loaded:
            shutil.copyfile(loaded, warehouse)
        before = sha256(warehouse) if warehouse.exists() else None
        code, output = run_cli("load", str(folder), "--warehouse", str(warehouse), *mode)
        note(f"load {' '.join(mode)}: exit {code}\n{output[-3000:]}")
        assert code in (0, 1)
        event(f"{base} {'quarantine' if mode else 'strict'}: {'loaded' if code == 0 else 'refused'}")
        if code == 1:
            assert "Nothing was loaded; the warehouse is unchanged." in output
            assert (sha256(warehouse) if warehouse.exists() else None) == before
            assert_root_causes_lead(output)
            continue
        assert run_cli("status", "--warehouse", str(warehouse))[0] == 0
        assert marts_unlike_their_models(warehouse) == []
        if shape(warehouse) not in RENDERED:
            event("pages rendered")
            render_every_page(warehouse)
            RENDERED.add(shape(warehouse))  # only once it rendered: a failing case fails again when replayed
