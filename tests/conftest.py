"""Shared fixtures: real DuckDB warehouses in temp folders, built by the real ETL."""

import hashlib
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from etl.contract import ENTITIES
from etl.demo import generate
from etl.load import load_folder
from warehouse.build import read_models
from warehouse.location import ENV_VAR

DATA = Path(__file__).resolve().parent / "data"
ENTRYPOINT = str(Path(__file__).resolve().parents[1] / "dashboard.py")
PAGES = ["overview", "learning_phases", "roi", "pair_health", "survey_outcomes", "cohort_comparison",
         "social_adoption", "data"]  # fmt: skip
TINY = DATA / "tiny"
TODAY = date(2026, 11, 25)  # loads in tests judge "not after today" against a fixed day


def load(folder: Path, warehouse: Path, **options):
    return load_folder(folder, warehouse, today=TODAY, **options)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every raw table and mart, for 'exactly as before' comparisons."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [e for (e,) in con.execute("select table_name from information_schema.tables").fetchall()]
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in sorted(tables)}
    finally:
        con.close()


def rows(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def marts_unlike_their_models(warehouse: Path) -> list[str]:
    """The mart tables whose rows differ from their model's SQL run again on the warehouse's raw tables: a load that
    rebuilds marts in part (warehouse/build.py, PARTIAL) must leave them as a full rebuild would."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [
            model.name
            for model in read_models()
            if model.kind == "table"
            and con.execute(
                f"""select count(*) from ((select * from {model.name} except all select * from ({model.sql}))
                    union all (select * from ({model.sql}) except all select * from {model.name}))"""
            ).fetchall()[0][0]
        ]
    finally:
        con.close()


@pytest.fixture(autouse=True, scope="session")
def page_errors_raise():
    """AppTest reads .streamlit/config.toml, whose production setting turns page errors into a box with a reference;
    tests see the exception itself (tests/test_pages.py checks the box)."""
    config.set_option("client.showErrorDetails", "full")


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    """A writable copy of the hand-computed fixture program."""
    folder = tmp_path / "files"
    shutil.copytree(TINY, folder)
    return folder


def all_direct_reports(folder: Path) -> None:
    """Every tiny mentee in one level, so that the cohort x level cell holds all five."""
    people = (folder / "participants.csv").read_text()
    for level in ("c_suite", "lob_president", "department_head"):
        people = people.replace(f",{level},", ",direct_report,")
    (folder / "participants.csv").write_text(people)


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory) -> Path:
    """The fixture program loaded once; tests only read it."""
    warehouse = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    load(TINY, warehouse)
    return warehouse


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate(folder)
    return folder


@pytest.fixture(scope="session")
def demo_warehouse(demo_folder: Path, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("demo_wh") / "demo.duckdb"
    load(demo_folder, warehouse, is_demo=True)
    return warehouse


@pytest.fixture(scope="session")
def large(tmp_path_factory) -> Path:
    """The demo at scale 250 (18,250 pairs): more people and pairs than 10,000 rows could hold."""
    folder = tmp_path_factory.mktemp("large")
    generate(folder / "files", scale=250)
    load(folder / "files", folder / "large.duckdb")
    return folder / "large.duckdb"


ENTITY_NAMES = [e.name for e in ENTITIES]


def table_with(test, column: str):
    """The first plain table on a page that has `column` (charts' data tables come before a page's own)."""
    [first, *_] = [t.value for t in test.table if column in t.value.columns]
    return first


def open_page(warehouse: Path, page: str, monkeypatch, **url) -> AppTest:
    """A page on `warehouse` as a link opens it (shared filters from the address), run without an exception."""
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    test.query_params.update(url)
    test.run()
    test.switch_page(f"pages/{page}.py").run()
    assert not test.exception, test.exception
    return test


def render_every_page(warehouse: Path) -> None:
    previous = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(warehouse)
    try:
        test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
        test.run()
        for page in PAGES:
            if page != "overview":
                test.switch_page(f"pages/{page}.py").run()
            assert not test.exception, f"page {page}: {test.exception[0].message}\n{test.exception[0].stack_trace}"
    finally:
        os.environ.pop(ENV_VAR) if previous is None else os.environ.update({ENV_VAR: previous})
